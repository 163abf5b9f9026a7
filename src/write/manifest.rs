//! `manifest.json`: what a published site is — the tool that built it, the source commit, and the
//! SHA-256 of every file — so that anyone holding a copy can check it with `sanwu verify`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::files::{self, FileTable};
use crate::error::Fatal;

pub const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Format of this file.
    pub manifest_version: u32,
    /// `sanwu <version>`.
    pub generator: String,
    /// The git commit of the portal's sources, when they are in git.
    pub source_commit: Option<String>,
    /// Whether the sources had changes not yet committed when the site was built.
    pub source_dirty: bool,
    /// Path (relative, with `/`) → SHA-256 in lower-case hex, for every file but this one.
    pub files: BTreeMap<String, String>,
    /// Compound folder → fingerprint of everything its pages were rendered from (code, theme,
    /// settings, the compound's figures). The next build keeps a compound's pages without
    /// rendering them again when the fingerprint is the same.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
}

/// What a build writes: the same fields as [`Manifest`], in the same order (so the same JSON), but
/// borrowing the build's compact file table instead of a map of strings.
#[derive(Serialize)]
pub struct ManifestRef<'a> {
    pub manifest_version: u32,
    pub generator: String,
    pub source_commit: Option<String>,
    pub source_dirty: bool,
    pub files: &'a FileTable,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: &'a BTreeMap<String, String>,
}

/// What an incremental build reads of the previous site's manifest.
#[derive(Deserialize)]
pub struct Previous {
    pub files: FileTable,
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut buf = [0u8; 64];
    files::hex(&files::sha256(bytes), &mut buf).to_string()
}

/// The git commit of `root` and whether its ledgers have uncommitted changes; `(None, false)` when
/// `root` is not in a git work tree (or git is not installed).
pub fn source_commit(root: &Path) -> (Option<String>, bool) {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(commit) = git(&["rev-parse", "--verify", "HEAD"]).filter(|c| !c.is_empty()) else {
        return (None, false);
    };
    // Only the portal's sources count: the built site next to them is not a source.
    let sources = ["config.toml", "content", "templates", "themes", "static"];
    let mut args = vec!["status", "--porcelain", "--"];
    args.extend(sources);
    let dirty = git(&args).is_some_and(|s| !s.is_empty());
    (Some(commit), dirty)
}

/// What `verify` found.
#[derive(Debug, Default, Serialize)]
pub struct Verdict {
    pub modified: Vec<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
    pub checked: usize,
}

impl Verdict {
    pub fn is_intact(&self) -> bool {
        self.modified.is_empty() && self.missing.is_empty() && self.added.is_empty()
    }
}

/// Checks the site in `dir` against its manifest.
pub fn verify(dir: &Path) -> Result<(Manifest, Verdict), Fatal> {
    let path = dir.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| Fatal::io(&path, e))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Fatal::BadManifest {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    let mut verdict = Verdict::default();
    let mut seen = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Fatal::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if relative == FILE_NAME {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| Fatal::io(entry.path(), e))?;
        verdict.checked += 1;
        match manifest.files.get(&relative) {
            Some(hash) if *hash == sha256_hex(&bytes) => {}
            Some(_) => verdict.modified.push(relative.clone()),
            None => verdict.added.push(relative.clone()),
        }
        seen.insert(relative);
    }
    verdict.missing = manifest
        .files
        .keys()
        .filter(|f| !seen.contains(*f))
        .cloned()
        .collect();
    Ok((manifest, verdict))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// A build writes its manifest from a borrowed file table; `verify` reads it as a [`Manifest`]
    /// and an incremental build as [`Previous`]: all three must agree on the bytes.
    #[test]
    fn the_written_manifest_is_the_manifest_format() {
        for inputs in [
            BTreeMap::new(),
            BTreeMap::from([("mingxiu".to_string(), "k1".to_string())]),
        ] {
            let mut table = FileTable::new();
            let mut map = BTreeMap::new();
            for (i, path) in ["mingxiu/index.html", "index.html", "static/a b\"c.css"]
                .iter()
                .enumerate()
            {
                let digest = files::sha256(&[i as u8]);
                table.push(path, digest, true);
                map.insert(path.to_string(), sha256_hex(&[i as u8]));
            }
            table.finish();
            let written = serde_json::to_string_pretty(&ManifestRef {
                manifest_version: 1,
                generator: "sanwu 0".into(),
                source_commit: Some("abc".into()),
                source_dirty: true,
                files: &table,
                inputs: &inputs,
            })
            .unwrap();
            let expected = Manifest {
                manifest_version: 1,
                generator: "sanwu 0".into(),
                source_commit: Some("abc".into()),
                source_dirty: true,
                files: map,
                inputs: inputs.clone(),
            };
            assert_eq!(written, serde_json::to_string_pretty(&expected).unwrap());
            assert_eq!(
                serde_json::from_str::<Manifest>(&written).unwrap(),
                expected
            );
            let previous: Previous = serde_json::from_str(&written).unwrap();
            assert_eq!(previous.inputs, inputs);
            assert_eq!(previous.files.get("index.html"), Some(&files::sha256(&[1])));
        }
    }
}
