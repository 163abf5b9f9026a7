//! `projects/<id>.csv`: how a fund project's cost is apportioned among the units in its scope
//! (分摊明细): one row per unit with its floor area and its share. Published by unit identifier
//! only, never with names (165号令第三十条 requires the per-household figures; PRIV3).

use std::collections::HashMap;
use std::sync::Arc;

use super::Origin;
use super::amount::{Area, Money};
use super::unit::UnitId;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::csv_table::{Column, Subtotals, Table};

pub const SCHEMA: &[Column] = &[
    Column {
        name: "房号",
        aliases: &["unit", "户号", "房屋", "单元号"],
        money: false,
        required: true,
    },
    Column {
        name: "建筑面积",
        aliases: &["area", "面积", "专有部分面积"],
        money: false,
        required: true,
    },
    Column {
        name: "分摊金额",
        aliases: &["share", "分摊", "应分摊金额"],
        money: true,
        required: true,
    },
    Column {
        name: "业主标识",
        aliases: &["owner_key", "业主编号"],
        money: false,
        required: false,
    },
];

const UNIT: usize = 0;
const AREA: usize = 1;
const SHARE: usize = 2;
const OWNER: usize = 3;

#[derive(Debug, Clone)]
pub struct Share {
    pub unit: UnitId,
    pub area: Area,
    pub share: Money,
    /// A pseudonymous key of the unit's owner (e.g. a salted hash), never a name: units with
    /// the same key have one owner and count once in a vote's headcount (V5).
    pub owner_key: String,
    pub origin: Origin,
    pub share_origin: Origin,
}

/// The apportionment table of one project.
#[derive(Debug, Clone)]
pub struct Shares {
    pub rows: Vec<Share>,
    pub file: Arc<SourceFile>,
}

pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Shares {
    let mut rows = Vec::new();
    if let Some(table) = Table::read(file, SCHEMA, Subtotals::Verify, diags) {
        let mut seen: HashMap<UnitId, usize> = HashMap::new();
        for row in &table.rows {
            let unit_text = table.text(row, UNIT, diags);
            let area = table
                .cell(row, AREA)
                .and_then(|c| match Area::parse(&c.text) {
                    Ok(a) if a.0 > 0 => Some(a),
                    _ => {
                        diags.push(
                            Diagnostic::new("area-invalid")
                                .at(file, c.span.clone())
                                .arg("value", &c.text),
                        );
                        None
                    }
                });
            let share = table.money(row, SHARE, diags);
            let Some(unit_text) = unit_text else { continue };
            let Some(unit) = UnitId::parse(&unit_text) else {
                diags.push(
                    Diagnostic::new("unit-invalid")
                        .at(file, table.span(row, UNIT))
                        .arg("value", &unit_text),
                );
                continue;
            };
            let line = file.line_col(row.span.start).line;
            if let Some(first) = seen.insert(unit.clone(), line) {
                diags.push(
                    Diagnostic::new("unit-duplicate")
                        .at(file, table.span(row, UNIT))
                        .arg("unit", &unit)
                        .arg("first_line", first),
                );
                continue;
            }
            let (Some(area), Some(share)) = (area, share) else {
                continue;
            };
            rows.push(Share {
                unit,
                area,
                share,
                owner_key: table.opt_text(row, OWNER),
                origin: Origin::new(file, row.span.clone()),
                share_origin: Origin::new(file, table.span(row, SHARE)),
            });
        }
    }
    Shares {
        rows,
        file: Arc::clone(file),
    }
}

/// How shares are rounded to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// 最大余额法: every unit gets the floor of its exact share; the remaining fen go one each to
    /// the units with the largest remainders (ties: in file order).
    LargestRemainder,
    /// 四舍五入，尾差计入末户: each share rounded half up; the difference goes to the last row.
    HalfUpLastRow,
}

super::labelled_enum!(
    /// The rounding rule a project declares.
    RoundingLabel { LargestRemainder = "最大余额法" | "largest-remainder", HalfUpLastRow = "四舍五入尾差计入末户" | "round-half-up-last" }
);

impl From<RoundingLabel> for Rounding {
    fn from(label: RoundingLabel) -> Rounding {
        match label {
            RoundingLabel::LargestRemainder => Rounding::LargestRemainder,
            RoundingLabel::HalfUpLastRow => Rounding::HalfUpLastRow,
        }
    }
}

/// The exact apportionment of `total` by `areas` under `rounding`; sums to `total` to the fen.
pub fn apportion(total: Money, areas: &[Area], rounding: Rounding) -> Vec<Money> {
    let sum: i128 = areas.iter().map(|a| i128::from(a.0)).sum();
    if sum == 0 || areas.is_empty() {
        return vec![Money::ZERO; areas.len()];
    }
    let total_fen = i128::from(total.0);
    match rounding {
        Rounding::LargestRemainder => {
            let mut shares: Vec<i128> = Vec::with_capacity(areas.len());
            let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(areas.len());
            for (i, a) in areas.iter().enumerate() {
                let exact = total_fen * i128::from(a.0);
                shares.push(exact / sum);
                remainders.push((exact % sum, i));
            }
            let left = total_fen - shares.iter().sum::<i128>();
            remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, i) in remainders.iter().take(usize::try_from(left).unwrap_or(0)) {
                shares[*i] += 1;
            }
            shares.into_iter().map(|s| Money(s as i64)).collect()
        }
        Rounding::HalfUpLastRow => {
            let mut shares: Vec<i128> = areas
                .iter()
                .map(|a| (2 * total_fen * i128::from(a.0) + sum) / (2 * sum))
                .collect();
            let diff = total_fen - shares.iter().sum::<i128>();
            if let Some(last) = shares.last_mut() {
                *last += diff;
            }
            shares.into_iter().map(|s| Money(s as i64)).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_sums_exactly() {
        let areas = [Area(10_000), Area(10_000), Area(10_000)];
        let shares = apportion(Money(100), &areas, Rounding::LargestRemainder);
        assert_eq!(shares, [Money(34), Money(33), Money(33)]);
        let areas = [Area(8_912), Area(12_345), Area(9_999), Area(15_001)];
        for total in [1, 99, 3_860_000, 123_456_789] {
            for rounding in [Rounding::LargestRemainder, Rounding::HalfUpLastRow] {
                let shares = apportion(Money(total), &areas, rounding);
                assert_eq!(shares.iter().copied().sum::<Money>(), Money(total));
            }
        }
    }
}
