//! A ledger's revision history from git, for its page on the site: each commit that touched the
//! file (following renames), with its date, message, and how many rows it added, removed and
//! changed (the same row matching as `sanwu diff`).

use serde::Serialize;

use super::diff::{Book, compare_rows, fees_book, fund_book, revenue_book, source};
use super::git::{ContentLog, Repo, Revision};

#[derive(Debug, Clone, Serialize)]
pub struct LedgerRevision {
    pub commit: String,
    pub date: String,
    pub message: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// At most this many revisions are listed per ledger (newest first).
pub const MAX_REVISIONS: usize = 20;

fn reader(file_name: &str) -> Option<fn(&std::sync::Arc<crate::diag::SourceFile>) -> Book> {
    match file_name {
        "fees.csv" => Some(fees_book),
        "revenue.csv" => Some(revenue_book),
        "fund.csv" => Some(fund_book),
        _ => None,
    }
}

/// The history of `path` (relative to the portal root), newest first; empty when the file has
/// no committed history.
pub fn ledger_history(repo: &Repo, log: &ContentLog, path: &str) -> Vec<LedgerRevision> {
    let Some(read) = path.rsplit('/').next().and_then(reader) else {
        return Vec::new();
    };
    let entries = log.entries(path);
    let mut revisions = Vec::new();
    // Newest first; the entry after the last one shown is read to count its changes.
    let books: Vec<Option<Book>> = entries
        .iter()
        .take(MAX_REVISIONS + 1)
        .map(|entry| {
            repo.read(&Revision::Commit(entry.commit.clone()), &entry.path)
                .ok()
                .map(|bytes| read(&source(&entry.path, &bytes)))
        })
        .collect();
    for (i, entry) in entries.iter().take(MAX_REVISIONS).enumerate() {
        let empty = Book::default();
        let after = books[i].as_ref().unwrap_or(&empty);
        let before = books.get(i + 1).and_then(Option::as_ref).unwrap_or(&empty);
        let changes = compare_rows(&before.records, &after.records);
        let count = |kind: &str| changes.iter().filter(|c| c.change == kind).count();
        revisions.push(LedgerRevision {
            commit: entry.commit.chars().take(10).collect(),
            date: entry.date.clone(),
            message: entry.subject.clone(),
            added: count("added"),
            removed: count("removed"),
            changed: count("changed"),
        });
    }
    revisions
}
