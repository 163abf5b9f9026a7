//! Checks across a compound's ledgers, after each file has been read on its own: references between
//! records (a withdrawal's project, a project's tender), declared fund balances, whether each
//! project's money adds up, and the rules on votes and tenders (see `votes` and `tenders`).
//! Findings go to the compound's diagnostics; nothing here changes data.

pub mod apportionment;
pub mod privacy;
pub mod tenders;
pub mod timeliness;
pub mod votes;

use std::collections::BTreeSet;

use crate::compute::fund::{running_balance, withdrawals_by_project};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::CompoundBooks;
use crate::ledger::amount::Money;
use crate::ledger::fund::FundKind;

pub fn check(books: &CompoundBooks, rules: &crate::config::Rules, diags: &mut Diagnostics) {
    timeliness::check(books, rules, diags);
    check_references(books, diags);
    check_fund_balances(books, diags);
    check_project_funding(books, diags);
    check_withdrawals_approved(books, diags);
    check_fee_building_types(books, diags);
    check_fee_households(books, diags);
    check_revenue_resolutions(books, diags);
    check_revenue_costs(books, rules, diags);
    check_corrections(books, diags);
    check_privacy(books, diags);
    for project in &books.projects {
        votes::check(project, rules, diags);
        check_vote_scope(project, &books.info, diags);
        apportionment::check(project, diags);
        check_cost_nature(project, diags);
    }
    let paid = withdrawals_by_project(&books.fund);
    for tender in &books.tenders {
        tenders::check(tender, &paid, rules, diags);
    }
}

/// Personal numbers anywhere in the compound's files; personal names where a private person could
/// be named (a revenue counterparty, a bidder, a contractor).
fn check_privacy(books: &CompoundBooks, diags: &mut Diagnostics) {
    for file in &books.sources {
        privacy::scan_numbers(file, diags);
    }
    for e in &books.revenue {
        privacy::check_party(&e.counterparty, "相对方", &e.counterparty_origin, diags);
    }
    for t in &books.tenders {
        for b in &t.bids {
            privacy::check_party(&b.bidder, "bidder", &b.origin, diags);
        }
    }
    for p in &books.projects {
        if let Some(origin) = &p.contractor_origin {
            privacy::check_party(&p.contractor, "contractor", origin, diags);
        }
    }
}

/// F4: costs the fund must not bear (住宅专项维修资金管理办法第二十五条).
fn check_cost_nature(project: &crate::ledger::project::Project, diags: &mut Diagnostics) {
    use crate::ledger::project::CostNature;
    if project.cost_nature != CostNature::CommonParts {
        let at = project
            .cost_nature_origin
            .as_ref()
            .unwrap_or(&project.title_origin);
        diags.push(
            Diagnostic::new("fund-ineligible-cost")
                .at(&at.file, at.span.clone())
                .arg("nature", project.cost_nature.label()),
        );
    }
}

/// P2: reasonable costs deducted from common-part income above the portal's limit.
fn check_revenue_costs(
    books: &CompoundBooks,
    rules: &crate::config::Rules,
    diags: &mut Diagnostics,
) {
    for e in &books.revenue {
        if e.gross.0 > 0 && e.costs.0 * 100 > e.gross.0 * rules.max_cost_percent {
            diags.push(
                Diagnostic::new("revenue-cost-share")
                    .at(&e.costs_origin.file, e.costs_origin.span.clone())
                    .arg("costs", e.costs)
                    .arg("gross", e.gross)
                    .arg(
                        "share",
                        crate::ledger::amount::format_bp(
                            crate::ledger::amount::ratio_bp(e.costs.0, e.gross.0).unwrap_or(0),
                        ),
                    )
                    .arg("max", rules.max_cost_percent),
            );
        }
    }
}

/// A correction entry (冲正/调整 in the note) must name a voucher of the same ledger.
fn check_corrections(books: &CompoundBooks, diags: &mut Diagnostics) {
    use crate::ledger::correction_target;
    let revenue_vouchers: BTreeSet<&str> =
        books.revenue.iter().map(|e| e.voucher.as_str()).collect();
    for e in &books.revenue {
        if let Some(target) = correction_target(&e.note)
            && !revenue_vouchers.contains(target)
        {
            diags.push(
                Diagnostic::new("correction-unknown-original")
                    .at(&e.origin.file, e.origin.span.clone())
                    .arg("voucher", target),
            );
        }
    }
    let fund_vouchers: BTreeSet<&str> = books.fund.iter().map(|e| e.voucher.as_str()).collect();
    for e in &books.fund {
        if let Some(target) = correction_target(&e.memo)
            && !fund_vouchers.contains(target)
        {
            diags.push(
                Diagnostic::new("correction-unknown-original")
                    .at(&e.origin.file, e.origin.span.clone())
                    .arg("voucher", target),
            );
        }
    }
}

/// Every allocation of public revenue must cite the owners' resolution that decided it (P1/P2).
fn check_revenue_resolutions(books: &CompoundBooks, diags: &mut Diagnostics) {
    use crate::ledger::revenue::Allocation;
    for e in &books.revenue {
        if e.allocation != Allocation::Undecided && e.resolution.is_empty() {
            diags.push(
                Diagnostic::new("revenue-no-resolution")
                    .at(&e.resolution_origin.file, e.resolution_origin.span.clone())
                    .arg("allocation", e.allocation.label()),
            );
        }
    }
}

fn known_list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = ids.collect();
    if list.is_empty() {
        "—".to_string()
    } else {
        list.join("、")
    }
}

fn check_references(books: &CompoundBooks, diags: &mut Diagnostics) {
    let projects: BTreeSet<&str> = books.project_ids.iter().map(String::as_str).collect();
    let tenders: BTreeSet<&str> = books.tender_ids.iter().map(String::as_str).collect();
    for e in &books.fund {
        if e.kind == FundKind::Withdrawal
            && !e.project.is_empty()
            && !projects.contains(e.project.as_str())
        {
            diags.push(
                Diagnostic::new("fund-unknown-project")
                    .at(&e.project_origin.file, e.project_origin.span.clone())
                    .arg("project", &e.project)
                    .arg("known", known_list(projects.iter().copied())),
            );
        }
    }
    for p in &books.projects {
        if let Some((tender, origin)) = &p.tender
            && !tenders.contains(tender.as_str())
        {
            diags.push(
                Diagnostic::new("project-unknown-tender")
                    .at(&origin.file, origin.span.clone())
                    .arg("tender", tender)
                    .arg("known", known_list(tenders.iter().copied())),
            );
        }
    }
    for t in &books.tenders {
        if let Some((project, origin)) = &t.project
            && !projects.contains(project.as_str())
        {
            diags.push(
                Diagnostic::new("tender-unknown-project")
                    .at(&origin.file, origin.span.clone())
                    .arg("project", project)
                    .arg("known", known_list(projects.iter().copied())),
            );
        }
    }
}

fn check_fund_balances(books: &CompoundBooks, diags: &mut Diagnostics) {
    // A row that could not be read is missing from the running balance: every 结存 after it would
    // be reported off by that row's amount, hiding the real difference. That row's own error
    // blocks publishing; the balances are compared once the ledger reads whole.
    if !books.fund_complete {
        return;
    }
    let mut overdrawn_reported = false;
    for (entry, balance) in running_balance(&books.fund) {
        let origin = &entry.amount_origin;
        match entry.kind {
            FundKind::Balance if entry.amount != balance => diags.push(
                Diagnostic::new("fund-balance-mismatch")
                    .at(&origin.file, origin.span.clone())
                    .arg("declared", entry.amount)
                    .arg("computed", balance)
                    .arg("difference", entry.amount - balance),
            ),
            FundKind::Withdrawal if balance.is_negative() && !overdrawn_reported => {
                overdrawn_reported = true;
                diags.push(
                    Diagnostic::new("fund-overdrawn")
                        .at(&origin.file, origin.span.clone())
                        .arg("balance", balance),
                );
            }
            _ => {}
        }
    }
}

fn check_project_funding(books: &CompoundBooks, diags: &mut Diagnostics) {
    let withdrawn = withdrawals_by_project(&books.fund);
    for p in &books.projects {
        let (Some(settled), Some(origin)) = (p.settled_cost, &p.settled_origin) else {
            continue;
        };
        let from_fund = withdrawn.get(p.id.as_str()).copied().unwrap_or(Money::ZERO);
        let other: Money = p.funding.iter().map(|f| f.amount).sum();
        // A project settled without any withdrawal booked yet is still waiting for payment.
        if from_fund == Money::ZERO {
            continue;
        }
        if from_fund + other != settled {
            diags.push(
                Diagnostic::new("project-funding-mismatch")
                    .at(&origin.file, origin.span.clone())
                    .arg("settled", settled)
                    .arg("withdrawn", from_fund)
                    .arg("other", other)
                    .arg("difference", settled - from_fund - other),
            );
        }
    }
}

/// 165号令 arts. 22–23: the owners approve the plan, the work is done, then the bank pays. A
/// withdrawal must not pay for a project whose vote failed or is still open, nor be made before
/// its vote closed. Emergency repairs (F5) are paid first and told afterwards, so they are exempt.
/// (A project whose status claims a pass that its counts do not reach is `fund-vote-*`'s finding.)
fn check_withdrawals_approved(books: &CompoundBooks, diags: &mut Diagnostics) {
    use crate::ledger::project::{Matter, Status};
    let withdrawals = books
        .fund
        .iter()
        .filter(|e| e.kind == FundKind::Withdrawal && !e.project.is_empty());
    for entry in withdrawals {
        let Some(project) = books.projects.iter().find(|p| p.id == entry.project) else {
            continue;
        };
        if project.matter == Matter::Emergency {
            continue;
        }
        let at = &entry.project_origin;
        if let Some(status @ (Status::Rejected | Status::Voting | Status::Publicised)) =
            project.status
        {
            diags.push(
                Diagnostic::new("fund-withdrawal-unapproved")
                    .at(&at.file, at.span.clone())
                    .arg("project", &project.title)
                    .arg("status", status.label()),
            );
        } else if let Some(end) = project.vote.as_ref().and_then(|v| v.end)
            && entry.date < end
        {
            diags.push(
                Diagnostic::new("fund-withdrawal-before-vote")
                    .at(&entry.origin.file, entry.origin.span.clone())
                    .arg("date", entry.date)
                    .arg("project", &project.title)
                    .arg("end", end),
            );
        }
    }
}

/// V6: a vote of the whole compound counts all of it. Its total area is the compound's floor area,
/// and its owners at most the households (an owner of several units counts once): a smaller total
/// would make the two-thirds quorum easier to reach than the law intends.
fn check_vote_scope(
    project: &crate::ledger::project::Project,
    info: &crate::ledger::compound::Compound,
    diags: &mut Diagnostics,
) {
    use crate::ledger::project::Dimension;
    let Some(vote) = &project.vote else {
        return;
    };
    if project.scope != "全小区" || info.floor_area.0 == 0 {
        return;
    }
    for (dimension, tally) in vote.dimensions() {
        let (compound_total, fits) = match dimension {
            Dimension::Area => (info.floor_area.0, tally.total == info.floor_area.0),
            Dimension::Owners => {
                let households = i64::from(info.households);
                (households, households == 0 || tally.total <= households)
            }
        };
        if tally.readable && !fits {
            diags.push(
                Diagnostic::new("vote-scope-total")
                    .at(&vote.origin.file, vote.origin.span.clone())
                    .arg("dimension", dimension.label())
                    .arg("dimension_en", dimension.label_en())
                    .arg("vote_total", dimension.show(tally.total))
                    .arg("compound_total", dimension.show(compound_total)),
            );
        }
    }
}

/// A fee row cannot bill more households than the compound has (compound.toml's households): more
/// is a year row beside its quarters, or a total booked as data. Reported once, at the first row.
fn check_fee_households(books: &CompoundBooks, diags: &mut Diagnostics) {
    let households = books.info.households;
    if households == 0 {
        return;
    }
    if let Some(row) = books.fees.iter().find(|r| r.households_billed > households) {
        diags.push(
            Diagnostic::new("fees-billed-exceeds-households")
                .at(&row.origin.file, row.origin.span.clone())
                .arg("billed", row.households_billed)
                .arg("households", households),
        );
    }
}

fn check_fee_building_types(books: &CompoundBooks, diags: &mut Diagnostics) {
    if books.info.fee_standards.is_empty() {
        return;
    }
    let mut reported = BTreeSet::new();
    for row in &books.fees {
        let known = books
            .info
            .fee_standards
            .iter()
            .any(|s| s.building_type == row.building_type);
        if !known && reported.insert(row.building_type.as_str()) {
            diags.push(
                Diagnostic::new("fees-building-type-unknown")
                    .at(&row.origin.file, row.origin.span.clone())
                    .arg("building_type", &row.building_type),
            );
        }
    }
}
