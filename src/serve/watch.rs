//! Watching the portal's sources: raw file-system events (from the `notify` crate) become a small
//! set of [`Change`]s — one compound's files, the theme or templates, the configuration — and
//! bursts of events (editors write a file several times when saving) are gathered into one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::Fatal;

/// What a changed path means for the preview.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A file of the compound `content/<slug>/` (or the folder itself): that compound is
    /// processed again, and the portal pages are re-rendered from the summaries.
    Compound(String),
    /// `themes/`, `templates/` or `static/`: everything is rendered again.
    Theme,
    /// `config.toml`: everything is loaded and rendered again.
    Config,
    /// Anything else (the published site, git's files, editors' backups): ignored.
    Other,
}

/// Folders below the portal root whose changes concern the preview.
pub const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Classifies a path (absolute, or relative to `root`).
pub fn classify(root: &Path, path: &Path) -> Change {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(last) = parts.last() else {
        return Change::Other;
    };
    // Editors' swap files, backups and our own half-written files.
    if last.starts_with('.')
        || last.ends_with('~')
        || last.ends_with(".swp")
        || last.ends_with(".swx")
        || last.ends_with(".tmp")
    {
        return Change::Other;
    }
    match parts.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["config.toml"] => Change::Config,
        ["themes" | "templates" | "static", ..] => Change::Theme,
        ["content", slug, ..] if !slug.starts_with('.') => Change::Compound(slug.to_string()),
        _ => Change::Other,
    }
}

/// What a batch of events asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Everything must be rebuilt (theme, templates or configuration changed).
    pub everything: bool,
    /// Compounds whose files changed (empty when `everything`).
    pub compounds: BTreeSet<String>,
    /// When the first event of the batch arrived.
    pub first: Option<Instant>,
}

impl Batch {
    pub fn add(&mut self, change: Change) {
        match change {
            Change::Compound(slug) => {
                self.compounds.insert(slug);
            }
            Change::Theme | Change::Config => self.everything = true,
            Change::Other => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && self.compounds.is_empty()
    }
}

/// Messages the preview's main loop waits for.
pub enum Message {
    Paths(Vec<PathBuf>),
    WatchError(String),
    /// Ctrl-C or SIGTERM: clean up and stop.
    Stop,
}

/// Watches the portal's sources; events arrive on the returned channel.
pub struct SourceWatcher {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
}

impl SourceWatcher {
    pub fn start(root: &Path, sender: Sender<Message>) -> Result<SourceWatcher, Fatal> {
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let message = match event {
                // Reads (ours included) are not changes.
                Ok(event) if matches!(event.kind, EventKind::Access(_)) => return,
                Ok(event) => Message::Paths(event.paths),
                Err(error) => Message::WatchError(error.to_string()),
            };
            let _ = sender.send(message);
        })
        .map_err(|e| Fatal::Serve(e.to_string()))?;
        let mut this = SourceWatcher {
            watcher,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        // The root itself, not recursively: config.toml (editors replace it by renaming, which
        // a watch on the file would lose) and the creation of a watched folder.
        this.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| Fatal::Serve(format!("{}: {e}", root.display())))?;
        this.refresh()?;
        Ok(this)
    }

    /// Starts watching the folders of [`WATCHED`] that exist now and were not watched yet.
    pub fn refresh(&mut self) -> Result<(), Fatal> {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.watcher
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| Fatal::Serve(format!("{}: {e}", dir.display())))?;
                self.watched.insert(dir);
            }
        }
        self.watched.retain(|d| d.is_dir());
        Ok(())
    }
}

/// How long the sources must stay quiet before a batch is processed.
pub const QUIET: Duration = Duration::from_millis(25);
/// A batch is processed at the latest this long after its first event, even if events go on.
pub const LONGEST: Duration = Duration::from_millis(500);

/// What the main loop does next.
pub enum Next {
    Rebuild(Batch),
    Stop,
}

/// Waits for the next batch of changes that concern the preview: blocks for the first relevant
/// event, then gathers events until the sources have been quiet for [`QUIET`].
pub fn next_batch(root: &Path, receiver: &Receiver<Message>) -> Next {
    let mut batch = Batch::default();
    loop {
        let message = if batch.is_empty() {
            match receiver.recv() {
                Ok(m) => m,
                Err(_) => return Next::Stop,
            }
        } else {
            let started = batch.first.unwrap_or_else(Instant::now);
            if started.elapsed() >= LONGEST {
                return Next::Rebuild(batch);
            }
            match receiver.recv_timeout(QUIET) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return Next::Rebuild(batch),
                Err(RecvTimeoutError::Disconnected) => return Next::Stop,
            }
        };
        match message {
            Message::Stop => return Next::Stop,
            Message::WatchError(error) => eprintln!("sanwu serve: {error}"),
            Message::Paths(paths) => {
                for path in paths {
                    let was_empty = batch.is_empty();
                    batch.add(classify(root, &path));
                    if was_empty && !batch.is_empty() {
                        batch.first = Some(Instant::now());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_changes() {
        let root = Path::new("/p");
        let c = |p: &str| classify(root, Path::new(p));
        assert_eq!(
            c("/p/content/mingxiu/fees.csv"),
            Change::Compound("mingxiu".into())
        );
        assert_eq!(
            c("/p/content/mingxiu/notices/2025-01.md"),
            Change::Compound("mingxiu".into())
        );
        assert_eq!(c("/p/content/mingxiu"), Change::Compound("mingxiu".into()));
        assert_eq!(c("/p/content/mingxiu/.fees.csv.swp"), Change::Other);
        assert_eq!(c("/p/content/mingxiu/fees.csv~"), Change::Other);
        assert_eq!(c("/p/content"), Change::Other);
        assert_eq!(c("/p/config.toml"), Change::Config);
        assert_eq!(c("/p/themes/default/templates/base.html"), Change::Theme);
        assert_eq!(c("/p/templates/fees.html"), Change::Theme);
        assert_eq!(c("/p/static/logo.png"), Change::Theme);
        assert_eq!(c("/p/public/index.html"), Change::Other);
        assert_eq!(c("/p/.git/index"), Change::Other);
        assert_eq!(c("/elsewhere/config.toml"), Change::Other);
    }

    #[test]
    fn a_theme_change_outweighs_compound_changes() {
        let mut batch = Batch::default();
        assert!(batch.is_empty());
        batch.add(Change::Other);
        assert!(batch.is_empty());
        batch.add(Change::Compound("a".into()));
        batch.add(Change::Compound("a".into()));
        assert_eq!(batch.compounds.len(), 1);
        assert!(!batch.everything);
        batch.add(Change::Config);
        assert!(batch.everything);
    }
}
