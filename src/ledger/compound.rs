//! `compound.toml`: who the compound is, where, its committee and its fee standards.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::amount::{Area, Price};
use super::labelled_enum;
use crate::diag::{Diagnostics, SourceFile};
use crate::parse::toml_doc::{self, Fields, RawValue, opt_text};

labelled_enum!(
    /// How the compound is managed.
    Management { Company = "物业服务企业" | "物业公司", SelfManaged = "居民自治" | "自治" }
);

labelled_enum!(
    /// Where unit-level data (per-unit apportionment) is published: on the public site, on pages
    /// search engines are asked not to index, or only in the print edition for the notice board.
    UnitPages { Public = "public" | "公开", PrintOnly = "print-only" | "仅打印" }
);

labelled_enum!(
    /// 包干制 or 酬金制.
    Charging { Lump = "包干制", Commission = "酬金制" }
);

labelled_enum!(
    /// How the fee standard is priced.
    PriceForm { Guided = "政府指导价", Market = "市场调节价" }
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompound {
    name: Option<Spanned<String>>,
    city: Option<Spanned<String>>,
    district: Option<Spanned<String>>,
    street: Option<Spanned<String>>,
    community: Option<Spanned<String>>,
    households: Option<RawValue>,
    floor_area: Option<RawValue>,
    management: Option<Spanned<String>>,
    property_company: Option<Spanned<String>>,
    contact: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    unit_pages: Option<Spanned<String>>,
    unit_open_data: Option<bool>,
    committee: Option<RawCommittee>,
    #[serde(default)]
    fee_standard: Vec<Spanned<RawFeeStandard>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommittee {
    name: Option<Spanned<String>>,
    term_start: Option<RawValue>,
    term_end: Option<RawValue>,
    #[serde(default)]
    members: Vec<RawMember>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    role: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeStandard {
    building_type: Option<Spanned<String>>,
    price: Option<RawValue>,
    charging: Option<Spanned<String>>,
    price_form: Option<Spanned<String>>,
    effective: Option<RawValue>,
    basis: Option<Spanned<String>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Committee {
    pub name: String,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub role: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FeeStandard {
    pub building_type: String,
    pub price: Price,
    pub charging: Option<Charging>,
    pub price_form: Option<PriceForm>,
    pub effective: Option<NaiveDate>,
    pub basis: String,
}

#[derive(Debug, Clone)]
pub struct Compound {
    pub name: String,
    pub city: String,
    pub district: String,
    pub street: String,
    pub community: String,
    pub households: u32,
    pub floor_area: Area,
    pub management: Management,
    pub property_company: String,
    pub contact: String,
    pub summary: String,
    pub unit_pages: UnitPages,
    /// Whether per-unit data is also published as open data (a separate opt-in: only with
    /// public unit pages).
    pub unit_open_data: bool,
    pub committee: Option<Committee>,
    pub fee_standards: Vec<FeeStandard>,
}

/// Reads `compound.toml`; `None` when required fields are missing or unreadable (all reported).
pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Compound> {
    let raw: RawCompound = toml_doc::deserialize(file, diags)?;
    let mut f = Fields::new(file, diags);
    let name = f.text(&raw.name, "name");
    let city = f.text(&raw.city, "city");
    let district = f.text(&raw.district, "district");
    let community = f.text(&raw.community, "community");
    let households = match &raw.households {
        None => {
            f.missing("households", 0);
            None
        }
        some => f.count(some, "households"),
    };
    let floor_area = match &raw.floor_area {
        None => {
            f.missing("floor_area", 0);
            None
        }
        some => f.area(some, "floor_area"),
    };
    let management = match &raw.management {
        None => Some(Management::Company),
        some => f.choice(
            some,
            "management",
            Management::from_label,
            Management::LABELS,
        ),
    };
    let property_company = match management {
        Some(Management::Company) => f.text(&raw.property_company, "property_company"),
        _ => Some(opt_text(&raw.property_company).unwrap_or_default()),
    };
    let unit_pages = match &raw.unit_pages {
        None => Some(UnitPages::Public),
        some => f.choice(some, "unit_pages", UnitPages::from_label, UnitPages::LABELS),
    };
    let committee = raw.committee.as_ref().map(|c| Committee {
        name: opt_text(&c.name).unwrap_or_default(),
        term_start: f.date(&c.term_start, "term_start"),
        term_end: f.date(&c.term_end, "term_end"),
        members: c
            .members
            .iter()
            .map(|m| Member {
                role: m.role.trim().to_string(),
                name: m.name.trim().to_string(),
            })
            .collect(),
    });
    let mut fee_standards = Vec::new();
    for spanned in &raw.fee_standard {
        let at = spanned.span().start;
        let s = spanned.get_ref();
        let building_type = f.text(&s.building_type, "building_type");
        let price = match &s.price {
            None => {
                f.missing("price", at);
                None
            }
            some => f.price(some, "price"),
        };
        let charging = f.choice(
            &s.charging,
            "charging",
            Charging::from_label,
            Charging::LABELS,
        );
        let price_form = f.choice(
            &s.price_form,
            "price_form",
            PriceForm::from_label,
            PriceForm::LABELS,
        );
        let effective = f.date(&s.effective, "effective");
        if let (Some(building_type), Some(price)) = (building_type, price) {
            fee_standards.push(FeeStandard {
                building_type,
                price,
                charging,
                price_form,
                effective,
                basis: opt_text(&s.basis).unwrap_or_default(),
            });
        }
    }
    Some(Compound {
        name: name?,
        city: city?,
        district: district?,
        street: opt_text(&raw.street).unwrap_or_default(),
        community: community?,
        households: households?,
        floor_area: floor_area?,
        management: management?,
        property_company: property_company?,
        contact: opt_text(&raw.contact).unwrap_or_default(),
        summary: opt_text(&raw.summary).unwrap_or_default(),
        unit_pages: unit_pages.unwrap_or(UnitPages::Public),
        unit_open_data: raw.unit_open_data.unwrap_or(false)
            && unit_pages.unwrap_or(UnitPages::Public) == UnitPages::Public,
        committee,
        fee_standards,
    })
}
