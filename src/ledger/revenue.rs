//! `revenue.csv`: income from the compound's common parts (parking, ads, rents, lockers, base
//! stations), the reasonable costs deducted, the net that belongs to the owners (民法典第二百八十二条)
//! and where that net went, with the resolution that decided it.

use std::collections::HashMap;
use std::sync::Arc;

use super::amount::Money;
use super::calendar::When;
use super::{Origin, labelled_enum};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::csv_table::{Column, Subtotals, Table};

labelled_enum!(
    /// Kinds of common-part income.
    Category {
        Parking = "停车" | "停车费" | "车位",
        Advertising = "广告" | "广告费",
        Rent = "场地租赁" | "租赁" | "场地",
        Lockers = "快递柜",
        BaseStation = "基站" | "通信基站",
        Other = "其他",
    }
);

labelled_enum!(
    /// Where the net income went.
    Allocation {
        Fund = "维修资金" | "补充维修资金" | "专项维修资金",
        CommitteeBudget = "业委会经费" | "业主大会和业委会经费",
        FeeOffset = "抵扣物业费" | "抵物业费",
        Undecided = "待业主大会决定" | "待定",
        Other = "其他",
    }
);

pub const SCHEMA: &[Column] = &[
    Column {
        name: "日期",
        aliases: &["date", "期间", "period", "收入日期"],
        money: false,
        required: true,
    },
    Column {
        name: "类别",
        aliases: &["category", "收入类别", "类型"],
        money: false,
        required: true,
    },
    Column {
        name: "项目",
        aliases: &["item", "收入项目", "摘要"],
        money: false,
        required: false,
    },
    Column {
        name: "相对方",
        aliases: &["counterparty", "经营合同相对方", "付款单位"],
        money: false,
        required: false,
    },
    Column {
        name: "收入金额",
        aliases: &["gross", "收入", "金额", "amount"],
        money: true,
        required: true,
    },
    Column {
        name: "合理成本",
        aliases: &["costs", "成本", "扣除成本"],
        money: true,
        required: false,
    },
    Column {
        name: "净收益",
        aliases: &["net", "净收入", "收益"],
        money: true,
        required: false,
    },
    Column {
        name: "去向",
        aliases: &["allocation", "收益去向", "用途"],
        money: false,
        required: true,
    },
    Column {
        name: "决议",
        aliases: &["resolution", "决议依据", "业主大会决议"],
        money: false,
        required: false,
    },
    Column {
        name: "凭证号",
        aliases: &["voucher", "凭证", "凭证编号"],
        money: false,
        required: false,
    },
    Column {
        name: "备注",
        aliases: &["note", "说明"],
        money: false,
        required: false,
    },
];

const WHEN: usize = 0;
const CATEGORY: usize = 1;
const ITEM: usize = 2;
const COUNTERPARTY: usize = 3;
const GROSS: usize = 4;
const COSTS: usize = 5;
const NET: usize = 6;
const ALLOCATION: usize = 7;
const RESOLUTION: usize = 8;
const VOUCHER: usize = 9;
const NOTE: usize = 10;

#[derive(Debug, Clone)]
pub struct RevenueEntry {
    pub when: When,
    pub category: Category,
    pub item: String,
    pub counterparty: String,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
    pub allocation: Allocation,
    pub resolution: String,
    pub voucher: String,
    pub note: String,
    pub origin: Origin,
    /// The 决议 cell (or the row start when the column is absent).
    pub resolution_origin: Origin,
    pub counterparty_origin: Origin,
    pub costs_origin: Origin,
}

pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<RevenueEntry> {
    let Some(table) = Table::read(file, SCHEMA, Subtotals::Verify, diags) else {
        return Vec::new();
    };
    let mut entries = Vec::with_capacity(table.rows.len());
    let mut vouchers: HashMap<String, usize> = HashMap::new();
    let mut repeated: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let when = table.when(row, WHEN, diags);
        let category = table.choice(row, CATEGORY, Category::from_label, Category::LABELS, diags);
        // A correction entry (备注 “冲正 <凭证号>”) may reverse an earlier one with negative amounts.
        let note = table.opt_text(row, NOTE);
        let correction = super::correction_target(&note).is_some();
        let gross = table.money_signed(row, GROSS, correction, diags);
        let costs = table.opt_money_signed(row, COSTS, correction, diags);
        let net = table.opt_money_signed(row, NET, correction, diags);
        let allocation = table.choice(
            row,
            ALLOCATION,
            Allocation::from_label,
            Allocation::LABELS,
            diags,
        );
        let (Some(when), Some(category), Some(gross), Some(costs), Some(net), Some(allocation)) =
            (when, category, gross, costs, net, allocation)
        else {
            continue;
        };
        let costs = costs.unwrap_or(Money::ZERO);
        // Costs are part of the income, with its sign (a reversal takes back both).
        let costs_fit = if gross.is_negative() {
            costs <= Money::ZERO && costs >= gross
        } else {
            costs >= Money::ZERO && costs <= gross
        };
        if !costs_fit {
            diags.push(
                Diagnostic::new("revenue-costs-exceed-gross")
                    .at(file, table.span(row, COSTS))
                    .arg("costs", costs)
                    .arg("gross", gross),
            );
            continue;
        }
        let expected = gross - costs;
        if let Some(net) = net
            && net != expected
        {
            diags.push(
                Diagnostic::new("revenue-net-mismatch")
                    .at(file, table.span(row, NET))
                    .arg("net", net)
                    .arg("gross", gross)
                    .arg("costs", costs)
                    .arg("expected", expected),
            );
            continue;
        }
        let voucher = table.opt_text(row, VOUCHER);
        let line = file.line_col(row.span.start).line;
        // Without a voucher number, the same entry twice is most likely a row pasted twice.
        if voucher.is_empty() {
            let key: Vec<&str> = row
                .cells
                .iter()
                .map(|c| c.as_ref().map_or("", |c| c.text.as_str()))
                .collect();
            if let Some(first) = repeated.insert(key.join("\u{1f}"), line) {
                diags.push(
                    Diagnostic::new("revenue-duplicate-row")
                        .at(file, row.span.clone())
                        .arg("first_line", first),
                );
            }
        }
        if !voucher.is_empty()
            && let Some(first) = vouchers.insert(voucher.clone(), line)
        {
            diags.push(
                Diagnostic::new("revenue-duplicate-voucher")
                    .at(file, table.span(row, VOUCHER))
                    .arg("voucher", &voucher)
                    .arg("first_line", first),
            );
            continue;
        }
        entries.push(RevenueEntry {
            when,
            category,
            item: table.opt_text(row, ITEM),
            counterparty: table.opt_text(row, COUNTERPARTY),
            gross,
            costs,
            net: expected,
            allocation,
            resolution: table.opt_text(row, RESOLUTION),
            voucher,
            note,
            origin: Origin::new(file, row.span.clone()),
            resolution_origin: Origin::new(file, table.span(row, RESOLUTION)),
            counterparty_origin: Origin::new(file, table.span(row, COUNTERPARTY)),
            costs_origin: Origin::new(file, table.span(row, COSTS)),
        });
    }
    entries
}
