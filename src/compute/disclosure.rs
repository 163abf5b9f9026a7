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

use super::{AllocationTotal, CategoryTotal, ProjectView, TenderView, day};

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
    /// What the figure is, as the key of its label in the theme's `[disclosure]` strings
    /// (`amount_<key>`): gross, costs, net, budget, contract, settled, from_fund, other,
    /// apportioned, first_quote, budget_cap, winning, saved.
    pub key: &'static str,
    /// The funding source, for `other`.
    pub detail: Option<String>,
    pub amount: Money,
    /// 大写: 陆万叁仟捌佰元整.
    pub uppercase: String,
}

impl AmountLine {
    fn new(key: &'static str, amount: Money) -> AmountLine {
        AmountLine {
            key,
            detail: None,
            amount,
            uppercase: to_chinese_uppercase(amount),
        }
    }
}

/// What a disclosure covers, as the key of its wording in `[disclosure]` (`when_<kind>`) and the
/// dates it names: `period` (a, b: first and last day), `works` (start, completion),
/// `completed`, `vote_ended`, `opened_awarded`, `awarded`.
#[derive(Debug, Clone, Serialize)]
pub struct When {
    pub kind: &'static str,
    pub a: String,
    pub b: String,
}

fn when(kind: &'static str, a: &str, b: &str) -> Option<When> {
    Some(When {
        kind,
        a: a.to_string(),
        b: b.to_string(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Publicity {
    pub start: String,
    pub end: String,
    pub days: i64,
    /// How the dates were derived, shown in small print: the key of its wording in
    /// `[disclosure]` (`rule_<key>`).
    pub rule: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disclosure {
    /// The print page's file stem: `revenue-2024`, `project-<id>`, `tender-<id>`.
    pub id: String,
    /// "revenue", "project" or "tender".
    pub kind: &'static str,
    /// The period key, project id or tender id the disclosure is about.
    pub subject: String,
    /// The period label (2024年第1季度), project title or tender title the title names.
    pub subject_label: String,
    /// What the disclosure covers: a period, or the project's/tender's dates.
    pub when: Option<When>,
    pub publicity: Option<Publicity>,
    pub amounts: Vec<AmountLine>,
    /// The online page it prints, relative to the compound's folder (with a fragment).
    pub online: String,
}

/// `days` days from `start`, both counted.
fn publicity(start: NaiveDate, days: i64, rule: &'static str) -> Option<Publicity> {
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
            CategoryTotal::add_to(&mut t.categories, e);
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
                        share_bp: AllocationTotal::share_bp(net, t.net),
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
        subject_label: p.label.clone(),
        when: when("period", &p.start, &p.end),
        publicity: publicity(start, rules.publicity_days, "after_period"),
        amounts: vec![
            AmountLine::new("gross", p.gross),
            AmountLine::new("costs", p.costs),
            AmountLine::new("net", p.net),
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
        publicity(date, days, "after_notice")
    } else if let Some(start) = completed.and_then(|c| c.succ_opt()) {
        publicity(start, days, "after_completion")
    } else if let Some(start) = vote_end.and_then(|v| v.succ_opt()) {
        publicity(start, days, "after_vote")
    } else {
        None
    };
    let mut amounts = Vec::new();
    if let Some(b) = p.budget {
        amounts.push(AmountLine::new("budget", b));
    }
    if let Some(c) = p.contract_amount {
        amounts.push(AmountLine::new("contract", c));
    }
    if let Some(s) = p.settled_cost {
        amounts.push(AmountLine::new("settled", s));
    }
    if p.from_fund > Money::ZERO {
        amounts.push(AmountLine::new("from_fund", p.from_fund));
    }
    for f in &p.other_funding {
        amounts.push(AmountLine {
            detail: Some(f.source.to_string()),
            ..AmountLine::new("other", f.amount)
        });
    }
    if let Some(a) = p.apportioned {
        amounts.push(AmountLine::new("apportioned", a));
    }
    let period = match (&p.start_date, &p.completed) {
        (Some(s), Some(c)) => when("works", s, c),
        (None, Some(c)) => when("completed", c, ""),
        _ => match p.vote.as_ref().and_then(|v| v.end.clone()) {
            Some(end) => when("vote_ended", &end, ""),
            None => None,
        },
    };
    Disclosure {
        id: format!("project-{}", p.id),
        kind: "project",
        subject: p.id.clone(),
        subject_label: p.title.clone(),
        when: period,
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
            rule: "tender_file",
        }),
        (Some(start), _) => publicity(start, rules.tender_publicity_days, "from_start"),
        _ => parse(&t.awarded)
            .and_then(|awarded| publicity(awarded, rules.tender_publicity_days, "after_award")),
    };
    let mut amounts = Vec::new();
    if let Some(q) = t.first_quote {
        amounts.push(AmountLine::new("first_quote", q));
    }
    if let Some(b) = t.budget {
        amounts.push(AmountLine::new("budget_cap", b));
    }
    if let Some(f) = t.final_price {
        amounts.push(AmountLine::new(
            if t.contract_amount.is_some() {
                "contract"
            } else {
                "winning"
            },
            f,
        ));
    }
    if let Some(s) = t.saving.as_ref().filter(|s| s.amount > Money::ZERO) {
        amounts.push(AmountLine::new("saved", s.amount));
    }
    Some(Disclosure {
        id: format!("tender-{}", t.id),
        kind: "tender",
        subject: t.id.clone(),
        subject_label: t.title.clone(),
        when: match (&t.opened, &t.awarded) {
            (Some(o), Some(a)) => when("opened_awarded", o, a),
            (None, Some(a)) => when("awarded", a, ""),
            _ => None,
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
