//! The portal's directory, for portals with more compounds than one page should list
//! (`portal_page_size` in config.toml). The front page then lists the districts instead of every
//! compound, and each district gets its own pages of compound cards, `areas/<key>.html`,
//! `areas/<key>-2.html`, …: a resident on a phone downloads one district's page, not a whole
//! city's, and building the portal never holds one page of the whole city.
//!
//! A district is a (city, district) pair from the compounds' `compound.toml`. Its key is the start
//! of the SHA-256 of the pair, so that its address stays the same when other districts come or go
//! and holds only URL-safe letters; `areas` is a reserved name that no compound folder can take.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::compute::CompoundSummary;
use crate::ledger::amount::Money;

/// The folder of the district pages, at the root of the site.
pub const FOLDER: &str = "areas";

/// The compound count up to which the front page lists every compound, when config.toml sets none.
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// Figures summed over a set of compounds, for the top of the portal and of a district page.
#[derive(Debug, Serialize)]
pub struct Totals {
    pub compounds: usize,
    pub households: u64,
    pub fund_balance: Money,
    pub tender_savings: Money,
}

impl Totals {
    pub fn of<'a>(summaries: impl IntoIterator<Item = &'a CompoundSummary>) -> Totals {
        let mut totals = Totals {
            compounds: 0,
            households: 0,
            fund_balance: Money::ZERO,
            tender_savings: Money::ZERO,
        };
        for s in summaries {
            totals.compounds += 1;
            totals.households += u64::from(s.households);
            if let Some(balance) = &s.headline.fund_balance {
                totals.fund_balance += balance.amount;
            }
            totals.tender_savings += s.headline.tender_savings;
        }
        totals
    }
}

/// One district and its compounds, in the order of their folders.
pub struct Area<'a> {
    pub city: &'a str,
    pub district: &'a str,
    pub key: String,
    pub compounds: Vec<&'a CompoundSummary>,
    /// Summed over `compounds`, for the front page's list and the area's own pages.
    pub totals: Totals,
}

impl Area<'_> {
    /// The path of page `number` (from 1) of this district's compound list.
    pub fn page_path(&self, number: usize) -> String {
        match number {
            0 | 1 => format!("{FOLDER}/{}.html", self.key),
            n => format!("{FOLDER}/{}-{n}.html", self.key),
        }
    }

    /// The script listing the area's compounds for the search page, from the site root.
    pub fn list_path(&self) -> String {
        format!("{FOLDER}/{}.js", self.key)
    }

    pub fn pages(&self, page_size: usize) -> usize {
        self.compounds.len().div_ceil(page_size.max(1))
    }
}

/// Whether the front page lists districts rather than every compound.
pub fn needed(compounds: usize, page_size: usize) -> bool {
    page_size > 0 && compounds > page_size
}

/// The districts of `summaries`, ordered by city and district name.
pub fn areas(summaries: &[CompoundSummary]) -> Vec<Area<'_>> {
    let mut groups: BTreeMap<(&str, &str), Vec<&CompoundSummary>> = BTreeMap::new();
    for s in summaries {
        groups
            .entry((s.city.as_str(), s.district.as_str()))
            .or_default()
            .push(s);
    }
    let digests: Vec<String> = groups
        .keys()
        .map(|(city, district)| {
            let mut text = Vec::with_capacity(city.len() + district.len() + 1);
            text.extend_from_slice(city.as_bytes());
            // A separator that cannot occur in a name, so that ("ab", "c") ≠ ("a", "bc").
            text.push(0x1f);
            text.extend_from_slice(district.as_bytes());
            crate::write::manifest::sha256_hex(&text)
        })
        .collect();
    let length = key_length(&digests);
    groups
        .into_iter()
        .zip(digests)
        .map(|(((city, district), compounds), digest)| Area {
            city,
            district,
            key: digest[..length].to_string(),
            totals: Totals::of(compounds.iter().copied()),
            compounds,
        })
        .collect()
}

/// The shortest prefix length, from 8 hex digits up, that tells all the digests apart.
fn key_length(digests: &[String]) -> usize {
    let mut length = 8;
    while length < 64 {
        let mut seen = std::collections::BTreeSet::new();
        if digests.iter().all(|d| seen.insert(&d[..length])) {
            break;
        }
        length += 4;
    }
    length
}

/// A district as the front page lists it.
#[derive(Debug, Serialize)]
pub struct AreaLink<'a> {
    pub city: &'a str,
    pub district: &'a str,
    /// From the site root.
    pub href: String,
    #[serde(flatten)]
    pub totals: &'a Totals,
}

pub fn links<'a>(areas: &'a [Area<'a>]) -> Vec<AreaLink<'a>> {
    areas
        .iter()
        .map(|area| AreaLink {
            city: area.city,
            district: area.district,
            href: area.page_path(1),
            totals: &area.totals,
        })
        .collect()
}

/// Where a district page sits among the district's pages.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    /// Paths from the site root.
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

impl Pager {
    pub fn new(area: &Area, page: usize, pages: usize) -> Pager {
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| area.page_path(page - 1)),
            next: (page < pages).then(|| area.page_path(page + 1)),
            links: (1..=pages)
                .map(|number| PageLink {
                    number,
                    href: area.page_path(number),
                    current: number == page,
                })
                .collect(),
        }
    }
}

/// The district a page belongs to, for its heading.
#[derive(Debug, Serialize)]
pub struct AreaHead<'a> {
    pub city: &'a str,
    pub district: &'a str,
}

/// A compound as the search page's choice of scope lists it.
#[derive(Debug, Serialize)]
pub struct CompoundName<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

impl<'a> CompoundName<'a> {
    pub fn of(summary: &'a CompoundSummary) -> CompoundName<'a> {
        CompoundName {
            slug: &summary.slug,
            name: &summary.name,
        }
    }
}

/// An area as the search page offers it: searched as a whole (scope `@<key>`), so that a resident
/// of a city portal need not wait for every compound's index. The page does not list the area's
/// compounds (ten thousand options would be most of its weight); `static/search.js` loads them
/// from the area's compound list, [`Area::list_path`].
#[derive(Debug, Serialize)]
pub struct SearchArea<'a> {
    pub key: &'a str,
    pub city: &'a str,
    pub district: &'a str,
    /// From the site root.
    pub href: String,
    /// How many compounds the area has (the search's progress counts them before their list is
    /// loaded).
    pub count: usize,
}

pub fn search_areas<'a>(areas: &'a [Area<'a>]) -> Vec<SearchArea<'a>> {
    areas
        .iter()
        .map(|area| SearchArea {
            key: &area.key,
            city: area.city,
            district: area.district,
            href: area.page_path(1),
            count: area.compounds.len(),
        })
        .collect()
}

/// An area's compounds as its list for the search page holds them (the JSON of
/// `areas/<key>.js`).
#[derive(Debug, Serialize)]
pub struct CompoundList<'a> {
    pub key: &'a str,
    pub compounds: Vec<CompoundName<'a>>,
}

impl<'a> CompoundList<'a> {
    pub fn of(area: &'a Area<'a>) -> CompoundList<'a> {
        CompoundList {
            key: &area.key,
            compounds: area.compounds.iter().map(|s| CompoundName::of(s)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_grow_until_they_differ() {
        let digest = |start: &str| format!("{start:0<64}");
        assert_eq!(key_length(&[digest("abcdef01"), digest("abcdef02")]), 8);
        assert_eq!(
            key_length(&[digest("abcdef0123aa"), digest("abcdef0123bb")]),
            12
        );
    }
}
