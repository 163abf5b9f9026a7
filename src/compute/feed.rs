//! What is new in a compound, for its Atom feed and the portal's: every notice, every tender
//! result, and every ledger period that has been published (a fee period, and each quarter of
//! public revenue and of the maintenance fund), with the figures the theme's feed template words. Entries carry a stable id (a name-based UUID of
//! the compound's slug, the kind and the period or record), so a reader never sees an entry twice;
//! their date is the date the ledger gives, at midnight China time, never the clock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CompoundReport;
use crate::ledger::amount::{Money, ratio_bp};

/// One entry of a feed: what it is about and its figures; the theme's `feed.xml` writes its title
/// and summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// `urn:uuid:…`, derived from the slug, `kind` and the record's key only.
    pub id: String,
    /// `notice`, `tender`, `fees`, `revenue` or `fund`.
    pub kind: String,
    /// A notice's or tender's title, or the period's label (`2025年第3季度`).
    pub label: String,
    /// The page it links to, relative to the site's root (`mingxiu/revenue.html`).
    pub path: String,
    /// The date the entry is about (ISO), and the same as RFC 3339 at 00:00 +08:00.
    pub date: String,
    pub updated: String,
    /// A notice's kind (公告, 决议…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notice_kind: String,
    /// A notice's first words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
    /// For a quarter still in progress: the date of its last entry so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    #[serde(default)]
    pub figures: Figures,
}

/// The figures an entry summarises (only those of its kind are set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    // fees
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receivable: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_bp: Option<i64>,
    // revenue
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net: Option<Money>,
    // fund
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposits: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawals: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Money>,
    // tenders
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bids: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saving: Option<Money>,
}

/// How many of a compound's newest entries its summary keeps for the portal's feed (summaries
/// stay small: a city portal keeps one per compound while it builds).
pub const PORTAL_ENTRIES_PER_COMPOUND: usize = 5;

/// A name-based UUID (version 8, from SHA-256) of `name`, as a URN.
pub fn urn_uuid(name: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest.as_ref()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut urn = String::with_capacity(45);
    urn.push_str("urn:uuid:");
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            urn.push('-');
        }
        urn.push(char::from(HEX[usize::from(byte >> 4)]));
        urn.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    urn
}

/// RFC 3339 for a date of the ledgers: midnight in China (UTC+8).
pub fn rfc3339(date: &str) -> String {
    // Joined without `format!`, which costs more than the copying (dates are many).
    [date, "T00:00:00+08:00"].concat()
}

fn entry(
    slug: &str,
    kind: &str,
    key: &str,
    label: String,
    path: String,
    date: &str,
    figures: Figures,
) -> FeedEntry {
    FeedEntry {
        // The name the id is made from; `newest` turns it into the id only for the entries kept
        // (and for those it must order by id).
        id: ["sanwu-feed", slug, kind, key].join("\u{0}"),
        kind: kind.to_string(),
        label,
        path,
        date: date.to_string(),
        updated: rfc3339(date),
        notice_kind: String::new(),
        excerpt: String::new(),
        through: None,
        figures,
    }
}

/// Marks a quarter's entry dated before the quarter's end as covering it only so far.
fn mark_partial(mut e: FeedEntry, key: &str) -> FeedEntry {
    let end = key
        .get(0..4)
        .and_then(|y| y.parse().ok())
        .zip(key.get(5..6).and_then(|q| q.parse().ok()))
        .map(|(y, q)| {
            crate::ledger::calendar::iso_date(crate::ledger::calendar::Period::Quarter(y, q).end())
        });
    if end.is_some_and(|end| e.date < end) {
        e.through = Some(e.date.clone());
    }
    e
}

/// `2025Q3` and its label `2025年第3季度` for an ISO date.
#[cfg(test)]
fn quarter_of(date: &str) -> Option<(String, String)> {
    quarter_number(date).map(quarter_names)
}

/// The year and quarter of an ISO date.
fn quarter_number(date: &str) -> Option<(i32, u32)> {
    let year: i32 = date.get(0..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    Some((year, (month.clamp(1, 12) - 1) / 3 + 1))
}

/// `2025Q3` and its label `2025年第3季度`.
fn quarter_names((year, q): (i32, u32)) -> (String, String) {
    (format!("{year}Q{q}"), format!("{year}年第{q}季度"))
}

/// Quarters gathered by number, in the order of their keys (`2025Q3`) with their labels.
fn by_key<T>(quarters: BTreeMap<(i32, u32), T>) -> Vec<(String, String, T)> {
    let mut named: Vec<(String, String, T)> = quarters
        .into_iter()
        .map(|(number, value)| {
            let (key, label) = quarter_names(number);
            (key, label, value)
        })
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named
}

/// The newest `limit` entries of a compound, newest first (ties in a fixed order). Notices'
/// excerpts (markdown to text) are made only for the entries kept. The first list made is kept
/// with the report: a later call for as many entries or fewer (the summary's few, after the
/// compound's feed) takes them from it.
pub fn entries(report: &CompoundReport, limit: usize) -> Vec<FeedEntry> {
    if let Some((made, list)) = report.feed_entries.get()
        && limit <= *made
    {
        return list[..limit.min(list.len())].to_vec();
    }
    let list = newest(report, limit);
    if report.feed_entries.get().is_none() {
        let _ = report.feed_entries.set((limit, list.clone()));
    }
    list
}

/// [`entries`], made afresh.
fn newest(report: &CompoundReport, limit: usize) -> Vec<FeedEntry> {
    let slug = report.slug.as_str();
    let mut out = Vec::new();
    for n in &report.notices {
        let mut e = entry(
            slug,
            "notice",
            &n.id,
            n.title.clone(),
            [slug, "/notices/", &n.id, ".html"].concat(),
            &n.date,
            Figures::default(),
        );
        e.notice_kind = n.kind.label().to_string();
        out.push(e);
    }
    for t in &report.tenders {
        let Some(awarded) = &t.awarded else { continue };
        out.push(entry(
            slug,
            "tender",
            &t.id,
            t.title.clone(),
            [slug, "/tenders/", &t.id, ".html"].concat(),
            awarded,
            Figures {
                bids: Some(t.bids.len()),
                winner: t.winner.clone(),
                final_price: t.final_price,
                saving: t
                    .saving
                    .as_ref()
                    .map(|s| s.amount)
                    .filter(|a| *a > Money::ZERO),
                ..Figures::default()
            },
        ));
    }
    if let Some(fees) = &report.fees {
        // One entry per fee period, all building types together.
        let mut periods: BTreeMap<&str, (&str, &str, Money, Money)> = BTreeMap::new();
        for row in fees.years.iter().flat_map(|y| &y.rows) {
            let p = periods.entry(&row.period_key).or_insert((
                &row.period,
                &row.period_end,
                Money::ZERO,
                Money::ZERO,
            ));
            p.2 += row.receivable;
            p.3 += row.received;
        }
        for (key, (label, end, receivable, received)) in periods {
            out.push(entry(
                slug,
                "fees",
                key,
                label.to_string(),
                [slug, "/fees.html"].concat(),
                end,
                Figures {
                    receivable: Some(receivable),
                    received: Some(received),
                    rate_bp: ratio_bp(received.0, receivable.0),
                    ..Figures::default()
                },
            ));
        }
    }
    if let Some(revenue) = &report.revenue {
        // One entry per quarter, dated by its last entry.
        let mut quarters: BTreeMap<(i32, u32), (&str, [Money; 3])> = BTreeMap::new();
        for e in revenue.years.iter().flat_map(|y| &y.entries) {
            let Some(number) = quarter_number(&e.date_to) else {
                continue;
            };
            let q = quarters
                .entry(number)
                .or_insert((e.date_to.as_str(), [Money::ZERO; 3]));
            if e.date_to.as_str() > q.0 {
                q.0 = &e.date_to;
            }
            q.1[0] += e.gross;
            q.1[1] += e.costs;
            q.1[2] += e.net;
        }
        for (key, label, (date, [gross, costs, net])) in by_key(quarters) {
            let e = entry(
                slug,
                "revenue",
                &key,
                label,
                [slug, "/revenue.html"].concat(),
                date,
                Figures {
                    gross: Some(gross),
                    costs: Some(costs),
                    net: Some(net),
                    ..Figures::default()
                },
            );
            out.push(mark_partial(e, &key));
        }
    }
    if let Some(fund) = &report.fund {
        use crate::ledger::fund::FundKind;
        let mut quarters: BTreeMap<(i32, u32), (&str, [Money; 3], Money)> = BTreeMap::new();
        for r in &fund.rows {
            let Some(number) = quarter_number(&r.date) else {
                continue;
            };
            let q =
                quarters
                    .entry(number)
                    .or_insert((r.date.as_str(), [Money::ZERO; 3], Money::ZERO));
            if r.date.as_str() >= q.0 {
                q.0 = &r.date;
            }
            q.2 = r.balance;
            match r.kind {
                FundKind::Deposit => q.1[0] += r.amount,
                FundKind::Interest => q.1[1] += r.amount,
                FundKind::Withdrawal => q.1[2] += r.amount,
                FundKind::Balance => {}
            }
        }
        for (key, label, (date, [deposits, interest, withdrawals], balance)) in by_key(quarters) {
            let e = entry(
                slug,
                "fund",
                &key,
                label,
                [slug, "/fund.html"].concat(),
                date,
                Figures {
                    deposits: Some(deposits),
                    interest: Some(interest),
                    withdrawals: Some(withdrawals),
                    balance: Some(balance),
                    ..Figures::default()
                },
            );
            out.push(mark_partial(e, &key));
        }
    }
    keep_newest(&mut out, limit);
    for e in out.iter_mut().filter(|e| e.kind == "notice") {
        let prefix = format!("{slug}/notices/");
        if let Some(n) = report.notices.iter().find(|n| {
            e.path
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".html"))
                == Some(n.id.as_str())
        }) {
            e.excerpt = crate::render::markdown::excerpt(&n.body_markdown, 120);
        }
    }
    out
}

/// Sorts entries made by [`entry`] newest first (as [`sort_newest_first`] does), keeps the first
/// `limit` and makes their ids. Only entries of the same day and page need their ids to be
/// ordered, so only theirs are made before the list is cut.
fn keep_newest(out: &mut Vec<FeedEntry>, limit: usize) {
    out.sort_by(|a, b| (&b.date, &a.path).cmp(&(&a.date, &b.path)));
    let mut run = 0;
    while run < out.len() {
        let same = out[run..]
            .iter()
            .take_while(|e| (&e.date, &e.path) == (&out[run].date, &out[run].path))
            .count();
        if same > 1 {
            let ties = &mut out[run..run + same];
            ties.iter_mut().for_each(make_id);
            ties.sort_by(|a, b| a.id.cmp(&b.id));
        }
        run += same;
    }
    out.truncate(limit);
    out.iter_mut().for_each(make_id);
}

/// Turns the name an entry was made with into its id (once).
fn make_id(e: &mut FeedEntry) {
    if !e.id.starts_with("urn:uuid:") {
        e.id = urn_uuid(&e.id);
    }
}

/// Newest first; on the same day in a fixed order (path, then id).
pub fn sort_newest_first(entries: &mut [FeedEntry]) {
    entries.sort_by(|a, b| (&b.date, &a.path, &a.id).cmp(&(&a.date, &b.path, &b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuid_urns() {
        let a = urn_uuid("sanwu-feed\u{0}mingxiu\u{0}revenue\u{0}2025Q3");
        assert_eq!(a, urn_uuid("sanwu-feed\u{0}mingxiu\u{0}revenue\u{0}2025Q3"));
        assert_ne!(a, urn_uuid("sanwu-feed\u{0}mingxiu\u{0}revenue\u{0}2025Q2"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[9 + 14..9 + 15], "8", "version 8: {a}");
        // The bytes of the digest in hex, grouped 8-4-4-4-12.
        let digest = ring::digest::digest(&ring::digest::SHA256, "x".as_bytes());
        let mut b = digest.as_ref()[..16].to_vec();
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let grouped = format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        );
        assert_eq!(urn_uuid("x"), grouped);
    }

    #[test]
    fn entries_are_kept_in_the_order_their_ids_give() {
        // Few dates and pages, so that many entries tie on both and are ordered by id.
        let made: Vec<FeedEntry> = (0..60)
            .map(|i| {
                entry(
                    "s",
                    ["fees", "revenue", "notice"][i % 3],
                    &format!("k{i}"),
                    String::new(),
                    format!("s/{}.html", i % 4),
                    ["2025-01-01", "2025-06-30", "2024-12-31"][i % 5 % 3],
                    Figures::default(),
                )
            })
            .collect();
        let mut expected = made.clone();
        expected.iter_mut().for_each(make_id);
        sort_newest_first(&mut expected);
        for limit in [0, 1, 7, 20, 59, 60, 100] {
            let mut kept = made.clone();
            keep_newest(&mut kept, limit);
            assert_eq!(kept, expected[..limit.min(60)], "{limit}");
        }
    }

    #[test]
    fn a_quarter_in_progress_says_how_far_it_goes() {
        let e = |date: &str| {
            entry(
                "s",
                "fund",
                "2026Q1",
                "2026年第1季度".into(),
                "p".into(),
                date,
                Figures::default(),
            )
        };
        assert_eq!(
            mark_partial(e("2026-01-25"), "2026Q1").through.as_deref(),
            Some("2026-01-25")
        );
        assert_eq!(mark_partial(e("2026-03-31"), "2026Q1").through, None);
    }

    #[test]
    fn quarters_of_dates() {
        assert_eq!(
            quarter_of("2025-09-30"),
            Some(("2025Q3".into(), "2025年第3季度".into()))
        );
        assert_eq!(quarter_of("2025-01-01").unwrap().0, "2025Q1");
        assert_eq!(quarter_of("bad"), None);
    }
}
