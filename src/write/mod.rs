//! Writing the site safely: every file goes into a staging folder next to the output folder, and
//! only a build that finished without errors swaps it in. A failed build removes its staging
//! folder and leaves the previously published site exactly as it was. An existing output folder
//! is replaced only if it is empty or carries sanwu's marker file, so that a mistyped `--output`
//! never deletes someone's documents.

pub mod manifest;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// Folders already created in the staging folder (creating a folder is a system call each
    /// time, and most pages share their folder with others).
    created: Mutex<HashSet<PathBuf>>,
    /// SHA-256 of every file written, for the manifest.
    hashes: Mutex<BTreeMap<String, String>>,
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    output.with_file_name(format!(".{name}.sanwu-{tag}-{}", std::process::id()))
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
    pub fn begin(output: &Path) -> Result<Staging, Fatal> {
        if !replaceable(output)? {
            return Err(Fatal::OutputNotOurs(output.to_path_buf()));
        }
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
        }
        let dir = sibling(output, "staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Fatal::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Fatal::io(&dir, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            committed: false,
            created: Mutex::new(HashSet::new()),
            hashes: Mutex::new(BTreeMap::new()),
        })
    }

    /// Writes the manifest and swaps the staged site in for the published one.
    pub fn commit(
        mut self,
        source_commit: Option<String>,
        source_dirty: bool,
    ) -> Result<(), Fatal> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        let files = self.hashes.lock().map(|h| h.clone()).unwrap_or_default();
        let manifest = manifest::Manifest {
            manifest_version: 1,
            generator: format!("sanwu {}", env!("CARGO_PKG_VERSION")),
            source_commit,
            source_dirty,
            files,
        };
        let mut json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        json.push('\n');
        let path = self.dir.join(manifest::FILE_NAME);
        std::fs::write(&path, json).map_err(|e| Fatal::io(&path, e))?;
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

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let known = self.created.lock().is_ok_and(|set| set.contains(parent));
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
                if let Ok(mut set) = self.created.lock() {
                    set.insert(parent.to_path_buf());
                }
            }
        }
        std::fs::write(&target, bytes).map_err(|e| Fatal::io(&target, e))?;
        if let Ok(mut hashes) = self.hashes.lock() {
            hashes.insert(path.to_string(), manifest::sha256_hex(bytes));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
