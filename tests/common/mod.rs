//! Test harness: a portal copied into a temporary folder, the real `sanwu` binary run on it, and
//! helpers to read the pages a resident would see.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_sanwu");

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A portal in a temporary folder.
pub struct Portal {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Portal {
    /// A copy of a portal of the repository (e.g. "examples/starter"); "." copies the demo
    /// (config.toml and content/ at the repository's root).
    pub fn copy_of(relative: &str) -> Portal {
        let dir = tempfile::tempdir().unwrap();
        let from = repo().join(relative);
        if relative == "." {
            std::fs::copy(from.join("config.toml"), dir.path().join("config.toml")).unwrap();
            copy_tree(&from.join("content"), &dir.path().join("content"));
        } else {
            copy_tree(&from, dir.path());
        }
        Portal { dir }
    }

    /// The demo portal with `portal_page_size` set (1: each compound on an area page of its own).
    pub fn demo_with_page_size(size: u32) -> Portal {
        let portal = Portal::copy_of(".");
        let config = portal.read("config.toml");
        portal.write(
            "config.toml",
            &format!("portal_page_size = {size}\n{config}"),
        );
        portal
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Replaces the first occurrence of `from` in a file, failing if it is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
            .into()
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// The text a resident reads on a published page (tags removed, white space folded).
    pub fn page_text(&self, rel: &str) -> String {
        let html = self.read(&format!("public/{rel}"));
        let doc = scraper::Html::parse_document(&html);
        let text: Vec<&str> = doc.root_element().text().collect();
        text.join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn page(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(&format!("public/{rel}")))
    }
}

/// Every file below `dir` with its bytes, sorted (to compare whole sites).
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push((rel, std::fs::read(entry.path()).unwrap()));
        }
    }
    files
}

/// Folders next to the output that a build may leave behind if it did not clean up.
pub fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The build cache and the publishing lock beside the output are meant to stay (see
        // src/write/cache.rs and `OutputLock` in src/write/mod.rs).
        .filter(|n| {
            n.contains("sanwu-") && !n.ends_with(".sanwu-cache") && !n.ends_with(".sanwu-lock")
        })
        .collect()
}

impl Portal {
    /// Runs git in the portal's folder as the committee, with a fixed date, and fails on error.
    pub fn git(&self, args: &[&str]) {
        self.git_at("2026-01-10T10:00:00+08:00", args);
    }

    /// Runs git with author and committer date `date` (RFC 3339).
    pub fn git_at(&self, date: &str, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.dir.path())
            .env("GIT_AUTHOR_NAME", "业委会")
            .env("GIT_AUTHOR_EMAIL", "yeweihui@example.org")
            .env("GIT_COMMITTER_NAME", "业委会")
            .env("GIT_COMMITTER_EMAIL", "yeweihui@example.org")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
}
