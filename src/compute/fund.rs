//! The maintenance fund in figures: the running balance row by row (in date order, rows of one day
//! in file order), yearly totals, and what each project drew from the fund.

use std::collections::BTreeMap;

use chrono::Datelike;

use crate::ledger::amount::Money;
use crate::ledger::fund::{FundEntry, FundKind};

/// The fund entries in booking order, each with the balance after it. A 结存 row does not move the
/// balance: it states what the balance should be.
pub fn running_balance(entries: &[FundEntry]) -> Vec<(&FundEntry, Money)> {
    let mut ordered: Vec<&FundEntry> = entries.iter().collect();
    ordered.sort_by_key(|e| e.date); // stable: same-day rows keep file order
    let mut balance = Money::ZERO;
    ordered
        .into_iter()
        .map(|e| {
            match e.kind {
                FundKind::Deposit | FundKind::Interest => balance += e.amount,
                FundKind::Withdrawal => balance -= e.amount,
                FundKind::Balance => {}
            }
            (e, balance)
        })
        .collect()
}

/// Sum of withdrawals per project id.
pub fn withdrawals_by_project(entries: &[FundEntry]) -> BTreeMap<&str, Money> {
    let mut map: BTreeMap<&str, Money> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == FundKind::Withdrawal) {
        *map.entry(e.project.as_str()).or_default() += e.amount;
    }
    map
}

/// Totals of one calendar year.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FundYear {
    pub year: i32,
    pub deposits: Money,
    pub interest: Money,
    pub withdrawals: Money,
    pub closing: Money,
    /// The ledger lines the year's figures sum (the closing balance adds all earlier years).
    pub source: super::provenance::LineRanges,
}

pub fn yearly(running: &[(&FundEntry, Money)]) -> Vec<FundYear> {
    let mut years: BTreeMap<i32, FundYear> = BTreeMap::new();
    let mut sources: BTreeMap<i32, super::provenance::SourceLines> = BTreeMap::new();
    for (e, balance) in running {
        sources.entry(e.date.year()).or_default().add(&e.origin);
        let y = years.entry(e.date.year()).or_insert_with(|| FundYear {
            year: e.date.year(),
            ..FundYear::default()
        });
        match e.kind {
            FundKind::Deposit => y.deposits += e.amount,
            FundKind::Interest => y.interest += e.amount,
            FundKind::Withdrawal => y.withdrawals += e.amount,
            FundKind::Balance => {}
        }
        y.closing = *balance;
    }
    for (year, lines) in sources {
        if let Some(y) = years.get_mut(&year) {
            y.source = lines.describe();
        }
    }
    years.into_values().rev().collect()
}
