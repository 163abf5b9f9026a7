//! `sanwu serve`: a local preview with live reload for a committee editing its ledgers.
//!
//! The site is built into a private folder (never the published `public/`) and served over HTTP
//! ([`http`]). The portal's sources are watched ([`watch`]); a change to one compound's files runs
//! the build pipeline's per-compound step for that compound only and re-renders the portal pages
//! from the cached summaries of the others; a change to the theme, the templates or
//! `config.toml` rebuilds everything. A change that fails validation keeps the last good pages,
//! prints the findings as `sanwu check` does, and shows them on every page as an overlay until
//! the file is fixed. The overlay and the live-reload script come from the theme's `serve/`
//! folder and are added to pages only as they are served.

pub mod http;
pub mod site;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::cli::PortalArgs;
use crate::compute::CompoundSummary;
use crate::diag::{Diagnostics, Lang, Severity, catalog};
use crate::error::Fatal;
use crate::load::{self, Portal};
use crate::pipeline;
use crate::progress::Progress;
use crate::render::SiteRenderer;
use http::Live;
use site::SiteDir;

/// The template of the theme's `serve/` folder added before `</body>` of every served page.
const OVERLAY_TEMPLATE: &str = "overlay.html";

/// One finding as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
}

/// The unit a finding belongs to: the compound of `content/<slug>/…`, or "" for the portal.
fn unit_of(file: &str) -> String {
    file.strip_prefix("content/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("")
        .to_string()
}

/// The errors of `diags`, grouped by unit.
fn errors_by_unit(diags: &Diagnostics, lang: Lang) -> BTreeMap<String, Vec<Finding>> {
    let mut groups: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        let (message, hint) = catalog::message(d.code, lang, &d.args);
        let file = d
            .file
            .as_ref()
            .map(|f| f.display_path.clone())
            .unwrap_or_default();
        let position = d.position();
        groups.entry(unit_of(&file)).or_default().push(Finding {
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            file,
            code: d.code.to_string(),
            severity: d.severity,
            message,
            hint,
        });
    }
    groups
}

fn fatal_finding(fatal: &Fatal, lang: Lang) -> Finding {
    let text = fatal.message(lang);
    let (message, hint) = match text.split_once('\n') {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (text, None),
    };
    Finding {
        file: String::new(),
        line: None,
        column: None,
        code: "fatal".to_string(),
        severity: Severity::Error,
        message,
        hint,
    }
}

/// The preview's state between rebuilds.
pub struct Preview<'a> {
    args: &'a PortalArgs,
    lang: Lang,
    site: SiteDir,
    live: Arc<Live>,
    renderer: Option<SiteRenderer>,
    /// The portal as last loaded in full (its configuration and compound folders).
    portal: Option<Portal>,
    /// The last good summary of every compound, in slug order (the portal pages' input).
    summaries: Vec<CompoundSummary>,
    /// Unit ("" = the portal) → the errors that keep its newest edits off the preview.
    failing: BTreeMap<String, Vec<Finding>>,
    /// The findings the pages currently show.
    shown: Vec<Finding>,
    overlay: tera::Tera,
    /// The theme's interface strings in the language of the messages (the overlay's `t`).
    overlay_strings: tera::Value,
    /// The overlay template changed since the pages were last told.
    overlay_dirty: bool,
}

impl<'a> Preview<'a> {
    pub fn new(args: &'a PortalArgs, site: SiteDir, live: Arc<Live>) -> Preview<'a> {
        Preview {
            args,
            lang: args.lang.unwrap_or_default(),
            site,
            live,
            renderer: None,
            portal: None,
            summaries: Vec::new(),
            failing: BTreeMap::new(),
            shown: Vec::new(),
            overlay: tera::Tera::default(),
            overlay_strings: tera::Value::none(),
            overlay_dirty: true,
        }
    }

    pub fn site(&self) -> &SiteDir {
        &self.site
    }

    /// Loads everything and renders every compound (the first build, or after a change to the
    /// theme, the templates or the configuration).
    pub fn rebuild_all(&mut self, since: Option<Instant>, progress: bool) {
        let started = Instant::now();
        self.site.begin();
        let mut diags = Diagnostics::new();
        let result = self.try_rebuild_all(&mut diags, progress);
        let what = match self.lang {
            Lang::Zh => "全部小区",
            Lang::En => "all compounds",
        };
        self.finish(diags, result, what, started, since);
    }

    fn try_rebuild_all(&mut self, diags: &mut Diagnostics, progress: bool) -> Result<(), Fatal> {
        // Until this succeeds, a change to one compound rebuilds everything too (so that an error
        // in the configuration or the theme stays reported).
        self.portal = None;
        let portal = load::open_portal_for(self.args, diags)?;
        let Some(portal) = portal else {
            // config.toml is broken: keep serving what there is.
            diags.finish(&Default::default());
            self.failing = errors_by_unit(diags, self.lang);
            return Ok(());
        };
        self.lang = self.args.lang.unwrap_or(portal.config.language);
        self.load_serve_theme(&portal)?;
        let renderer = SiteRenderer::new(&portal.root, &portal.config)?;
        let progress = if progress {
            Progress::new(portal.compounds.len(), self.lang, false)
        } else {
            Progress::hidden()
        };
        let outcome = pipeline::run_with_progress(
            &portal,
            Some(&pipeline::Output {
                renderer: &renderer,
                sink: &self.site,
                cache: None,
            }),
            &progress,
        )?;
        diags.extend(outcome.diagnostics);
        diags.finish(&portal.config.severity_overrides);
        // A compound that fails keeps its last good pages and summary.
        let fresh: BTreeSet<&str> = outcome.summaries.iter().map(|s| s.slug.as_str()).collect();
        let present: BTreeSet<&str> = portal.compounds.iter().map(|(s, _)| s.as_str()).collect();
        let mut summaries = outcome.summaries.clone();
        summaries.extend(
            self.summaries
                .iter()
                .filter(|s| present.contains(s.slug.as_str()) && !fresh.contains(s.slug.as_str()))
                .cloned(),
        );
        summaries.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.summaries = summaries;
        renderer.render_portal(&self.summaries, &self.site)?;
        let kept: BTreeSet<String> = self
            .summaries
            .iter()
            .filter(|s| !fresh.contains(s.slug.as_str()))
            .map(|s| format!("{}/", s.slug))
            .collect();
        self.site
            .prune_all(|path| kept.iter().any(|prefix| path.starts_with(prefix.as_str())));
        self.failing = errors_by_unit(diags, self.lang);
        self.renderer = Some(renderer);
        self.portal = Some(portal);
        Ok(())
    }

    /// Processes the compounds `slugs` again, tells the open pages, then re-renders the portal
    /// pages from the cached summaries of the others if a summary changed.
    pub fn rebuild_compounds(&mut self, slugs: &BTreeSet<String>, since: Option<Instant>) {
        if self.renderer.is_none() || self.portal.is_none() {
            return self.rebuild_all(since, false);
        }
        let started = Instant::now();
        self.site.begin();
        let mut diags = Diagnostics::new();
        let result = match self.try_rebuild_compounds(slugs, &mut diags) {
            Ok(true) => {
                // The compound's own pages reload now, the portal pages a moment later.
                self.announce();
                match &self.renderer {
                    Some(renderer) => renderer.render_portal(&self.summaries, &self.site),
                    None => Ok(()),
                }
            }
            Ok(false) => Ok(()),
            Err(fatal) => Err(fatal),
        };
        let what = slugs.iter().cloned().collect::<Vec<_>>().join(", ");
        self.finish(diags, result, &what, started, since);
    }

    /// Processes the compounds; returns whether the portal pages need rendering again (a
    /// summary changed, a compound came or went).
    fn try_rebuild_compounds(
        &mut self,
        slugs: &BTreeSet<String>,
        diags: &mut Diagnostics,
    ) -> Result<bool, Fatal> {
        // The configuration did not change (that rebuilds everything): only the compound folders
        // named may have come or gone.
        let Some(mut portal) = self.portal.take() else {
            return Ok(false);
        };
        for slug in slugs {
            let dir = portal.root.join("content").join(slug);
            let listed = portal
                .compounds
                .binary_search_by(|(s, _)| s.as_str().cmp(slug));
            match (listed, dir.is_dir() && load::is_slug(slug)) {
                (Err(i), true) => portal.compounds.insert(i, (slug.clone(), dir)),
                (Ok(i), false) => {
                    portal.compounds.remove(i);
                }
                _ => {}
            }
        }
        let result = self.process_compounds(&portal, slugs, diags);
        self.portal = Some(portal);
        result
    }

    fn process_compounds(
        &mut self,
        portal: &Portal,
        slugs: &BTreeSet<String>,
        diags: &mut Diagnostics,
    ) -> Result<bool, Fatal> {
        let Some(renderer) = &self.renderer else {
            return Ok(false);
        };
        let output = pipeline::Output {
            renderer,
            sink: &self.site,
            cache: None,
        };
        let mut portal_changed = false;
        for slug in slugs {
            self.failing.remove(slug);
            let dir = portal.compounds.iter().find(|(s, _)| s == slug);
            let Some((_, dir)) = dir else {
                // The folder is gone (or is no compound any more).
                self.site.remove_compound(slug);
                let before = self.summaries.len();
                self.summaries.retain(|s| &s.slug != slug);
                portal_changed |= self.summaries.len() != before;
                continue;
            };
            let (compound_diags, summary) =
                match pipeline::run_compound(portal, slug, dir, Some(&output)) {
                    Ok(result) => result,
                    Err(fatal) => {
                        self.failing
                            .insert(slug.clone(), vec![fatal_finding(&fatal, self.lang)]);
                        eprintln!("sanwu serve: {}", fatal.message(self.lang));
                        continue;
                    }
                };
            if let Some(summary) = summary {
                match self.summaries.binary_search_by(|s| s.slug.cmp(slug)) {
                    Ok(i) => {
                        // The portal pages are a function of the summaries only.
                        let same = serde_json::to_vec(&self.summaries[i]).ok()
                            == serde_json::to_vec(&summary).ok();
                        portal_changed |= !same;
                        self.summaries[i] = summary;
                    }
                    Err(i) => {
                        self.summaries.insert(i, summary);
                        portal_changed = true;
                    }
                }
                self.site.prune_compound(slug);
            }
            diags.extend(compound_diags);
        }
        diags.finish(&portal.config.severity_overrides);
        self.failing.remove("");
        for (unit, findings) in errors_by_unit(diags, self.lang) {
            self.failing.entry(unit).or_default().extend(findings);
        }
        Ok(portal_changed)
    }

    /// Reads the theme's `serve/` files: the overlay template and the assets it links.
    fn load_serve_theme(&mut self, portal: &Portal) -> Result<(), Fatal> {
        let files = crate::render::theme::serve_files(&portal.root, &portal.config.theme)?;
        // The overlay speaks the language of the findings it shows (`--lang`, else the site's).
        let theme = crate::render::theme::Theme::load(&portal.root, &portal.config.theme)?;
        let strings = crate::render::i18n::Strings::resolve(&theme.strings, self.lang)?;
        let mut tera = tera::Tera::default();
        strings.register(&mut tera);
        let mut assets = Vec::new();
        for (name, bytes) in files {
            if name.ends_with(".html") {
                let source = strings.inline(&String::from_utf8_lossy(&bytes));
                tera.add_raw_template(&name, &source)
                    .map_err(|e| Fatal::Template {
                        name: format!("serve/{name}"),
                        detail: e.to_string(),
                    })?;
            } else {
                assets.push((name, bytes));
            }
        }
        self.overlay = tera;
        self.overlay_strings = strings.to_value();
        self.overlay_dirty = true;
        self.live.set_assets(assets);
        Ok(())
    }

    /// Reports a rebuild in the terminal and, when the pages or the findings changed, tells the
    /// open pages to reload.
    fn finish(
        &mut self,
        diags: Diagnostics,
        result: Result<(), Fatal>,
        what: &str,
        started: Instant,
        since: Option<Instant>,
    ) {
        if let Err(fatal) = &result {
            eprintln!("sanwu serve: {}", fatal.message(self.lang));
            self.failing
                .insert(String::new(), vec![fatal_finding(fatal, self.lang)]);
        }
        let changed = self.site.changed();
        self.announce();
        crate::cmd::report(&diags, self.lang, true);
        eprintln!(
            "{}",
            rebuilt(self.lang, what, started, since, changed, self.shown.len())
        );
    }

    /// Tells the open pages what changed since the last announcement: the pages rewritten or
    /// removed reload, and every page reloads when the overlay changed.
    fn announce(&mut self) {
        let findings: Vec<Finding> = self.failing.values().flatten().cloned().collect();
        let changed = self.site.take_changed_paths();
        let overlay = if self.overlay_dirty || findings != self.shown {
            self.overlay_dirty = false;
            self.shown = findings;
            let tera = self.overlay.clone();
            let shown = self.shown.clone();
            let strings = self.overlay_strings.clone();
            let snippet: http::Snippet = Arc::new(move |version: &str| {
                let mut ctx = tera::Context::new();
                ctx.insert("version", version);
                ctx.insert("findings", &shown);
                ctx.insert("errors", &shown.len());
                ctx.insert_value("t", strings.clone());
                match tera.render(OVERLAY_TEMPLATE, &ctx) {
                    Ok(html) => html.into_bytes(),
                    Err(e) => {
                        eprintln!("sanwu serve: serve/{OVERLAY_TEMPLATE}: {e}");
                        Vec::new()
                    }
                }
            });
            Some(snippet)
        } else {
            None
        };
        self.live.publish(&changed, overlay);
    }
}

fn millis(since: Instant) -> String {
    format!("{:.1}", since.elapsed().as_secs_f64() * 1000.0)
}

/// The line logged after each rebuild, with its duration.
fn rebuilt(
    lang: Lang,
    what: &str,
    started: Instant,
    since: Option<Instant>,
    changed: usize,
    errors: usize,
) -> String {
    let took = millis(started);
    match lang {
        Lang::Zh => {
            let since = since
                .map(|s| format!("，自保存起 {} ms", millis(s)))
                .unwrap_or_default();
            let errors = if errors > 0 {
                format!("；{errors} 个错误，页面显示上一次正确的版本")
            } else {
                String::new()
            };
            format!("已重建 {what}：用时 {took} ms{since}，改写 {changed} 个文件{errors}")
        }
        Lang::En => {
            let since = since
                .map(|s| format!(", {} ms since the save", millis(s)))
                .unwrap_or_default();
            let errors = if errors > 0 {
                format!("; {errors} errors, the last good pages are shown")
            } else {
                String::new()
            };
            format!("rebuilt {what} in {took} ms{since}, {changed} files rewritten{errors}")
        }
    }
}

/// The preview's private site folder, unique to this process.
pub fn private_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("{PRIVATE_PREFIX}{}", std::process::id()))
}

const PRIVATE_PREFIX: &str = "sanwu-serve-";

/// Removes the private folders of previews that are no longer running: a preview stopped with
/// Ctrl-C removes its own, but one killed outright (SIGKILL, a closed terminal, a crash) cannot.
/// Only on Linux, where `/proc/<pid>` tells whether a process is alive.
pub fn sweep_abandoned() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PRIVATE_PREFIX))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = std::path::Path::new("/proc").join(pid.to_string()).exists();
        if !alive && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
