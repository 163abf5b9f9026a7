//! Sealed periods: accounting corrects by new entries, not by editing the past. For every seal in
//! config.toml (`[[sealed]] through = …, revision = …`), the rows of a compound's ledgers dated on
//! or before `through` are compared with the same ledgers at the sealing revision; a changed,
//! removed or back-dated row is an error (`ledger-sealed-edit`) that names the row, the revision
//! and what changed. A correction is a new row after the sealed period whose note starts with
//! 冲正 or 调整 and names the voucher it corrects.

use std::collections::BTreeMap;

use super::diff::{Book, compare_rows, fees_book, fund_book, revenue_book, source};
use super::git::{Repo, Revision};
use crate::config::Seal;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::CompoundBooks;

type BookReader = fn(&std::sync::Arc<crate::diag::SourceFile>) -> Book;

const LEDGERS: &[(&str, BookReader)] = &[
    ("fees.csv", fees_book),
    ("revenue.csv", revenue_book),
    ("fund.csv", fund_book),
];

/// Checks one compound's books against every seal. Seals whose revision cannot be read are
/// reported once, at the seal in config.toml.
pub fn check(repo: Option<&Repo>, seals: &[Seal], books: &CompoundBooks, diags: &mut Diagnostics) {
    if seals.is_empty() {
        return;
    }
    for seal in seals {
        let Some(repo) = repo else {
            diags.push(
                Diagnostic::new("ledger-seal-unreadable")
                    .at(&seal.origin.file, seal.origin.span.clone())
                    .arg("revision", &seal.revision)
                    .arg("detail", "not a git repository / 不在 git 仓库中"),
            );
            continue;
        };
        let revision = match repo.resolve(&seal.revision) {
            Ok(commit) => Revision::Commit(commit),
            Err(e) => {
                diags.push(
                    Diagnostic::new("ledger-seal-unreadable")
                        .at(&seal.origin.file, seal.origin.span.clone())
                        .arg("revision", &seal.revision)
                        .arg("detail", e.message(crate::diag::Lang::En)),
                );
                continue;
            }
        };
        for (name, reader) in LEDGERS {
            let path = format!("content/{}/{name}", books.slug);
            let Some(current) = books.sources.iter().find(|f| f.display_path == path) else {
                continue;
            };
            // A ledger that did not exist at the seal has nothing sealed.
            let Ok(bytes) = repo.read(&revision, &path) else {
                continue;
            };
            let sealed = reader(&source(&path, &bytes));
            let now = reader(current);
            let in_sealed_period = |book: &Book| {
                book.records
                    .iter()
                    .filter(|r| r.end.is_some_and(|d| d <= seal.through))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let before = in_sealed_period(&sealed);
            let after = in_sealed_period(&now);
            let origins: BTreeMap<&str, _> = after
                .iter()
                .filter_map(|r| r.origin.as_ref().map(|o| (r.key.as_str(), o)))
                .collect();
            for change in compare_rows(&before, &after) {
                let what = match change.change {
                    "changed" => change
                        .fields
                        .iter()
                        .map(|f| format!("{} {} → {}", f.field, f.before, f.after))
                        .collect::<Vec<_>>()
                        .join("；"),
                    "removed" => "删除 / removed".to_string(),
                    _ => "补记 / back-dated insertion".to_string(),
                };
                let diagnostic = Diagnostic::new("ledger-sealed-edit")
                    .arg("row", &change.label)
                    .arg("revision", &seal.revision)
                    .arg("through", seal.through)
                    .arg("what", what);
                diags.push(match origins.get(change.key.as_str()) {
                    Some(origin) => diagnostic.at(&origin.file, origin.span.clone()),
                    None => diagnostic.in_file(current),
                });
            }
        }
    }
}
