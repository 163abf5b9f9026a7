//! The open-data tables of a compound (fees, public revenue, maintenance fund, fund projects,
//! tenders and their bids, notices, and per-unit shares when the compound publishes them) and the
//! JSON documents of its ledgers, all taken from the figures its pages show.

use serde::Serialize;

use super::table::{Cell, Field, ForeignKey, Kind, Table, Yuan, opt, req};
use crate::compute::{CompoundReport, ProjectView, TenderView};
use crate::ledger::amount::{Area, Money};
use crate::ledger::fund::FundKind;
use crate::ledger::notice::NoticeKind;
use crate::ledger::project::{Matter, Status};
use crate::ledger::revenue::{Allocation, Category};
use crate::ledger::tender::{FundingSource, Method};

/// 2024, 2024H1, 2024Q1 or 2024-03.
const PERIOD: Kind = Kind::Pattern(r"^[0-9]{4}(H[12]|Q[1-4]|-(0[1-9]|1[0-2]))?$");
const SOURCE: Field = req(
    "source",
    "来源",
    Kind::Text,
    "台账文件及行号（content/<小区>/<台账>:<行>），可在台账仓库中核对",
);

const FEES: &[Field] = &[
    req(
        "period",
        "期间",
        PERIOD,
        "收费期间：2024（年）、2024H1（半年）、2024Q1（季度）或 2024-03（月）",
    ),
    req("period_start", "期间起", Kind::Date, "期间的第一天"),
    req("period_end", "期间止", Kind::Date, "期间的最后一天"),
    req(
        "building_type",
        "建筑类型",
        Kind::Text,
        "收费标准对应的建筑类型",
    ),
    req(
        "households_billed",
        "应缴户数",
        Kind::Integer,
        "本期应缴费的户数",
    ),
    req(
        "households_paid",
        "已缴户数",
        Kind::Integer,
        "本期已缴费的户数",
    ),
    req(
        "receivable",
        "应收金额（元）",
        Kind::Yuan,
        "本期应收物业费，人民币元",
    ),
    req(
        "received",
        "实收金额（元）",
        Kind::Yuan,
        "本期实收物业费，人民币元",
    ),
    req(
        "arrears_recovered",
        "清欠金额（元）",
        Kind::Yuan,
        "本期收回的以前期间欠费，人民币元（不计入本期实收）",
    ),
    opt("note", "备注", Kind::Text, "备注"),
    SOURCE,
];

pub fn fees(report: &CompoundReport) -> Option<Table> {
    let fees = report.fees.as_ref()?;
    let rows = fees
        .years
        .iter()
        .rev()
        .flat_map(|y| &y.rows)
        .map(|r| {
            vec![
                Cell::text(&r.period_key),
                Cell::Date(r.period_start.clone()),
                Cell::Date(r.period_end.clone()),
                Cell::text(&r.building_type),
                Cell::Int(i64::from(r.households_billed)),
                Cell::Int(i64::from(r.households_paid)),
                Cell::Yuan(r.receivable),
                Cell::Yuan(r.received),
                Cell::Yuan(r.arrears_recovered),
                Cell::opt_text(&r.note),
                Cell::text(&r.source),
            ]
        })
        .collect();
    Some(Table {
        name: "fees",
        title: format!("{}物业费收缴", report.name),
        description: "每个收费期间、每种建筑类型一行：应缴和已缴户数，应收、实收和清欠金额。"
            .into(),
        fields: FEES,
        primary_key: &["period", "building_type"],
        foreign_keys: &[],
        rows,
    })
}

const REVENUE: &[Field] = &[
    req(
        "when",
        "日期或期间",
        Kind::Text,
        "台账所写的日期（2024-05-01）或期间（2024年第1季度）",
    ),
    req("date_from", "起始日期", Kind::Date, "日期，或期间的第一天"),
    req("date_to", "截止日期", Kind::Date, "日期，或期间的最后一天"),
    req(
        "category",
        "类别",
        Kind::Label(Category::LABELS),
        "收入类别",
    ),
    opt("item", "项目", Kind::Text, "收入项目"),
    opt("counterparty", "付款单位", Kind::Text, "付款单位"),
    req("gross", "收入金额（元）", Kind::Yuan, "收入金额，人民币元"),
    req(
        "costs",
        "合理成本（元）",
        Kind::Yuan,
        "扣除的合理成本，人民币元",
    ),
    req(
        "net",
        "净收益（元）",
        Kind::Yuan,
        "净收益（收入减合理成本），归全体业主共有，人民币元",
    ),
    req(
        "allocation",
        "去向",
        Kind::Label(Allocation::LABELS),
        "净收益的去向",
    ),
    opt("resolution", "决议", Kind::Text, "决定去向的业主大会决议"),
    opt("voucher", "凭证号", Kind::Text, "记账凭证号"),
    opt(
        "correction_of",
        "冲正凭证",
        Kind::Text,
        "本行冲正或调整的凭证号（备注以“冲正”或“调整”开头时）",
    ),
    opt("note", "备注", Kind::Text, "备注"),
    SOURCE,
];

pub fn revenue(report: &CompoundReport) -> Option<Table> {
    let revenue = report.revenue.as_ref()?;
    let rows = revenue
        .years
        .iter()
        .rev()
        .flat_map(|y| &y.entries)
        .map(|e| {
            vec![
                Cell::text(&e.when),
                Cell::Date(e.date_from.clone()),
                Cell::Date(e.date_to.clone()),
                Cell::text(e.category.label()),
                Cell::opt_text(&e.item),
                Cell::opt_text(&e.counterparty),
                Cell::Yuan(e.gross),
                Cell::Yuan(e.costs),
                Cell::Yuan(e.net),
                Cell::text(e.allocation.label()),
                Cell::opt_text(&e.resolution),
                Cell::opt_text(&e.voucher),
                Cell::opt_text(e.correction_of.as_deref().unwrap_or("")),
                Cell::opt_text(&e.note),
                Cell::text(&e.source),
            ]
        })
        .collect();
    Some(Table {
        name: "revenue",
        title: format!("{}公共收益", report.name),
        description: "利用共有部分取得的每笔收入一行：收入、合理成本、净收益及其去向和决议。"
            .into(),
        fields: REVENUE,
        primary_key: &[],
        foreign_keys: &[],
        rows,
    })
}

const FUND: &[Field] = &[
    req("date", "日期", Kind::Date, "记账日期"),
    req(
        "kind",
        "类型",
        Kind::Label(FundKind::LABELS),
        "交存、利息、支取，或结存（对账时声明的余额）",
    ),
    req(
        "amount",
        "金额（元）",
        Kind::Yuan,
        "发生额，人民币元；结存行为声明的余额",
    ),
    req(
        "balance",
        "账面余额（元）",
        Kind::Yuan,
        "本行之后的账面余额，人民币元（按台账逐行计算）",
    ),
    opt("project", "项目编号", Kind::Text, "支取对应的维修项目编号"),
    opt(
        "project_title",
        "项目名称",
        Kind::Text,
        "支取对应的维修项目名称",
    ),
    opt("voucher", "凭证号", Kind::Text, "记账凭证号"),
    opt(
        "correction_of",
        "冲正凭证",
        Kind::Text,
        "本行冲正或调整的凭证号",
    ),
    opt("memo", "摘要", Kind::Text, "摘要"),
    SOURCE,
];

pub fn fund(report: &CompoundReport) -> Option<Table> {
    let fund = report.fund.as_ref()?;
    let rows = fund
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Date(r.date.clone()),
                Cell::text(r.kind.label()),
                Cell::Yuan(r.amount),
                Cell::Yuan(r.balance),
                Cell::opt_text(&r.project),
                Cell::opt_text(&r.project_title),
                Cell::opt_text(&r.voucher),
                Cell::opt_text(r.correction_of.as_deref().unwrap_or("")),
                Cell::opt_text(&r.memo),
                Cell::text(&r.source),
            ]
        })
        .collect();
    Some(Table {
        name: "fund",
        title: format!("{}专项维修资金", report.name),
        description: "维修资金账户的每笔收支（交存、结息、支取）和结存核对一行，附逐行账面余额。"
            .into(),
        fields: FUND,
        primary_key: &[],
        foreign_keys: &[],
        rows,
    })
}

const PROJECTS: &[Field] = &[
    Field {
        unique: true,
        ..req(
            "id",
            "项目编号",
            Kind::Text,
            "项目编号（projects/<编号>.toml）",
        )
    },
    req("title", "项目名称", Kind::Text, "项目名称"),
    req(
        "matter",
        "表决事项",
        Kind::Label(Matter::LABELS),
        "表决事项类别",
    ),
    opt("status", "状态", Kind::Label(Status::LABELS), "项目状态"),
    opt("budget", "预算（元）", Kind::Yuan, "预算，人民币元"),
    opt(
        "contract_amount",
        "合同金额（元）",
        Kind::Yuan,
        "合同金额，人民币元",
    ),
    opt(
        "settled_cost",
        "结算金额（元）",
        Kind::Yuan,
        "结算金额，人民币元",
    ),
    req(
        "from_fund",
        "维修资金支取（元）",
        Kind::Yuan,
        "维修资金台账中本项目的支取合计，人民币元",
    ),
    req(
        "other_funding",
        "其他资金（元）",
        Kind::Yuan,
        "维修资金以外的资金来源合计，人民币元",
    ),
    opt(
        "apportioned",
        "业主分摊（元）",
        Kind::Yuan,
        "由业主分摊的金额（结算或合同金额减其他资金），人民币元",
    ),
    opt("apportionment", "分摊方式", Kind::Text, "分摊方式"),
    opt("contractor", "施工单位", Kind::Text, "施工单位"),
    opt("tender", "招标编号", Kind::Text, "对应的招标编号"),
    opt(
        "plan_published",
        "方案公示日期",
        Kind::Date,
        "使用方案公示日期",
    ),
    opt("vote_end", "表决截止", Kind::Date, "业主表决截止日期"),
    opt(
        "vote_passed",
        "表决通过",
        Kind::Boolean,
        "表决是否通过（按法定双过半或四分之三规则核算）",
    ),
    opt("completed", "完工日期", Kind::Date, "完工日期"),
];

pub fn projects(report: &CompoundReport) -> Option<Table> {
    if report.projects.is_empty() {
        return None;
    }
    let rows = report
        .projects
        .iter()
        .map(|p| {
            let other: Money = p.other_funding.iter().map(|f| f.amount).sum();
            vec![
                Cell::text(&p.id),
                Cell::text(&p.title),
                Cell::text(p.matter.label()),
                p.status.map_or(Cell::Empty, |s| Cell::text(s.label())),
                Cell::opt_yuan(p.budget),
                Cell::opt_yuan(p.contract_amount),
                Cell::opt_yuan(p.settled_cost),
                Cell::Yuan(p.from_fund),
                Cell::Yuan(other),
                Cell::opt_yuan(p.apportioned),
                Cell::opt_text(&p.apportionment),
                Cell::opt_text(&p.contractor),
                Cell::opt_text(p.tender.as_deref().unwrap_or("")),
                Cell::opt_date(&p.plan_published),
                Cell::opt_date(&p.vote.as_ref().and_then(|v| v.end.clone())),
                p.vote
                    .as_ref()
                    .map_or(Cell::Empty, |v| Cell::Bool(v.verdict.passed)),
                Cell::opt_date(&p.completed),
            ]
        })
        .collect();
    Some(Table {
        name: "projects",
        title: format!("{}维修资金使用项目", report.name),
        description:
            "每个维修资金使用项目一行：金额、资金来源、分摊和表决结果（表决明细见 projects.json）。"
                .into(),
        fields: PROJECTS,
        primary_key: &["id"],
        foreign_keys: &[],
        rows,
    })
}

const TENDERS: &[Field] = &[
    Field {
        unique: true,
        ..req(
            "id",
            "招标编号",
            Kind::Text,
            "招标编号（tenders/<编号>.toml）",
        )
    },
    req("title", "招标项目", Kind::Text, "招标项目名称"),
    opt(
        "method",
        "方式",
        Kind::Label(Method::LABELS),
        "选定施工单位的方式",
    ),
    opt(
        "funding",
        "资金来源",
        Kind::Label(FundingSource::LABELS),
        "资金来源",
    ),
    opt("project", "项目编号", Kind::Text, "对应的维修资金使用项目"),
    opt(
        "first_quote",
        "此前报价（元）",
        Kind::Yuan,
        "招标前的报价（如物业公司推荐单位的报价），人民币元",
    ),
    opt(
        "first_quote_by",
        "此前报价单位",
        Kind::Text,
        "给出此前报价的单位",
    ),
    opt("budget", "预算（元）", Kind::Yuan, "预算，人民币元"),
    opt(
        "announced",
        "招标公告日期",
        Kind::Date,
        "发布招标公告的日期",
    ),
    opt("opened", "开标日期", Kind::Date, "开标日期"),
    opt("awarded", "定标日期", Kind::Date, "确定中标单位的日期"),
    opt(
        "publicity_start",
        "公示开始",
        Kind::Date,
        "中标结果公示开始日期",
    ),
    opt(
        "publicity_end",
        "公示结束",
        Kind::Date,
        "中标结果公示结束日期",
    ),
    opt("winner", "中标单位", Kind::Text, "中标单位"),
    opt(
        "winner_reason",
        "选择理由",
        Kind::Text,
        "未选最低价时的理由",
    ),
    req(
        "winner_is_lowest",
        "中标价最低",
        Kind::Boolean,
        "中标单位的报价是否最低",
    ),
    opt(
        "contract_amount",
        "合同金额（元）",
        Kind::Yuan,
        "合同金额，人民币元",
    ),
    opt("contract_date", "合同日期", Kind::Date, "签订合同日期"),
    opt(
        "final_price",
        "成交价（元）",
        Kind::Yuan,
        "合同金额，无合同时为中标报价，人民币元",
    ),
    req("bid_count", "投标单位数", Kind::Integer, "投标单位数"),
    opt(
        "saving",
        "节省（元）",
        Kind::Yuan,
        "此前报价（无则预算）减成交价，人民币元；负数表示更贵",
    ),
];

pub fn tenders(report: &CompoundReport) -> Option<Table> {
    if report.tenders.is_empty() {
        return None;
    }
    let rows = report
        .tenders
        .iter()
        .map(|t| {
            vec![
                Cell::text(&t.id),
                Cell::text(&t.title),
                t.method.map_or(Cell::Empty, |m| Cell::text(m.label())),
                t.funding.map_or(Cell::Empty, |f| Cell::text(f.label())),
                Cell::opt_text(t.project.as_deref().unwrap_or("")),
                Cell::opt_yuan(t.first_quote),
                Cell::opt_text(&t.first_quote_by),
                Cell::opt_yuan(t.budget),
                Cell::opt_date(&t.announced),
                Cell::opt_date(&t.opened),
                Cell::opt_date(&t.awarded),
                Cell::opt_date(&t.publicity_start),
                Cell::opt_date(&t.publicity_end),
                Cell::opt_text(t.winner.as_deref().unwrap_or("")),
                Cell::opt_text(&t.winner_reason),
                Cell::Bool(t.winner_is_lowest),
                Cell::opt_yuan(t.contract_amount),
                Cell::opt_date(&t.contract_date),
                Cell::opt_yuan(t.final_price),
                Cell::Int(t.bids.len() as i64),
                Cell::opt_yuan(t.saving.as_ref().map(|s| s.amount)),
            ]
        })
        .collect();
    Some(Table {
        name: "tenders",
        title: format!("{}招标", report.name),
        description: "每次招标一行：此前报价、预算、各环节日期、中标单位、成交价和节省金额（各单位报价见 bids.csv）。"
            .into(),
        fields: TENDERS,
        primary_key: &["id"],
        foreign_keys: &[],
        rows,
    })
}

const BIDS: &[Field] = &[
    req(
        "tender_id",
        "招标编号",
        Kind::Text,
        "招标编号，对应 tenders.csv 的 id",
    ),
    req("rank", "名次", Kind::Integer, "按报价从低到高的名次"),
    req("bidder", "投标单位", Kind::Text, "投标单位"),
    req("amount", "报价（元）", Kind::Yuan, "投标报价，人民币元"),
    req("is_winner", "中标", Kind::Boolean, "是否中标"),
    req(
        "above_lowest",
        "高于最低价（元）",
        Kind::Yuan,
        "比最低报价高出的金额，人民币元",
    ),
    opt("note", "备注", Kind::Text, "备注"),
];

pub fn bids(report: &CompoundReport) -> Option<Table> {
    if report.tenders.is_empty() {
        return None;
    }
    let rows = report
        .tenders
        .iter()
        .flat_map(|t| {
            t.bids.iter().map(move |b| {
                vec![
                    Cell::text(&t.id),
                    Cell::Int(b.rank as i64),
                    Cell::text(&b.bidder),
                    Cell::Yuan(b.amount),
                    Cell::Bool(b.is_winner),
                    Cell::Yuan(b.above_lowest),
                    Cell::opt_text(&b.note),
                ]
            })
        })
        .collect();
    Some(Table {
        name: "bids",
        title: format!("{}投标报价", report.name),
        description: "每个投标单位的每次报价一行。".into(),
        fields: BIDS,
        primary_key: &["tender_id", "bidder"],
        foreign_keys: &[ForeignKey {
            fields: &["tender_id"],
            resource: "tenders",
            reference: &["id"],
        }],
        rows,
    })
}

const NOTICES: &[Field] = &[
    Field {
        unique: true,
        ..req("id", "编号", Kind::Text, "公告编号（notices/<编号>.md）")
    },
    req("date", "日期", Kind::Date, "发布日期"),
    req("kind", "类别", Kind::Label(NoticeKind::LABELS), "公告类别"),
    req("title", "标题", Kind::Text, "标题"),
    req(
        "page",
        "网页",
        Kind::Text,
        "公告全文网页，相对本小区目录的路径",
    ),
];

pub fn notices(report: &CompoundReport) -> Option<Table> {
    if report.notices.is_empty() {
        return None;
    }
    let rows = report
        .notices
        .iter()
        .map(|n| {
            vec![
                Cell::text(&n.id),
                Cell::Date(n.date.clone()),
                Cell::text(n.kind.label()),
                Cell::text(&n.title),
                Cell::text(format!("notices/{}.html", n.id)),
            ]
        })
        .collect();
    Some(Table {
        name: "notices",
        title: format!("{}公告目录", report.name),
        description: "每份公告、决议、会议纪要一行（新的在前），全文见所链接的网页。".into(),
        fields: NOTICES,
        primary_key: &["id"],
        foreign_keys: &[],
        rows,
    })
}

const SHARES: &[Field] = &[
    req(
        "project_id",
        "项目编号",
        Kind::Text,
        "项目编号，对应 projects.csv 的 id",
    ),
    req("unit", "房号", Kind::Text, "房号（不含业主姓名）"),
    req(
        "area",
        "建筑面积（㎡）",
        Kind::SquareMetres,
        "分摊所用的建筑面积，平方米",
    ),
    req(
        "share",
        "分摊金额（元）",
        Kind::Yuan,
        "本户分摊金额，人民币元",
    ),
];

/// Per-unit shares: unit-level data, only when the compound publishes unit pages.
pub fn shares(report: &CompoundReport) -> Option<Table> {
    if !report.unit_open_data || report.projects.iter().all(|p| p.shares.is_empty()) {
        return None;
    }
    let rows = report
        .projects
        .iter()
        .flat_map(|p| {
            p.shares.iter().map(move |s| {
                vec![
                    Cell::text(&p.id),
                    Cell::text(&s.unit),
                    Cell::Area(Area(s.area)),
                    Cell::Yuan(s.share),
                ]
            })
        })
        .collect();
    Some(Table {
        name: "shares",
        title: format!("{}维修资金分户分摊", report.name),
        description: "每个项目、每户一行的分摊金额（按房号，不含姓名；本小区选择公开分户数据）。"
            .into(),
        fields: SHARES,
        primary_key: &["project_id", "unit"],
        foreign_keys: &[ForeignKey {
            fields: &["project_id"],
            resource: "projects",
            reference: &["id"],
        }],
        rows,
    })
}

// ---------------------------------------------------------------- JSON documents

/// What every JSON document starts with.
#[derive(Serialize)]
pub struct Header<'a> {
    pub compound: CompoundRef<'a>,
    pub ledger: &'a str,
    pub title: &'a str,
    pub currency: &'static str,
    /// How amounts are written.
    pub amounts: &'static str,
    /// The git commit that last changed the compound's ledgers, when in git.
    pub ledger_version: Option<&'a str>,
}

#[derive(Serialize)]
pub struct CompoundRef<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub city: &'a str,
    pub district: &'a str,
    pub community: &'a str,
}

pub const AMOUNTS: &str =
    "人民币元，精确到分，写作带两位小数的 JSON 数字（请用十进制类型读取，勿经浮点数）";

pub fn header<'a>(report: &'a CompoundReport, ledger: &'a str, title: &'a str) -> Header<'a> {
    Header {
        compound: CompoundRef {
            slug: &report.slug,
            name: &report.name,
            city: &report.city,
            district: &report.district,
            community: &report.community,
        },
        ledger,
        title,
        currency: "CNY",
        amounts: AMOUNTS,
        ledger_version: report.ledger_commit.as_deref(),
    }
}

#[derive(Serialize)]
struct FeesDoc<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    rows: super::table::JsonRows<'a>,
    years: Vec<FeeYearDoc<'a>>,
}

#[derive(Serialize)]
struct FeeYearDoc<'a> {
    year: i32,
    receivable: Yuan,
    received: Yuan,
    arrears_recovered: Yuan,
    by_building_type: Vec<FeeTypeDoc<'a>>,
}

#[derive(Serialize)]
struct FeeTypeDoc<'a> {
    building_type: &'a str,
    receivable: Yuan,
    received: Yuan,
    arrears_recovered: Yuan,
}

pub fn fees_json(report: &CompoundReport, table: &Table) -> serde_json::Result<Vec<u8>> {
    let years = report
        .fees
        .iter()
        .flat_map(|f| f.years.iter().rev())
        .map(|y| FeeYearDoc {
            year: y.year,
            receivable: Yuan(y.total.receivable),
            received: Yuan(y.total.received),
            arrears_recovered: Yuan(y.total.arrears_recovered),
            by_building_type: y
                .by_type
                .iter()
                .map(|t| FeeTypeDoc {
                    building_type: &t.building_type,
                    receivable: Yuan(t.receivable),
                    received: Yuan(t.received),
                    arrears_recovered: Yuan(t.arrears_recovered),
                })
                .collect(),
        })
        .collect();
    to_json(&FeesDoc {
        header: header(report, "fees", &table.title),
        rows: table.json_rows(),
        years,
    })
}

#[derive(Serialize)]
struct RevenueDoc<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    rows: super::table::JsonRows<'a>,
    years: Vec<RevenueYearDoc>,
    gross: Yuan,
    costs: Yuan,
    net: Yuan,
}

#[derive(Serialize)]
struct RevenueYearDoc {
    year: i32,
    gross: Yuan,
    costs: Yuan,
    net: Yuan,
    by_category: Vec<CategoryDoc>,
    by_allocation: Vec<AllocationDoc>,
}

#[derive(Serialize)]
struct CategoryDoc {
    category: Category,
    gross: Yuan,
    costs: Yuan,
    net: Yuan,
}

#[derive(Serialize)]
struct AllocationDoc {
    allocation: Allocation,
    net: Yuan,
}

pub fn revenue_json(report: &CompoundReport, table: &Table) -> serde_json::Result<Vec<u8>> {
    let Some(revenue) = &report.revenue else {
        return Ok(Vec::new());
    };
    to_json(&RevenueDoc {
        header: header(report, "revenue", &table.title),
        rows: table.json_rows(),
        years: revenue
            .years
            .iter()
            .rev()
            .map(|y| RevenueYearDoc {
                year: y.year,
                gross: Yuan(y.gross),
                costs: Yuan(y.costs),
                net: Yuan(y.net),
                by_category: y
                    .by_category
                    .iter()
                    .map(|c| CategoryDoc {
                        category: c.category,
                        gross: Yuan(c.gross),
                        costs: Yuan(c.costs),
                        net: Yuan(c.net),
                    })
                    .collect(),
                by_allocation: y
                    .by_allocation
                    .iter()
                    .map(|a| AllocationDoc {
                        allocation: a.allocation,
                        net: Yuan(a.net),
                    })
                    .collect(),
            })
            .collect(),
        gross: Yuan(revenue.gross),
        costs: Yuan(revenue.costs),
        net: Yuan(revenue.net),
    })
}

#[derive(Serialize)]
struct FundDoc<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    rows: super::table::JsonRows<'a>,
    years: Vec<FundYearDoc>,
    deposits: Yuan,
    interest: Yuan,
    withdrawals: Yuan,
    balance: Yuan,
    balance_date: Option<&'a str>,
}

#[derive(Serialize)]
struct FundYearDoc {
    year: i32,
    deposits: Yuan,
    interest: Yuan,
    withdrawals: Yuan,
    closing_balance: Yuan,
}

pub fn fund_json(report: &CompoundReport, table: &Table) -> serde_json::Result<Vec<u8>> {
    let Some(fund) = &report.fund else {
        return Ok(Vec::new());
    };
    to_json(&FundDoc {
        header: header(report, "fund", &table.title),
        rows: table.json_rows(),
        years: fund
            .years
            .iter()
            .rev()
            .map(|y| FundYearDoc {
                year: y.year,
                deposits: Yuan(y.deposits),
                interest: Yuan(y.interest),
                withdrawals: Yuan(y.withdrawals),
                closing_balance: Yuan(y.closing),
            })
            .collect(),
        deposits: Yuan(fund.deposits),
        interest: Yuan(fund.interest),
        withdrawals: Yuan(fund.withdrawals),
        balance: Yuan(fund.balance),
        balance_date: fund.balance_date.as_deref(),
    })
}

#[derive(Serialize)]
struct ProjectsDoc<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    /// Whether per-unit shares are included (only when the compound publishes unit pages).
    unit_shares_included: bool,
    projects: Vec<ProjectDoc<'a>>,
}

#[derive(Serialize)]
struct ProjectDoc<'a> {
    id: &'a str,
    title: &'a str,
    scope: Option<&'a str>,
    matter: Matter,
    emergency_category: Option<&'a str>,
    status: Option<Status>,
    budget: Option<Yuan>,
    contract_amount: Option<Yuan>,
    settled_cost: Option<Yuan>,
    from_fund: Yuan,
    other_funding: Vec<FundingDoc<'a>>,
    funding_total: Yuan,
    apportioned: Option<Yuan>,
    apportionment: Option<&'a str>,
    rounding: &'a str,
    contractor: Option<&'a str>,
    tender: Option<&'a str>,
    plan_published: Option<&'a str>,
    start_date: Option<&'a str>,
    completed: Option<&'a str>,
    vote: Option<VoteDoc<'a>>,
    page: String,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    shares: Option<Vec<ShareDoc<'a>>>,
}

#[derive(Serialize)]
struct FundingDoc<'a> {
    source: &'a str,
    amount: Yuan,
}

#[derive(Serialize)]
struct VoteDoc<'a> {
    start: Option<&'a str>,
    end: Option<&'a str>,
    method: Option<&'a str>,
    /// The rule set and threshold the verdict applies, the counts by area (㎡, exact) and by
    /// owners, and the verdict.
    profile: crate::ledger::project::Profile,
    threshold: crate::compute::vote::Threshold,
    area_m2: DimensionDoc,
    owners: DimensionDoc,
    quorum_met: bool,
    approval_met: bool,
    passed: bool,
}

#[derive(Serialize)]
struct DimensionDoc {
    total: Cell,
    participating: Cell,
    agree: Cell,
    oppose: Cell,
    abstain: Cell,
    deemed_agree: Cell,
    quorum_met: bool,
    approval_met: bool,
}

impl DimensionDoc {
    fn new(d: &crate::compute::vote::DimensionView, area: bool) -> DimensionDoc {
        let cell = |n: i64| {
            if area {
                Cell::Area(Area(n))
            } else {
                Cell::Int(n)
            }
        };
        let opt = |n: Option<i64>| n.map_or(Cell::Empty, cell);
        DimensionDoc {
            total: cell(d.total),
            participating: cell(d.participating),
            agree: cell(d.agree),
            oppose: opt(d.oppose),
            abstain: opt(d.abstain),
            deemed_agree: opt(d.deemed_agree),
            quorum_met: d.quorum_met,
            approval_met: d.approval_met,
        }
    }
}

#[derive(Serialize)]
struct ShareDoc<'a> {
    unit: &'a str,
    area_m2: Cell,
    share: Yuan,
}

fn project_doc(p: &ProjectView, with_shares: bool) -> ProjectDoc<'_> {
    ProjectDoc {
        id: &p.id,
        title: &p.title,
        scope: nonempty(&p.scope),
        matter: p.matter,
        emergency_category: nonempty(&p.emergency_category),
        status: p.status,
        budget: p.budget.map(Yuan),
        contract_amount: p.contract_amount.map(Yuan),
        settled_cost: p.settled_cost.map(Yuan),
        from_fund: Yuan(p.from_fund),
        other_funding: p
            .other_funding
            .iter()
            .map(|f| FundingDoc {
                source: &f.source,
                amount: Yuan(f.amount),
            })
            .collect(),
        funding_total: Yuan(p.funding_total),
        apportioned: p.apportioned.map(Yuan),
        apportionment: nonempty(&p.apportionment),
        rounding: p.rounding,
        contractor: nonempty(&p.contractor),
        tender: p.tender.as_deref(),
        plan_published: p.plan_published.as_deref(),
        start_date: p.start_date.as_deref(),
        completed: p.completed.as_deref(),
        vote: p.vote.as_ref().map(|v| VoteDoc {
            start: v.start.as_deref(),
            end: v.end.as_deref(),
            method: nonempty(&v.method),
            profile: v.verdict.profile,
            threshold: v.verdict.threshold,
            area_m2: DimensionDoc::new(&v.verdict.area, true),
            owners: DimensionDoc::new(&v.verdict.owners, false),
            quorum_met: v.verdict.quorum_met,
            approval_met: v.verdict.approval_met,
            passed: v.verdict.passed,
        }),
        page: format!("projects/{}.html", p.id),
        source: &p.source,
        shares: with_shares.then(|| {
            p.shares
                .iter()
                .map(|s| ShareDoc {
                    unit: &s.unit,
                    area_m2: Cell::Area(Area(s.area)),
                    share: Yuan(s.share),
                })
                .collect()
        }),
    }
}

pub fn projects_json(report: &CompoundReport, title: &str) -> serde_json::Result<Vec<u8>> {
    let with_shares = report.unit_open_data;
    to_json(&ProjectsDoc {
        header: header(report, "projects", title),
        unit_shares_included: with_shares,
        projects: report
            .projects
            .iter()
            .map(|p| project_doc(p, with_shares))
            .collect(),
    })
}

#[derive(Serialize)]
struct TendersDoc<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    tenders: Vec<TenderDoc<'a>>,
}

#[derive(Serialize)]
struct TenderDoc<'a> {
    id: &'a str,
    title: &'a str,
    method: Option<Method>,
    funding: Option<FundingSource>,
    project: Option<&'a str>,
    first_quote: Option<Yuan>,
    first_quote_by: Option<&'a str>,
    budget: Option<Yuan>,
    announced: Option<&'a str>,
    opened: Option<&'a str>,
    awarded: Option<&'a str>,
    publicity_start: Option<&'a str>,
    publicity_end: Option<&'a str>,
    winner: Option<&'a str>,
    winner_reason: Option<&'a str>,
    winner_is_lowest: bool,
    contract_amount: Option<Yuan>,
    contract_date: Option<&'a str>,
    final_price: Option<Yuan>,
    saving: Option<SavingDoc<'a>>,
    bids: Vec<BidDoc<'a>>,
    page: String,
    source: &'a str,
}

#[derive(Serialize)]
struct SavingDoc<'a> {
    /// `first_quote` or `budget`.
    reference_kind: &'a str,
    reference: Yuan,
    final_price: Yuan,
    amount: Yuan,
}

#[derive(Serialize)]
struct BidDoc<'a> {
    rank: usize,
    bidder: &'a str,
    amount: Yuan,
    is_winner: bool,
    above_lowest: Yuan,
    note: Option<&'a str>,
}

fn tender_doc(t: &TenderView) -> TenderDoc<'_> {
    TenderDoc {
        id: &t.id,
        title: &t.title,
        method: t.method,
        funding: t.funding,
        project: t.project.as_deref(),
        first_quote: t.first_quote.map(Yuan),
        first_quote_by: nonempty(&t.first_quote_by),
        budget: t.budget.map(Yuan),
        announced: t.announced.as_deref(),
        opened: t.opened.as_deref(),
        awarded: t.awarded.as_deref(),
        publicity_start: t.publicity_start.as_deref(),
        publicity_end: t.publicity_end.as_deref(),
        winner: t.winner.as_deref(),
        winner_reason: nonempty(&t.winner_reason),
        winner_is_lowest: t.winner_is_lowest,
        contract_amount: t.contract_amount.map(Yuan),
        contract_date: t.contract_date.as_deref(),
        final_price: t.final_price.map(Yuan),
        saving: t.saving.as_ref().map(|s| SavingDoc {
            reference_kind: &s.reference_kind,
            reference: Yuan(s.reference),
            final_price: Yuan(s.final_price),
            amount: Yuan(s.amount),
        }),
        bids: t
            .bids
            .iter()
            .map(|b| BidDoc {
                rank: b.rank,
                bidder: &b.bidder,
                amount: Yuan(b.amount),
                is_winner: b.is_winner,
                above_lowest: Yuan(b.above_lowest),
                note: nonempty(&b.note),
            })
            .collect(),
        page: format!("tenders/{}.html", t.id),
        source: &t.source,
    }
}

pub fn tenders_json(report: &CompoundReport, title: &str) -> serde_json::Result<Vec<u8>> {
    to_json(&TendersDoc {
        header: header(report, "tenders", title),
        tenders: report.tenders.iter().map(tender_doc).collect(),
    })
}

/// An empty text as JSON `null`.
fn nonempty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// Compact JSON with a final newline (data files: about half the size of indented JSON, which
/// matters at the scale of a city's portal).
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Indented JSON with a final newline (descriptions people read).
pub fn to_pretty_json<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}
