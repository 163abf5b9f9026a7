//! A compound's tenders as an Open Contracting Data Standard 1.1 release package: one release per
//! tender (its `ocid` is the portal's registered prefix, the compound's slug and the tender's id),
//! with the tender, every bid through the Bids extension, the award to the winner and the contract.
//! Amounts are exact JSON numbers in CNY; dates are the ledgers' dates at midnight China time.
//!
//! Besides what the OCDS schema checks, [`check`] asserts what it cannot: every contract's
//! `awardID` names an award of its release, every award's supplier is one of the bidders, and
//! every award's related bid exists. The exporter refuses to write a package that fails it.

use std::collections::BTreeSet;

use serde::Serialize;

use super::table::Yuan;
use crate::compute::feed::rfc3339;
use crate::compute::{CompoundReport, TenderView};
use crate::ledger::tender::Method;

/// The Bids extension's manifest, as listed in the package's `extensions`.
pub const BID_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    uri: String,
    version: &'static str,
    extensions: Vec<&'static str>,
    published_date: String,
    publisher: Publisher,
    releases: Vec<Release>,
}

#[derive(Serialize)]
struct Publisher {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Release {
    ocid: String,
    id: String,
    date: String,
    tag: Vec<&'static str>,
    initiation_type: &'static str,
    language: &'static str,
    parties: Vec<Party>,
    buyer: OrgRef,
    tender: Tender,
    bids: Bids,
    awards: Vec<Award>,
    contracts: Vec<Contract>,
}

#[derive(Serialize, Clone)]
struct OrgRef {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct Party {
    id: String,
    name: String,
    roles: Vec<&'static str>,
}

#[derive(Serialize, Clone, Copy)]
struct Value {
    amount: Yuan,
    currency: &'static str,
}

fn cny(amount: crate::ledger::amount::Money) -> Value {
    Value {
        amount: Yuan(amount),
        currency: "CNY",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
}

impl Period {
    fn of(start: &Option<String>, end: &Option<String>) -> Option<Period> {
        (start.is_some() || end.is_some()).then(|| Period {
            start_date: start.as_deref().map(rfc3339),
            end_date: end.as_deref().map(rfc3339),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tender {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    status: &'static str,
    procuring_entity: OrgRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procurement_method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    procurement_method_details: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tender_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    award_period: Option<Period>,
    number_of_tenderers: usize,
    tenderers: Vec<OrgRef>,
}

#[derive(Serialize)]
struct Bids {
    statistics: Vec<Statistic>,
    details: Vec<Bid>,
}

#[derive(Serialize)]
struct Statistic {
    id: String,
    measure: &'static str,
    value: StatValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum StatValue {
    Count(usize),
    Money(Yuan),
}

#[derive(Serialize)]
struct Bid {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    status: &'static str,
    tenderers: Vec<OrgRef>,
    value: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Award {
    id: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    suppliers: Vec<OrgRef>,
    related_bid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Contract {
    id: String,
    #[serde(rename = "awardID")]
    award_id: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_signed: Option<String>,
}

/// OCDS's closed `method` codelist for each way of choosing a contractor.
fn method_code(method: Method) -> &'static str {
    match method {
        Method::Open => "open",
        Method::Invited => "selective",
        Method::Comparison | Method::Inquiry => "limited",
        Method::Single => "direct",
    }
}

/// The latest date a tender names: the release's date.
fn latest_date(t: &TenderView) -> Option<&str> {
    [
        &t.announced,
        &t.opened,
        &t.awarded,
        &t.publicity_start,
        &t.publicity_end,
        &t.contract_date,
    ]
    .into_iter()
    .filter_map(|d| d.as_deref())
    .max()
}

fn release(report: &CompoundReport, t: &TenderView, ocid_prefix: &str) -> Option<Release> {
    let date = latest_date(t)?;
    let buyer = OrgRef {
        id: "buyer".into(),
        name: format!("{}业主大会", report.name),
    };
    let bidder_ref = |rank: usize, name: &str| OrgRef {
        id: format!("tenderer-{rank}"),
        name: name.to_string(),
    };
    let mut parties = vec![Party {
        id: buyer.id.clone(),
        name: buyer.name.clone(),
        roles: vec!["buyer", "procuringEntity"],
    }];
    let mut details = Vec::new();
    let mut tenderers = Vec::new();
    for b in &t.bids {
        let org = bidder_ref(b.rank, &b.bidder);
        let mut roles = vec!["tenderer"];
        if b.is_winner {
            roles.push("supplier");
        }
        parties.push(Party {
            id: org.id.clone(),
            name: org.name.clone(),
            roles,
        });
        details.push(Bid {
            id: format!("{}-bid-{}", t.id, b.rank),
            date: t.opened.as_deref().map(rfc3339),
            status: "valid",
            tenderers: vec![org.clone()],
            value: cny(b.amount),
        });
        tenderers.push(org);
    }
    let mut statistics = vec![Statistic {
        id: "bids".into(),
        measure: "bids",
        value: StatValue::Count(t.bids.len()),
        currency: None,
    }];
    if let Some(lowest) = t.lowest {
        statistics.push(Statistic {
            id: "lowestValidBidValue".into(),
            measure: "lowestValidBidValue",
            value: StatValue::Money(Yuan(lowest)),
            currency: Some("CNY"),
        });
    }
    if let Some(highest) = t.highest {
        statistics.push(Statistic {
            id: "highestValidBidValue".into(),
            measure: "highestValidBidValue",
            value: StatValue::Money(Yuan(highest)),
            currency: Some("CNY"),
        });
    }
    let winning = t.bids.iter().find(|b| b.is_winner);
    let awards: Vec<Award> = winning
        .map(|b| Award {
            id: format!("{}-award", t.id),
            status: "active",
            date: t.awarded.as_deref().map(rfc3339),
            value: Some(cny(b.amount)),
            suppliers: vec![bidder_ref(b.rank, &b.bidder)],
            related_bid: format!("{}-bid-{}", t.id, b.rank),
        })
        .into_iter()
        .collect();
    let contracts: Vec<Contract> = awards
        .first()
        .filter(|_| t.contract_amount.is_some() || t.contract_date.is_some())
        .map(|a| Contract {
            id: format!("{}-contract", t.id),
            award_id: a.id.clone(),
            status: "active",
            value: t.contract_amount.map(cny),
            date_signed: t.contract_date.as_deref().map(rfc3339),
        })
        .into_iter()
        .collect();
    let mut tag = vec!["tender"];
    if !awards.is_empty() {
        tag.push("award");
    }
    if !contracts.is_empty() {
        tag.push("contract");
    }
    let description = t.first_quote.map(|q| {
        let by = if t.first_quote_by.is_empty() {
            "此前"
        } else {
            t.first_quote_by.as_str()
        };
        format!("招标前报价：{by} {}。", q.to_yuan_string())
    });
    Some(Release {
        ocid: format!("{ocid_prefix}-{}-{}", report.slug, t.id),
        id: format!("{}-{}", t.id, date.replace('-', "")),
        date: rfc3339(date),
        tag,
        initiation_type: "tender",
        language: "zh",
        parties,
        buyer: buyer.clone(),
        tender: Tender {
            id: t.id.clone(),
            title: t.title.clone(),
            description,
            status: if winning.is_some() {
                "complete"
            } else {
                "active"
            },
            procuring_entity: buyer,
            value: t.budget.map(cny),
            procurement_method: t.method.map(method_code),
            procurement_method_details: t.method.map(Method::label),
            tender_period: Period::of(&t.announced, &t.opened),
            award_period: Period::of(&t.opened, &t.awarded),
            number_of_tenderers: t.bids.len(),
            tenderers,
        },
        bids: Bids {
            statistics,
            details,
        },
        awards,
        contracts,
    })
}

/// The release package of a compound's tenders (`None` when no tender has a date to release).
/// `uri` is where the package is published.
pub fn package(
    report: &CompoundReport,
    ocid_prefix: &str,
    uri: String,
    publisher: &str,
    publisher_uri: Option<String>,
) -> Option<Package> {
    let releases: Vec<Release> = report
        .tenders
        .iter()
        .filter_map(|t| release(report, t, ocid_prefix))
        .collect();
    let published = releases.iter().map(|r| r.date.clone()).max()?;
    Some(Package {
        uri,
        version: "1.1",
        extensions: vec![BID_EXTENSION],
        published_date: published,
        publisher: Publisher {
            name: publisher.to_string(),
            uri: publisher_uri,
        },
        releases,
    })
}

/// What the schema cannot check: awards and contracts refer to what exists.
pub fn check(package: &Package) -> Result<(), String> {
    for r in &package.releases {
        let awards: BTreeSet<&str> = r.awards.iter().map(|a| a.id.as_str()).collect();
        let bids: BTreeSet<&str> = r.bids.details.iter().map(|b| b.id.as_str()).collect();
        let bidders: BTreeSet<(&str, &str)> = r
            .bids
            .details
            .iter()
            .flat_map(|b| &b.tenderers)
            .map(|o| (o.id.as_str(), o.name.as_str()))
            .collect();
        for c in &r.contracts {
            if !awards.contains(c.award_id.as_str()) {
                return Err(format!(
                    "{}: contract {} names award {}, which is not in the release",
                    r.ocid, c.id, c.award_id
                ));
            }
        }
        for a in &r.awards {
            for s in &a.suppliers {
                if !bidders.contains(&(s.id.as_str(), s.name.as_str())) {
                    return Err(format!(
                        "{}: the supplier {} of award {} is not a bidder",
                        r.ocid, s.name, a.id
                    ));
                }
            }
            if !bids.contains(a.related_bid.as_str()) {
                return Err(format!(
                    "{}: award {} relates to bid {}, which is not in the release",
                    r.ocid, a.id, a.related_bid
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::amount::Money;

    fn org(id: &str, name: &str) -> OrgRef {
        OrgRef {
            id: id.into(),
            name: name.into(),
        }
    }

    fn package(award_id: &str, supplier: OrgRef, related_bid: &str) -> Package {
        let bidder = org("tenderer-1", "甲公司");
        Package {
            uri: "u".into(),
            version: "1.1",
            extensions: vec![BID_EXTENSION],
            published_date: rfc3339("2024-05-06"),
            publisher: Publisher {
                name: "p".into(),
                uri: None,
            },
            releases: vec![Release {
                ocid: "ocds-sanwu0-x-t".into(),
                id: "t-20240506".into(),
                date: rfc3339("2024-05-06"),
                tag: vec!["tender", "award", "contract"],
                initiation_type: "tender",
                language: "zh",
                parties: Vec::new(),
                buyer: org("buyer", "业主大会"),
                tender: Tender {
                    id: "t".into(),
                    title: "t".into(),
                    description: None,
                    status: "complete",
                    procuring_entity: org("buyer", "业主大会"),
                    value: None,
                    procurement_method: None,
                    procurement_method_details: None,
                    tender_period: None,
                    award_period: None,
                    number_of_tenderers: 1,
                    tenderers: vec![bidder.clone()],
                },
                bids: Bids {
                    statistics: Vec::new(),
                    details: vec![Bid {
                        id: "t-bid-1".into(),
                        date: None,
                        status: "valid",
                        tenderers: vec![bidder],
                        value: cny(Money(6_380_000)),
                    }],
                },
                awards: vec![Award {
                    id: "t-award".into(),
                    status: "active",
                    date: None,
                    value: None,
                    suppliers: vec![supplier],
                    related_bid: related_bid.into(),
                }],
                contracts: vec![Contract {
                    id: "t-contract".into(),
                    award_id: award_id.into(),
                    status: "active",
                    value: None,
                    date_signed: None,
                }],
            }],
        }
    }

    #[test]
    fn awards_and_contracts_must_refer_to_what_exists() {
        let good = || org("tenderer-1", "甲公司");
        assert_eq!(check(&package("t-award", good(), "t-bid-1")), Ok(()));
        let err = check(&package("other", good(), "t-bid-1")).unwrap_err();
        assert!(err.contains("names award other"), "{err}");
        let err = check(&package("t-award", org("tenderer-9", "乙公司"), "t-bid-1")).unwrap_err();
        assert!(
            err.contains("乙公司 of award t-award is not a bidder"),
            "{err}"
        );
        let err = check(&package("t-award", good(), "t-bid-7")).unwrap_err();
        assert!(err.contains("bid t-bid-7"), "{err}");
    }
}
