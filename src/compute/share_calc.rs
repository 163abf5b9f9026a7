//! What the residents' share calculator needs (`static/share-calc.js`): an amount, the floor
//! area it is apportioned over, the rounding rule, and, where the project's table of shares is
//! known, where the largest-remainder rule drew its line. With these the calculator gives, for a
//! floor area a resident types in, the share the ledger's apportionment rule
//! ([`crate::ledger::shares::apportion`]) gives a unit of that area, to the fen, with integer
//! arithmetic. Without JavaScript the page shows the per-㎡ rate instead.

use serde::Serialize;

use crate::ledger::amount::{Area, Money};
use crate::ledger::project::Project;
use crate::ledger::revenue::Allocation;
use crate::ledger::shares::Rounding;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShareCalc {
    /// The amount apportioned.
    pub total: Money,
    /// The floor area it is apportioned over (0.01 ㎡).
    pub basis_area: i64,
    /// What that area is, as the key of its words in the theme's `[share_basis]` strings:
    /// `shares_total` (分摊明细面积合计), `vote_scope` (表决范围面积), `compound_floor_area`.
    pub basis: &'static str,
    /// `largest-remainder` or `half-up-last` (the rule of [`Rounding`]).
    pub rule: &'static str,
    /// Yuan per ㎡ in ten-thousandths, rounded half up (use the `price` filter).
    pub rate_per_sqm: i64,
    /// Largest remainder with a known table of shares: the smallest remainder (of total × area
    /// by the basis area) that received an extra fen. A unit whose remainder is above
    /// `cut_out` gets one, below `cut_in` does not.
    pub cut_in: Option<i64>,
    /// The largest remainder that did not receive an extra fen.
    pub cut_out: Option<i64>,
}

fn rule_name(rounding: Rounding) -> &'static str {
    match rounding {
        Rounding::LargestRemainder => "largest-remainder",
        Rounding::HalfUpLastRow => "half-up-last",
    }
}

/// Yuan per ㎡ in ten-thousandths: fen ÷ (0.01 ㎡), ×10⁴, half up.
fn rate(total: Money, basis_area: i64) -> i64 {
    let num = i128::from(total.0) * 10_000;
    let den = i128::from(basis_area);
    ((2 * num + den) / (2 * den)) as i64
}

/// The calculator of a fund project shared by floor area (`apportionment = "按建筑面积分摊"`, the
/// default): over its table of shares when it has one, else over the area of its vote's scope,
/// else — a project without a vote (an emergency repair) whose 列支范围 is the whole compound
/// (`scope = "全小区"`) — over the compound's floor area. None when the project has no cost yet,
/// is shared another way (per household), or has no area to divide by.
pub fn for_project(project: &Project, compound_floor_area: Area) -> Option<ShareCalc> {
    if project.basis() != crate::ledger::project::Basis::FloorArea {
        return None;
    }
    let total = crate::validate::apportionment::apportioned_amount(project)?;
    if total.0 <= 0 {
        return None;
    }
    let rounding: Rounding = project.rounding.into();
    let rows = project
        .shares
        .as_ref()
        .map(|s| s.rows.as_slice())
        .unwrap_or_default();
    let (basis_area, basis) = if !rows.is_empty() {
        (rows.iter().map(|s| s.area.0).sum(), "shares_total")
    } else if let Some(vote) = &project.vote {
        (vote.area.total, "vote_scope")
    } else if project.scope.trim() == "全小区" {
        (compound_floor_area.0, "compound_floor_area")
    } else {
        return None;
    };
    if basis_area <= 0 {
        return None;
    }
    let (cut_in, cut_out) = if rounding == Rounding::LargestRemainder && !rows.is_empty() {
        let areas: Vec<Area> = rows.iter().map(|s| s.area).collect();
        cuts(total, &areas)
    } else {
        (None, None)
    };
    Some(ShareCalc {
        total,
        basis_area,
        basis,
        rule: rule_name(rounding),
        rate_per_sqm: rate(total, basis_area),
        cut_in,
        cut_out,
    })
}

/// Where the largest-remainder rule drew its line among `areas`: (the smallest remainder that got
/// an extra fen, the largest that did not).
fn cuts(total: Money, areas: &[Area]) -> (Option<i64>, Option<i64>) {
    let sum: i128 = areas.iter().map(|a| i128::from(a.0)).sum();
    let shares = crate::ledger::shares::apportion(total, areas, Rounding::LargestRemainder);
    let mut cut_in: Option<i64> = None;
    let mut cut_out: Option<i64> = None;
    for (area, share) in areas.iter().zip(shares) {
        let exact = i128::from(total.0) * i128::from(area.0);
        let remainder = (exact % sum) as i64;
        if i128::from(share.0) > exact / sum {
            cut_in = Some(cut_in.map_or(remainder, |c| c.min(remainder)));
        } else {
            cut_out = Some(cut_out.map_or(remainder, |c| c.max(remainder)));
        }
    }
    (cut_in, cut_out)
}

/// The calculator of a year's net public revenue that goes to the owners by floor area (Civil
/// Code art. 283): credited to the maintenance fund or set off against property fees, over the
/// compound's floor area. The ledger declares no rounding for these; the calculator applies the
/// default rule (largest remainder).
pub fn for_allocation(allocation: Allocation, net: Money, floor_area: Area) -> Option<ShareCalc> {
    if !matches!(allocation, Allocation::Fund | Allocation::FeeOffset)
        || net.0 <= 0
        || floor_area.0 <= 0
    {
        return None;
    }
    Some(ShareCalc {
        total: net,
        basis_area: floor_area.0,
        basis: "compound_floor_area",
        rule: rule_name(Rounding::LargestRemainder),
        rate_per_sqm: rate(net, floor_area.0),
        cut_in: None,
        cut_out: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::shares::apportion;

    /// With the cut, every unit's share follows from its own area alone, as the calculator
    /// computes it.
    #[test]
    fn cut_decides_every_share() {
        let areas: Vec<Area> = [8_912, 12_345, 9_999, 15_001, 8_912, 7_777]
            .into_iter()
            .map(Area)
            .collect();
        let sum: i128 = areas.iter().map(|a| i128::from(a.0)).sum();
        for total in [1, 5, 99, 3_860_000, 123_456_789] {
            let total = Money(total);
            let (cut_in, cut_out) = cuts(total, &areas);
            for (area, want) in
                areas
                    .iter()
                    .zip(apportion(total, &areas, Rounding::LargestRemainder))
            {
                let exact = i128::from(total.0) * i128::from(area.0);
                let (base, rem) = ((exact / sum) as i64, (exact % sum) as i64);
                let extra = match (cut_in, cut_out) {
                    (_, Some(out)) if rem > out => true,
                    (Some(inn), _) if rem < inn => false,
                    (None, _) => false,
                    _ => continue, // a tie at the line: the calculator shows both
                };
                assert_eq!(
                    Money(base + i64::from(extra)),
                    want,
                    "total {total:?} area {area:?}"
                );
            }
        }
    }

    #[test]
    fn rate_is_half_up() {
        // 63,800.00 over 58,230.45 ㎡ = 1.095649… yuan/㎡
        assert_eq!(rate(Money(6_380_000), 5_823_045), 10_956);
    }
}
