//! The few git operations the history features need, through the `git` command (installed
//! wherever ledgers are kept in git): list and read files at a revision, find renames, and read the
//! log of a path. Paths are relative to the portal root, which may be a folder inside a repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Fatal;

/// Where a snapshot of the portal's files comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    Commit(String),
    WorkTree,
}

impl Revision {
    pub fn label(&self) -> String {
        match self {
            Revision::Commit(rev) => rev.clone(),
            Revision::WorkTree => "working tree".to_string(),
        }
    }
}

pub struct Repo {
    root: PathBuf,
}

impl Repo {
    /// The repository containing the portal at `root`; fails when `root` is not in a git work tree.
    pub fn open(root: &Path) -> Result<Repo, Fatal> {
        let repo = Repo {
            root: root.to_path_buf(),
        };
        repo.run(&["rev-parse", "--is-inside-work-tree"])
            .map_err(|_| Fatal::NotInGit(root.to_path_buf()))?;
        Ok(repo)
    }

    fn run(&self, args: &[&str]) -> Result<Vec<u8>, Fatal> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .output()
            .map_err(|e| Fatal::io(&self.root, e))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(Fatal::Git {
                command: format!("git {}", args.join(" ")),
                detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            })
        }
    }

    fn lines(&self, args: &[&str]) -> Result<Vec<String>, Fatal> {
        Ok(String::from_utf8_lossy(&self.run(args)?)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect())
    }

    /// The full commit id a revision names.
    pub fn resolve(&self, rev: &str) -> Result<String, Fatal> {
        let spec = format!("{rev}^{{commit}}");
        self.lines(&["rev-parse", "--verify", "--quiet", &spec])?
            .into_iter()
            .next()
            .ok_or_else(|| Fatal::Git {
                command: format!("git rev-parse {rev}"),
                detail: "unknown revision".to_string(),
            })
    }

    /// Files under `content/` at `revision` (relative paths with `/`).
    pub fn files(&self, revision: &Revision) -> Result<Vec<String>, Fatal> {
        match revision {
            Revision::Commit(rev) => {
                self.lines(&["ls-tree", "-r", "--name-only", rev, "--", "content"])
            }
            Revision::WorkTree => {
                let mut files = Vec::new();
                let content = self.root.join("content");
                for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
                    let entry = entry.map_err(|e| Fatal::io(&content, e.into()))?;
                    if entry.file_type().is_file() {
                        let rel = entry
                            .path()
                            .strip_prefix(&self.root)
                            .unwrap_or(entry.path());
                        files.push(rel.to_string_lossy().replace('\\', "/"));
                    }
                }
                Ok(files)
            }
        }
    }

    /// The bytes of `path` at `revision`.
    pub fn read(&self, revision: &Revision, path: &str) -> Result<Vec<u8>, Fatal> {
        match revision {
            Revision::Commit(rev) => self.run(&["show", &format!("{rev}:./{path}")]),
            Revision::WorkTree => {
                let full = self.root.join(path);
                std::fs::read(&full).map_err(|e| Fatal::io(full, e))
            }
        }
    }

    /// Commits that touched `path`, newest first, following renames: (commit, date, subject,
    /// the file's path at that commit).
    pub fn log_file(&self, path: &str) -> Result<Vec<(String, String, String, String)>, Fatal> {
        let lines = self.lines(&[
            "log",
            "--follow",
            "--name-only",
            "--relative",
            "--date=short",
            "--format=%x1e%H%x1f%ad%x1f%s",
            "--",
            path,
        ])?;
        let mut entries = Vec::new();
        for line in lines {
            if let Some(header) = line.strip_prefix('\u{1e}') {
                let parts: Vec<&str> = header.split('\u{1f}').collect();
                if parts.len() == 3 {
                    entries.push((
                        parts[0].to_string(),
                        parts[1].to_string(),
                        parts[2].to_string(),
                        path.to_string(),
                    ));
                }
            } else if let Some(last) = entries.last_mut() {
                last.3 = line.trim().to_string();
            }
        }
        Ok(entries)
    }

    /// Files renamed between two revisions: (old path, new path).
    pub fn renames(&self, a: &Revision, b: &Revision) -> Result<Vec<(String, String)>, Fatal> {
        let Revision::Commit(a) = a else {
            return Ok(Vec::new());
        };
        let mut args = vec!["diff", "-M", "--name-status", "--relative", a.as_str()];
        if let Revision::Commit(b) = b {
            args.push(b.as_str());
        }
        args.extend(["--", "content"]);
        Ok(self
            .lines(&args)?
            .into_iter()
            .filter_map(|line| {
                let parts: Vec<&str> = line.split('\t').collect();
                (parts.len() == 3 && parts[0].starts_with('R'))
                    .then(|| (parts[1].to_string(), parts[2].to_string()))
            })
            .collect())
    }
}
