//! `fund.csv`: the special maintenance fund account (专项维修资金) as the bank keeps it — deposits,
//! interest, withdrawals for projects — with declared balances (结存) that act as assertions.

use std::sync::Arc;

use chrono::NaiveDate;

use super::amount::Money;
use super::{Origin, labelled_enum};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::csv_table::{Column, Subtotals, Table};

labelled_enum!(
    /// Kinds of movement on the fund account.
    FundKind {
        Deposit = "交存" | "存入" | "续筹" | "转入",
        Interest = "利息" | "增值收益",
        Withdrawal = "支取" | "使用" | "列支",
        Balance = "结存" | "余额",
    }
);

pub const SCHEMA: &[Column] = &[
    Column {
        name: "日期",
        aliases: &["date"],
        money: false,
        required: true,
    },
    Column {
        name: "类型",
        aliases: &["kind", "类别", "收支类型"],
        money: false,
        required: true,
    },
    Column {
        name: "金额",
        aliases: &["amount", "发生额"],
        money: true,
        required: true,
    },
    Column {
        name: "项目",
        aliases: &["project", "项目编号", "维修项目"],
        money: false,
        required: false,
    },
    Column {
        name: "凭证号",
        aliases: &["voucher", "凭证"],
        money: false,
        required: false,
    },
    Column {
        name: "摘要",
        aliases: &["memo", "说明", "备注"],
        money: false,
        required: false,
    },
];

const DATE: usize = 0;
const KIND: usize = 1;
const AMOUNT: usize = 2;
const PROJECT: usize = 3;
const VOUCHER: usize = 4;
const MEMO: usize = 5;

#[derive(Debug, Clone)]
pub struct FundEntry {
    pub date: NaiveDate,
    pub kind: FundKind,
    pub amount: Money,
    pub project: String,
    pub voucher: String,
    pub memo: String,
    pub origin: Origin,
    /// Span of the amount cell (balance findings point there).
    pub amount_origin: Origin,
    /// Span of the project cell.
    pub project_origin: Origin,
}

/// Reads the rows in file order; ordering by date is the compute stage's job (stable, so rows of
/// the same day keep the order they were written in).
pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<FundEntry> {
    parse_counted(file, diags).0
}

/// [`parse`], and whether every row could be read. A running balance over a ledger with an
/// unreadable row would be off by that row's amount at every later 结存.
pub fn parse_counted(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> (Vec<FundEntry>, bool) {
    let Some(table) = Table::read(file, SCHEMA, Subtotals::Reject, diags) else {
        return (Vec::new(), false);
    };
    let mut entries = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let date = table.date(row, DATE, diags);
        let kind = table.choice(row, KIND, FundKind::from_label, FundKind::LABELS, diags);
        let amount = table.money(row, AMOUNT, diags);
        let (Some(date), Some(kind), Some(amount)) = (date, kind, amount) else {
            continue;
        };
        let project = table.opt_text(row, PROJECT);
        if kind == FundKind::Withdrawal && project.is_empty() {
            diags.push(
                Diagnostic::new("fund-withdrawal-without-project")
                    .at(file, table.span(row, PROJECT)),
            );
        }
        entries.push(FundEntry {
            date,
            kind,
            amount,
            project,
            voucher: table.opt_text(row, VOUCHER),
            memo: table.opt_text(row, MEMO),
            origin: Origin::new(file, row.span.clone()),
            amount_origin: Origin::new(file, table.span(row, AMOUNT)),
            project_origin: Origin::new(file, table.span(row, PROJECT)),
        });
    }
    let complete = entries.len() == table.rows.len();
    (entries, complete)
}
