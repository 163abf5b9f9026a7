//! The books of a compound as typed, exact values: money, areas, dates and periods, and one module
//! per ledger (fees, public revenue, maintenance fund, fund projects, tenders, notices) that turns
//! rows and records into entries. Every entry keeps the spans of its values so that later stages
//! can point at them. Nothing here knows about HTML.

pub mod amount;
pub mod calendar;
pub mod canonical;
pub mod compound;
pub mod fees;
pub mod fund;
pub mod notice;
pub mod project;
pub mod revenue;
pub mod shares;
pub mod tender;
pub mod unit;

use std::ops::Range;
use std::sync::Arc;

use crate::diag::SourceFile;

/// Where a value came from: a file and a byte range in it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

impl Origin {
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        Origin {
            file: Arc::clone(file),
            span,
        }
    }

    /// `content/mingxiu/fund.csv:14` for provenance notes on the site.
    pub fn file_line(&self) -> String {
        format!(
            "{}:{}",
            self.file.display_path,
            self.file.line_col(self.span.start).line
        )
    }
}

/// The voucher a correction entry corrects: notes written `冲正 GS2024-003 …` or `调整：GS2024-003`.
pub fn correction_target(note: &str) -> Option<&str> {
    let rest = note
        .trim()
        .strip_prefix("冲正")
        .or_else(|| note.trim().strip_prefix("调整"))?;
    rest.trim_start_matches([' ', ':', '：', '\u{3000}'])
        .split(|c: char| c.is_whitespace() || matches!(c, '，' | ',' | '；' | ';' | '（' | '('))
        .next()
        .filter(|v| !v.is_empty())
}

/// Declares an enum of fixed Chinese labels (with accepted aliases), parsed from and serialised to
/// its label.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $label:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// The labels a user may write, canonical ones only.
            pub const LABELS: &'static [&'static str] = &[$($label),+];

            pub fn from_label(text: &str) -> Option<Self> {
                match text.trim() {
                    $($label $(| $alias)* => Some(Self::$variant),)+
                    _ => None,
                }
            }

            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::from_label(&text).ok_or_else(|| {
                    <D::Error as serde::de::Error>::unknown_variant(&text, Self::LABELS)
                })
            }
        }
    };
}
pub(crate) use labelled_enum;

/// Everything read from one compound's folder.
#[derive(Debug)]
pub struct CompoundBooks {
    pub slug: String,
    pub info: compound::Compound,
    pub fees: Vec<fees::FeeRow>,
    pub revenue: Vec<revenue::RevenueEntry>,
    pub fund: Vec<fund::FundEntry>,
    pub projects: Vec<project::Project>,
    pub tenders: Vec<tender::Tender>,
    pub notices: Vec<notice::Notice>,
    /// Ids of every file in projects/ and tenders/, including those that could not be read (so that
    /// a broken file is not reported a second time as an unknown reference).
    pub project_ids: std::collections::BTreeSet<String>,
    pub tender_ids: std::collections::BTreeSet<String>,
    /// Every file read for this compound (scanned for personal data before publishing).
    pub sources: Vec<Arc<SourceFile>>,
    /// Which ledgers the compound publishes (a missing file is not an empty ledger).
    pub has_fees: bool,
    pub has_revenue: bool,
    pub has_fund: bool,
    /// Whether every row of fund.csv could be read (balances are compared only then).
    pub fund_complete: bool,
}
