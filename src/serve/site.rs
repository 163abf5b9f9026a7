//! The preview's private copy of the site: a [`Sink`] that writes into a folder of its own (never
//! the published `public/`), rewrites a file only when its bytes changed (renaming a finished file
//! into place, so the HTTP server never reads half a page), remembers each compound's input
//! fingerprint so unchanged compounds are not rendered again, and removes the pages a compound no
//! longer has.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Fatal;
use crate::render::Sink;

pub struct SiteDir {
    dir: PathBuf,
    /// Path relative to the site → SHA-256 of the bytes on disk.
    files: Mutex<BTreeMap<String, [u8; 32]>>,
    /// Compound folder → fingerprint of the inputs its pages were rendered from.
    keys: Mutex<HashMap<String, String>>,
    /// The files produced (written or kept) since the last [`SiteDir::begin`].
    produced: Mutex<HashSet<String>>,
    /// How many files were actually rewritten or removed since the last [`SiteDir::begin`].
    changed: Mutex<usize>,
    /// The files rewritten or removed and not yet announced to the open pages.
    unannounced: Mutex<Vec<String>>,
}

impl SiteDir {
    /// A fresh, empty folder at `dir` (whatever was there is removed: it is the preview's own).
    pub fn create(dir: &Path) -> Result<SiteDir, Fatal> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Fatal::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Fatal::io(dir, e))?;
        Ok(SiteDir {
            dir: dir.to_path_buf(),
            files: Mutex::new(BTreeMap::new()),
            keys: Mutex::new(HashMap::new()),
            produced: Mutex::new(HashSet::new()),
            changed: Mutex::new(0),
            unannounced: Mutex::new(Vec::new()),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts a rebuild: forgets which files the previous one produced and changed.
    pub fn begin(&self) {
        if let Ok(mut p) = self.produced.lock() {
            p.clear();
        }
        if let Ok(mut c) = self.changed.lock() {
            *c = 0;
        }
    }

    /// How many files this rebuild rewrote or removed.
    pub fn changed(&self) -> usize {
        self.changed.lock().map_or(0, |c| *c)
    }

    /// The files rewritten or removed since the last call.
    pub fn take_changed_paths(&self) -> Vec<String> {
        self.unannounced
            .lock()
            .map(|mut u| std::mem::take(&mut *u))
            .unwrap_or_default()
    }

    fn bump(&self, path: &str) {
        if let Ok(mut c) = self.changed.lock() {
            *c += 1;
        }
        if let Ok(mut u) = self.unannounced.lock() {
            u.push(path.to_string());
        }
    }

    /// Removes the files under `<slug>/` that this rebuild did not produce (a notice deleted
    /// from the ledgers loses its page).
    pub fn prune_compound(&self, slug: &str) {
        let prefix = format!("{slug}/");
        self.prune(|path| path.starts_with(&prefix));
    }

    /// The paths of the files of compound `slug`, in order.
    fn compound_files(&self, slug: &str) -> Vec<String> {
        let prefix = format!("{slug}/");
        self.files
            .lock()
            .map(|f| {
                f.range(prefix.clone()..)
                    .take_while(|(p, _)| p.starts_with(&prefix))
                    .map(|(p, _)| p.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Removes every file of compound `slug` (its folder is gone).
    pub fn remove_compound(&self, slug: &str) {
        for path in self.compound_files(slug) {
            self.remove(&path);
        }
        if let Ok(mut keys) = self.keys.lock() {
            keys.remove(slug);
        }
    }

    /// Removes the files this rebuild did not produce, except those `keep` accepts.
    pub fn prune_all(&self, keep: impl Fn(&str) -> bool) {
        self.prune(|path| !keep(path));
    }

    fn prune(&self, candidate: impl Fn(&str) -> bool) {
        let produced = self.produced.lock().map(|p| p.clone()).unwrap_or_default();
        let stale: Vec<String> = self
            .files
            .lock()
            .map(|f| {
                f.keys()
                    .filter(|p| candidate(p) && !produced.contains(*p))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        for path in stale {
            self.remove(&path);
        }
    }

    fn remove(&self, path: &str) {
        let _ = std::fs::remove_file(self.dir.join(path));
        if let Ok(mut files) = self.files.lock() {
            files.remove(path);
        }
        self.bump(path);
    }
}

impl Sink for SiteDir {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if path.split('/').any(|part| part.is_empty() || part == "..") {
            return Err(Fatal::io(
                self.dir.join(path),
                std::io::Error::from(std::io::ErrorKind::InvalidInput),
            ));
        }
        let hash = crate::write::files::sha256(bytes);
        if let Ok(mut produced) = self.produced.lock() {
            produced.insert(path.to_string());
        }
        if self.files.lock().is_ok_and(|f| f.get(path) == Some(&hash)) {
            return Ok(());
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
        }
        // Written beside the page, then renamed over it: a reader sees the old or the new page.
        let partial = target.with_file_name(format!(
            ".{}.partial",
            target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        std::fs::write(&partial, bytes).map_err(|e| Fatal::io(&partial, e))?;
        std::fs::rename(&partial, &target).map_err(|e| Fatal::io(&target, e))?;
        if let Ok(mut files) = self.files.lock() {
            files.insert(path.to_string(), hash);
        }
        self.bump(path);
        Ok(())
    }

    fn reuse(&self, slug: &str, key: &str) -> bool {
        if self
            .keys
            .lock()
            .map_or(true, |k| k.get(slug).map(String::as_str) != Some(key))
        {
            return false;
        }
        let kept = self.compound_files(slug);
        if kept.is_empty() {
            return false;
        }
        if let Ok(mut produced) = self.produced.lock() {
            produced.extend(kept);
        }
        true
    }

    fn record_key(&self, slug: &str, key: &str) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(slug.to_string(), key.to_string());
        }
    }
}
