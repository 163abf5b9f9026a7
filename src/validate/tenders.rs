//! Rules on tenders (domain.md §6, T1–T2): a single bidder, a winner that is not the lowest bid
//! without a stated reason, a contract above the winning bid, payments above the contract, and a
//! result publicised for less than three days (招标投标法实施条例第五十四条, by analogy).

use std::collections::BTreeMap;

use crate::config::Rules;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::amount::Money;
use crate::ledger::tender::Tender;

pub fn check(
    tender: &Tender,
    paid_by_project: &BTreeMap<&str, Money>,
    rules: &Rules,
    diags: &mut Diagnostics,
) {
    let title = &tender.title_origin;
    if tender.bids.len() == 1 {
        diags.push(
            Diagnostic::new("tender-single-bidder")
                .at(&title.file, title.span.clone())
                .arg("bidder", &tender.bids[0].bidder),
        );
    }
    let lowest = tender.bids.iter().map(|b| b.amount).min();
    let winning = tender
        .winner
        .as_ref()
        .and_then(|w| tender.bids.iter().find(|b| &b.bidder == w));
    if let Some(bid) = winning
        && !bid.related_to_company.is_empty()
    {
        diags.push(
            Diagnostic::new("tender-winner-related")
                .at(&bid.origin.file, bid.origin.span.clone())
                .arg("winner", &bid.bidder)
                .arg("relation", &bid.related_to_company),
        );
    }
    if let (Some(bid), Some(lowest)) = (winning, lowest) {
        let at = tender.winner_origin.as_ref().unwrap_or(title);
        if bid.amount > lowest && tender.winner_reason.is_empty() {
            diags.push(
                Diagnostic::new("tender-winner-not-lowest")
                    .at(&at.file, at.span.clone())
                    .arg("winner", &bid.bidder)
                    .arg("amount", bid.amount)
                    .arg("lowest", lowest),
            );
        }
        if let (Some(contract), Some(origin)) = (tender.contract_amount, &tender.contract_origin)
            && contract > bid.amount
        {
            diags.push(
                Diagnostic::new("tender-contract-above-bid")
                    .at(&origin.file, origin.span.clone())
                    .arg("contract", contract)
                    .arg("bid", bid.amount),
            );
        }
    }
    if let (Some(start), Some(end)) = (tender.publicity_start, tender.publicity_end) {
        let days = (end - start).num_days() + 1;
        if days < rules.tender_publicity_days {
            let at = tender.publicity_origin.as_ref().unwrap_or(title);
            diags.push(
                Diagnostic::new("tender-publicity-short")
                    .at(&at.file, at.span.clone())
                    .arg("days", days)
                    .arg("min", rules.tender_publicity_days),
            );
        }
    }
    if let (Some(contract), Some((project, _))) = (tender.contract_amount, &tender.project)
        && let Some(paid) = paid_by_project.get(project.as_str())
        && *paid > contract
    {
        let at = tender.contract_origin.as_ref().unwrap_or(title);
        diags.push(
            Diagnostic::new("tender-payments-exceed-contract")
                .at(&at.file, at.span.clone())
                .arg("paid", paid)
                .arg("contract", contract)
                .arg("project", project),
        );
    }
}
