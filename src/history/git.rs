//! The few git operations the history features need, through the `git` command (installed
//! wherever ledgers are kept in git): list and read files at a revision, find renames, and read the
//! log of a path. Paths are relative to the portal root, which may be a folder inside a repository.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

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
    /// A long-running `git cat-file --batch`, started on first use: one process for all reads of
    /// committed files instead of one `git show` per file.
    batch: Mutex<Option<Batch>>,
}

struct Batch {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Drop for Repo {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.batch.lock()
            && let Some(mut batch) = slot.take()
        {
            drop(batch.input);
            let _ = batch.child.wait();
        }
    }
}

/// One commit in the log of the portal's `content/` folder.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub commit: String,
    /// Committer date, `YYYY-MM-DD`.
    pub date: String,
    pub subject: String,
    /// The file's path at that commit (it may have been renamed since).
    pub path: String,
}

/// The commits that touched each file under `content/`, newest first, keyed by the file's newest
/// path and following renames: the result of a single `git log` over the whole folder, so a portal
/// of thousands of compounds pays for one process, not one per ledger.
#[derive(Debug, Default)]
pub struct ContentLog {
    by_path: HashMap<String, Vec<LogEntry>>,
    /// Compound folder name → the newest commit that touched anything in it.
    by_compound: HashMap<String, String>,
}

impl ContentLog {
    /// The commits that touched `path` (its newest name), newest first.
    pub fn entries(&self, path: &str) -> &[LogEntry] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// The newest commit that touched `content/<slug>/`.
    pub fn compound_commit(&self, slug: &str) -> Option<&str> {
        self.by_compound.get(slug).map(String::as_str)
    }

    /// Parses `git log --name-status -M --format=%x1e%H%x1f%cs%x1f%s` output.
    fn parse(text: &str) -> ContentLog {
        let mut by_path: HashMap<String, Vec<LogEntry>> = HashMap::new();
        let mut by_compound: HashMap<String, String> = HashMap::new();
        // A file's name at the point of history being read → its newest name.
        let mut newest_name: HashMap<String, String> = HashMap::new();
        let mut header: Option<(String, String, String)> = None;
        for line in text.lines() {
            if let Some(h) = line.strip_prefix('\u{1e}') {
                let mut parts = h.splitn(3, '\u{1f}');
                header = match (parts.next(), parts.next(), parts.next()) {
                    (Some(c), Some(d), Some(s)) => Some((c.into(), d.into(), s.into())),
                    _ => None,
                };
                continue;
            }
            let Some((commit, date, subject)) = &header else {
                continue;
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let (path, renamed_from) = match fields.as_slice() {
                [status, old, new] if status.starts_with('R') => (*new, Some(*old)),
                [_, path] => (*path, None),
                _ => continue,
            };
            if let Some(slug) = path
                .strip_prefix("content/")
                .and_then(|p| p.split('/').next())
            {
                by_compound
                    .entry(slug.to_string())
                    .or_insert_with(|| commit.clone());
            }
            let key = newest_name
                .get(path)
                .cloned()
                .unwrap_or_else(|| path.to_string());
            by_path.entry(key.clone()).or_default().push(LogEntry {
                commit: commit.clone(),
                date: date.clone(),
                subject: subject.clone(),
                path: path.to_string(),
            });
            if let Some(old) = renamed_from {
                newest_name.remove(path);
                newest_name.insert(old.to_string(), key);
            }
        }
        ContentLog {
            by_path,
            by_compound,
        }
    }
}

impl Repo {
    /// The repository containing the portal at `root`; fails when `root` is not in a git work tree.
    pub fn open(root: &Path) -> Result<Repo, Fatal> {
        let repo = Repo {
            root: root.to_path_buf(),
            batch: Mutex::new(None),
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

    /// Compound folders under `content/` with uncommitted changes (modified, added, untracked).
    pub fn dirty_compounds(&self) -> std::collections::BTreeSet<String> {
        let Ok(out) = self.run(&[
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            "content",
        ]) else {
            return Default::default();
        };
        String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|line| line.get(3..))
            .flat_map(|paths| paths.split(" -> "))
            .filter_map(|p| p.trim_matches('"').strip_prefix("content/"))
            .filter_map(|p| p.split('/').next())
            .map(str::to_string)
            .collect()
    }

    /// The committer date of `HEAD`; `None` in a repository without commits.
    pub fn head_date(&self) -> Option<chrono::NaiveDate> {
        let line = self.lines(&["log", "-1", "--format=%cs"]).ok()?;
        chrono::NaiveDate::parse_from_str(line.first()?, "%Y-%m-%d").ok()
    }

    /// One pass over the history of `content/`: see [`ContentLog`].
    pub fn content_log(&self) -> Result<ContentLog, Fatal> {
        let out = self.run(&[
            "log",
            "--name-status",
            "-M",
            "--relative",
            "--format=%x1e%H%x1f%cs%x1f%s",
            "--",
            "content",
        ])?;
        Ok(ContentLog::parse(&String::from_utf8_lossy(&out)))
    }

    /// The bytes of `path` at `revision`.
    pub fn read(&self, revision: &Revision, path: &str) -> Result<Vec<u8>, Fatal> {
        match revision {
            Revision::Commit(rev) => self.read_committed(rev, path),
            Revision::WorkTree => {
                let full = self.root.join(path);
                std::fs::read(&full).map_err(|e| Fatal::io(full, e))
            }
        }
    }

    /// Reads `path` (relative to the portal root) at `commit` through the shared
    /// `git cat-file --batch` process.
    fn read_committed(&self, commit: &str, path: &str) -> Result<Vec<u8>, Fatal> {
        let failed = |detail: String| Fatal::Git {
            command: format!("git cat-file --batch ({commit}:./{path})"),
            detail,
        };
        let mut slot = self
            .batch
            .lock()
            .map_err(|_| failed("reader poisoned".into()))?;
        if slot.is_none() {
            let mut child = Command::new("git")
                .arg("-C")
                .arg(&self.root)
                .args(["cat-file", "--batch"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| Fatal::io(&self.root, e))?;
            let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
                return Err(failed("no pipes".into()));
            };
            *slot = Some(Batch {
                child,
                input,
                output: BufReader::new(output),
            });
        }
        let Some(batch) = slot.as_mut() else {
            return Err(failed("not started".into()));
        };
        let result = (|| -> std::io::Result<Option<Vec<u8>>> {
            writeln!(batch.input, "{commit}:./{path}")?;
            batch.input.flush()?;
            let mut header = String::new();
            batch.output.read_line(&mut header)?;
            let mut parts = header.split_whitespace();
            let (_, kind, size) = (parts.next(), parts.next(), parts.next());
            if kind != Some("blob") {
                return Ok(None);
            }
            let size: usize = size.and_then(|s| s.parse().ok()).unwrap_or(0);
            let mut bytes = vec![0; size + 1];
            batch.output.read_exact(&mut bytes)?;
            bytes.pop();
            Ok(Some(bytes))
        })();
        match result {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(failed("missing".into())),
            Err(e) => {
                // A broken pipe leaves the process useless: start afresh next time.
                *slot = None;
                Err(failed(e.to_string()))
            }
        }
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
