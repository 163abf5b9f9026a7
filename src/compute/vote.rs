//! Verdicts on owners' votes under 民法典第二百七十八条, in exact integer arithmetic: the quorum
//! (at least two thirds of the area and of the owners take part) and the approval threshold of the
//! matter (more than half of those taking part for using the fund and most matters; at least three
//! quarters for raising the fund, rebuilding, or changing the use of common parts).

use crate::ledger::amount::ratio_bp;
use crate::ledger::project::{Matter, Profile, Tally, Vote};

/// Which approval threshold a matter needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// 过半数: strictly more than half of the participating area and owners.
    Majority,
    /// 四分之三以上: at least three quarters of the participating area and owners.
    ThreeQuarters,
    /// The 165号令 legacy profile: at least two thirds of the TOTAL area and owners agree.
    TwoThirdsOfTotal,
}

impl Threshold {
    pub fn for_matter(matter: Matter) -> Threshold {
        match matter {
            Matter::RaiseFund | Matter::Rebuild | Matter::ChangeUse => Threshold::ThreeQuarters,
            Matter::UseFund | Matter::Emergency => Threshold::Majority,
        }
    }

    fn met(self, tally: &Tally) -> bool {
        let agree = i128::from(tally.agree);
        let participating = i128::from(tally.participating);
        match self {
            Threshold::Majority => 2 * agree > participating,
            Threshold::ThreeQuarters => 4 * agree >= 3 * participating,
            Threshold::TwoThirdsOfTotal => 3 * agree >= 2 * i128::from(tally.total),
        }
    }
}

/// 以上 includes the bound (民法典第一千二百五十九条): 3 × participating ≥ 2 × total.
fn quorum_met(tally: &Tally) -> bool {
    3 * i128::from(tally.participating) >= 2 * i128::from(tally.total) && tally.total > 0
}

/// One dimension of a vote with its ratios (basis points).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DimensionView {
    pub total: i64,
    pub participating: i64,
    pub agree: i64,
    pub oppose: Option<i64>,
    pub abstain: Option<i64>,
    pub deemed_agree: Option<i64>,
    pub participation_bp: Option<i64>,
    pub approval_bp: Option<i64>,
    pub quorum_met: bool,
    pub approval_met: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Verdict {
    pub profile: Profile,
    pub threshold: Threshold,
    pub area: DimensionView,
    pub owners: DimensionView,
    pub quorum_met: bool,
    pub approval_met: bool,
    pub passed: bool,
}

/// The profile a vote is really judged by. 165号令第二十二条 governs using the fund only; raising
/// it, rebuilding and changing the use of common parts keep the Civil Code's three quarters, which
/// a fund centre's older rule cannot lower.
pub fn effective_profile(matter: Matter, declared: Profile) -> Profile {
    match (declared, matter) {
        (Profile::Legacy165, Matter::UseFund | Matter::Emergency) => Profile::Legacy165,
        _ => Profile::CivilCode,
    }
}

pub fn judge(vote: &Vote, matter: Matter, profile: Profile) -> Verdict {
    let profile = effective_profile(matter, profile);
    let threshold = match profile {
        Profile::CivilCode => Threshold::for_matter(matter),
        Profile::Legacy165 => Threshold::TwoThirdsOfTotal,
    };
    let view = |t: &Tally| DimensionView {
        total: t.total,
        participating: t.participating,
        agree: t.agree,
        oppose: t.oppose,
        abstain: t.abstain,
        deemed_agree: t.deemed_agree,
        participation_bp: ratio_bp(t.participating, t.total),
        // The share the threshold tests: of those taking part, or of all under the 165 rule.
        approval_bp: match threshold {
            Threshold::TwoThirdsOfTotal => ratio_bp(t.agree, t.total),
            _ => ratio_bp(t.agree, t.participating),
        },
        // Participation is shown as it is under both rules; the 165 rule needs no more of it than
        // its approval implies (two thirds of all agreeing have taken part).
        quorum_met: quorum_met(t),
        approval_met: threshold.met(t),
    };
    let area = view(&vote.area);
    let owners = view(&vote.owners);
    let quorum = area.quorum_met && owners.quorum_met;
    let approval = area.approval_met && owners.approval_met;
    Verdict {
        profile,
        threshold,
        area,
        owners,
        quorum_met: quorum,
        approval_met: approval,
        passed: quorum && approval,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(total: i64, participating: i64, agree: i64) -> Tally {
        Tally {
            total,
            participating,
            agree,
            oppose: None,
            abstain: None,
            deemed_agree: None,
            readable: true,
        }
    }

    #[test]
    fn quorum_is_inclusive_at_two_thirds() {
        assert!(quorum_met(&tally(300, 200, 0)));
        assert!(!quorum_met(&tally(300, 199, 0)));
    }

    #[test]
    fn majority_is_strict_three_quarters_inclusive() {
        assert!(!Threshold::Majority.met(&tally(0, 200, 100)));
        assert!(Threshold::Majority.met(&tally(0, 200, 101)));
        assert!(Threshold::ThreeQuarters.met(&tally(0, 200, 150)));
        assert!(!Threshold::ThreeQuarters.met(&tally(0, 200, 149)));
    }
}
