//! `projects/<id>.toml`: a maintenance-fund project — scope (列支范围), budget, the owners' vote,
//! contractor, settled cost and how it is apportioned — and money from other sources.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::amount::{Area, Money};
use super::shares::{RoundingLabel, Shares};
use super::{Origin, labelled_enum};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::toml_doc::{self, Fields, RawValue, opt_text};

labelled_enum!(
    /// The matter the owners decide (民法典第二百七十八条), or an emergency repair.
    Matter {
        UseFund = "使用维修资金",
        RaiseFund = "筹集维修资金",
        Rebuild = "改建重建",
        ChangeUse = "改变用途或经营" | "改变共有部分用途" | "利用共有部分经营",
        Emergency = "应急维修" | "紧急维修",
    }
);

labelled_enum!(
    /// The rule set a vote is judged by: 民法典第二百七十八条 (quorum of two thirds, approval among
    /// participants; the default) or 住宅专项维修资金管理办法（165号令）第二十二条 (two thirds of the
    /// total agree), still applied by some fund centres.
    Profile {
        CivilCode = "民法典278" | "民法典" | "minfadian-278",
        Legacy165 = "165号令" | "165-legacy-double-two-thirds-of-total",
    }
);

labelled_enum!(
    /// What kind of cost a project is (住宅专项维修资金管理办法第二十五条 lists the costs the fund
    /// must not bear: the builder's warranty, utilities' lines, damage someone caused, and
    /// maintenance the property-service contract already pays for).
    CostNature {
        CommonParts = "共用部位维修" | "共用设施维修",
        Warranty = "保修期内" | "开发建设单位保修",
        Utility = "管线单位负责" | "专业经营单位负责",
        Damage = "人为损坏",
        ServiceContract = "物业合同约定" | "日常维护",
    }
);

labelled_enum!(
    /// Where a project stands.
    Status {
        Publicised = "公示中",
        Voting = "表决中",
        Approved = "已通过",
        InProgress = "施工中",
        Completed = "已完工",
        Rejected = "未通过",
    }
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    title: Option<Spanned<String>>,
    scope: Option<Spanned<String>>,
    matter: Option<Spanned<String>>,
    emergency_category: Option<Spanned<String>>,
    budget: Option<RawValue>,
    apportionment: Option<Spanned<String>>,
    contractor: Option<Spanned<String>>,
    tender: Option<Spanned<String>>,
    contract_amount: Option<RawValue>,
    settled_cost: Option<RawValue>,
    plan_published: Option<RawValue>,
    start_date: Option<RawValue>,
    completed: Option<RawValue>,
    status: Option<Spanned<String>>,
    rounding: Option<Spanned<String>>,
    cost_nature: Option<Spanned<String>>,
    description: Option<String>,
    vote: Option<Spanned<RawVote>>,
    #[serde(default)]
    funding: Vec<Spanned<RawFunding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVote {
    profile: Option<Spanned<String>>,
    start: Option<RawValue>,
    end: Option<RawValue>,
    method: Option<String>,
    total_area: Option<RawValue>,
    total_owners: Option<RawValue>,
    participating_area: Option<RawValue>,
    participating_owners: Option<RawValue>,
    agree_area: Option<RawValue>,
    agree_owners: Option<RawValue>,
    deemed_agree_area: Option<RawValue>,
    deemed_agree_owners: Option<RawValue>,
    oppose_area: Option<RawValue>,
    oppose_owners: Option<RawValue>,
    abstain_area: Option<RawValue>,
    abstain_owners: Option<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunding {
    source: Option<Spanned<String>>,
    amount: Option<RawValue>,
}

/// Counts on one dimension of a vote (area in 0.01 ㎡, or owners).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Tally {
    pub total: i64,
    pub participating: i64,
    pub agree: i64,
    pub oppose: Option<i64>,
    pub abstain: Option<i64>,
    /// Counts a 议事规则 deems to agree (non-voters counted with the majority): shown beside the
    /// raw counts, never merged into them; verdicts use raw counts only.
    pub deemed_agree: Option<i64>,
    /// Whether total, participating and agree could all be read. An unreadable one has its own
    /// finding; the checks that would take it for 0 are skipped rather than add false ones.
    #[serde(skip)]
    pub readable: bool,
}

#[derive(Debug, Clone)]
pub struct Vote {
    /// The rule profile the vote declares; the portal's default applies when it names none.
    pub profile: Option<Profile>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub method: String,
    pub area: Tally,
    pub owners: Tally,
    pub origin: Origin,
}

/// How a project's cost is split among the units, from its free-text `apportionment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// 按建筑面积分摊 (the default, and the law's rule).
    FloorArea,
    /// 按户均摊: an equal share per unit.
    PerUnit,
    /// Any other agreed basis, described in the project's text.
    Other,
}

impl Project {
    pub fn basis(&self) -> Basis {
        match self.apportionment.as_str() {
            "按建筑面积分摊" => Basis::FloorArea,
            "按户均摊" => Basis::PerUnit,
            _ => Basis::Other,
        }
    }
}

impl Vote {
    /// Each dimension with its counts.
    pub fn dimensions(&self) -> [(Dimension, &Tally); 2] {
        [
            (Dimension::Area, &self.area),
            (Dimension::Owners, &self.owners),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct Funding {
    pub source: String,
    pub amount: Money,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub title: String,
    pub scope: String,
    pub matter: Matter,
    pub emergency_category: String,
    pub budget: Option<Money>,
    pub apportionment: String,
    pub contractor: String,
    pub tender: Option<(String, Origin)>,
    pub contract_amount: Option<Money>,
    pub settled_cost: Option<Money>,
    pub settled_origin: Option<Origin>,
    pub plan_published: Option<NaiveDate>,
    pub start_date: Option<NaiveDate>,
    pub completed: Option<NaiveDate>,
    pub status: Option<Status>,
    pub description: String,
    pub vote: Option<Vote>,
    pub funding: Vec<Funding>,
    pub origin: Origin,
    /// The `title` value (findings about the whole project point here).
    pub title_origin: Origin,
    /// The `start_date` value, when given.
    pub start_origin: Option<Origin>,
    pub contractor_origin: Option<Origin>,
    /// How shares are rounded to the fen (default: largest remainder).
    pub rounding: RoundingLabel,
    pub cost_nature: CostNature,
    pub cost_nature_origin: Option<Origin>,
    /// The apportionment table, from projects/<id>.csv (attached by the loader).
    pub shares: Option<Shares>,
}

/// The two dimensions every vote is counted in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Area,
    Owners,
}

impl Dimension {
    fn read(self, f: &mut Fields, raw: &Option<RawValue>, name: &str) -> Option<i64> {
        match self {
            Dimension::Area => f.area(raw, name).map(|a| a.0),
            Dimension::Owners => f.count(raw, name).map(i64::from),
        }
    }

    pub fn show(self, n: i64) -> String {
        match self {
            Dimension::Area => Area(n).to_display_string(),
            Dimension::Owners => n.to_string(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Area => "面积",
            Dimension::Owners => "人数",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Dimension::Area => "area",
            Dimension::Owners => "owners",
        }
    }
}

/// Reads one dimension's counts: `fields` are the keys of total, participating, agree, oppose and
/// abstain; the first three are required.
fn parse_tally(
    f: &mut Fields,
    dimension: Dimension,
    fields: [(&Option<RawValue>, &str); 6],
    at: usize,
) -> Tally {
    let mut values = [None; 6];
    for (i, (raw, name)) in fields.iter().enumerate() {
        if raw.is_none() && i < 3 {
            f.missing(name, at);
        }
        values[i] = dimension.read(f, raw, name);
    }
    let tally = Tally {
        total: values[0].unwrap_or(0),
        participating: values[1].unwrap_or(0),
        agree: values[2].unwrap_or(0),
        oppose: values[3],
        abstain: values[4],
        deemed_agree: values[5],
        readable: values[..3].iter().all(Option::is_some),
    };
    // A finding at field `i`, naming the dimension and showing each count in its unit.
    let report =
        |f: &mut Fields, code: &'static str, i: usize, counts: [(&'static str, i64); 2]| {
            let span = fields[i].0.as_ref().map(|r| f.span(r)).unwrap_or(at..at);
            let mut finding = Diagnostic::new(code)
                .at(f.file, span)
                .arg("dimension", dimension.label())
                .arg("dimension_en", dimension.label_en());
            for (name, count) in counts {
                finding = finding.arg(name, dimension.show(count));
            }
            f.diags.push(finding);
        };
    // Checks between counts only when the counts involved could be read: an unreadable value has
    // its own finding, and taking it for 0 would only add false ones.
    if let (Some(total), Some(participating)) = (values[0], values[1])
        && participating > total
    {
        report(
            f,
            "vote-count-exceeds-total",
            1,
            [("participating", participating), ("total", total)],
        );
    }
    // agree + oppose + abstain = participating is checked when all three are given (V6,
    // `fund-vote-tally`); with some left out, the ones given must still fit in.
    if let (Some(participating), Some(agree)) = (values[1], values[2])
        && (values[3].is_none() || values[4].is_none())
    {
        let sum = agree + values[3].unwrap_or(0) + values[4].unwrap_or(0);
        if sum > participating {
            report(
                f,
                "vote-parts-exceed-participating",
                2,
                [("sum", sum), ("participating", participating)],
            );
        }
    }
    // Deemed votes are those of owners who did not vote: at most total − participating.
    if let (Some(total), Some(participating), Some(deemed)) = (values[0], values[1], values[5])
        && deemed > total - participating
    {
        report(
            f,
            "vote-deemed-exceeds-absent",
            5,
            [("deemed", deemed), ("absent", total - participating)],
        );
    }
    tally
}

fn parse_vote(f: &mut Fields, spanned: &Spanned<RawVote>) -> Vote {
    let v = spanned.get_ref();
    let span = f.span(spanned);
    let header_line = f.file.line_range(span.start);
    let origin = Origin::new(f.file, span.start..span.end.min(header_line.end));
    let at = origin.span.start;
    let area = parse_tally(
        f,
        Dimension::Area,
        [
            (&v.total_area, "total_area"),
            (&v.participating_area, "participating_area"),
            (&v.agree_area, "agree_area"),
            (&v.oppose_area, "oppose_area"),
            (&v.abstain_area, "abstain_area"),
            (&v.deemed_agree_area, "deemed_agree_area"),
        ],
        at,
    );
    let owners = parse_tally(
        f,
        Dimension::Owners,
        [
            (&v.total_owners, "total_owners"),
            (&v.participating_owners, "participating_owners"),
            (&v.agree_owners, "agree_owners"),
            (&v.oppose_owners, "oppose_owners"),
            (&v.abstain_owners, "abstain_owners"),
            (&v.deemed_agree_owners, "deemed_agree_owners"),
        ],
        at,
    );
    let profile = f.choice(&v.profile, "profile", Profile::from_label, Profile::LABELS);
    Vote {
        profile,
        start: f.date(&v.start, "start"),
        end: f.date(&v.end, "end"),
        method: v.method.clone().unwrap_or_default(),
        area,
        owners,
        origin,
    }
}

pub fn parse(id: &str, file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Project> {
    let raw: RawProject = toml_doc::deserialize(file, diags)?;
    let mut f = Fields::new(file, diags);
    let title = f.text(&raw.title, "title");
    let matter = match &raw.matter {
        None => Some(Matter::UseFund),
        some => f.choice(some, "matter", Matter::from_label, Matter::LABELS),
    };
    let status = f.choice(&raw.status, "status", Status::from_label, Status::LABELS);
    let cost_nature = match &raw.cost_nature {
        None => Some(CostNature::CommonParts),
        some => f.choice(
            some,
            "cost_nature",
            CostNature::from_label,
            CostNature::LABELS,
        ),
    };
    let rounding = match &raw.rounding {
        None => Some(RoundingLabel::LargestRemainder),
        some => f.choice(
            some,
            "rounding",
            RoundingLabel::from_label,
            RoundingLabel::LABELS,
        ),
    };
    let budget = f.money(&raw.budget, "budget");
    let contract_amount = f.money(&raw.contract_amount, "contract_amount");
    let settled_cost = f.money(&raw.settled_cost, "settled_cost");
    let plan_published = f.date(&raw.plan_published, "plan_published");
    let start_date = f.date(&raw.start_date, "start_date");
    let completed = f.date(&raw.completed, "completed");
    let vote = raw.vote.as_ref().map(|spanned| parse_vote(&mut f, spanned));
    let mut funding = Vec::new();
    for spanned in &raw.funding {
        let s = spanned.get_ref();
        let source = f.text(&s.source, "source");
        let amount = match &s.amount {
            None => {
                f.missing("amount", spanned.span().start);
                None
            }
            some => f.money(some, "amount"),
        };
        if let (Some(source), Some(amount)) = (source, amount) {
            funding.push(Funding { source, amount });
        }
    }
    let matter = matter?;
    let emergency_category = opt_text(&raw.emergency_category).unwrap_or_default();
    if matter == Matter::Emergency && emergency_category.is_empty() {
        let span = raw.matter.as_ref().map(|m| f.span(m)).unwrap_or(0..0);
        f.diags
            .push(Diagnostic::new("project-emergency-category-missing").at(file, span));
    }
    if matter != Matter::Emergency && vote.is_none() {
        let span = raw.title.as_ref().map(|t| f.span(t)).unwrap_or(0..0);
        f.diags
            .push(Diagnostic::new("project-vote-missing").at(file, span));
    }
    Some(Project {
        id: id.to_string(),
        title: title?,
        scope: opt_text(&raw.scope).unwrap_or_else(|| "全小区".to_string()),
        matter,
        emergency_category,
        budget,
        apportionment: opt_text(&raw.apportionment).unwrap_or_else(|| "按建筑面积分摊".to_string()),
        contractor: opt_text(&raw.contractor).unwrap_or_default(),
        tender: raw
            .tender
            .as_ref()
            .filter(|t| !t.get_ref().trim().is_empty())
            .map(|t| (t.get_ref().trim().to_string(), Origin::new(file, f.span(t)))),
        contract_amount,
        settled_cost,
        settled_origin: raw
            .settled_cost
            .as_ref()
            .map(|r| Origin::new(file, f.span(r))),
        plan_published,
        start_date,
        completed,
        status,
        description: raw.description.unwrap_or_default(),
        vote,
        funding,
        origin: Origin::new(file, 0..0),
        title_origin: Origin::new(file, raw.title.as_ref().map(|t| f.span(t)).unwrap_or(0..0)),
        start_origin: raw
            .start_date
            .as_ref()
            .map(|r| Origin::new(file, f.span(r))),
        rounding: rounding.unwrap_or(RoundingLabel::LargestRemainder),
        shares: None,
        cost_nature: cost_nature.unwrap_or(CostNature::CommonParts),
        cost_nature_origin: raw
            .cost_nature
            .as_ref()
            .map(|r| Origin::new(file, f.span(r))),
        contractor_origin: raw
            .contractor
            .as_ref()
            .map(|r| Origin::new(file, f.span(r))),
    })
}
