//! `config.toml`: the portal's settings (title, base URL, language, theme, output folder) and its
//! overrides of diagnostic severities.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Lang, Severity, SourceFile};
use crate::parse::toml_doc::{self, Fields};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Spanned<String>>,
    base_url: Option<String>,
    language: Option<Lang>,
    theme: Option<String>,
    output_dir: Option<String>,
    description: Option<String>,
    ledger_history: Option<bool>,
    print_edition: Option<bool>,
    portal_page_size: Option<u32>,
    #[serde(default)]
    open_data: RawOpenData,
    today: Option<crate::parse::toml_doc::RawValue>,
    #[serde(default)]
    cadence: RawCadence,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    sealed: Vec<Spanned<RawSeal>>,
    #[serde(default)]
    diagnostics: BTreeMap<String, Spanned<Severity>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOpenData {
    ocid_prefix: Option<Spanned<String>>,
}

/// The OCDS ocid prefix used when config.toml names none: a placeholder for portals that have not
/// registered their own with the Open Contracting Partnership.
pub const DEFAULT_OCID_PREFIX: &str = "ocds-sanwu0";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCadence {
    revenue: Option<Spanned<String>>,
    fees: Option<Spanned<String>>,
    fund: Option<Spanned<String>>,
}

/// How often a ledger must be brought up to date on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    Off,
}

impl Cadence {
    pub const LABELS: &'static [&'static str] =
        &["monthly", "quarterly", "half-yearly", "yearly", "off"];

    pub fn from_label(text: &str) -> Option<Cadence> {
        match text.trim() {
            "monthly" | "每月" => Some(Cadence::Monthly),
            "quarterly" | "每季度" => Some(Cadence::Quarterly),
            "half-yearly" | "每半年" => Some(Cadence::HalfYearly),
            "yearly" | "每年" => Some(Cadence::Yearly),
            "off" | "不检查" => Some(Cadence::Off),
            _ => None,
        }
    }
}

/// The rules a portal's books are checked against, with the portal's local overrides
/// (`[rules]` and `[cadence]` in config.toml) and the build date.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The date the site is built as of: an input (config `today` or `--today`), never the clock,
    /// so that builds stay reproducible. Without it, timeliness is not checked.
    pub today: Option<chrono::NaiveDate>,
    pub revenue: Cadence,
    pub fees: Cadence,
    pub fund: Cadence,
    /// Days a fund use plan is publicised before the vote closes (local rules: 5 or 7).
    pub plan_notice_days: i64,
    /// Minimum days a tender result is publicised.
    pub tender_publicity_days: i64,
    /// The 公示期 of a revenue statement or a fund project's result on the notice board (days).
    pub publicity_days: i64,
    /// Whether the 公示栏 print edition (A4 pages with QR codes) is built (config `print_edition`).
    pub print_edition: bool,
    /// Days within which a committee decision is posted.
    pub decision_posting_days: i64,
    /// The vote rule profile of votes that do not name one.
    pub default_profile: crate::ledger::project::Profile,
    /// Costs above this share of a revenue entry's gross income are flagged (percent).
    pub max_cost_percent: i64,
    /// Implicit sealing: a ledger's rows as committed at least this many days before the build
    /// date (`today`, or the date of the newest commit when no `today` is given) have been
    /// disclosed for longer than their 公示期 and may no longer change. 0 turns it off.
    pub seal_after_days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeal {
    through: Option<crate::parse::toml_doc::RawValue>,
    revision: Option<Spanned<String>>,
}

/// Periods published and closed: rows dated on or before `through` may not change after the
/// `revision` that published them; corrections are new entries.
#[derive(Debug, Clone)]
pub struct Seal {
    pub through: chrono::NaiveDate,
    pub revision: String,
    pub origin: crate::ledger::Origin,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    plan_notice_days: Option<u32>,
    tender_publicity_days: Option<u32>,
    publicity_days: Option<u32>,
    decision_posting_days: Option<u32>,
    max_cost_percent: Option<u32>,
    vote_profile: Option<Spanned<String>>,
    seal_after_days: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: Lang,
    pub theme: String,
    pub output_dir: String,
    pub description: String,
    pub severity_overrides: BTreeMap<String, Severity>,
    pub rules: Rules,
    pub sealed: Vec<Seal>,
    /// Whether ledger pages list their revision history from git (one `git log` and a read per
    /// revision for each ledger: a portal of thousands of compounds may turn it off).
    pub ledger_history: bool,
    /// The prefix of the OCDS `ocid` of every tender (`[open_data] ocid_prefix`).
    pub ocid_prefix: String,
    /// How many compounds one portal page lists: above it, the front page lists districts and
    /// each district has pages of this many compounds (see `render::directory`). 0: one page.
    pub portal_page_size: usize,
}

pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Config> {
    let raw: RawConfig = toml_doc::deserialize(file, diags)?;
    let mut f = Fields::new(file, diags);
    let title = f.text(&raw.title, "title");
    let today = f.date(&raw.today, "today");
    let mut sealed = Vec::new();
    for seal in &raw.sealed {
        let through = match &seal.get_ref().through {
            None => {
                f.missing("through", seal.span().start);
                None
            }
            some => f.date(some, "through"),
        };
        let revision = f.text(&seal.get_ref().revision, "revision");
        if let (Some(through), Some(revision)) = (through, revision) {
            let span = seal
                .get_ref()
                .revision
                .as_ref()
                .map(|r| r.span())
                .unwrap_or(0..0);
            sealed.push(Seal {
                through,
                revision,
                origin: crate::ledger::Origin::new(file, span),
            });
        }
    }
    use crate::ledger::project::Profile;
    let default_profile = match &raw.rules.vote_profile {
        None => Profile::CivilCode,
        some => f
            .choice(
                some,
                "rules.vote_profile",
                Profile::from_label,
                Profile::LABELS,
            )
            .unwrap_or(Profile::CivilCode),
    };
    let mut cadence = |raw: &Option<Spanned<String>>, name: &str, default: Cadence| match raw {
        None => default,
        some => f
            .choice(some, name, Cadence::from_label, Cadence::LABELS)
            .unwrap_or(default),
    };
    let rules = Rules {
        plan_notice_days: raw.rules.plan_notice_days.map_or(7, i64::from),
        tender_publicity_days: raw.rules.tender_publicity_days.map_or(3, i64::from),
        publicity_days: raw.rules.publicity_days.map_or(30, i64::from),
        print_edition: raw.print_edition.unwrap_or(true),
        decision_posting_days: raw.rules.decision_posting_days.map_or(3, i64::from),
        default_profile,
        max_cost_percent: raw.rules.max_cost_percent.map_or(50, i64::from),
        // 泉州's board rules and several provinces' 公共收益 rules set a 公示期 of 30 days.
        seal_after_days: raw.rules.seal_after_days.map_or(30, i64::from),
        today,
        revenue: cadence(&raw.cadence.revenue, "cadence.revenue", Cadence::Quarterly),
        fees: cadence(&raw.cadence.fees, "cadence.fees", Cadence::Yearly),
        fund: cadence(&raw.cadence.fund, "cadence.fund", Cadence::Yearly),
    };
    let mut severity_overrides = BTreeMap::new();
    for (code, severity) in raw.diagnostics {
        if crate::diag::catalog::entries().contains_key(&code) {
            severity_overrides.insert(code, *severity.get_ref());
        } else {
            let span = severity.span();
            diags.push(Diagnostic::new("toml-field").at(file, span).arg(
                "detail",
                format!("未知的诊断代码 / unknown diagnostic code `{code}`"),
            ));
        }
    }
    // An ocid prefix is `ocds-` and six letters or digits, as the Open Contracting Partnership
    // registers them.
    let ocid_prefix = match &raw.open_data.ocid_prefix {
        None => DEFAULT_OCID_PREFIX.to_string(),
        Some(p) => {
            let text = p.get_ref().trim();
            let code = text.strip_prefix("ocds-").unwrap_or("");
            if code.len() == 6 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
                text.to_string()
            } else {
                diags.push(Diagnostic::new("toml-field").at(file, p.span()).arg(
                    "detail",
                    format!(
                        "open_data.ocid_prefix “{text}” 应为 ocds- 加 6 个字母或数字 / should be ocds- and six letters or digits"
                    ),
                ));
                DEFAULT_OCID_PREFIX.to_string()
            }
        }
    };
    let mut base_url = raw.base_url.unwrap_or_else(|| "/".to_string());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    Some(Config {
        title: title?,
        base_url,
        language: raw.language.unwrap_or_default(),
        theme: raw.theme.unwrap_or_else(|| "default".to_string()),
        output_dir: raw.output_dir.unwrap_or_else(|| "public".to_string()),
        description: raw.description.unwrap_or_default(),
        severity_overrides,
        rules,
        sealed,
        ledger_history: raw.ledger_history.unwrap_or(true),
        ocid_prefix,
        portal_page_size: raw
            .portal_page_size
            .map_or(crate::render::directory::DEFAULT_PAGE_SIZE, |n| n as usize),
    })
}
