//! Writing the site safely: files go into a staging folder next to the output folder, and only a
//! build that finished without errors publishes them. A failed build removes its staging folder
//! and leaves the previously published site exactly as it was. An existing output folder is
//! replaced only if it is empty or carries sanwu's marker file, so that a mistyped `--output`
//! never deletes someone's documents.
//!
//! Two ways of publishing:
//! - **fresh**: without a previous site (or without its `manifest.json`), every file is staged and
//!   the staging folder is swapped in for the output folder as a whole;
//! - **incremental**: with a previous site, a file whose SHA-256 and size match the previous
//!   manifest is not written at all (its mtime stays, so rsync and CDN uploads see no change);
//!   only changed and new files are staged and then renamed into place one by one, files the new
//!   build no longer produces are removed, and the new manifest is written last.

pub mod cache;
pub mod files;
pub mod manifest;
pub mod shard;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use files::FileTable;

use crate::error::Fatal;
use crate::render::Sink;

/// Marks a folder as a site sanwu built (and may therefore replace).
pub const MARKER: &str = ".sanwu-site";
const MARKER_TEXT: &str =
    "This folder is a site built by sanwu. `sanwu build` replaces it as a whole.\n";

pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// The files of the previous site (path → SHA-256), in incremental mode.
    previous: Option<FileTable>,
    /// The previous site's compound fingerprints (see [`manifest::Manifest::inputs`]).
    previous_inputs: BTreeMap<String, String>,
    /// This build's compound fingerprints.
    inputs: Mutex<BTreeMap<String, String>>,
    /// Folders created lately in the staging folder (creating a folder is a system call each
    /// time, and most pages share their folder with others). Forgotten now and then, so that it
    /// does not grow with the number of compounds.
    created: Mutex<HashSet<PathBuf>>,
    /// SHA-256 of every file of the site, for the manifest; those written in this build (as
    /// opposed to kept from the previous site) are marked as staged.
    files: Mutex<FileTable>,
}

/// How many folders [`Staging::created`] remembers before it starts afresh: more than the
/// compounds rendered at once have folders.
const CREATED_CACHE: usize = 1024;

/// A hidden path beside the output folder: `.<output name>.<suffix>`.
pub(crate) fn beside(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// A folder of this process beside the output (staging, or the previous site while swapping).
fn sibling(output: &Path, tag: &str) -> PathBuf {
    beside(output, &format!("sanwu-{tag}-{}", std::process::id()))
}

/// The folder a build really replaces: `output` with symbolic links, `.` and `..` resolved.
///
/// A `public` that links to a web server's folder is published into that folder (rather than the
/// link being replaced by a folder of its own), and the staging folder and the build cache go
/// beside the real folder, on its file system. The current folder and its ancestors are refused:
/// publishing swaps the output folder as a whole, which would pull it out from under the shell
/// standing in it (and `.` cannot be renamed at all).
pub fn resolve_output(output: &Path) -> Result<PathBuf, Fatal> {
    let resolved = real_path(output).map_err(|e| Fatal::io(output, e))?;
    let here = std::env::current_dir().and_then(std::fs::canonicalize);
    if resolved.parent().is_none() || here.is_ok_and(|here| here.starts_with(&resolved)) {
        return Err(Fatal::OutputHoldsWorkingDir(output.to_path_buf()));
    }
    Ok(resolved)
}

/// `path` made absolute through every symbolic link, for a path that may not exist yet: its
/// nearest existing ancestor is canonicalised and the rest is appended with `..` folded away.
fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = std::path::absolute(path)?;
    for _ in 0..32 {
        if let Ok(real) = std::fs::canonicalize(&path) {
            return Ok(real);
        }
        // A link whose target does not exist (yet): follow it by hand.
        match std::fs::read_link(&path) {
            Ok(target) => path = path.parent().unwrap_or(Path::new("/")).join(target),
            Err(_) => break,
        }
    }
    // The longest prefix that exists, then the rest with `.` and `..` applied by hand.
    let components: Vec<_> = path.components().collect();
    let mut split = components.len();
    let mut real = loop {
        let prefix: PathBuf = components[..split].iter().collect();
        match std::fs::canonicalize(&prefix) {
            Ok(real) => break real,
            Err(_) if split > 1 => split -= 1,
            Err(_) => break prefix,
        }
    };
    for component in &components[split..] {
        match component {
            std::path::Component::ParentDir => {
                real.pop();
            }
            std::path::Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    Ok(real)
}

/// Held while a build or merge publishes into one output folder: a second build into the same
/// folder waits for it, so that two publishers never interleave their files, manifests and build
/// caches. An advisory lock (`flock`) on `.<output>.sanwu-lock` beside the output; the kernel drops
/// it when the process ends, however it ends, and the file itself stays (removing it would let a
/// waiting build and a new one lock two different files).
pub struct OutputLock {
    _file: std::fs::File,
}

impl OutputLock {
    /// Locks `output` (as resolved by [`resolve_output`]), calling `waiting` once if another
    /// process holds it, then blocking until it is released.
    pub fn acquire(output: &Path, waiting: impl FnOnce()) -> Result<OutputLock, Fatal> {
        let path = beside(output, "sanwu-lock");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Fatal::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(|e| Fatal::io(&path, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Fatal::io(&path, e)),
        }
        Ok(OutputLock { _file: file })
    }
}

/// Clears what killed builds of `output` left beside it: their staging folders and half-written
/// build caches, and a previous site moved aside for a swap, which is put back if the swap never
/// finished. Called only under
/// the output's lock, so no running build can still be using them.
fn clear_leftovers(output: &Path) -> Result<(), Fatal> {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Ok(());
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{}.sanwu-", name.to_string_lossy());
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((tag, pid)) = rest.split_once('-') else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = entry.path();
        match tag {
            "previous" if !output.exists() => {
                std::fs::rename(&path, output).map_err(|e| Fatal::io(output, e))?;
            }
            "staging" | "previous" => {
                std::fs::remove_dir_all(&path).map_err(|e| Fatal::io(&path, e))?;
            }
            // A build cache being written (see `cache::BuildCache::save`).
            "cache.tmp" => {
                std::fs::remove_file(&path).map_err(|e| Fatal::io(&path, e))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `dir` may be replaced: missing, empty, or built by sanwu.
fn replaceable(dir: &Path) -> Result<bool, Fatal> {
    if !dir.exists() {
        return Ok(true);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| Fatal::io(dir, e))?;
    Ok(entries.next().is_none())
}

impl Staging {
    /// Starts staging a build of `output`, which `_lock` proves this process has locked.
    pub fn begin(output: &Path, _lock: &OutputLock) -> Result<Staging, Fatal> {
        clear_leftovers(output)?;
        if !replaceable(output)? {
            return Err(Fatal::OutputNotOurs(output.to_path_buf()));
        }
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
        }
        let dir = sibling(output, "staging");
        std::fs::create_dir_all(&dir).map_err(|e| Fatal::io(&dir, e))?;
        let previous = std::fs::read(output.join(manifest::FILE_NAME))
            .ok()
            .filter(|_| output.join(MARKER).is_file())
            .and_then(|bytes| serde_json::from_slice::<manifest::Previous>(&bytes).ok());
        let (previous, previous_inputs) = match previous {
            Some(m) => (Some(m.files), m.inputs),
            None => (None, BTreeMap::new()),
        };
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            committed: false,
            previous,
            previous_inputs,
            inputs: Mutex::new(BTreeMap::new()),
            created: Mutex::new(HashSet::new()),
            files: Mutex::new(FileTable::new()),
        })
    }

    /// The compound fingerprints recorded so far.
    pub fn inputs(&self) -> BTreeMap<String, String> {
        self.inputs.lock().map(|i| i.clone()).unwrap_or_default()
    }

    /// How many files were staged (all of them in a fresh build; the changed ones otherwise).
    pub fn written(&self) -> usize {
        self.files.lock().map_or(0, |f| f.staged().count())
    }

    /// Writes the manifest and publishes the staged files.
    pub fn commit(
        mut self,
        source_commit: Option<String>,
        source_dirty: bool,
    ) -> Result<(), Fatal> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        let mut files = std::mem::take(self.files.get_mut().map_err(|_| poisoned(&self.dir))?);
        files.finish();
        let inputs = std::mem::take(self.inputs.get_mut().map_err(|_| poisoned(&self.dir))?);
        let manifest = manifest::ManifestRef {
            manifest_version: 1,
            generator: format!("sanwu {}", env!("CARGO_PKG_VERSION")),
            source_commit,
            source_dirty,
            files: &files,
            inputs: &inputs,
        };
        // Streamed: the manifest of a city portal is tens of megabytes of text.
        let path = self.dir.join(manifest::FILE_NAME);
        let file = std::fs::File::create(&path).map_err(|e| Fatal::io(&path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer_pretty(&mut out, &manifest)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(|e| Fatal::io(&path, e))?;
        drop(out);
        drop(inputs);
        if let Some(previous) = self.previous.take() {
            self.publish_changes(&previous, &files)?;
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        let backup = sibling(&self.output, "previous");
        let had_previous = self.output.exists();
        if had_previous {
            if backup.exists() {
                std::fs::remove_dir_all(&backup).map_err(|e| Fatal::io(&backup, e))?;
            }
            std::fs::rename(&self.output, &backup).map_err(|e| Fatal::io(&self.output, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_previous {
                let _ = std::fs::rename(&backup, &self.output);
            }
            return Err(Fatal::io(&self.output, e));
        }
        self.committed = true;
        if had_previous {
            std::fs::remove_dir_all(&backup).map_err(|e| Fatal::io(&backup, e))?;
        }
        Ok(())
    }
}

impl Staging {
    /// Incremental publishing: renames each staged file into place, removes the files the new
    /// build no longer has (and folders left empty), and writes the manifest last.
    fn publish_changes(&self, previous: &FileTable, files: &FileTable) -> Result<(), Fatal> {
        let mut made = HashSet::new();
        for path in files.staged() {
            let from = self.dir.join(path);
            let to = self.output.join(path);
            if let Some(parent) = to.parent()
                && made.insert(parent.to_path_buf())
            {
                std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
            }
            std::fs::rename(&from, &to).map_err(|e| Fatal::io(&to, e))?;
        }
        for path in files::missing_from(previous, files) {
            let stale = self.output.join(path);
            match std::fs::remove_file(&stale) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Fatal::io(&stale, e)),
            }
            // Prune folders the removal left empty (remove_dir refuses non-empty ones).
            let mut dir = stale.parent();
            while let Some(d) = dir.filter(|d| *d != self.output) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        let from = self.dir.join(manifest::FILE_NAME);
        let to = self.output.join(manifest::FILE_NAME);
        std::fs::rename(&from, &to).map_err(|e| Fatal::io(&to, e))
    }

    /// Whether every one of `paths` is a file in the output folder. Each folder is listed once
    /// rather than each file looked up: a compound's 60 files live in a handful of folders, and on
    /// a city portal this check runs for every unchanged compound of a rebuild.
    fn all_present<'a>(&self, paths: impl Iterator<Item = (&'a str, &'a files::Digest)>) -> bool {
        let mut folders: HashMap<&str, HashSet<std::ffi::OsString>> = HashMap::new();
        for (path, _) in paths {
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
            let files = match folders.entry(parent) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let Ok(entries) = std::fs::read_dir(self.output.join(parent)) else {
                        return false;
                    };
                    e.insert(
                        entries
                            .filter_map(Result::ok)
                            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                            .map(|e| e.file_name())
                            .collect(),
                    )
                }
            };
            if !files.contains(std::ffi::OsStr::new(name)) {
                return false;
            }
        }
        true
    }

    /// Whether the previous site already has exactly these bytes at `path`.
    fn unchanged(&self, path: &str, hash: &files::Digest, len: usize) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        previous.get(path).is_some_and(|h| h == hash)
            && std::fs::metadata(self.output.join(path))
                .is_ok_and(|m| m.is_file() && m.len() == len as u64)
    }
}

impl Sink for Staging {
    fn reuse(&self, slug: &str, key: &str) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        if self.previous_inputs.get(slug).map(String::as_str) != Some(key) {
            return false;
        }
        let prefix = format!("{slug}/");
        let mut kept = previous.with_prefix(&prefix).peekable();
        // Every page must still be there (someone may have deleted files from the output).
        if kept.peek().is_none() || !self.all_present(previous.with_prefix(&prefix)) {
            return false;
        }
        if let Ok(mut files) = self.files.lock() {
            for (path, hash) in kept {
                files.push(path, *hash, false);
            }
        }
        self.record_key(slug, key);
        true
    }

    fn record_key(&self, slug: &str, key: &str) {
        if let Ok(mut inputs) = self.inputs.lock() {
            inputs.insert(slug.to_string(), key.to_string());
        }
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        let hash = files::sha256(bytes);
        if self.unchanged(path, &hash, bytes.len()) {
            if let Ok(mut files) = self.files.lock() {
                files.push(path, hash, false);
            }
            return Ok(());
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let known = self.created.lock().is_ok_and(|set| set.contains(parent));
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
                if let Ok(mut set) = self.created.lock() {
                    if set.len() >= CREATED_CACHE {
                        set.clear();
                    }
                    set.insert(parent.to_path_buf());
                }
            }
        }
        std::fs::write(&target, bytes).map_err(|e| Fatal::io(&target, e))?;
        if let Ok(mut files) = self.files.lock() {
            files.push(path, hash, true);
        }
        Ok(())
    }
}

fn poisoned(dir: &Path) -> Fatal {
    Fatal::io(
        dir,
        std::io::Error::other("a thread writing the site panicked"),
    )
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
