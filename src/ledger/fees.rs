//! `fees.csv`: property fees billed and collected per period and building type. Money recovered
//! from earlier periods' arrears is kept apart so that it never inflates a period's collection rate.

use std::collections::HashMap;
use std::sync::Arc;

use super::Origin;
use super::amount::Money;
use super::calendar::Period;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::csv_table::{Column, Subtotals, Table};

pub const SCHEMA: &[Column] = &[
    Column {
        name: "期间",
        aliases: &["period", "会计期间", "月份", "季度"],
        money: false,
        required: true,
    },
    Column {
        name: "建筑类型",
        aliases: &["building_type", "物业类型", "类型"],
        money: false,
        required: true,
    },
    Column {
        name: "应缴户数",
        aliases: &["households_billed", "总户数", "收费户数", "总数量"],
        money: false,
        required: true,
    },
    Column {
        name: "已缴户数",
        aliases: &["households_paid", "缴费户数", "实缴户数", "缴费数量"],
        money: false,
        required: true,
    },
    Column {
        name: "应收金额",
        aliases: &["receivable", "应收", "应收物业费"],
        money: true,
        required: true,
    },
    Column {
        name: "实收金额",
        aliases: &["received", "实收", "实收物业费"],
        money: true,
        required: true,
    },
    Column {
        name: "清欠金额",
        aliases: &["arrears_recovered", "清欠", "收回欠费"],
        money: true,
        required: false,
    },
    Column {
        name: "备注",
        aliases: &["note", "说明"],
        money: false,
        required: false,
    },
];

const PERIOD: usize = 0;
const BUILDING_TYPE: usize = 1;
const BILLED: usize = 2;
const PAID: usize = 3;
const RECEIVABLE: usize = 4;
const RECEIVED: usize = 5;
const ARREARS: usize = 6;
const NOTE: usize = 7;

#[derive(Debug, Clone)]
pub struct FeeRow {
    pub period: Period,
    pub building_type: String,
    pub households_billed: u32,
    pub households_paid: u32,
    pub receivable: Money,
    pub received: Money,
    pub arrears_recovered: Money,
    pub note: String,
    pub origin: Origin,
}

pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<FeeRow> {
    let Some(table) = Table::read(file, SCHEMA, Subtotals::Verify, diags) else {
        return Vec::new();
    };
    let mut rows: Vec<FeeRow> = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<(Period, String), usize> = HashMap::new();
    for row in &table.rows {
        let period = table.period(row, PERIOD, diags);
        let building_type = table.text(row, BUILDING_TYPE, diags);
        let billed = table.count(row, BILLED, diags);
        let paid = table.count(row, PAID, diags);
        let receivable = table.money(row, RECEIVABLE, diags);
        let received = table.money(row, RECEIVED, diags);
        let arrears = table.opt_money(row, ARREARS, diags);
        let (
            Some(period),
            Some(building_type),
            Some(billed),
            Some(paid),
            Some(receivable),
            Some(received),
            Some(arrears),
        ) = (
            period,
            building_type,
            billed,
            paid,
            receivable,
            received,
            arrears,
        )
        else {
            continue;
        };
        if paid > billed {
            diags.push(
                Diagnostic::new("fees-paid-exceeds-billed")
                    .at(file, table.span(row, PAID))
                    .arg("paid", paid)
                    .arg("billed", billed),
            );
        }
        if received > receivable {
            diags.push(
                Diagnostic::new("fees-received-exceeds-receivable")
                    .at(file, table.span(row, RECEIVED))
                    .arg("received", received)
                    .arg("receivable", receivable),
            );
        }
        let line = file.line_col(row.span.start).line;
        if let Some(first) = seen.insert((period, building_type.clone()), line) {
            diags.push(
                Diagnostic::new("fees-duplicate-row")
                    .at(file, table.span(row, PERIOD))
                    .arg("period", period.label())
                    .arg("building_type", &building_type)
                    .arg("first_line", first),
            );
            continue;
        }
        // A year next to its quarters (or a quarter next to its months) bills the same months
        // twice: V3 of the fee ledger is one row per period and building type, without overlap.
        let overlapping = rows.iter().find(|r| {
            r.building_type == building_type
                && r.period.start() <= period.end()
                && period.start() <= r.period.end()
        });
        if let Some(other) = overlapping {
            diags.push(
                Diagnostic::new("fees-period-overlap")
                    .at(file, table.span(row, PERIOD))
                    .arg("period", period.label())
                    .arg("building_type", &building_type)
                    .arg("other", other.period.label())
                    .arg("first_line", file.line_col(other.origin.span.start).line),
            );
            continue;
        }
        rows.push(FeeRow {
            period,
            building_type,
            households_billed: billed,
            households_paid: paid,
            receivable,
            received,
            arrears_recovered: arrears.unwrap_or(Money::ZERO),
            note: table.opt_text(row, NOTE),
            origin: Origin::new(file, row.span.clone()),
        });
    }
    rows
}
