//! The semantic diff of a portal's books between two revisions: per compound and ledger, the rows
//! added, removed and changed (matched by a stable row key, compared field by field), tenders
//! whose bids or winner changed, votes whose counts changed, and the effect on yearly totals.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use super::git::{Repo, Revision};
use crate::diag::{Diagnostics, SourceFile};
use crate::error::Fatal;
use crate::ledger::amount::{Area, Money};
use crate::ledger::fund::FundKind;
use crate::ledger::{fees, fund, project, revenue, tender};
use crate::load::decode::decode;

/// One comparable record: a stable key, a label for people, and its fields in display form.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub key: String,
    pub label: String,
    pub fields: Vec<(&'static str, String)>,
    /// The last day the row concerns (its date, or its period's end), for sealed periods.
    pub end: Option<chrono::NaiveDate>,
    /// Where the row stands in its file.
    pub origin: Option<crate::ledger::Origin>,
}

/// Yearly totals of a ledger: year → metric → amount.
type Totals = BTreeMap<i32, BTreeMap<&'static str, Money>>;

/// Every book of a revision by (compound, ledger), with the paths it was read from.
type Snapshot = BTreeMap<(String, &'static str), (Book, Vec<String>)>;

/// One ledger (or record folder) of one compound at one revision.
#[derive(Debug, Default)]
pub(crate) struct Book {
    pub records: Vec<Record>,
    totals: Totals,
}

#[derive(Debug, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize)]
pub struct RowChange {
    pub key: String,
    pub label: String,
    /// "added", "removed" or "changed".
    pub change: &'static str,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Serialize)]
pub struct TotalChange {
    pub year: i32,
    pub metric: &'static str,
    pub before: Money,
    pub after: Money,
    pub delta: Money,
}

#[derive(Debug, Serialize)]
pub struct LedgerDiff {
    pub compound: String,
    /// fees, revenue, fund, projects, tenders.
    pub ledger: &'static str,
    pub path_before: Option<String>,
    pub path_after: Option<String>,
    pub rows: Vec<RowChange>,
    pub totals: Vec<TotalChange>,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub before: String,
    pub after: String,
    pub ledgers: Vec<LedgerDiff>,
}

fn money(m: Money) -> String {
    m.to_yuan_string()
}

fn opt_money(m: Option<Money>) -> String {
    m.map(money).unwrap_or_default()
}

pub(crate) fn source(path: &str, bytes: &[u8]) -> Arc<SourceFile> {
    let (text, encoding) = decode(bytes).unwrap_or_default();
    Arc::new(SourceFile::new(
        std::path::Path::new(path),
        path.to_string(),
        text,
        encoding,
    ))
}

fn add_total(totals: &mut Totals, year: i32, metric: &'static str, amount: Money) {
    *totals.entry(year).or_default().entry(metric).or_default() += amount;
}

pub(crate) fn fees_book(file: &Arc<SourceFile>) -> Book {
    let mut book = Book::default();
    for r in fees::parse(file, &mut Diagnostics::new()) {
        book.records.push(Record {
            key: format!("{}|{}", r.period.key(), r.building_type),
            label: format!("{} {}", r.period.key(), r.building_type),
            fields: vec![
                ("应缴户数", r.households_billed.to_string()),
                ("已缴户数", r.households_paid.to_string()),
                ("应收金额", money(r.receivable)),
                ("实收金额", money(r.received)),
                ("清欠金额", money(r.arrears_recovered)),
                ("备注", r.note.clone()),
            ],
            end: Some(r.period.end()),
            origin: Some(r.origin.clone()),
        });
        let y = r.period.year();
        add_total(&mut book.totals, y, "应收", r.receivable);
        add_total(&mut book.totals, y, "实收", r.received);
        add_total(&mut book.totals, y, "清欠", r.arrears_recovered);
    }
    book
}

pub(crate) fn revenue_book(file: &Arc<SourceFile>) -> Book {
    let mut book = Book::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in revenue::parse(file, &mut Diagnostics::new()) {
        let natural = if e.voucher.is_empty() {
            format!("{}|{}|{}", e.when.label(), e.category.label(), e.item)
        } else {
            e.voucher.clone()
        };
        let n = seen.entry(natural.clone()).or_default();
        *n += 1;
        let key = if *n == 1 {
            natural
        } else {
            format!("{natural}#{n}")
        };
        let label = if e.voucher.is_empty() {
            format!("{} {} {}", e.when.label(), e.category.label(), e.item)
        } else {
            format!("{} {} {}", e.voucher, e.when.label(), e.category.label())
        };
        book.records.push(Record {
            key,
            label,
            fields: vec![
                ("日期", e.when.label()),
                ("类别", e.category.label().to_string()),
                ("项目", e.item.clone()),
                ("相对方", e.counterparty.clone()),
                ("收入金额", money(e.gross)),
                ("合理成本", money(e.costs)),
                ("净收益", money(e.net)),
                ("去向", e.allocation.label().to_string()),
                ("决议", e.resolution.clone()),
            ],
            end: Some(e.when.sort_date()),
            origin: Some(e.origin.clone()),
        });
        let y = e.when.year();
        add_total(&mut book.totals, y, "收入", e.gross);
        add_total(&mut book.totals, y, "成本", e.costs);
        add_total(&mut book.totals, y, "净收益", e.net);
    }
    book
}

pub(crate) fn fund_book(file: &Arc<SourceFile>) -> Book {
    let mut book = Book::default();
    let entries = fund::parse(file, &mut Diagnostics::new());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (e, balance) in crate::compute::fund::running_balance(&entries) {
        let natural = if e.voucher.is_empty() {
            format!("{}|{}", e.date, e.kind.label())
        } else {
            format!("{}|{}", e.voucher, e.kind.label())
        };
        let n = seen.entry(natural.clone()).or_default();
        *n += 1;
        let key = if *n == 1 {
            natural
        } else {
            format!("{natural}#{n}")
        };
        book.records.push(Record {
            key,
            label: format!("{} {} {}", e.date, e.kind.label(), e.voucher)
                .trim_end()
                .to_string(),
            fields: vec![
                ("日期", e.date.to_string()),
                ("金额", money(e.amount)),
                ("项目", e.project.clone()),
                ("摘要", e.memo.clone()),
            ],
            end: Some(e.date),
            origin: Some(e.origin.clone()),
        });
        let y = chrono::Datelike::year(&e.date);
        match e.kind {
            FundKind::Deposit => add_total(&mut book.totals, y, "交存", e.amount),
            FundKind::Interest => add_total(&mut book.totals, y, "利息", e.amount),
            FundKind::Withdrawal => add_total(&mut book.totals, y, "支取", e.amount),
            FundKind::Balance => {}
        }
        book.totals
            .entry(y)
            .or_default()
            .insert("年末余额", balance);
    }
    book
}

fn project_record(id: &str, file: &Arc<SourceFile>) -> Option<Record> {
    let p = project::parse(id, file, &mut Diagnostics::new())?;
    let mut fields = vec![
        ("名称", p.title.clone()),
        ("预算", opt_money(p.budget)),
        ("合同金额", opt_money(p.contract_amount)),
        ("结算金额", opt_money(p.settled_cost)),
        (
            "状态",
            p.status.map(|s| s.label().to_string()).unwrap_or_default(),
        ),
    ];
    if let Some(v) = &p.vote {
        fields.extend([
            ("表决总面积", Area(v.area.total).to_display_string()),
            (
                "参与表决面积",
                Area(v.area.participating).to_display_string(),
            ),
            ("同意面积", Area(v.area.agree).to_display_string()),
            ("表决总人数", v.owners.total.to_string()),
            ("参与表决人数", v.owners.participating.to_string()),
            ("同意人数", v.owners.agree.to_string()),
        ]);
    }
    Some(Record {
        key: id.to_string(),
        label: format!("{id} {}", p.title),
        fields,
        end: None,
        origin: None,
    })
}

fn tender_record(id: &str, file: &Arc<SourceFile>) -> Option<Record> {
    let t = tender::parse(id, file, &mut Diagnostics::new())?;
    let mut fields = vec![
        ("名称", t.title.clone()),
        ("首次报价", opt_money(t.first_quote)),
        ("中标单位", t.winner.clone().unwrap_or_default()),
        ("合同金额", opt_money(t.contract_amount)),
    ];
    let mut bids: Vec<_> = t.bids.iter().collect();
    bids.sort_by(|a, b| a.bidder.cmp(&b.bidder));
    for b in bids {
        // Field names must be 'static; bids are listed under one field per bidder in its value.
        fields.push(("投标", format!("{}：{}", b.bidder, money(b.amount))));
    }
    Some(Record {
        key: id.to_string(),
        label: format!("{id} {}", t.title),
        fields,
        end: None,
        origin: None,
    })
}

/// Splits a content path into (compound, ledger kind, record id).
fn classify(path: &str) -> Option<(String, &'static str, String)> {
    let rest = path.strip_prefix("content/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [c, "fees.csv"] => Some((c.to_string(), "fees", String::new())),
        [c, "revenue.csv"] => Some((c.to_string(), "revenue", String::new())),
        [c, "fund.csv"] => Some((c.to_string(), "fund", String::new())),
        [c, "projects", f] if f.ends_with(".toml") => Some((
            c.to_string(),
            "projects",
            f.trim_end_matches(".toml").to_string(),
        )),
        [c, "tenders", f] if f.ends_with(".toml") => Some((
            c.to_string(),
            "tenders",
            f.trim_end_matches(".toml").to_string(),
        )),
        _ => None,
    }
}

/// The compound folder of a content path.
fn compound_of(path: &str) -> &str {
    path.strip_prefix("content/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("")
}

/// Every book of a revision, keyed by (compound, ledger), with the path(s) it came from.
fn snapshot(
    repo: &Repo,
    revision: &Revision,
    renamed_from: &BTreeMap<String, String>,
) -> Result<Snapshot, Fatal> {
    let mut books = Snapshot::new();
    let folders: BTreeMap<&str, &str> = renamed_from
        .iter()
        .map(|(new, old)| (compound_of(new), compound_of(old)))
        .filter(|(new, old)| new != old)
        .collect();
    for path in repo.files(revision)? {
        // A file renamed since the other revision is filed under its old place, and so is every
        // file of a compound folder that was renamed (git pairs only files whose bytes stayed
        // similar; a ledger re-saved in another encoding is not).
        let logical = renamed_from.get(&path).cloned().unwrap_or_else(|| {
            let folder = compound_of(&path);
            match folders.get(folder) {
                Some(old) => {
                    path.replacen(&format!("content/{folder}/"), &format!("content/{old}/"), 1)
                }
                None => path.clone(),
            }
        });
        let Some((compound, ledger, id)) = classify(&logical) else {
            continue;
        };
        let bytes = repo.read(revision, &path)?;
        let file = source(&path, &bytes);
        let entry = books.entry((compound, ledger)).or_default();
        entry.1.push(path.clone());
        match ledger {
            "fees" => entry.0 = fees_book(&file),
            "revenue" => entry.0 = revenue_book(&file),
            "fund" => entry.0 = fund_book(&file),
            "projects" => entry.0.records.extend(project_record(&id, &file)),
            _ => entry.0.records.extend(tender_record(&id, &file)),
        }
    }
    Ok(books)
}

pub(crate) fn compare_rows(before: &[Record], after: &[Record]) -> Vec<RowChange> {
    let old: BTreeMap<&str, &Record> = before.iter().map(|r| (r.key.as_str(), r)).collect();
    let new: BTreeMap<&str, &Record> = after.iter().map(|r| (r.key.as_str(), r)).collect();
    let keys: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut changes = Vec::new();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (Some(a), Some(b)) => {
                let mut fields = Vec::new();
                let mut names: Vec<&'static str> = Vec::new();
                for (name, _) in a.fields.iter().chain(&b.fields) {
                    if !names.contains(name) {
                        names.push(name);
                    }
                }
                for name in names {
                    let va: Vec<&String> = a
                        .fields
                        .iter()
                        .filter(|f| f.0 == name)
                        .map(|f| &f.1)
                        .collect();
                    let vb: Vec<&String> = b
                        .fields
                        .iter()
                        .filter(|f| f.0 == name)
                        .map(|f| &f.1)
                        .collect();
                    if va != vb {
                        let join = |v: Vec<&String>| {
                            v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("；")
                        };
                        fields.push(FieldChange {
                            field: name,
                            before: join(va),
                            after: join(vb),
                        });
                    }
                }
                if !fields.is_empty() {
                    changes.push(RowChange {
                        key: key.to_string(),
                        label: b.label.clone(),
                        change: "changed",
                        fields,
                    });
                }
            }
            (Some(a), None) => changes.push(RowChange {
                key: key.to_string(),
                label: a.label.clone(),
                change: "removed",
                fields: Vec::new(),
            }),
            (None, Some(b)) => changes.push(RowChange {
                key: key.to_string(),
                label: b.label.clone(),
                change: "added",
                fields: Vec::new(),
            }),
            (None, None) => {}
        }
    }
    changes
}

fn compare_totals(before: &Totals, after: &Totals) -> Vec<TotalChange> {
    let years: BTreeSet<i32> = before.keys().chain(after.keys()).copied().collect();
    let mut changes = Vec::new();
    for year in years {
        let empty = BTreeMap::new();
        let a = before.get(&year).unwrap_or(&empty);
        let b = after.get(&year).unwrap_or(&empty);
        let metrics: BTreeSet<&'static str> = a.keys().chain(b.keys()).copied().collect();
        for metric in metrics {
            let va = a.get(metric).copied().unwrap_or_default();
            let vb = b.get(metric).copied().unwrap_or_default();
            if va != vb {
                changes.push(TotalChange {
                    year,
                    metric,
                    before: va,
                    after: vb,
                    delta: vb - va,
                });
            }
        }
    }
    changes
}

/// The semantic diff of the portal at `root` between two revisions.
pub fn diff(repo: &Repo, before: &Revision, after: &Revision) -> Result<Diff, Fatal> {
    let renames = repo.renames(before, after)?;
    let renamed_from: BTreeMap<String, String> =
        renames.into_iter().map(|(old, new)| (new, old)).collect();
    let old = snapshot(repo, before, &BTreeMap::new())?;
    let new = snapshot(repo, after, &renamed_from)?;
    let keys: BTreeSet<&(String, &'static str)> = old.keys().chain(new.keys()).collect();
    let mut ledgers = Vec::new();
    for key in keys {
        let empty = (Book::default(), Vec::new());
        let (a, paths_a) = old.get(key).unwrap_or(&empty);
        let (b, paths_b) = new.get(key).unwrap_or(&empty);
        let rows = compare_rows(&a.records, &b.records);
        let totals = compare_totals(&a.totals, &b.totals);
        let single = |paths: &Vec<String>| (paths.len() == 1).then(|| paths[0].clone());
        let moved = single(paths_a) != single(paths_b)
            && !paths_a.is_empty()
            && !paths_b.is_empty()
            && key.1 != "projects"
            && key.1 != "tenders";
        if rows.is_empty() && totals.is_empty() && !moved {
            continue;
        }
        ledgers.push(LedgerDiff {
            compound: key.0.clone(),
            ledger: key.1,
            path_before: single(paths_a),
            path_after: single(paths_b),
            rows,
            totals,
        });
    }
    Ok(Diff {
        before: before.label(),
        after: after.label(),
        ledgers,
    })
}
