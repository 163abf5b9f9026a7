//! Rules on owners' votes (domain.md §6, V2–V6): the quorum and approval thresholds of the rule
//! profile the vote declares, counts that add up, the plan's notice period before the vote closes,
//! and no work started before the vote closed (先开工后表决).

use crate::compute::vote::{Threshold, judge};
use crate::config::Rules;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::amount::{format_bp, ratio_bp};
use crate::ledger::project::{Matter, Profile, Project, Status, Tally};

fn pct(bp: Option<i64>) -> String {
    bp.map(format_bp).unwrap_or_else(|| "—".to_string())
}

pub fn check(project: &Project, rules: &Rules, diags: &mut Diagnostics) {
    let Some(vote) = &project.vote else {
        return;
    };
    let at = &vote.origin;
    let profile = vote.profile.unwrap_or(rules.default_profile);
    let verdict = judge(vote, project.matter, profile);
    let claims_passed = !matches!(
        project.status,
        Some(Status::Rejected | Status::Voting | Status::Publicised)
    );
    let readable = vote.area.readable && vote.owners.readable;
    if claims_passed && readable {
        match verdict.profile {
            Profile::CivilCode => {
                if !verdict.quorum_met {
                    diags.push(
                        Diagnostic::new("fund-vote-quorum")
                            .at(&at.file, at.span.clone())
                            .arg("area", pct(verdict.area.participation_bp))
                            .arg("owners", pct(verdict.owners.participation_bp)),
                    );
                } else if !verdict.approval_met {
                    let (threshold_zh, threshold_en) = match verdict.threshold {
                        Threshold::Majority => ("过半数", "more than half"),
                        Threshold::ThreeQuarters | Threshold::TwoThirdsOfTotal => {
                            ("达四分之三以上", "at least three quarters")
                        }
                    };
                    diags.push(
                        Diagnostic::new("fund-vote-approval")
                            .at(&at.file, at.span.clone())
                            .arg("area", pct(verdict.area.approval_bp))
                            .arg("owners", pct(verdict.owners.approval_bp))
                            .arg("threshold_zh", threshold_zh)
                            .arg("threshold_en", threshold_en)
                            .arg("matter", project.matter.label()),
                    );
                }
            }
            Profile::Legacy165 => {
                if !verdict.approval_met {
                    let of_total = |t: &Tally| pct(ratio_bp(t.agree, t.total));
                    diags.push(
                        Diagnostic::new("fund-vote-legacy-165")
                            .at(&at.file, at.span.clone())
                            .arg("area", of_total(&vote.area))
                            .arg("owners", of_total(&vote.owners)),
                    );
                }
            }
        }
    }
    for (dimension, tally) in vote.dimensions() {
        if let (Some(oppose), Some(abstain)) = (tally.oppose, tally.abstain) {
            let sum = tally.agree + oppose + abstain;
            if sum != tally.participating {
                diags.push(
                    Diagnostic::new("fund-vote-tally")
                        .at(&at.file, at.span.clone())
                        .arg("dimension", dimension.label())
                        .arg("dimension_en", dimension.label_en())
                        .arg("sum", dimension.show(sum))
                        .arg("participating", dimension.show(tally.participating)),
                );
            }
        }
    }
    // A status that says the vote failed while its counts pass it (the other way round is
    // `fund-vote-quorum`/`fund-vote-approval`).
    if project.status == Some(Status::Rejected) && readable && verdict.passed {
        diags.push(
            Diagnostic::new("fund-vote-status-contradicts")
                .at(&at.file, at.span.clone())
                .arg("status", Status::Rejected.label()),
        );
    }
    if let (Some(start), Some(end)) = (vote.start, vote.end)
        && start > end
    {
        diags.push(
            Diagnostic::new("vote-dates-reversed")
                .at(&at.file, at.span.clone())
                .arg("start", start)
                .arg("end", end),
        );
    }
    // V6: the plan is publicised before the owners vote on it, not while they do.
    if let (Some(published), Some(start)) = (project.plan_published, vote.start)
        && published > start
    {
        diags.push(
            Diagnostic::new("fund-vote-plan-late")
                .at(&at.file, at.span.clone())
                .arg("published", published)
                .arg("start", start),
        );
    }
    if let (Some(published), Some(end)) = (project.plan_published, vote.end)
        && (end - published).num_days() < rules.plan_notice_days
    {
        diags.push(
            Diagnostic::new("fund-vote-notice-short")
                .at(&at.file, at.span.clone())
                .arg("published", published)
                .arg("end", end)
                .arg("days", (end - published).num_days())
                .arg("min", rules.plan_notice_days),
        );
    }
    if project.matter != Matter::Emergency
        && let (Some(start), Some(end)) = (project.start_date, vote.end)
        && start < end
    {
        let origin = project.start_origin.as_ref().unwrap_or(at);
        diags.push(
            Diagnostic::new("fund-work-before-vote")
                .at(&origin.file, origin.span.clone())
                .arg("start", start)
                .arg("end", end),
        );
    }
}
