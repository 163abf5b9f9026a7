//! `tenders/<id>.toml`: a tender for works — the quote before it, the bids, the winner, the
//! contract — and what it is paid from.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::amount::Money;
use super::{Origin, labelled_enum};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::toml_doc::{self, Fields, RawValue, opt_text};

labelled_enum!(
    /// Where the money comes from.
    FundingSource {
        Fund = "维修资金" | "专项维修资金",
        Revenue = "公共收益",
        Fees = "物业费",
        Other = "其他",
    }
);

labelled_enum!(
    /// How the contractor is chosen.
    Method {
        Open = "公开招标",
        Invited = "邀请招标",
        Comparison = "比选",
        Inquiry = "询价",
        Single = "单一来源",
    }
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTender {
    title: Option<Spanned<String>>,
    funding: Option<Spanned<String>>,
    project: Option<Spanned<String>>,
    method: Option<Spanned<String>>,
    first_quote: Option<RawValue>,
    first_quote_by: Option<Spanned<String>>,
    budget: Option<RawValue>,
    announced: Option<RawValue>,
    opened: Option<RawValue>,
    awarded: Option<RawValue>,
    publicity_start: Option<RawValue>,
    publicity_end: Option<RawValue>,
    winner: Option<Spanned<String>>,
    winner_reason: Option<Spanned<String>>,
    contract_amount: Option<RawValue>,
    contract_date: Option<RawValue>,
    #[serde(default)]
    bid: Vec<Spanned<RawBid>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBid {
    bidder: Option<Spanned<String>>,
    amount: Option<RawValue>,
    note: Option<String>,
    /// Declared relation to the property-service company (e.g. "同一母公司"), if any.
    related_to_company: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Bid {
    pub bidder: String,
    pub origin: Origin,
    pub related_to_company: String,
    pub amount: Money,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Tender {
    pub id: String,
    pub title: String,
    pub funding: Option<FundingSource>,
    pub project: Option<(String, Origin)>,
    pub method: Option<Method>,
    pub first_quote: Option<Money>,
    pub first_quote_by: String,
    pub budget: Option<Money>,
    pub announced: Option<NaiveDate>,
    pub opened: Option<NaiveDate>,
    pub awarded: Option<NaiveDate>,
    pub publicity_start: Option<NaiveDate>,
    pub publicity_end: Option<NaiveDate>,
    pub winner: Option<String>,
    pub winner_reason: String,
    pub contract_amount: Option<Money>,
    pub contract_date: Option<NaiveDate>,
    pub bids: Vec<Bid>,
    pub origin: Origin,
    pub title_origin: Origin,
    pub winner_origin: Option<Origin>,
    pub publicity_origin: Option<Origin>,
    pub contract_origin: Option<Origin>,
}

pub fn parse(id: &str, file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Tender> {
    let raw: RawTender = toml_doc::deserialize(file, diags)?;
    let mut f = Fields::new(file, diags);
    let title = f.text(&raw.title, "title");
    let funding = f.choice(
        &raw.funding,
        "funding",
        FundingSource::from_label,
        FundingSource::LABELS,
    );
    let method = f.choice(&raw.method, "method", Method::from_label, Method::LABELS);
    let first_quote = f.money(&raw.first_quote, "first_quote");
    let budget = f.money(&raw.budget, "budget");
    let contract_amount = f.money(&raw.contract_amount, "contract_amount");
    let announced = f.date(&raw.announced, "announced");
    let opened = f.date(&raw.opened, "opened");
    let awarded = f.date(&raw.awarded, "awarded");
    let publicity_start = f.date(&raw.publicity_start, "publicity_start");
    let publicity_end = f.date(&raw.publicity_end, "publicity_end");
    let contract_date = f.date(&raw.contract_date, "contract_date");
    let mut bids: Vec<Bid> = Vec::new();
    for spanned in &raw.bid {
        let b = spanned.get_ref();
        let bidder = f.text(&b.bidder, "bidder");
        let amount = match &b.amount {
            None => {
                f.missing("amount", spanned.span().start);
                None
            }
            some => f.money(some, "amount"),
        };
        let (Some(bidder), Some(amount)) = (bidder, amount) else {
            continue;
        };
        if bids.iter().any(|x| x.bidder == bidder) {
            let span = b.bidder.as_ref().map(|s| f.span(s)).unwrap_or(0..0);
            f.diags.push(
                Diagnostic::new("duplicate-bidder")
                    .at(file, span)
                    .arg("bidder", &bidder),
            );
            continue;
        }
        let origin = Origin::new(file, b.bidder.as_ref().map(|s| f.span(s)).unwrap_or(0..0));
        bids.push(Bid {
            bidder,
            origin,
            related_to_company: b
                .related_to_company
                .clone()
                .unwrap_or_default()
                .trim()
                .to_string(),
            amount,
            note: b.note.clone().unwrap_or_default(),
        });
    }
    let title_span = raw.title.as_ref().map(|t| f.span(t)).unwrap_or(0..0);
    if raw.bid.is_empty() {
        f.diags
            .push(Diagnostic::new("tender-no-bids").at(file, title_span.clone()));
    }
    let winner = opt_text(&raw.winner);
    if let (Some(w), Some(raw_winner)) = (&winner, &raw.winner)
        && !bids.is_empty()
        && !bids.iter().any(|b| &b.bidder == w)
    {
        let span = f.span(raw_winner);
        f.diags.push(
            Diagnostic::new("tender-winner-not-bidder")
                .at(file, span)
                .arg("winner", w)
                .arg(
                    "bidders",
                    bids.iter()
                        .map(|b| b.bidder.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
        );
    }
    Some(Tender {
        id: id.to_string(),
        title: title?,
        funding,
        project: raw
            .project
            .as_ref()
            .filter(|p| !p.get_ref().trim().is_empty())
            .map(|p| (p.get_ref().trim().to_string(), Origin::new(file, f.span(p)))),
        method,
        first_quote,
        first_quote_by: opt_text(&raw.first_quote_by).unwrap_or_default(),
        budget,
        announced,
        opened,
        awarded,
        publicity_start,
        publicity_end,
        winner,
        winner_reason: opt_text(&raw.winner_reason).unwrap_or_default(),
        contract_amount,
        contract_date,
        bids,
        origin: Origin::new(file, 0..0),
        title_origin: Origin::new(file, title_span),
        winner_origin: raw.winner.as_ref().map(|w| Origin::new(file, f.span(w))),
        publicity_origin: raw
            .publicity_end
            .as_ref()
            .or(raw.publicity_start.as_ref())
            .map(|r| Origin::new(file, f.span(r))),
        contract_origin: raw
            .contract_amount
            .as_ref()
            .map(|r| Origin::new(file, f.span(r))),
    })
}
