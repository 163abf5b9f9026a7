//! Rules on apportionment (domain.md §6, F2; 165号令第二十条): a project's per-unit shares add up to
//! the amount drawn from the fund exactly, each share is what the declared rounding rule gives for
//! the unit's floor area, and the units' total area matches the area of the vote's scope.

use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::amount::{Area, Money};
use crate::ledger::project::{Basis, Project};
use crate::ledger::shares::apportion;

/// The amount a project's owners carry: the settled (or contracted) cost less other funding.
pub fn apportioned_amount(project: &Project) -> Option<Money> {
    let cost = project.settled_cost.or(project.contract_amount)?;
    let other: Money = project.funding.iter().map(|f| f.amount).sum();
    Some(cost - other)
}

/// At most this many per-unit mismatches are listed (the rest follow from the first).
const MAX_SHARE_FINDINGS: usize = 3;

pub fn check(project: &Project, diags: &mut Diagnostics) {
    let Some(shares) = &project.shares else {
        return;
    };
    let Some(last) = shares.rows.last() else {
        return;
    };
    let Some(amount) = apportioned_amount(project) else {
        diags.push(
            Diagnostic::new("shares-without-cost")
                .in_file(&shares.file)
                .arg("project", &project.id),
        );
        return;
    };
    let sum: Money = shares.rows.iter().map(|s| s.share).sum();
    if sum != amount {
        diags.push(
            Diagnostic::new("fund-shares-sum")
                .at(&last.share_origin.file, last.share_origin.span.clone())
                .arg("sum", sum)
                .arg("amount", amount)
                .arg("difference", sum - amount),
        );
        return;
    }
    let areas: Vec<Area> = shares.rows.iter().map(|s| s.area).collect();
    // The declared basis: by floor area (the default and the law's rule), one equal share per
    // unit (按户均摊: every unit weighs the same), or another agreed basis, of which only the sum
    // can be checked.
    let (weights, basis) = match project.basis() {
        Basis::PerUnit => (
            vec![Area(1); areas.len()],
            ("按户均摊", "an equal share per unit"),
        ),
        Basis::FloorArea => (areas.clone(), ("按面积", "its floor area")),
        Basis::Other => (Vec::new(), ("", "")),
    };
    let expected = if weights.is_empty() {
        Vec::new()
    } else {
        apportion(amount, &weights, project.rounding.into())
    };
    let mut reported = 0;
    for (share, want) in shares.rows.iter().zip(expected) {
        if share.share != want && reported < MAX_SHARE_FINDINGS {
            reported += 1;
            diags.push(
                Diagnostic::new("fund-share-rounding")
                    .at(&share.share_origin.file, share.share_origin.span.clone())
                    .arg("unit", &share.unit)
                    .arg("share", share.share)
                    .arg("expected", want)
                    .arg("basis_zh", basis.0)
                    .arg("basis_en", basis.1)
                    .arg("rule", project.rounding.label()),
            );
        }
    }
    if let Some(vote) = project.vote.as_ref().filter(|v| v.owners.readable)
        && shares.rows.iter().any(|s| !s.owner_key.is_empty())
    {
        // V5: one owner of several units counts once; units without a key are owners of their own.
        let mut owners = std::collections::BTreeSet::new();
        let mut unkeyed = 0i64;
        for s in &shares.rows {
            if s.owner_key.is_empty() {
                unkeyed += 1;
            } else {
                owners.insert(s.owner_key.as_str());
            }
        }
        let headcount = owners.len() as i64 + unkeyed;
        if headcount != vote.owners.total {
            diags.push(
                Diagnostic::new("fund-vote-headcount")
                    .at(&vote.origin.file, vote.origin.span.clone())
                    .arg("total", vote.owners.total)
                    .arg("headcount", headcount)
                    .arg("units", shares.rows.len()),
            );
        }
    }
    if let Some(vote) = project.vote.as_ref().filter(|v| v.area.readable) {
        let total = Area(areas.iter().map(|a| a.0).sum());
        if total.0 != vote.area.total {
            diags.push(
                Diagnostic::new("fund-shares-area")
                    .at(&last.origin.file, last.origin.span.clone())
                    .arg("total", total.to_display_string())
                    .arg("scope", Area(vote.area.total).to_display_string()),
            );
        }
    }
}
