//! Sealed periods: accounting corrects by new entries, not by editing the past. A period is
//! sealed in two ways:
//! - explicitly, by a seal in config.toml (`[[sealed]] through = …, revision = …`): the rows of a
//!   compound's ledgers dated on or before `through` are compared with the same ledgers at the
//!   sealing revision (`ledger-sealed-edit`);
//! - implicitly, once disclosed for longer than its 公示期 (`[rules] seal_after_days`, 30 days by
//!   default): every row of a ledger as committed that many days before the build date is
//!   compared with the working tree (`ledger-published-edit`).
//!
//! A changed, removed or back-dated row is an error that names the row, the revision and what
//! changed. A correction is a new row after the sealed period whose note starts with 冲正 or 调整
//! and names the voucher it corrects.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;

use super::GitContext;
use super::diff::{Book, compare_rows, fees_book, fund_book, revenue_book, source};
use super::git::Revision;
use crate::config::{Config, Seal};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::ledger::CompoundBooks;

type BookReader = fn(&Arc<SourceFile>) -> Book;

const LEDGERS: &[(&str, BookReader)] = &[
    ("fees.csv", fees_book),
    ("revenue.csv", revenue_book),
    ("fund.csv", fund_book),
];

/// The seals of a build, resolved once: explicit seals with their commits, and the cut-off date of
/// implicit sealing.
pub struct SealPlan {
    explicit: Vec<(Seal, Revision)>,
    /// Commits on or before this date have been disclosed for longer than the 公示期.
    implicit_cutoff: Option<NaiveDate>,
    implicit_days: i64,
}

impl SealPlan {
    /// Resolves every seal of `config`; seals that cannot be read are reported once, at the seal
    /// in config.toml.
    pub fn new(git: Option<&GitContext>, config: &Config, diags: &mut Diagnostics) -> SealPlan {
        let mut explicit = Vec::new();
        for seal in &config.sealed {
            let unreadable = |detail: String| {
                Diagnostic::new("ledger-seal-unreadable")
                    .at(&seal.origin.file, seal.origin.span.clone())
                    .arg("revision", &seal.revision)
                    .arg("detail", detail)
            };
            let Some(git) = git else {
                diags.push(unreadable("not a git repository / 不在 git 仓库中".into()));
                continue;
            };
            match git.repo.resolve(&seal.revision) {
                Ok(commit) => explicit.push((seal.clone(), Revision::Commit(commit))),
                Err(e) => diags.push(unreadable(e.message(crate::diag::Lang::En))),
            }
        }
        let days = config.rules.seal_after_days;
        let implicit_cutoff = git
            .filter(|_| days > 0)
            .and_then(|g| config.rules.today.or(g.head_date))
            .and_then(|day| day.checked_sub_days(chrono::Days::new(days.unsigned_abs())));
        SealPlan {
            explicit,
            implicit_cutoff,
            implicit_days: days,
        }
    }

    /// What the plan resolved to, as text: the build cache fingerprints it, since a moved tag
    /// or a new commit date changes what is sealed.
    pub fn describe(&self) -> String {
        let mut text = format!("{:?} {}", self.implicit_cutoff, self.implicit_days);
        for (seal, revision) in &self.explicit {
            text.push_str(&format!(
                "\n{} {} {}",
                seal.through,
                seal.revision,
                revision.label()
            ));
        }
        text
    }

    fn is_empty(&self) -> bool {
        self.explicit.is_empty() && self.implicit_cutoff.is_none()
    }
}

/// Checks one compound's books against every seal.
pub fn check(
    git: Option<&GitContext>,
    plan: &SealPlan,
    books: &CompoundBooks,
    diags: &mut Diagnostics,
) {
    let Some(git) = git else {
        return;
    };
    if plan.is_empty() {
        return;
    }
    for (name, reader) in LEDGERS {
        let path = format!("content/{}/{name}", books.slug);
        let Some(current) = books.sources.iter().find(|f| f.display_path == path) else {
            continue;
        };
        // Rows already reported under an explicit seal are not reported again.
        let mut reported = BTreeSet::new();
        let mut now: Option<Book> = None;
        for (seal, revision) in &plan.explicit {
            // A ledger that did not exist at the seal has nothing sealed.
            let Ok(bytes) = git.repo.read(revision, &path) else {
                continue;
            };
            let old = source(&path, &bytes);
            if old.text == current.text {
                continue;
            }
            let sealed = reader(&old);
            let now = now.get_or_insert_with(|| reader(current));
            let changes = changed_rows(&sealed, now, seal.through, current, "ledger-sealed-edit");
            for (key, diagnostic) in changes {
                reported.insert(key);
                diags.push(diagnostic.arg("revision", &seal.revision));
            }
        }
        let Some(cutoff) = plan.implicit_cutoff else {
            continue;
        };
        // The newest commit of this ledger that is older than the 公示期.
        let Some(published) =
            git.log.entries(&path).iter().find(|e| {
                NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").is_ok_and(|d| d <= cutoff)
            })
        else {
            continue;
        };
        let revision = Revision::Commit(published.commit.clone());
        let Ok(bytes) = git.repo.read(&revision, &published.path) else {
            continue;
        };
        let old = source(&published.path, &bytes);
        if old.text == current.text {
            continue;
        }
        let sealed = reader(&old);
        let Some(through) = sealed.records.iter().filter_map(|r| r.end).max() else {
            continue;
        };
        let now = now.get_or_insert_with(|| reader(current));
        let changes = changed_rows(&sealed, now, through, current, "ledger-published-edit");
        for (key, diagnostic) in changes {
            if reported.contains(&key) {
                continue;
            }
            diags.push(
                diagnostic
                    .arg("days", plan.implicit_days)
                    .arg("date", &published.date)
                    .arg(
                        "revision",
                        published.commit.chars().take(10).collect::<String>(),
                    ),
            );
        }
    }
}

/// The rows dated on or before `through` that differ between the sealed book and the current one,
/// each with a diagnostic `code` placed at the row in the working tree.
fn changed_rows(
    sealed: &Book,
    now: &Book,
    through: NaiveDate,
    current: &Arc<SourceFile>,
    code: &'static str,
) -> Vec<(String, Diagnostic)> {
    let in_sealed_period = |book: &Book| {
        book.records
            .iter()
            .filter(|r| r.end.is_some_and(|d| d <= through))
            .cloned()
            .collect::<Vec<_>>()
    };
    let before = in_sealed_period(sealed);
    let after = in_sealed_period(now);
    let origins: BTreeMap<&str, _> = after
        .iter()
        .filter_map(|r| r.origin.as_ref().map(|o| (r.key.as_str(), o)))
        .collect();
    compare_rows(&before, &after)
        .into_iter()
        .map(|change| {
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
            let diagnostic = Diagnostic::new(code)
                .arg("row", &change.label)
                .arg("through", through)
                .arg("what", what);
            let diagnostic = match origins.get(change.key.as_str()) {
                Some(origin) => diagnostic.at(&origin.file, origin.span.clone()),
                None => diagnostic.in_file(current),
            };
            (change.key, diagnostic)
        })
        .collect()
}
