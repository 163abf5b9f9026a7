//! From validated books to the figures residents see: collection rates, revenue totals by year,
//! category and destination, the fund's running balance, vote verdicts, tender savings, and the
//! compound's headline figures. All arithmetic is on integer fen; ratios are integer basis points
//! rounded half up. The result is plain data for the templates (`CompoundReport`) and a small
//! summary for the portal's front page (`CompoundSummary`).

pub mod disclosure;
pub mod feed;
pub mod fund;
pub mod provenance;
pub mod share_calc;
pub mod vote;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ledger::CompoundBooks;
use crate::ledger::amount::{Money, ratio_bp};
use crate::ledger::compound::{Committee, FeeStandard, Management};
use crate::ledger::fund::FundKind;
use crate::ledger::notice::Notice;
use crate::ledger::project::Project;
use crate::ledger::tender::Tender;
use provenance::SourceLines;

/// Dates on the site: 2024-05-01.
pub(crate) fn day(d: NaiveDate) -> String {
    crate::ledger::calendar::iso_date(d)
}

fn opt_day(d: Option<NaiveDate>) -> Option<String> {
    d.map(day)
}

#[derive(Debug, Clone, Serialize)]
pub struct CompoundReport {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub district: String,
    pub street: String,
    pub community: String,
    pub households: u32,
    /// 0.01 ㎡.
    pub floor_area: i64,
    pub management: Management,
    pub self_managed: bool,
    pub property_company: String,
    pub contact: String,
    pub summary: String,
    /// Whether unit-level pages (per-unit shares) are published on the site.
    pub unit_pages_public: bool,
    /// Whether per-unit shares are also in the open data (`unit_open_data = true`).
    pub unit_open_data: bool,
    pub committee: Option<Committee>,
    pub fee_standards: Vec<FeeStandard>,
    pub fees: Option<FeesView>,
    pub revenue: Option<RevenueView>,
    pub fund: Option<FundView>,
    pub projects: Vec<ProjectView>,
    pub tenders: Vec<TenderView>,
    /// Newest first.
    pub notices: Vec<NoticeView>,
    pub headline: Headline,
    /// What the compound posts on its notice board (the print edition).
    pub disclosures: disclosure::Disclosures,
    /// Warnings about this compound's books, shown on its pages (filled in by the pipeline).
    pub findings: Vec<crate::diag::render::SiteFinding>,
    /// Each ledger's revision history from git (filled in by the pipeline when building).
    pub history: Histories,
    /// The git commit that last changed this compound's sources (short), and whether they have
    /// uncommitted changes: the "ledger version" its pages name. Pages of compounds that did not
    /// change stay byte-identical when other compounds are committed.
    #[serde(skip)]
    pub ledger_commit: Option<String>,
    #[serde(skip)]
    pub ledger_dirty: bool,
    /// The newest feed entries once made (with how many were asked for): the compound's feed
    /// and its summary take them from here instead of making them twice.
    #[serde(skip)]
    pub feed_entries: std::sync::OnceLock<(usize, Vec<feed::FeedEntry>)>,
}

/// Revision histories of a compound's CSV ledgers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Histories {
    /// Whether the pages show a revision history section at all (config `ledger_history`).
    pub shown: bool,
    /// Whether the portal's sources are in git at all (the site says so when they are not).
    pub in_git: bool,
    pub fees: Vec<crate::history::log::LedgerRevision>,
    pub revenue: Vec<crate::history::log::LedgerRevision>,
    pub fund: Vec<crate::history::log::LedgerRevision>,
}

/// What the portal's front page needs of a compound, and no more (kept for every compound while
/// the portal is built).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompoundSummary {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub district: String,
    pub community: String,
    pub households: u32,
    pub management: Management,
    pub self_managed: bool,
    pub property_company: String,
    pub headline: Headline,
    pub latest_notices: Vec<NoticeLink>,
    pub finding_count: usize,
    /// The compound's newest feed entries, for the portal's Atom feed.
    pub feed: Vec<feed::FeedEntry>,
}

/// The part of a [`CompoundSummary`] the portal's front and search pages list for every compound
/// (their `compounds`): all of it but the feed entries and notice links, which only the portal's
/// feed and its latest notices read. A city portal's pages put every compound's card into one
/// template context, so what is left out here is left out ten thousand times.
#[derive(Debug, Serialize)]
pub struct CompoundCard<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub city: &'a str,
    pub district: &'a str,
    pub community: &'a str,
    pub households: u32,
    pub management: Management,
    pub self_managed: bool,
    pub property_company: &'a str,
    pub headline: &'a Headline,
    pub finding_count: usize,
}

impl CompoundSummary {
    pub fn card(&self) -> CompoundCard<'_> {
        CompoundCard {
            slug: &self.slug,
            name: &self.name,
            city: &self.city,
            district: &self.district,
            community: &self.community,
            households: self.households,
            management: self.management,
            self_managed: self.self_managed,
            property_company: &self.property_company,
            headline: &self.headline,
            finding_count: self.finding_count,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Headline {
    pub fee_rate: Option<RateFigure>,
    pub revenue_net: Option<YearAmount>,
    pub fund_balance: Option<DatedAmount>,
    /// Sum of positive savings over all tenders.
    pub tender_savings: Money,
    /// The tender that saved the most.
    pub best_tender: Option<TenderHeadline>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateFigure {
    pub year: i32,
    pub bp: i64,
    pub received: Money,
    pub receivable: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YearAmount {
    pub year: i32,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatedAmount {
    pub date: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TenderHeadline {
    pub id: String,
    pub title: String,
    pub saving: Saving,
    pub winner: Option<String>,
    pub bid_count: usize,
    pub first_quote_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeLink {
    pub id: String,
    pub title: String,
    pub date: String,
    pub kind: crate::ledger::notice::NoticeKind,
}

// ---------------------------------------------------------------- fees

#[derive(Debug, Clone, Serialize)]
pub struct FeesView {
    /// Newest year first.
    pub years: Vec<FeeYear>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeeYear {
    pub year: i32,
    pub rows: Vec<FeeRowView>,
    /// One line per building type, then `total`.
    pub by_type: Vec<FeeTotal>,
    pub total: FeeTotal,
    /// The ledger lines the year's totals sum.
    pub source: provenance::LineRanges,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeeRowView {
    pub period: String,
    pub period_key: String,
    /// First and last day of the period (ISO dates, for open data).
    pub period_start: String,
    pub period_end: String,
    pub building_type: String,
    pub households_billed: u32,
    pub households_paid: u32,
    pub household_rate_bp: Option<i64>,
    pub receivable: Money,
    pub received: Money,
    pub rate_bp: Option<i64>,
    pub arrears_recovered: Money,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FeeTotal {
    pub building_type: String,
    pub receivable: Money,
    pub received: Money,
    pub arrears_recovered: Money,
    pub rate_bp: Option<i64>,
}

impl FeeTotal {
    fn add(&mut self, receivable: Money, received: Money, arrears: Money) {
        self.receivable += receivable;
        self.received += received;
        self.arrears_recovered += arrears;
        self.rate_bp = ratio_bp(self.received.0, self.receivable.0);
    }
}

fn fees_view(books: &CompoundBooks) -> Option<FeesView> {
    if !books.has_fees {
        return None;
    }
    let mut rows: Vec<_> = books.fees.iter().collect();
    rows.sort_by(|a, b| (a.period, &a.building_type).cmp(&(b.period, &b.building_type)));
    let mut years: BTreeMap<i32, FeeYear> = BTreeMap::new();
    let mut sources: BTreeMap<i32, SourceLines> = BTreeMap::new();
    for r in rows {
        sources.entry(r.period.year()).or_default().add(&r.origin);
        let year = years.entry(r.period.year()).or_insert_with(|| FeeYear {
            year: r.period.year(),
            rows: Vec::new(),
            by_type: Vec::new(),
            total: FeeTotal {
                building_type: String::new(),
                ..FeeTotal::default()
            },
            source: provenance::LineRanges::default(),
        });
        year.rows.push(FeeRowView {
            period: r.period.label(),
            period_key: r.period.key(),
            period_start: day(r.period.start()),
            period_end: day(r.period.end()),
            building_type: r.building_type.clone(),
            households_billed: r.households_billed,
            households_paid: r.households_paid,
            household_rate_bp: ratio_bp(
                i64::from(r.households_paid),
                i64::from(r.households_billed),
            ),
            receivable: r.receivable,
            received: r.received,
            rate_bp: ratio_bp(r.received.0, r.receivable.0),
            arrears_recovered: r.arrears_recovered,
            note: r.note.clone(),
            source: r.origin.file_line(),
        });
        match year
            .by_type
            .iter_mut()
            .find(|t| t.building_type == r.building_type)
        {
            Some(t) => t.add(r.receivable, r.received, r.arrears_recovered),
            None => {
                let mut t = FeeTotal {
                    building_type: r.building_type.clone(),
                    ..FeeTotal::default()
                };
                t.add(r.receivable, r.received, r.arrears_recovered);
                year.by_type.push(t);
            }
        }
        year.total
            .add(r.receivable, r.received, r.arrears_recovered);
    }
    for y in years.values_mut() {
        y.by_type
            .sort_by(|a, b| a.building_type.cmp(&b.building_type));
        y.source = sources
            .get(&y.year)
            .map(SourceLines::describe)
            .unwrap_or_default();
    }
    Some(FeesView {
        years: years.into_values().rev().collect(),
    })
}

// ---------------------------------------------------------------- revenue

#[derive(Debug, Clone, Serialize)]
pub struct RevenueView {
    /// Newest year first.
    pub years: Vec<RevenueYear>,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevenueYear {
    pub year: i32,
    /// Whether the ledger reaches the year's last quarter (headlines prefer complete years).
    pub complete: bool,
    pub entries: Vec<RevenueEntryView>,
    pub by_category: Vec<CategoryTotal>,
    pub by_allocation: Vec<AllocationTotal>,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
    /// The ledger lines the year's totals sum.
    pub source: provenance::LineRanges,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevenueEntryView {
    pub when: String,
    /// The day, or the first and last day of the period (ISO dates, for open data and feeds).
    pub date_from: String,
    pub date_to: String,
    pub category: crate::ledger::revenue::Category,
    pub item: String,
    pub counterparty: String,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
    pub allocation: crate::ledger::revenue::Allocation,
    pub resolution: String,
    pub voucher: String,
    pub note: String,
    pub source: String,
    /// The voucher this entry corrects, when it is a correction (冲正/调整).
    pub correction_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryTotal {
    pub category: crate::ledger::revenue::Category,
    pub gross: Money,
    pub costs: Money,
    pub net: Money,
}

impl CategoryTotal {
    /// Adds revenue entry `e` to the total of its category in `totals`.
    pub(crate) fn add_to(
        totals: &mut BTreeMap<crate::ledger::revenue::Category, CategoryTotal>,
        e: &crate::ledger::revenue::RevenueEntry,
    ) {
        let c = totals.entry(e.category).or_insert(CategoryTotal {
            category: e.category,
            gross: Money::ZERO,
            costs: Money::ZERO,
            net: Money::ZERO,
        });
        c.gross += e.gross;
        c.costs += e.costs;
        c.net += e.net;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AllocationTotal {
    pub allocation: crate::ledger::revenue::Allocation,
    pub net: Money,
    /// This destination's share of the year's net revenue in basis points (rounded half up like
    /// every percentage of the site), when the year's net is positive and this part is not negative.
    pub share_bp: Option<i64>,
    /// The residents' share calculator, for net revenue that goes to the owners by floor area.
    pub share_calc: Option<share_calc::ShareCalc>,
}

impl AllocationTotal {
    /// `net` as a share of `whole` in basis points, rounded half up; none unless the whole is
    /// positive and this part is not negative.
    pub(crate) fn share_bp(net: Money, whole: Money) -> Option<i64> {
        (whole.0 > 0 && net.0 >= 0)
            .then(|| crate::ledger::amount::ratio_bp(net.0, whole.0))
            .flatten()
    }
}

fn revenue_view(books: &CompoundBooks) -> Option<RevenueView> {
    if !books.has_revenue {
        return None;
    }
    let mut entries: Vec<_> = books.revenue.iter().collect();
    entries.sort_by_key(|e| e.when.sort_date());
    let mut years: BTreeMap<i32, RevenueYear> = BTreeMap::new();
    let mut categories: BTreeMap<i32, BTreeMap<_, CategoryTotal>> = BTreeMap::new();
    let mut allocations: BTreeMap<i32, BTreeMap<_, Money>> = BTreeMap::new();
    let mut sources: BTreeMap<i32, SourceLines> = BTreeMap::new();
    for e in entries {
        let y = e.when.year();
        sources.entry(y).or_default().add(&e.origin);
        let year = years.entry(y).or_insert_with(|| RevenueYear {
            year: y,
            complete: false,
            entries: Vec::new(),
            by_category: Vec::new(),
            by_allocation: Vec::new(),
            gross: Money::ZERO,
            costs: Money::ZERO,
            net: Money::ZERO,
            source: provenance::LineRanges::default(),
        });
        year.complete |= e.when.sort_date().month() >= 10;
        year.gross += e.gross;
        year.costs += e.costs;
        year.net += e.net;
        year.entries.push(RevenueEntryView {
            when: e.when.label(),
            date_from: day(match e.when {
                crate::ledger::calendar::When::Day(d) => d,
                crate::ledger::calendar::When::Period(p) => p.start(),
            }),
            date_to: day(e.when.sort_date()),
            category: e.category,
            item: e.item.clone(),
            counterparty: e.counterparty.clone(),
            gross: e.gross,
            costs: e.costs,
            net: e.net,
            allocation: e.allocation,
            resolution: e.resolution.clone(),
            voucher: e.voucher.clone(),
            note: e.note.clone(),
            source: e.origin.file_line(),
            correction_of: crate::ledger::correction_target(&e.note).map(str::to_string),
        });
        CategoryTotal::add_to(categories.entry(y).or_default(), e);
        *allocations
            .entry(y)
            .or_default()
            .entry(e.allocation)
            .or_default() += e.net;
    }
    for (y, year) in years.iter_mut() {
        year.source = sources
            .get(y)
            .map(SourceLines::describe)
            .unwrap_or_default();
        year.by_category = categories
            .remove(y)
            .unwrap_or_default()
            .into_values()
            .collect();
        let year_net = year.net;
        year.by_allocation = allocations
            .remove(y)
            .unwrap_or_default()
            .into_iter()
            .map(|(allocation, net)| AllocationTotal {
                allocation,
                net,
                share_bp: AllocationTotal::share_bp(net, year_net),
                share_calc: share_calc::for_allocation(allocation, net, books.info.floor_area),
            })
            .collect();
    }
    let years: Vec<RevenueYear> = years.into_values().rev().collect();
    Some(RevenueView {
        gross: years.iter().map(|y| y.gross).sum(),
        costs: years.iter().map(|y| y.costs).sum(),
        net: years.iter().map(|y| y.net).sum(),
        years,
    })
}

// ---------------------------------------------------------------- fund

#[derive(Debug, Clone, Serialize)]
pub struct FundView {
    pub rows: Vec<FundRowView>,
    /// Newest year first.
    pub years: Vec<fund::FundYear>,
    pub balance: Money,
    pub balance_date: Option<String>,
    pub deposits: Money,
    pub interest: Money,
    pub withdrawals: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundRowView {
    pub date: String,
    pub kind: FundKind,
    pub is_balance: bool,
    pub amount: Money,
    pub balance: Money,
    pub project: String,
    pub project_title: String,
    pub voucher: String,
    pub memo: String,
    pub source: String,
    /// The voucher this entry corrects, when it is a correction (冲正/调整).
    pub correction_of: Option<String>,
}

fn fund_view(books: &CompoundBooks) -> Option<FundView> {
    if !books.has_fund {
        return None;
    }
    let running = fund::running_balance(&books.fund);
    let title_of = |id: &str| {
        books
            .projects
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.title.clone())
            .unwrap_or_default()
    };
    let total = |kind: FundKind| -> Money {
        books
            .fund
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.amount)
            .sum()
    };
    let rows = running
        .iter()
        .map(|(e, balance)| FundRowView {
            date: day(e.date),
            kind: e.kind,
            is_balance: e.kind == FundKind::Balance,
            amount: e.amount,
            balance: *balance,
            project: e.project.clone(),
            project_title: title_of(&e.project),
            voucher: e.voucher.clone(),
            memo: e.memo.clone(),
            source: e.origin.file_line(),
            correction_of: crate::ledger::correction_target(&e.memo).map(str::to_string),
        })
        .collect();
    Some(FundView {
        rows,
        years: fund::yearly(&running),
        balance: running.last().map(|(_, b)| *b).unwrap_or_default(),
        balance_date: running.last().map(|(e, _)| day(e.date)),
        deposits: total(FundKind::Deposit),
        interest: total(FundKind::Interest),
        withdrawals: total(FundKind::Withdrawal),
    })
}

// ---------------------------------------------------------------- projects

#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub id: String,
    pub title: String,
    pub scope: String,
    pub matter: crate::ledger::project::Matter,
    pub emergency: bool,
    pub emergency_category: String,
    pub budget: Option<Money>,
    pub apportionment: String,
    pub contractor: String,
    pub tender: Option<String>,
    pub tender_title: Option<String>,
    pub contract_amount: Option<Money>,
    pub settled_cost: Option<Money>,
    pub from_fund: Money,
    pub other_funding: Vec<FundingView>,
    pub funding_total: Money,
    pub plan_published: Option<String>,
    pub start_date: Option<String>,
    pub completed: Option<String>,
    pub status: Option<crate::ledger::project::Status>,
    pub description: String,
    pub vote: Option<VoteView>,
    pub source: String,
    /// What the owners carry: the settled (or contracted) cost less other funding.
    pub apportioned: Option<Money>,
    pub rounding: &'static str,
    /// Per-unit shares (unit-level data: published on a separate `noindex` page, or print only).
    pub shares: Vec<ShareView>,
    /// 0.01 ㎡.
    pub shares_area: i64,
    /// Yuan per ㎡ in ten-thousandths (use the `price` filter): what one ㎡ of floor area carries.
    pub rate_per_sqm: Option<i64>,
    /// The residents' share calculator (amount, area basis, rounding rule).
    pub share_calc: Option<share_calc::ShareCalc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub unit: String,
    pub area: i64,
    pub share: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundingView {
    pub source: String,
    pub amount: Money,
    pub share_bp: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VoteView {
    pub start: Option<String>,
    pub end: Option<String>,
    pub method: String,
    pub verdict: vote::Verdict,
}

fn project_view(
    rules: &crate::config::Rules,
    p: &Project,
    books: &CompoundBooks,
    withdrawn: &BTreeMap<&str, Money>,
) -> ProjectView {
    let from_fund = withdrawn.get(p.id.as_str()).copied().unwrap_or_default();
    let other: Money = p.funding.iter().map(|f| f.amount).sum();
    let funding_total = from_fund + other;
    let tender = p.tender.as_ref().map(|(id, _)| id.clone());
    let tender_title = tender
        .as_ref()
        .and_then(|id| books.tenders.iter().find(|t| &t.id == id))
        .map(|t| t.title.clone());
    let shares = p
        .shares
        .as_ref()
        .map(|s| s.rows.as_slice())
        .unwrap_or_default();
    let shares_area: i64 = shares.iter().map(|s| s.area.0).sum();
    ProjectView {
        id: p.id.clone(),
        title: p.title.clone(),
        scope: p.scope.clone(),
        matter: p.matter,
        emergency: p.matter == crate::ledger::project::Matter::Emergency,
        emergency_category: p.emergency_category.clone(),
        budget: p.budget,
        apportionment: p.apportionment.clone(),
        contractor: p.contractor.clone(),
        tender,
        tender_title,
        contract_amount: p.contract_amount,
        settled_cost: p.settled_cost,
        from_fund,
        other_funding: p
            .funding
            .iter()
            .map(|f| FundingView {
                source: f.source.clone(),
                amount: f.amount,
                share_bp: ratio_bp(f.amount.0, funding_total.0),
            })
            .collect(),
        funding_total,
        plan_published: opt_day(p.plan_published),
        start_date: opt_day(p.start_date),
        completed: opt_day(p.completed),
        status: p.status,
        description: p.description.clone(),
        vote: p.vote.as_ref().map(|v| VoteView {
            start: opt_day(v.start),
            end: opt_day(v.end),
            method: v.method.clone(),
            verdict: vote::judge(v, p.matter, v.profile.unwrap_or(rules.default_profile)),
        }),
        source: p.origin.file.display_path.clone(),
        apportioned: crate::validate::apportionment::apportioned_amount(p),
        rounding: p.rounding.label(),
        shares: shares
            .iter()
            .map(|s| ShareView {
                unit: s.unit.to_string(),
                area: s.area.0,
                share: s.share,
            })
            .collect(),
        shares_area,
        // Only a split by floor area has a rate per ㎡ (按户均摊 is so much per unit).
        rate_per_sqm: crate::validate::apportionment::apportioned_amount(p)
            .filter(|_| shares_area > 0 && p.basis() == crate::ledger::project::Basis::FloorArea)
            .map(|m| {
                let num = i128::from(m.0) * 10_000;
                let den = i128::from(shares_area);
                ((2 * num + den) / (2 * den)) as i64
            }),
        share_calc: share_calc::for_project(p, books.info.floor_area),
    }
}

// ---------------------------------------------------------------- tenders

#[derive(Debug, Clone, Serialize)]
pub struct TenderView {
    pub id: String,
    pub title: String,
    pub funding: Option<crate::ledger::tender::FundingSource>,
    pub method: Option<crate::ledger::tender::Method>,
    pub project: Option<String>,
    pub project_title: Option<String>,
    pub first_quote: Option<Money>,
    pub first_quote_by: String,
    pub budget: Option<Money>,
    pub announced: Option<String>,
    pub opened: Option<String>,
    pub awarded: Option<String>,
    pub publicity_start: Option<String>,
    pub publicity_end: Option<String>,
    pub publicity_days: Option<i64>,
    pub winner: Option<String>,
    pub winner_reason: String,
    pub winner_is_lowest: bool,
    pub contract_amount: Option<Money>,
    pub contract_date: Option<String>,
    /// Sorted by amount, lowest first.
    pub bids: Vec<BidView>,
    pub lowest: Option<Money>,
    pub highest: Option<Money>,
    pub final_price: Option<Money>,
    pub saving: Option<Saving>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BidView {
    pub rank: usize,
    pub bidder: String,
    pub amount: Money,
    pub is_winner: bool,
    pub above_lowest: Money,
    pub note: String,
}

/// What a tender saved against the price before it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saving {
    /// "first_quote" or "budget".
    pub reference_kind: String,
    pub reference: Money,
    pub final_price: Money,
    /// Negative when the tender came out dearer.
    pub amount: Money,
    pub bp: Option<i64>,
}

fn tender_view(t: &Tender, books: &CompoundBooks) -> TenderView {
    let mut bids: Vec<_> = t.bids.iter().collect();
    bids.sort_by(|a, b| (a.amount, &a.bidder).cmp(&(b.amount, &b.bidder)));
    let lowest = bids.first().map(|b| b.amount);
    let winning_bid = t
        .winner
        .as_ref()
        .and_then(|w| t.bids.iter().find(|b| &b.bidder == w))
        .map(|b| b.amount);
    let final_price = t.contract_amount.or(winning_bid);
    let reference = t
        .first_quote
        .map(|q| ("first_quote", q))
        .or_else(|| t.budget.map(|b| ("budget", b)));
    let saving = match (reference, final_price) {
        (Some((kind, reference)), Some(final_price)) => Some(Saving {
            reference_kind: kind.to_string(),
            reference,
            final_price,
            amount: reference - final_price,
            bp: ratio_bp((reference - final_price).0, reference.0),
        }),
        _ => None,
    };
    let project = t.project.as_ref().map(|(id, _)| id.clone());
    let project_title = project
        .as_ref()
        .and_then(|id| books.projects.iter().find(|p| &p.id == id))
        .map(|p| p.title.clone());
    TenderView {
        id: t.id.clone(),
        title: t.title.clone(),
        funding: t.funding,
        method: t.method,
        project,
        project_title,
        first_quote: t.first_quote,
        first_quote_by: t.first_quote_by.clone(),
        budget: t.budget,
        announced: opt_day(t.announced),
        opened: opt_day(t.opened),
        awarded: opt_day(t.awarded),
        publicity_start: opt_day(t.publicity_start),
        publicity_end: opt_day(t.publicity_end),
        publicity_days: match (t.publicity_start, t.publicity_end) {
            (Some(s), Some(e)) => Some((e - s).num_days() + 1),
            _ => None,
        },
        winner: t.winner.clone(),
        winner_reason: t.winner_reason.clone(),
        winner_is_lowest: winning_bid.is_some() && winning_bid == lowest,
        contract_amount: t.contract_amount,
        contract_date: opt_day(t.contract_date),
        bids: bids
            .iter()
            .enumerate()
            .map(|(i, b)| BidView {
                rank: i + 1,
                bidder: b.bidder.clone(),
                amount: b.amount,
                is_winner: t.winner.as_ref() == Some(&b.bidder),
                above_lowest: b.amount - lowest.unwrap_or_default(),
                note: b.note.clone(),
            })
            .collect(),
        lowest,
        highest: bids.last().map(|b| b.amount),
        final_price,
        saving,
        source: t.origin.file.display_path.clone(),
    }
}

// ---------------------------------------------------------------- notices

#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub id: String,
    pub title: String,
    pub date: String,
    pub kind: crate::ledger::notice::NoticeKind,
    pub body_markdown: String,
    pub source: String,
}

fn notice_view(n: &Notice) -> NoticeView {
    NoticeView {
        id: n.id.clone(),
        title: n.title.clone(),
        date: day(n.date),
        kind: n.kind,
        body_markdown: n.body_markdown.clone(),
        source: n.origin.file.display_path.clone(),
    }
}

// ---------------------------------------------------------------- the report

pub fn report(books: &CompoundBooks, rules: &crate::config::Rules) -> CompoundReport {
    let withdrawn = fund::withdrawals_by_project(&books.fund);
    let fees = fees_view(books);
    let revenue = revenue_view(books);
    let fund = fund_view(books);
    let mut projects: Vec<ProjectView> = books
        .projects
        .iter()
        .map(|p| project_view(rules, p, books, &withdrawn))
        .collect();
    projects.sort_by(|a, b| {
        (b.vote.as_ref().and_then(|v| v.end.clone()), &a.id)
            .cmp(&(a.vote.as_ref().and_then(|v| v.end.clone()), &b.id))
    });
    let mut tenders: Vec<TenderView> = books
        .tenders
        .iter()
        .map(|t| tender_view(t, books))
        .collect();
    tenders.sort_by(|a, b| (&b.awarded, &a.id).cmp(&(&a.awarded, &b.id)));
    let mut notices: Vec<NoticeView> = books.notices.iter().map(notice_view).collect();
    notices.sort_by(|a, b| (&b.date, &a.id).cmp(&(&a.date, &b.id)));

    let headline = Headline {
        fee_rate: fees.as_ref().and_then(|f| f.years.first()).and_then(|y| {
            y.total.rate_bp.map(|bp| RateFigure {
                year: y.year,
                bp,
                received: y.total.received,
                receivable: y.total.receivable,
            })
        }),
        revenue_net: revenue
            .as_ref()
            .and_then(|r| r.years.iter().find(|y| y.complete).or(r.years.first()))
            .map(|y| YearAmount {
                year: y.year,
                amount: y.net,
            }),
        fund_balance: fund.as_ref().and_then(|f| {
            f.balance_date.clone().map(|date| DatedAmount {
                date,
                amount: f.balance,
            })
        }),
        tender_savings: tenders
            .iter()
            .filter_map(|t| t.saving.as_ref())
            .filter(|s| s.amount > Money::ZERO)
            .map(|s| s.amount)
            .sum(),
        best_tender: tenders
            .iter()
            .filter_map(|t| t.saving.as_ref().map(|s| (t, s)))
            .filter(|(_, s)| s.amount > Money::ZERO)
            .max_by(|(ta, a), (tb, b)| a.amount.cmp(&b.amount).then_with(|| tb.id.cmp(&ta.id)))
            .map(|(t, s)| TenderHeadline {
                id: t.id.clone(),
                title: t.title.clone(),
                saving: s.clone(),
                winner: t.winner.clone(),
                bid_count: t.bids.len(),
                first_quote_by: t.first_quote_by.clone(),
            }),
    };
    let disclosures = disclosure::build(books, rules, &projects, &tenders);
    let info = &books.info;
    CompoundReport {
        slug: books.slug.clone(),
        name: info.name.clone(),
        city: info.city.clone(),
        district: info.district.clone(),
        street: info.street.clone(),
        community: info.community.clone(),
        households: info.households,
        floor_area: info.floor_area.0,
        management: info.management,
        self_managed: info.management == Management::SelfManaged,
        property_company: info.property_company.clone(),
        contact: info.contact.clone(),
        summary: info.summary.clone(),
        unit_pages_public: info.unit_pages == crate::ledger::compound::UnitPages::Public,
        unit_open_data: info.unit_open_data,
        committee: info.committee.clone(),
        fee_standards: info.fee_standards.clone(),
        fees,
        revenue,
        fund,
        projects,
        tenders,
        notices,
        headline,
        disclosures,
        findings: Vec::new(),
        history: Histories::default(),
        ledger_commit: None,
        ledger_dirty: false,
        feed_entries: std::sync::OnceLock::new(),
    }
}

impl CompoundReport {
    pub fn summary(&self) -> CompoundSummary {
        CompoundSummary {
            slug: self.slug.clone(),
            name: self.name.clone(),
            city: self.city.clone(),
            district: self.district.clone(),
            community: self.community.clone(),
            households: self.households,
            management: self.management,
            self_managed: self.self_managed,
            property_company: self.property_company.clone(),
            headline: self.headline.clone(),
            latest_notices: self
                .notices
                .iter()
                .take(3)
                .map(|n| NoticeLink {
                    id: n.id.clone(),
                    title: n.title.clone(),
                    date: n.date.clone(),
                    kind: n.kind,
                })
                .collect(),
            finding_count: self.findings.len(),
            feed: {
                // `entries` collects every candidate before keeping the newest few: without
                // shrinking, each summary would keep room for all of them (some 25 KB).
                let mut feed = feed::entries(self, feed::PORTAL_ENTRIES_PER_COMPOUND);
                feed.shrink_to_fit();
                feed
            },
        }
    }
}
