//! Themes: a folder of tera templates (`templates/*.html`, and `templates/*.xml` for feeds and
//! sitemaps) and static assets (`static/**`). The
//! `default` theme is compiled into the binary from `themes/default/`; a portal may ship its own
//! under `themes/<name>/`, and may override any single template by putting a file of the same name
//! in its `templates/` folder, and add or replace assets in its `static/` folder. Interface strings
//! are `i18n/<lang>.toml` files: the default theme's, then an on-disk theme's, then the portal's
//! own `i18n/<lang>.toml` at its root, each overriding single keys of the ones before.

use std::path::Path;

use include_dir::{Dir, include_dir};

use super::i18n::Layer;
use crate::error::Fatal;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates and assets, after the portal's overrides.
pub struct Theme {
    /// (name, source), sorted by name.
    pub templates: Vec<(String, String)>,
    /// (path relative to the output root, bytes), sorted by path.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Strings files in override order (see `render::i18n`).
    pub strings: Vec<Layer>,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Fatal> {
        let on_disk = root.join("themes").join(name);
        let mut theme = if on_disk.is_dir() {
            Theme {
                templates: read_templates(&on_disk.join("templates"))?
                    .into_iter()
                    .map(|(n, bytes)| (n, String::from_utf8_lossy(&bytes).into_owned()))
                    .collect(),
                assets: prefixed(read_folder(&on_disk.join("static"), "")?),
                strings: embedded().strings,
            }
        } else if name == "default" {
            embedded()
        } else {
            return Err(Fatal::ThemeMissing {
                name: name.to_string(),
                path: on_disk,
            });
        };
        for (name, bytes) in read_templates(&root.join("templates"))? {
            let source = String::from_utf8_lossy(&bytes).into_owned();
            match theme.templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = source,
                None => theme.templates.push((name, source)),
            }
        }
        for (path, bytes) in prefixed(read_folder(&root.join("static"), "")?) {
            match theme.assets.iter_mut().find(|(p, _)| *p == path) {
                Some(slot) => slot.1 = bytes,
                None => theme.assets.push((path, bytes)),
            }
        }
        if on_disk.is_dir() {
            theme.strings.extend(layers(
                &on_disk.join("i18n"),
                &format!("themes/{name}/i18n"),
            )?);
        }
        theme.strings.extend(layers(&root.join("i18n"), "i18n")?);
        theme.templates.sort();
        theme.assets.sort();
        Ok(theme)
    }
}

fn prefixed(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files
        .into_iter()
        .map(|(p, b)| (format!("static/{p}"), b))
        .collect()
}

fn embedded() -> Theme {
    let mut templates = Vec::new();
    let mut assets = Vec::new();
    let mut strings = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut templates, &mut assets, &mut strings);
    Theme {
        templates,
        assets,
        strings,
    }
}

/// The `<lang>.toml` files directly in `dir`, by name.
fn layers(dir: &Path, shown: &str) -> Result<Vec<Layer>, Fatal> {
    Ok(read_folder(dir, "toml")?
        .into_iter()
        .filter(|(name, _)| !name.contains('/'))
        .map(|(name, bytes)| Layer {
            lang: name.trim_end_matches(".toml").to_string(),
            origin: format!("{shown}/{name}"),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        })
        .collect())
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut Vec<(String, String)>,
    assets: &mut Vec<(String, Vec<u8>)>,
    strings: &mut Vec<Layer>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            if name.ends_with(".html") || name.ends_with(".xml") {
                templates.push((
                    name.to_string(),
                    file.contents_utf8().unwrap_or_default().to_string(),
                ));
            }
        } else if let Some(name) = path.strip_prefix("i18n/") {
            if let Some(lang) = name.strip_suffix(".toml") {
                strings.push(Layer {
                    lang: lang.to_string(),
                    origin: format!("themes/default/{path}"),
                    text: file.contents_utf8().unwrap_or_default().to_string(),
                });
            }
        } else if path.starts_with("static/") {
            assets.push((path, file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, assets, strings);
    }
}

/// The templates in `dir`: `.html` pages and `.xml` feeds and sitemaps, sorted by name.
fn read_templates(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Fatal> {
    let mut files = read_folder(dir, "html")?;
    files.extend(read_folder(dir, "xml")?);
    files.sort();
    Ok(files)
}

/// Files below `dir` (recursively), as (relative path with `/`, bytes); `extension` filters when
/// not empty. A missing folder is empty.
fn read_folder(dir: &Path, extension: &str) -> Result<Vec<(String, Vec<u8>)>, Fatal> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Fatal::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if !extension.is_empty() && path.extension().and_then(|e| e.to_str()) != Some(extension) {
            continue;
        }
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if relative.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(path).map_err(|e| Fatal::io(path, e))?;
        files.push((relative, bytes));
    }
    Ok(files)
}

/// The files of a theme's `serve/` folder: what `sanwu serve` adds to the pages it serves (the
/// live-reload script, the error overlay), never part of a built site. The portal's theme folder
/// may replace any of them; the rest come from the default theme. (name, bytes), sorted by name.
pub fn serve_files(root: &Path, name: &str) -> Result<Vec<(String, Vec<u8>)>, Fatal> {
    let mut files: Vec<(String, Vec<u8>)> = DEFAULT_THEME
        .get_dir("serve")
        .map(|dir| {
            dir.files()
                .filter_map(|f| {
                    let name = f.path().file_name()?.to_string_lossy().into_owned();
                    Some((name, f.contents().to_vec()))
                })
                .collect()
        })
        .unwrap_or_default();
    for (file, bytes) in read_folder(&root.join("themes").join(name).join("serve"), "")? {
        match files.iter_mut().find(|(n, _)| *n == file) {
            Some(slot) => slot.1 = bytes,
            None => files.push((file, bytes)),
        }
    }
    files.sort();
    Ok(files)
}
