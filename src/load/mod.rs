//! Loading a portal from disk: find `config.toml` and the compound folders under `content/`, read
//! and decode each file, and hand each to its ledger's parser. Folder order is sorted so that
//! every later stage sees the same order on every machine.

pub mod decode;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::error::Fatal;
use crate::ledger::{self, CompoundBooks};

/// A portal found on disk, before its compounds are read.
pub struct Portal {
    pub root: PathBuf,
    pub config: Config,
    /// (slug, folder) of every compound, sorted by slug.
    pub compounds: Vec<(String, PathBuf)>,
}

/// Folder names the site itself uses at its root (the theme's files and the portal's district
/// pages): a compound folder of that name would mix its pages with them.
pub const RESERVED: &[&str] = &["static", crate::render::directory::FOLDER];

/// Whether a name may appear in a URL as is.
pub fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with(['-', '_'])
}

/// Reads and decodes a file. `Ok(None)` when its bytes are in no supported encoding (reported).
pub fn read_source(
    path: &Path,
    root: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal::io(path, e))?;
    let display = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    match decode::decode_owned(bytes) {
        Some((text, encoding)) => Ok(Some(Arc::new(SourceFile::new(
            path, display, text, encoding,
        )))),
        None => {
            let file = Arc::new(SourceFile::new(path, display, String::new(), "?"));
            diags.push(Diagnostic::new("encoding-invalid").in_file(&file));
            Ok(None)
        }
    }
}

/// Finds the portal described by the command line's portal arguments, applying `--today`.
pub fn open_portal_for(
    args: &crate::cli::PortalArgs,
    diags: &mut Diagnostics,
) -> Result<Option<Portal>, Fatal> {
    let mut portal = open_portal(&args.root, diags)?;
    if let (Some(p), Some(today)) = (&mut portal, args.today) {
        p.config.rules.today = Some(today);
    }
    Ok(portal)
}

/// Finds the portal at `root`: its configuration and its compound folders.
pub fn open_portal(root: &Path, diags: &mut Diagnostics) -> Result<Option<Portal>, Fatal> {
    if !root.is_dir() {
        return Err(Fatal::RootMissing(root.to_path_buf()));
    }
    let config_path = root.join("config.toml");
    if !config_path.is_file() {
        return Err(Fatal::ConfigMissing(config_path));
    }
    let Some(config_file) = read_source(&config_path, root, diags)? else {
        return Ok(None);
    };
    let Some(config) = config::parse(&config_file, diags) else {
        return Ok(None);
    };
    // The portal's title and description appear on every page: they are held to the privacy
    // rule of every compound file (PRIV1), here because the file is not kept past this point.
    crate::validate::privacy::scan_numbers(&config_file, diags);
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Fatal::ContentMissing(content));
    }
    let mut compounds = Vec::new();
    for entry in sorted_entries(&content)? {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let refused = if !is_slug(&name) {
            Some("slug-invalid")
        } else if RESERVED.contains(&name.as_str()) {
            Some("slug-reserved")
        } else {
            None
        };
        if let Some(code) = refused {
            let file = Arc::new(SourceFile::new(
                path,
                format!("content/{name}/"),
                String::new(),
                "UTF-8",
            ));
            diags.push(Diagnostic::new(code).in_file(&file).arg("name", &name));
            continue;
        }
        compounds.push((name, path.to_path_buf()));
    }
    Ok(Some(Portal {
        root: root.to_path_buf(),
        config,
        compounds,
    }))
}

fn sorted_entries(dir: &Path) -> Result<Vec<walkdir::DirEntry>, Fatal> {
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Fatal::io(path, e.into())
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

/// The files a compound folder may hold, by name.
const LEDGER_FILES: &[&str] = &["compound.toml", "fees.csv", "revenue.csv", "fund.csv"];
const RECORD_FOLDERS: &[(&str, &str)] =
    &[("projects", "toml"), ("tenders", "toml"), ("notices", "md")];

/// Reads one compound folder. `Ok(None)` when compound.toml is missing or unusable (reported);
/// other findings are reported and the rest of the books is still returned.
pub fn load_compound(
    root: &Path,
    slug: &str,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<CompoundBooks>, Fatal> {
    let compound_path = dir.join("compound.toml");
    let folder_file = || {
        Arc::new(SourceFile::new(
            dir,
            format!("content/{slug}/"),
            String::new(),
            "UTF-8",
        ))
    };
    if !compound_path.is_file() {
        diags.push(
            Diagnostic::new("compound-missing")
                .in_file(&folder_file())
                .arg("name", slug),
        );
        return Ok(None);
    }
    for entry in sorted_entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let known = LEDGER_FILES.contains(&name.as_str())
            || RECORD_FOLDERS.iter().any(|(folder, _)| *folder == name)
            || name.starts_with('.');
        if !known {
            diags.push(
                Diagnostic::new("file-ignored")
                    .in_file(&folder_file())
                    .arg("name", &name),
            );
        }
    }
    let mut sources = Vec::new();
    let info = match read_source(&compound_path, root, diags)? {
        Some(file) => {
            let info = ledger::compound::parse(&file, diags);
            sources.push(file);
            info
        }
        None => None,
    };
    let read_optional =
        |name: &str, diags: &mut Diagnostics| -> Result<Option<Arc<SourceFile>>, Fatal> {
            let path = dir.join(name);
            if path.is_file() {
                read_source(&path, root, diags)
            } else {
                Ok(None)
            }
        };
    let fees_file = read_optional("fees.csv", diags)?;
    let revenue_file = read_optional("revenue.csv", diags)?;
    let fund_file = read_optional("fund.csv", diags)?;
    sources.extend(
        [&fees_file, &revenue_file, &fund_file]
            .into_iter()
            .flatten()
            .cloned(),
    );
    let fees = fees_file
        .as_ref()
        .map(|f| ledger::fees::parse(f, diags))
        .unwrap_or_default();
    let revenue = revenue_file
        .as_ref()
        .map(|f| ledger::revenue::parse(f, diags))
        .unwrap_or_default();
    let (fund, fund_complete) = fund_file
        .as_ref()
        .map(|f| ledger::fund::parse_counted(f, diags))
        .unwrap_or((Vec::new(), true));

    let mut projects = Vec::new();
    let mut tenders = Vec::new();
    let mut notices = Vec::new();
    let mut project_ids = std::collections::BTreeSet::new();
    let mut shares = Vec::new();
    let mut tender_ids = std::collections::BTreeSet::new();
    for (folder, extension) in RECORD_FOLDERS {
        let path = dir.join(folder);
        if !path.is_dir() {
            continue;
        }
        for entry in sorted_entries(&path)? {
            let file_path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !file_path.is_file() {
                continue;
            }
            // A project's apportionment table sits next to it as projects/<id>.csv.
            if *folder == "projects"
                && let Some(id) = name.strip_suffix(".csv")
            {
                if let Some(file) = read_source(file_path, root, diags)? {
                    sources.push(Arc::clone(&file));
                    shares.push((id.to_string(), ledger::shares::parse(&file, diags)));
                }
                continue;
            }
            let Some(id) = name.strip_suffix(&format!(".{extension}")) else {
                let file = Arc::new(SourceFile::new(
                    file_path,
                    format!("content/{slug}/{folder}/{name}"),
                    String::new(),
                    "UTF-8",
                ));
                diags.push(
                    Diagnostic::new("file-ignored")
                        .in_file(&file)
                        .arg("name", &name),
                );
                continue;
            };
            match *folder {
                "projects" => project_ids.insert(id.to_string()),
                "tenders" => tender_ids.insert(id.to_string()),
                _ => false,
            };
            let Some(file) = read_source(file_path, root, diags)? else {
                continue;
            };
            sources.push(Arc::clone(&file));
            if !is_slug(id) {
                diags.push(
                    Diagnostic::new("slug-invalid")
                        .in_file(&file)
                        .arg("name", id),
                );
                continue;
            }
            match *folder {
                "projects" => projects.extend(ledger::project::parse(id, &file, diags)),
                "tenders" => tenders.extend(ledger::tender::parse(id, &file, diags)),
                _ => notices.extend(ledger::notice::parse(id, &file, diags)),
            }
        }
    }
    for (id, table) in shares {
        match projects.iter_mut().find(|p| p.id == id) {
            Some(project) => project.shares = Some(table),
            None if project_ids.contains(&id) => {}
            None => diags.push(
                Diagnostic::new("shares-unknown-project")
                    .in_file(&table.file)
                    .arg("project", &id),
            ),
        }
    }
    let Some(info) = info else {
        return Ok(None);
    };
    Ok(Some(CompoundBooks {
        slug: slug.to_string(),
        info,
        fees,
        revenue,
        fund,
        projects,
        tenders,
        notices,
        project_ids,
        tender_ids,
        sources,
        has_fees: fees_file.is_some(),
        has_revenue: revenue_file.is_some(),
        has_fund: fund_file.is_some(),
        fund_complete,
    }))
}
