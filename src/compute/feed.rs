//! What is new in a compound, for its Atom feed and the portal's: every notice, every tender
//! result, and every ledger period that has been published (a fee period, and each quarter of
//! public revenue and of the maintenance fund). Entries carry a stable id (a name-based UUID of
//! the compound's slug, the kind and the period or record), so a reader never sees an entry twice;
//! their date is the date the ledger gives, at midnight China time, never the clock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CompoundReport;
use crate::ledger::amount::{Money, format_bp, ratio_bp};

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// `urn:uuid:…`, derived from the slug, `kind` and the record's key only.
    pub id: String,
    pub title: String,
    /// The page it links to, relative to the site's root (`mingxiu/revenue.html`).
    pub path: String,
    /// The date the entry is about (ISO), and the same as RFC 3339 at 00:00 +08:00.
    pub date: String,
    pub updated: String,
    /// `notice`, `tender`, `fees`, `revenue` or `fund`.
    pub kind: String,
    /// A Chinese category label (the notice's kind, 物业费, 公共收益…).
    pub category: String,
    pub summary: String,
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
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// RFC 3339 for a date of the ledgers: midnight in China (UTC+8).
pub fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00+08:00")
}

/// `kind` is (machine kind, Chinese category).
fn entry(
    slug: &str,
    (kind, category): (&str, &str),
    key: &str,
    title: String,
    path: String,
    date: &str,
    summary: String,
) -> FeedEntry {
    FeedEntry {
        id: urn_uuid(&format!("sanwu-feed\u{0}{slug}\u{0}{kind}\u{0}{key}")),
        title,
        path,
        date: date.to_string(),
        updated: rfc3339(date),
        kind: kind.to_string(),
        category: category.to_string(),
        summary,
    }
}

/// `2025Q3` and its label `2025年第3季度` for an ISO date.
fn quarter_of(date: &str) -> Option<(String, String)> {
    let year: i32 = date.get(0..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let q = (month.clamp(1, 12) - 1) / 3 + 1;
    Some((format!("{year}Q{q}"), format!("{year}年第{q}季度")))
}

/// The newest `limit` entries of a compound, newest first (ties in a fixed order). Notices'
/// excerpts (markdown to text) are made only for the entries kept.
pub fn entries(report: &CompoundReport, limit: usize) -> Vec<FeedEntry> {
    let slug = report.slug.as_str();
    let mut out = Vec::new();
    for n in &report.notices {
        out.push(entry(
            slug,
            ("notice", n.kind.label()),
            &n.id,
            n.title.clone(),
            format!("{slug}/notices/{}.html", n.id),
            &n.date,
            String::new(),
        ));
    }
    for t in &report.tenders {
        let Some(awarded) = &t.awarded else { continue };
        let mut summary = format!("共 {} 家单位投标", t.bids.len());
        if let Some(w) = &t.winner {
            summary.push_str(&format!("，中标单位：{w}"));
        }
        if let Some(p) = t.final_price {
            summary.push_str(&format!("，中标价 {}", p.to_yuan_string()));
        }
        if let Some(s) = &t.saving
            && s.amount > Money::ZERO
        {
            summary.push_str(&format!("，比此前报价节省 {}", s.amount.to_yuan_string()));
        }
        summary.push('。');
        out.push(entry(
            slug,
            ("tender", "招标"),
            &t.id,
            format!("招标结果：{}", t.title),
            format!("{slug}/tenders/{}.html", t.id),
            awarded,
            summary,
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
            let rate = ratio_bp(received.0, receivable.0)
                .map(|bp| format!("，收缴率 {}", format_bp(bp)))
                .unwrap_or_default();
            out.push(entry(
                slug,
                ("fees", "物业费"),
                key,
                format!("{label}物业费收缴情况已公示"),
                format!("{slug}/fees.html"),
                end,
                format!(
                    "应收 {}，实收 {}{rate}。",
                    receivable.to_yuan_string(),
                    received.to_yuan_string()
                ),
            ));
        }
    }
    if let Some(revenue) = &report.revenue {
        // One entry per quarter, dated by its last entry.
        let mut quarters: BTreeMap<String, (String, String, Money, Money, Money)> = BTreeMap::new();
        for e in revenue.years.iter().flat_map(|y| &y.entries) {
            let Some((key, label)) = quarter_of(&e.date_to) else {
                continue;
            };
            let q = quarters.entry(key).or_insert((
                label,
                e.date_to.clone(),
                Money::ZERO,
                Money::ZERO,
                Money::ZERO,
            ));
            if e.date_to > q.1 {
                q.1 = e.date_to.clone();
            }
            q.2 += e.gross;
            q.3 += e.costs;
            q.4 += e.net;
        }
        for (key, (label, date, gross, costs, net)) in quarters {
            out.push(entry(
                slug,
                ("revenue", "公共收益"),
                &key,
                format!("{label}公共收益已公示"),
                format!("{slug}/revenue.html"),
                &date,
                format!(
                    "收入 {}，合理成本 {}，净收益 {}。",
                    gross.to_yuan_string(),
                    costs.to_yuan_string(),
                    net.to_yuan_string()
                ),
            ));
        }
    }
    if let Some(fund) = &report.fund {
        use crate::ledger::fund::FundKind;
        let mut quarters: BTreeMap<String, (String, String, [Money; 3], Money)> = BTreeMap::new();
        for r in &fund.rows {
            let Some((key, label)) = quarter_of(&r.date) else {
                continue;
            };
            let q = quarters.entry(key).or_insert((
                label,
                r.date.clone(),
                [Money::ZERO; 3],
                Money::ZERO,
            ));
            if r.date >= q.1 {
                q.1 = r.date.clone();
            }
            q.3 = r.balance;
            match r.kind {
                FundKind::Deposit => q.2[0] += r.amount,
                FundKind::Interest => q.2[1] += r.amount,
                FundKind::Withdrawal => q.2[2] += r.amount,
                FundKind::Balance => {}
            }
        }
        for (key, (label, date, [deposits, interest, withdrawals], balance)) in quarters {
            out.push(entry(
                slug,
                ("fund", "维修资金"),
                &key,
                format!("{label}维修资金收支已公示"),
                format!("{slug}/fund.html"),
                &date,
                format!(
                    "交存 {}，利息 {}，支取 {}，余额 {}。",
                    deposits.to_yuan_string(),
                    interest.to_yuan_string(),
                    withdrawals.to_yuan_string(),
                    balance.to_yuan_string()
                ),
            ));
        }
    }
    sort_newest_first(&mut out);
    out.truncate(limit);
    for e in out.iter_mut().filter(|e| e.kind == "notice") {
        let prefix = format!("{slug}/notices/");
        if let Some(n) = report
            .notices
            .iter()
            .find(|n| e.path.strip_prefix(&prefix) == Some(&format!("{}.html", n.id)))
        {
            e.summary = crate::render::markdown::excerpt(&n.body_markdown, 120);
        }
    }
    out
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
