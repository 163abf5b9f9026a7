//! History of the books in git: reading revisions of a portal and comparing them (`sanwu diff`),
//! sealed periods, and each ledger's revision history for the site.

pub mod diff;
pub mod git;
pub mod log;
pub mod seal;

use std::path::Path;

use git::{ContentLog, Repo};

/// What a build knows of the portal's git repository, worked out once before the compounds are
/// processed: the repository and one pass over the log of `content/`.
pub struct GitContext {
    pub repo: Repo,
    pub log: ContentLog,
    /// The committer date of `HEAD`, the build date of implicit sealing when no `today` is given.
    pub head_date: Option<chrono::NaiveDate>,
    /// Compound folders with uncommitted changes.
    pub dirty: std::collections::BTreeSet<String>,
}

impl GitContext {
    /// `None` when the portal is not in a git work tree.
    pub fn open(root: &Path) -> Option<GitContext> {
        let repo = Repo::open(root).ok()?;
        let log = repo.content_log().unwrap_or_default();
        let head_date = repo.head_date();
        let dirty = repo.dirty_compounds();
        Some(GitContext {
            repo,
            log,
            head_date,
            dirty,
        })
    }

    /// The "ledger version" of a compound: the short id of the newest commit that touched its
    /// folder, and whether the folder has uncommitted changes.
    pub fn compound_version(&self, slug: &str) -> (Option<String>, bool) {
        (
            self.log
                .compound_commit(slug)
                .map(|c| c.chars().take(10).collect()),
            self.dirty.contains(slug),
        )
    }
}
