//! The 公示栏 print edition: one A4 page per disclosure of a compound (`<slug>/print/<id>.html`)
//! and an index of them (`<slug>/print/index.html`). Each page carries a QR code linking to the
//! online page at its absolute address (`base_url`); the code's module matrix comes from the
//! `qrcode` crate and is handed to the template as SVG path data only.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Value};

use super::i18n::Words;
use super::{Sink, SiteRenderer, item};
use crate::compute::CompoundReport;
use crate::compute::disclosure::Disclosure;
use crate::error::Fatal;
use crate::ledger::amount::Money;

/// Whether `path` (relative to the site root) is a page of a compound's print edition.
pub fn is_print_page(path: &str) -> bool {
    path.split('/').nth(1) == Some("print")
}

/// Modules of light margin around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code as SVG path data: one `M x y h w v 1 h -w z` rectangle per run of dark modules in a
/// row, on a grid of `size` × `size` modules (quiet zone included).
#[derive(Debug, Clone, Serialize)]
pub struct QrView {
    pub size: usize,
    pub d: String,
    pub url: String,
}

/// The mask applied to every code. ISO/IEC 18004 lets an encoder use any of the eight masks; the
/// penalty scoring that picks the "best" one only lowers the odds of a long run or a false finder
/// pattern, and scoring all eight took about a fifth of the CPU of a city-scale build. The
/// checkerboard breaks every run at the second module, and the print tests decode each code.
const MASK: qrcode::canvas::MaskPattern = qrcode::canvas::MaskPattern::Checkerboard;

/// Appends `n` in decimal (a module count: three digits at most, more handled all the same).
fn push_number(out: &mut Vec<u8>, n: usize) {
    let digit = |d: usize| b'0' + (d % 10) as u8;
    match n {
        0..=9 => out.push(digit(n)),
        10..=99 => out.extend_from_slice(&[digit(n / 10), digit(n)]),
        100..=999 => out.extend_from_slice(&[digit(n / 100), digit(n / 10), digit(n)]),
        _ => {
            push_number(out, n / 10);
            out.push(digit(n));
        }
    }
}

/// The QR code of `text`, or `None` if it is too long to encode.
pub fn qr(text: &str) -> Option<QrView> {
    let level = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(text.as_bytes(), level).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = qrcode::canvas::Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MASK);
    let width = usize::try_from(version.width()).ok()?;
    let colors = canvas.into_colors();
    // Bytes, checked as text once at the end: only ASCII letters, digits and spaces go in.
    let mut d: Vec<u8> = Vec::with_capacity(width * width);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if colors[y * width + x] == qrcode::Color::Dark {
                let start = x;
                while x < width && colors[y * width + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let run = x - start;
                // `M{x} {y}h{run}v1h-{run}z`, without the formatting machinery: a code has
                // hundreds of runs.
                d.push(b'M');
                push_number(&mut d, start + QUIET_ZONE);
                d.push(b' ');
                push_number(&mut d, y + QUIET_ZONE);
                d.push(b'h');
                let from = d.len();
                push_number(&mut d, run);
                let to = d.len();
                d.extend_from_slice(b"v1h-");
                // The run's digits again.
                d.extend_from_within(from..to);
                d.push(b'z');
            } else {
                x += 1;
            }
        }
    }
    Some(QrView {
        size: width + 2 * QUIET_ZONE,
        d: String::from_utf8(d).ok()?,
        url: text.to_string(),
    })
}

/// Percent-encodes a relative path for a URL (keeps `/`, `#` and unreserved characters).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b'#' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The absolute address of a page, when `base_url` is absolute (http or https).
pub fn absolute_url(base_url: &str, path: &str) -> Option<String> {
    (base_url.starts_with("https://") || base_url.starts_with("http://"))
        .then(|| format!("{base_url}{}", encode_path(path)))
}

/// A figure of a disclosure with its label in the site language.
#[derive(Serialize)]
struct AmountText<'a> {
    label: String,
    amount: Money,
    uppercase: &'a str,
}

/// The words of a disclosure in the site language (`[disclosure]` strings): its title, what it
/// covers, how its publicity period was derived, and its figures' labels.
#[derive(Serialize)]
struct DisclosureText<'a> {
    title: String,
    period: String,
    rule: String,
    amounts: Vec<AmountText<'a>>,
}

fn disclosure_text<'a>(d: &'a Disclosure, w: &Words) -> DisclosureText<'a> {
    let name = if d.kind == "revenue" {
        w.period(&d.subject_label)
    } else {
        d.subject_label.clone()
    };
    let period = d.when.as_ref().map_or_else(String::new, |when| {
        w.fill(
            &format!("when_{}", when.kind),
            &[("name", &name), ("a", &when.a), ("b", &when.b)],
        )
    });
    let rule = d.publicity.as_ref().map_or_else(String::new, |p| {
        w.fill(
            &format!("rule_{}", p.rule),
            &[("days", &p.days.to_string())],
        )
    });
    let amounts = d
        .amounts
        .iter()
        .map(|a| {
            let source = a.detail.as_deref().map(|s| w.term(s)).unwrap_or_default();
            AmountText {
                label: w.fill(&format!("amount_{}", a.key), &[("source", &source)]),
                amount: a.amount,
                uppercase: &a.uppercase,
            }
        })
        .collect();
    DisclosureText {
        title: w.fill(&format!("title_{}", d.kind), &[("name", &name)]),
        period,
        rule,
        amounts,
    }
}

impl SiteRenderer {
    /// The print pages of one compound and their index. `ctx` already holds `site` and
    /// `compound`; what is added here is removed again.
    pub(super) fn render_print(
        &self,
        report: &CompoundReport,
        sink: &dyn Sink,
        ctx: &mut Context,
    ) -> Result<(), Fatal> {
        let items = &report.disclosures.items;
        if items.is_empty() {
            return Ok(());
        }
        let slug = &report.slug;
        // The records the pages show are taken from the compound as already converted.
        let compound = ctx.get("compound").cloned().unwrap_or_else(Value::none);
        // Each disclosure's words, worded and converted once for its page and the index.
        let texts = items
            .iter()
            .map(|d| Value::try_from_serializable(&disclosure_text(d, &self.disclosure_words)))
            .collect::<Result<Vec<Value>, _>>()
            .map_err(|e| Fatal::Template {
                name: "print.html".to_string(),
                detail: e.to_string(),
            })?;
        for ((index, d), text) in items.iter().enumerate().zip(&texts) {
            let url = absolute_url(&self.site.base_url, &format!("{slug}/{}", d.online));
            ctx.insert_value(
                "disclosure",
                item(&compound, "disclosures.items", Some(index)),
            );
            ctx.insert_value("text", text.clone());
            ctx.insert("qr", &url.as_deref().and_then(qr));
            ctx.insert("online_url", &url);
            match d.kind {
                "project" => {
                    let p = report.projects.iter().position(|p| p.id == d.subject);
                    ctx.insert_value("project", item(&compound, "projects", p));
                }
                "tender" => {
                    let t = report.tenders.iter().position(|t| t.id == d.subject);
                    ctx.insert_value("tender", item(&compound, "tenders", t));
                }
                _ => {
                    let p = report
                        .disclosures
                        .revenue_periods
                        .iter()
                        .position(|p| p.key == d.subject);
                    ctx.insert_value("period", item(&compound, "disclosures.revenue_periods", p));
                }
            }
            let path = format!("{slug}/print/{}.html", d.id);
            let result = self.page(sink, &path, "print.html", ctx, "print");
            for key in [
                "disclosure",
                "text",
                "qr",
                "online_url",
                "project",
                "tender",
                "period",
            ] {
                ctx.remove(key);
            }
            result?;
        }
        // `{disclosure, text}` per item, from the values the pages had.
        let entries: Vec<Value> = texts
            .into_iter()
            .enumerate()
            .map(|(index, text)| {
                let disclosure = item(&compound, "disclosures.items", Some(index));
                Value::from(BTreeMap::from([("disclosure", disclosure), ("text", text)]))
            })
            .collect();
        ctx.insert_value("print_items", Value::from(entries));
        let result = self.page(
            sink,
            &format!("{slug}/print/index.html"),
            "print_index.html",
            ctx,
            "print",
        );
        ctx.remove("print_items");
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_absolute_and_encoded() {
        assert_eq!(
            absolute_url("https://example.org/sanwu/", "明秀/tenders/a b.html").as_deref(),
            Some("https://example.org/sanwu/%E6%98%8E%E7%A7%80/tenders/a%20b.html")
        );
        assert_eq!(absolute_url("/", "x.html"), None);
    }

    #[test]
    fn qr_path_covers_the_finder_patterns() {
        let q = qr("https://example.org/").unwrap();
        let modules = q.size - 2 * QUIET_ZONE;
        assert!(
            modules >= 21 && (modules - 17).is_multiple_of(4),
            "{modules}"
        );
        // The top-left finder pattern starts with a run of 7 dark modules inside the quiet zone.
        assert!(q.d.starts_with("M4 4h7v1h-7z"), "{}", q.d);
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 9, 10, 42, 99, 100, 185, 999, 1000, 12345, usize::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
