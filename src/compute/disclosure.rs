//! The disclosures a compound posts on its 公示栏 (notice board): a public-revenue statement per
//! period (each year, and each quarter or half-year of the revenue cadence), each fund project's
//! result and each tender result, with the 公示期 (publicity period) each is posted for and its
//! amounts in figures and in 大写. The print edition renders one A4 page per disclosure.
//!
//! The 公示期 rule (documented in README.md):
//! - a revenue statement is posted from the day after its period ends, for `publicity_days`
//!   (`[rules]`, default 30: 泉州's and several provinces' rules ask for at least 30 days);
//! - a tender result is posted for the dates the tender file gives (`publicity_start`/`_end`);
//!   without them from the award date for `tender_publicity_days` (default 3, 招标投标法实施条例
//!   第五十四条 by analogy);
//! - a fund project's result is posted from the date of the latest notice about the project
//!   (`project = "<id>"` in its front matter) on or after completion; without one from the day
//!   after completion (or after the vote, for a project not completed), for `publicity_days`.
//!
//! Revenue entries belong to the period that contains their date (a period-dated entry to the
//! period's last day), as on the revenue page, so the quarters of a year add up to the year.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::config::{Cadence, Rules};
use crate::ledger::CompoundBooks;
use crate::ledger::amount::{Money, to_chinese_uppercase};
use crate::ledger::calendar::Period;

use super::{AllocationTotal, CategoryTotal, ProjectView, TenderView};

/// Everything the print edition and the revenue-by-period chart need of a compound.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Disclosures {
    /// Whether the print edition is built (config `print_edition`, default true).
    pub enabled: bool,
    /// Revenue totals per statement period, oldest first: the sub-year periods of the cadence
    /// (`kind` "quarter" or "half"), then the years (`kind` "year").
    pub revenue_periods: Vec<RevenuePeriod>,
    /// One printable disclosure each, in the order of the print index.
    pub items: Vec<Disclosure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevenuePeriod {
    /// 2024, 2024Q1, 2024H1.
    pub key: String,
    /// 2024年, 2024年第1季度, 2024年上半年.
    pub label: String,
    pub kind: &'static str,
    pub start: String,
    pub end: String,
    pub entries: usize,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
    pub by_category: Vec<CategoryTotal>,
    pub by_allocation: Vec<AllocationTotal>,
    /// Whether the period had ended by the build date (always, without a build date): only
    /// ended periods get a statement to post.
    pub ended: bool,
    /// The print page's file stem (`revenue-2024Q1`), when there is one.
    pub print: Option<String>,
}

/// A figure in both forms, as payment documents write it.
#[derive(Debug, Clone, Serialize)]
pub struct AmountLine {
    pub label: String,
    pub amount: Money,
    /// 大写: 陆万叁仟捌佰元整.
    pub uppercase: String,
}

impl AmountLine {
    fn new(label: impl Into<String>, amount: Money) -> AmountLine {
        AmountLine {
            label: label.into(),
            amount,
            uppercase: to_chinese_uppercase(amount),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Publicity {
    pub start: String,
    pub end: String,
    pub days: i64,
    /// How the dates were derived, shown in small print.
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disclosure {
    /// The print page's file stem: `revenue-2024`, `project-<id>`, `tender-<id>`.
    pub id: String,
    /// "revenue", "project" or "tender".
    pub kind: &'static str,
    /// The period key, project id or tender id the disclosure is about.
    pub subject: String,
    pub title: String,
    /// What the disclosure covers: a period label, or the project's/tender's dates.
    pub period: String,
    pub publicity: Option<Publicity>,
    pub amounts: Vec<AmountLine>,
    /// The online page it prints, relative to the compound's folder (with a fragment).
    pub online: String,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `days` days from `start`, both counted.
fn publicity(start: NaiveDate, days: i64, rule: String) -> Option<Publicity> {
    let days = days.max(1);
    let end = start.checked_add_days(Days::new(u64::try_from(days - 1).unwrap_or(0)))?;
    Some(Publicity {
        start: day(start),
        end: day(end),
        days,
        rule,
    })
}

/// The sub-year statement period of `cadence` containing `date` (monthly books are stated
/// quarterly on the notice board; yearly books only by year).
fn sub_period(cadence: Cadence, date: NaiveDate) -> Option<Period> {
    let (y, m) = (date.year(), date.month() as u8);
    match cadence {
        Cadence::Monthly | Cadence::Quarterly | Cadence::Off => {
            Some(Period::Quarter(y, (m - 1) / 3 + 1))
        }
        Cadence::HalfYearly => Some(Period::Half(y, if m <= 6 { 1 } else { 2 })),
        Cadence::Yearly => None,
    }
}

fn period_kind(p: Period) -> &'static str {
    match p {
        Period::Year(_) => "year",
        Period::Half(..) => "half",
        Period::Quarter(..) => "quarter",
        Period::Month(..) => "month",
    }
}

struct Totals {
    entries: usize,
    gross: Money,
    costs: Money,
    net: Money,
    categories: BTreeMap<crate::ledger::revenue::Category, CategoryTotal>,
    allocations: BTreeMap<crate::ledger::revenue::Allocation, Money>,
}

fn revenue_periods(books: &CompoundBooks, rules: &Rules) -> Vec<RevenuePeriod> {
    if !books.has_revenue {
        return Vec::new();
    }
    let mut periods: BTreeMap<Period, Totals> = BTreeMap::new();
    for e in &books.revenue {
        let date = e.when.sort_date();
        let year = Period::Year(date.year());
        for p in [sub_period(rules.revenue, date), Some(year)]
            .into_iter()
            .flatten()
        {
            let t = periods.entry(p).or_insert_with(|| Totals {
                entries: 0,
                gross: Money::ZERO,
                costs: Money::ZERO,
                net: Money::ZERO,
                categories: BTreeMap::new(),
                allocations: BTreeMap::new(),
            });
            t.entries += 1;
            t.gross += e.gross;
            t.costs += e.costs;
            t.net += e.net;
            let c = t.categories.entry(e.category).or_insert(CategoryTotal {
                category: e.category,
                gross: Money::ZERO,
                costs: Money::ZERO,
                net: Money::ZERO,
            });
            c.gross += e.gross;
            c.costs += e.costs;
            c.net += e.net;
            *t.allocations.entry(e.allocation).or_default() += e.net;
        }
    }
    let mut out: Vec<RevenuePeriod> = periods
        .into_iter()
        .map(|(p, t)| {
            let ended = rules.today.is_none_or(|today| p.end() < today);
            let printed = ended && rules.print_edition;
            RevenuePeriod {
                key: p.key(),
                label: p.label(),
                kind: period_kind(p),
                start: day(p.start()),
                end: day(p.end()),
                entries: t.entries,
                gross: t.gross,
                costs: t.costs,
                net: t.net,
                by_category: t.categories.into_values().collect(),
                by_allocation: t
                    .allocations
                    .into_iter()
                    .map(|(allocation, net)| AllocationTotal {
                        allocation,
                        net,
                        share_calc: None,
                    })
                    .collect(),
                ended,
                print: printed.then(|| format!("revenue-{}", p.key())),
            }
        })
        .collect();
    // Sub-year periods first (in time order), then the years.
    out.sort_by_key(|p| (p.kind == "year", p.start.clone()));
    out
}

fn revenue_disclosure(p: &RevenuePeriod, rules: &Rules) -> Option<Disclosure> {
    let id = p.print.clone()?;
    let end = crate::ledger::calendar::parse_date(&p.end)?;
    let start = end.succ_opt()?;
    Some(Disclosure {
        id,
        kind: "revenue",
        subject: p.key.clone(),
        title: format!("{}公共收益收支情况公示", p.label),
        period: format!("{}（{} 至 {}）", p.label, p.start, p.end),
        publicity: publicity(
            start,
            rules.publicity_days,
            format!("自期末次日起公示 {} 日", rules.publicity_days.max(1)),
        ),
        amounts: vec![
            AmountLine::new("收入合计", p.gross),
            AmountLine::new("合理成本", p.costs),
            AmountLine::new("净收益", p.net),
        ],
        online: if p.kind == "year" {
            format!("revenue.html#year-{}", p.key)
        } else {
            format!("revenue.html#period-{}", p.key)
        },
    })
}

fn project_disclosure(p: &ProjectView, books: &CompoundBooks, rules: &Rules) -> Disclosure {
    let completed = p
        .completed
        .as_deref()
        .and_then(crate::ledger::calendar::parse_date);
    let vote_end = p
        .vote
        .as_ref()
        .and_then(|v| v.end.as_deref())
        .and_then(crate::ledger::calendar::parse_date);
    let notice = books
        .notices
        .iter()
        .filter(|n| n.project.as_deref() == Some(p.id.as_str()))
        .filter(|n| completed.is_none_or(|c| n.date >= c))
        .map(|n| n.date)
        .max();
    let days = rules.publicity_days;
    let publicity = if let Some(date) = notice {
        publicity(
            date,
            days,
            format!("自项目公告发布之日起公示 {} 日", days.max(1)),
        )
    } else if let Some(start) = completed.and_then(|c| c.succ_opt()) {
        publicity(start, days, format!("自竣工次日起公示 {} 日", days.max(1)))
    } else if let Some(start) = vote_end.and_then(|v| v.succ_opt()) {
        publicity(
            start,
            days,
            format!("自表决结束次日起公示 {} 日", days.max(1)),
        )
    } else {
        None
    };
    let mut amounts = Vec::new();
    if let Some(b) = p.budget {
        amounts.push(AmountLine::new("预算", b));
    }
    if let Some(c) = p.contract_amount {
        amounts.push(AmountLine::new("合同金额", c));
    }
    if let Some(s) = p.settled_cost {
        amounts.push(AmountLine::new("结算金额", s));
    }
    if p.from_fund > Money::ZERO {
        amounts.push(AmountLine::new("从专项维修资金支取", p.from_fund));
    }
    for f in &p.other_funding {
        amounts.push(AmountLine::new(format!("其他资金：{}", f.source), f.amount));
    }
    if let Some(a) = p.apportioned {
        amounts.push(AmountLine::new("由业主分摊", a));
    }
    let period = match (&p.start_date, &p.completed) {
        (Some(s), Some(c)) => format!("施工 {s} 至 {c}"),
        (None, Some(c)) => format!("{c} 竣工"),
        _ => match p.vote.as_ref().and_then(|v| v.end.clone()) {
            Some(end) => format!("{end} 表决结束"),
            None => String::new(),
        },
    };
    Disclosure {
        id: format!("project-{}", p.id),
        kind: "project",
        subject: p.id.clone(),
        title: format!("{}维修资金使用结果公示", p.title),
        period,
        publicity,
        amounts,
        online: format!("projects/{}.html", p.id),
    }
}

fn tender_disclosure(t: &TenderView, rules: &Rules) -> Option<Disclosure> {
    t.winner.as_ref()?;
    let parse = |d: &Option<String>| d.as_deref().and_then(crate::ledger::calendar::parse_date);
    let publicity = match (parse(&t.publicity_start), parse(&t.publicity_end)) {
        (Some(start), Some(end)) if end >= start => Some(Publicity {
            start: day(start),
            end: day(end),
            days: (end - start).num_days() + 1,
            rule: "按招标台账记载的公示日期".to_string(),
        }),
        (Some(start), _) => publicity(
            start,
            rules.tender_publicity_days,
            format!("自公示开始之日起 {} 日", rules.tender_publicity_days.max(1)),
        ),
        _ => parse(&t.awarded).and_then(|awarded| {
            publicity(
                awarded,
                rules.tender_publicity_days,
                format!("自定标之日起公示 {} 日", rules.tender_publicity_days.max(1)),
            )
        }),
    };
    let mut amounts = Vec::new();
    if let Some(q) = t.first_quote {
        amounts.push(AmountLine::new("最初报价", q));
    }
    if let Some(b) = t.budget {
        amounts.push(AmountLine::new("预算（控制价）", b));
    }
    if let Some(f) = t.final_price {
        amounts.push(AmountLine::new(
            if t.contract_amount.is_some() {
                "合同金额"
            } else {
                "中标价"
            },
            f,
        ));
    }
    if let Some(s) = t.saving.as_ref().filter(|s| s.amount > Money::ZERO) {
        amounts.push(AmountLine::new("节省", s.amount));
    }
    Some(Disclosure {
        id: format!("tender-{}", t.id),
        kind: "tender",
        subject: t.id.clone(),
        title: format!("{}结果公示", t.title),
        period: match (&t.opened, &t.awarded) {
            (Some(o), Some(a)) => format!("{o} 开标，{a} 定标"),
            (None, Some(a)) => format!("{a} 定标"),
            _ => String::new(),
        },
        publicity,
        amounts,
        online: format!("tenders/{}.html", t.id),
    })
}

/// The compound's disclosures, from its books and the views already computed.
pub fn build(
    books: &CompoundBooks,
    rules: &Rules,
    projects: &[ProjectView],
    tenders: &[TenderView],
) -> Disclosures {
    let revenue_periods = revenue_periods(books, rules);
    if !rules.print_edition {
        return Disclosures {
            enabled: false,
            revenue_periods,
            items: Vec::new(),
        };
    }
    let mut items: Vec<Disclosure> = revenue_periods
        .iter()
        .filter_map(|p| revenue_disclosure(p, rules))
        .collect();
    items.extend(projects.iter().map(|p| project_disclosure(p, books, rules)));
    items.extend(tenders.iter().filter_map(|t| tender_disclosure(t, rules)));
    Disclosures {
        enabled: true,
        revenue_periods,
        items,
    }
}
