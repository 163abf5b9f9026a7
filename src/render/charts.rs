//! Chart geometry for the inline SVG charts: scales, bars, lines, ticks and labels, computed from
//! a compound's report at build time. The theme's `charts.html` macros write the SVG markup from
//! these view models; no markup is produced here. Every coordinate is computed in integer tenths
//! of a user unit from integer fen or basis points and written with exactly one decimal, so the
//! charts are byte-identical from build to build. Charts are 360 units wide (one unit is one CSS
//! pixel on a 360 px phone) and scale with their container.

use std::collections::BTreeMap;

use serde::Serialize;

use super::i18n::Words;
use crate::compute::CompoundReport;
use crate::compute::TenderView;
use crate::ledger::amount::{Money, format_bp};

/// The width of every chart's viewBox, in user units.
pub const WIDTH: i64 = 360;
/// One user unit in the tenths used for all geometry.
const U: i64 = 10;

/// A coordinate (tenths of a unit) as SVG writes it: `123.4`.
fn c(tenths: i64) -> String {
    let mut digits = [0u8; 24];
    coordinate_text(tenths, &mut digits).to_string()
}

/// Appends the coordinate `tenths` as [`c`] writes it, without the formatting machinery (a chart
/// has thousands of coordinates).
fn push_c(out: &mut String, tenths: i64) {
    let mut digits = [0u8; 24];
    out.push_str(coordinate_text(tenths, &mut digits));
}

/// The coordinate `tenths` as [`c`] writes it, in the end of `digits`.
fn coordinate_text(tenths: i64, digits: &mut [u8; 24]) -> &str {
    let a = tenths.unsigned_abs();
    let mut at = digits.len();
    // The tenth, the point, then the whole part from its last digit, then the sign.
    at -= 1;
    digits[at] = b'0' + (a % 10) as u8;
    at -= 1;
    digits[at] = b'.';
    let mut whole = a / 10;
    loop {
        at -= 1;
        digits[at] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if tenths < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    // Only ASCII digits, a point and a sign were written.
    std::str::from_utf8(&digits[at..]).unwrap_or_default()
}

/// A coordinate of the view models (tenths of a unit): the templates see the text [`c`] writes,
/// made when the chart is handed to them rather than kept as a string of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coord(i64);

impl Serialize for Coord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut digits = [0u8; 24];
        serializer.serialize_str(coordinate_text(self.0, &mut digits))
    }
}

/// `value / max` of `len`, rounded half up (all integers; `max` > 0).
fn scale(value: i64, max: i64, len: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    let num = i128::from(value) * i128::from(len);
    let den = i128::from(max);
    let q = (2 * num + den).div_euclid(2 * den);
    i64::try_from(q).unwrap_or(0)
}

/// A rough width of `text` at `size` units, in tenths: CJK and full-width characters are one em,
/// others about 0.6 em.
fn text_width(text: &str, size: i64) -> i64 {
    text.chars()
        .map(|ch| {
            if (ch as u32) >= 0x2E80 {
                size * U
            } else {
                size * 6
            }
        })
        .sum()
}

#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub x: Coord,
    pub y: Coord,
    pub text: String,
    /// "start", "middle" or "end".
    pub anchor: &'static str,
}

fn text(x: i64, y: i64, t: impl Into<String>, anchor: &'static str) -> Text {
    Text {
        x: Coord(x),
        y: Coord(y),
        text: t.into(),
        anchor,
    }
}

/// Places a label of `width` near `x` without leaving the chart: ending at `x` when it fits to the
/// left, else starting at `x`, else flush right.
fn label_near(x: i64, y: i64, label: String, size: i64) -> Text {
    let w = text_width(&label, size);
    if w <= x {
        text(x, y, label, "end")
    } else if x + w <= WIDTH * U {
        text(x, y, label, "start")
    } else {
        text(WIDTH * U, y, label, "end")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rect {
    pub x: Coord,
    pub y: Coord,
    pub w: Coord,
    pub h: Coord,
    /// The fill style: "winner", "bid", "net", "cost".
    pub style: &'static str,
}

fn rect(x: i64, y: i64, w: i64, h: i64, style: &'static str) -> Rect {
    Rect {
        x: Coord(x),
        y: Coord(y),
        w: Coord(w.max(0)),
        h: Coord(h),
        style,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub x1: Coord,
    pub y1: Coord,
    pub x2: Coord,
    pub y2: Coord,
}

fn line(x1: i64, y1: i64, x2: i64, y2: i64) -> Line {
    Line {
        x1: Coord(x1),
        y1: Coord(y1),
        x2: Coord(x2),
        y2: Coord(y2),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub line: Line,
    pub label: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub swatch: Rect,
    /// "line" items draw a line sample in `series` style instead of a filled swatch.
    pub series: Option<usize>,
    pub label: Text,
}

/// Lays legend items out left to right, wrapping; returns the items and the height used.
fn legend(items: &[(&'static str, Option<usize>, String)], top: i64) -> (Vec<LegendItem>, i64) {
    let mut out = Vec::new();
    let (mut x, mut y) = (0, top + 12 * U);
    for (style, series, label) in items {
        let w = 16 * U + text_width(label, 11) + 12 * U;
        if x > 0 && x + w > WIDTH * U {
            x = 0;
            y += 16 * U;
        }
        out.push(LegendItem {
            swatch: rect(x, y - 9 * U, 12 * U, 10 * U, style),
            series: *series,
            label: text(x + 16 * U, y, label.clone(), "start"),
        });
        x += w;
    }
    let height = if out.is_empty() { 0 } else { y - top + 6 * U };
    (out, height)
}

/// A step of 1, 2 or 5 × 10ⁿ giving at most `max_ticks` intervals over `span`.
fn nice_step(span: i64, max_ticks: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            let s = step.saturating_mul(m);
            if span / s < max_ticks || s == i64::MAX {
                return s;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Tick labels for money: 5万, 12.5万, ¥800 (`[charts] tick_thousands`: `{wan}` is the amount in
/// 万 yuan, `{thousands}` in thousands of yuan: ¥125k).
fn money_tick(fen: i64, w: &Words) -> String {
    let yuan = fen / 100;
    if yuan != 0 && yuan % 1_000 == 0 {
        let tenths_wan = yuan / 1_000;
        let wan = if tenths_wan % 10 == 0 {
            format!("{}", tenths_wan / 10)
        } else {
            format!("{}.{}", tenths_wan / 10, tenths_wan % 10)
        };
        w.fill(
            "tick_thousands",
            &[("wan", &wan), ("thousands", &tenths_wan.to_string())],
        )
    } else {
        let text = Money(fen).to_yuan_string();
        text.trim_end_matches(".00").to_string()
    }
}

// ------------------------------------------------------------------ horizontal bars

/// One row of a horizontal bar chart: a label line, then the bar (one or more segments).
#[derive(Debug, Clone, Serialize)]
pub struct BarRow {
    pub label: Text,
    pub value: Text,
    pub segments: Vec<Rect>,
    pub emphasis: bool,
}

/// A vertical reference line across the rows (the first quote, a budget).
#[derive(Debug, Clone, Serialize)]
pub struct RefLine {
    pub line: Line,
    pub label: Text,
    /// "quote" or "budget".
    pub style: &'static str,
}

/// A dimension line between two values with a label (the saving).
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub line: Line,
    pub left: Line,
    pub right: Line,
    pub label: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: i64,
    pub height: String,
    pub ticks: Vec<Tick>,
    pub axis: Line,
    pub rows: Vec<BarRow>,
    pub refs: Vec<RefLine>,
    pub span: Option<Span>,
    pub legend: Vec<LegendItem>,
}

struct BarSpec {
    label: String,
    value_label: String,
    /// (amount, style) segments laid end to end.
    segments: Vec<(i64, &'static str)>,
    emphasis: bool,
}

const BAR_LEFT: i64 = 2 * U;
const BAR_RIGHT: i64 = (WIDTH - 6) * U;
const ROW: i64 = 38 * U;

/// Lays out a horizontal bar chart over [0, max] with optional reference lines and span.
/// A chart's id, its title and its description.
struct Named {
    id: String,
    title: String,
    desc: String,
}

fn bar_chart(
    named: Named,
    bars: Vec<BarSpec>,
    refs: Vec<(i64, String, &'static str)>,
    span: Option<(i64, i64, String)>,
    legend_items: &[(&'static str, Option<usize>, String)],
    w: &Words,
) -> BarChart {
    let data_max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.0.max(0)).sum::<i64>())
        .chain(refs.iter().map(|r| r.0))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = nice_step(data_max, 4);
    let max = data_max.div_euclid(step) * step + if data_max % step == 0 { 0 } else { step };
    let plot = BAR_RIGHT - BAR_LEFT;
    let x = |v: i64| BAR_LEFT + scale(v.max(0), max, plot);
    let mut y = 4 * U + refs.len() as i64 * 15 * U;
    let refs_top = y - 2 * U;
    let mut rows = Vec::new();
    for b in &bars {
        let label_y = y + 12 * U;
        let bar_y = y + 17 * U;
        let mut segments = Vec::new();
        let mut at = 0;
        for (amount, style) in &b.segments {
            let from = x(at);
            at += (*amount).max(0);
            segments.push(rect(from, bar_y, x(at) - from, 14 * U, style));
        }
        let end = x(at);
        let value_w = text_width(&b.value_label, 12);
        let value = if end + 4 * U + value_w <= (WIDTH - 2) * U {
            text(end + 4 * U, bar_y + 11 * U, b.value_label.clone(), "start")
        } else {
            text((WIDTH - 2) * U, label_y, b.value_label.clone(), "end")
        };
        rows.push(BarRow {
            label: text(BAR_LEFT, label_y, b.label.clone(), "start"),
            value,
            segments,
            emphasis: b.emphasis,
        });
        y += ROW;
    }
    let span = span.map(|(from, to, label)| {
        let (x1, x2) = (x(from), x(to));
        let line_y = y + 18 * U;
        let mid = (x1 + x2) / 2;
        let w = text_width(&label, 12);
        let lx = (mid - w / 2).clamp(0, (WIDTH * U - w).max(0));
        let s = Span {
            line: line(x1, line_y, x2, line_y),
            left: line(x1, line_y - 5 * U, x1, line_y + 5 * U),
            right: line(x2, line_y - 5 * U, x2, line_y + 5 * U),
            label: text(lx, y + 10 * U, label, "start"),
        };
        y += 26 * U;
        s
    });
    let rows_bottom = y;
    let refs = refs
        .into_iter()
        .enumerate()
        .map(|(i, (value, label, style))| {
            let rx = x(value);
            RefLine {
                line: line(rx, 17 * U + i as i64 * 15 * U, rx, rows_bottom),
                label: label_near(rx, 14 * U + i as i64 * 15 * U, label, 12),
                style,
            }
        })
        .collect();
    let axis_y = rows_bottom + 2 * U;
    let mut ticks = Vec::new();
    let mut v = 0;
    while v <= max {
        let tx = x(v);
        let anchor = if v == 0 {
            "start"
        } else if v == max {
            "end"
        } else {
            "middle"
        };
        ticks.push(Tick {
            line: line(tx, refs_top, tx, axis_y + 3 * U),
            label: text(tx, axis_y + 15 * U, money_tick(v, w), anchor),
        });
        v += step;
    }
    let (legend, legend_h) = legend(legend_items, axis_y + 20 * U);
    BarChart {
        id: named.id,
        title: named.title,
        desc: named.desc,
        width: WIDTH,
        height: c(axis_y + 22 * U + legend_h),
        ticks,
        axis: line(BAR_LEFT, axis_y, BAR_RIGHT, axis_y),
        rows,
        refs,
        span,
        legend,
    }
}

/// The bids of a tender as bars, lowest first, with the first quote (and the budget) as
/// reference lines and the saving as a span from the final price to the reference.
pub fn tender_chart(t: &TenderView, id: &str, w: &Words) -> Option<BarChart> {
    if t.bids.is_empty() {
        return None;
    }
    let bars = t
        .bids
        .iter()
        .map(|b| BarSpec {
            label: if b.is_winner {
                w.fill("winner_bar", &[("bidder", &b.bidder)])
            } else {
                b.bidder.clone()
            },
            value_label: b.amount.to_yuan_string(),
            segments: vec![(b.amount.0, if b.is_winner { "winner" } else { "bid" })],
            emphasis: b.is_winner,
        })
        .collect();
    let quote_by = if t.first_quote_by.is_empty() {
        w.get("first_quote").to_string()
    } else {
        w.fill("quote_by", &[("by", &t.first_quote_by)])
    };
    let mut refs = Vec::new();
    if let Some(q) = t.first_quote {
        refs.push((q.0, format!("{quote_by} {}", q.to_yuan_string()), "quote"));
    }
    if let Some(b) = t.budget {
        refs.push((
            b.0,
            w.fill("budget_line", &[("amount", &b.to_yuan_string())]),
            "budget",
        ));
    }
    let span = t.saving.as_ref().and_then(|s| {
        (s.amount > Money::ZERO).then(|| {
            let pct =
                s.bp.map(|bp| w.fill("percent", &[("pct", &format_bp(bp))]))
                    .unwrap_or_default();
            (
                s.final_price.0,
                s.reference.0,
                w.fill(
                    "saved",
                    &[("amount", &s.amount.to_yuan_string()), ("pct", &pct)],
                ),
            )
        })
    });
    let mut legend_items = vec![
        ("winner", None, w.get("legend_winner").to_string()),
        ("bid", None, w.get("legend_bid").to_string()),
    ];
    if t.first_quote.is_some() {
        legend_items.push(("quote", None, w.get("legend_quote").to_string()));
    }
    if t.budget.is_some() {
        legend_items.push(("budget", None, w.get("legend_budget").to_string()));
    }
    let mut desc = w.fill("bids_desc", &[("n", &t.bids.len().to_string())]);
    for b in &t.bids {
        let won = if b.is_winner { w.get("won") } else { "" };
        desc.push_str(&w.fill(
            "bid_desc",
            &[
                ("bidder", &b.bidder),
                ("won", won),
                ("amount", &b.amount.to_yuan_string()),
            ],
        ));
    }
    if let Some(q) = t.first_quote {
        desc.push_str(&w.fill(
            "reference_desc",
            &[("label", &quote_by), ("amount", &q.to_yuan_string())],
        ));
    }
    if let Some(b) = t.budget {
        desc.push_str(&w.fill("budget_desc", &[("amount", &b.to_yuan_string())]));
    }
    if let Some(s) = t.saving.as_ref().filter(|s| s.amount > Money::ZERO) {
        let pct =
            s.bp.map(|bp| w.fill("percent", &[("pct", &format_bp(bp))]))
                .unwrap_or_default();
        desc.push_str(&w.fill(
            "saving_desc",
            &[
                ("final", &s.final_price.to_yuan_string()),
                ("amount", &s.amount.to_yuan_string()),
                ("pct", &pct),
            ],
        ));
    }
    desc.push_str(w.get("end"));
    Some(bar_chart(
        Named {
            id: id.to_string(),
            title: w.fill("tender_title", &[("title", &t.title)]),
            desc,
        },
        bars,
        refs,
        span,
        &legend_items,
        w,
    ))
}

/// Revenue as stacked bars (net, then costs: the whole bar is the gross income), one per row.
fn revenue_bars(
    id: String,
    title: String,
    rows: Vec<(String, Money, Money, Money)>,
    w: &Words,
) -> Option<BarChart> {
    if rows.is_empty() {
        return None;
    }
    let mut desc = String::new();
    for (label, gross, costs, net) in &rows {
        if !desc.is_empty() {
            desc.push_str(w.get("separator"));
        }
        desc.push_str(&w.fill(
            "revenue_desc",
            &[
                ("label", label),
                ("gross", &gross.to_yuan_string()),
                ("costs", &costs.to_yuan_string()),
                ("net", &net.to_yuan_string()),
            ],
        ));
    }
    desc.push_str(w.get("end"));
    let bars = rows
        .into_iter()
        .map(|(label, gross, costs, net)| BarSpec {
            label,
            value_label: w.fill(
                "revenue_value",
                &[
                    ("gross", &gross.to_yuan_string()),
                    ("net", &net.to_yuan_string()),
                ],
            ),
            segments: vec![(net.0, "net"), (costs.0, "cost")],
            emphasis: false,
        })
        .collect();
    Some(bar_chart(
        Named { id, title, desc },
        bars,
        Vec::new(),
        None,
        &[
            ("net", None, w.get("legend_net").to_string()),
            ("cost", None, w.get("legend_cost").to_string()),
        ],
        w,
    ))
}

// ------------------------------------------------------------------ lines

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub label: String,
    /// Index into the theme's line styles (dash pattern and marker shape).
    pub style: usize,
    pub d: String,
    /// Path data of the markers at the data points.
    pub markers: String,
    pub end_label: Option<Text>,
    pub emphasis: bool,
}

/// A numbered mark on a line (a withdrawal from the fund).
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub number: usize,
    pub marker: String,
    pub label: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: i64,
    pub height: String,
    pub y_ticks: Vec<Tick>,
    /// Vertical separators (year boundaries) and their labels.
    pub x_ticks: Vec<Tick>,
    pub axis: Line,
    pub series: Vec<Series>,
    pub marks: Vec<Mark>,
    pub legend: Vec<LegendItem>,
}

/// Appends the path data of a marker of shape `style % 4` centred on (x, y).
fn push_marker(out: &mut String, style: usize, x: i64, y: i64) {
    const DIAMOND: &[(u8, i64, i64)] = &[
        (b'M', 0, -4 * U),
        (b'L', 4 * U, 0),
        (b'L', 0, 4 * U),
        (b'L', -4 * U, 0),
        (b'Z', 0, 0),
    ];
    const SQUARE: &[(u8, i64, i64)] = &[
        (b'M', -3 * U, -3 * U),
        (b'L', 3 * U, -3 * U),
        (b'L', 3 * U, 3 * U),
        (b'L', -3 * U, 3 * U),
        (b'Z', 0, 0),
    ];
    const TRIANGLE: &[(u8, i64, i64)] = &[
        (b'M', 0, -4 * U),
        (b'L', 4 * U, 3 * U),
        (b'L', -4 * U, 3 * U),
        (b'Z', 0, 0),
    ];
    const CROSS: &[(u8, i64, i64)] = &[
        (b'M', -3 * U, -3 * U),
        (b'L', 3 * U, 3 * U),
        (b'M', 3 * U, -3 * U),
        (b'L', -3 * U, 3 * U),
    ];
    let steps = match style % 4 {
        0 => DIAMOND,
        1 => SQUARE,
        2 => TRIANGLE,
        _ => CROSS,
    };
    for &(command, dx, dy) in steps {
        out.push(char::from(command));
        if command != b'Z' {
            push_c(out, x + dx);
            out.push(' ');
            push_c(out, y + dy);
        }
    }
}

/// Moves labels (sorted by y) apart so that they are at least `gap` apart and inside [lo, hi].
fn spread(ys: &mut [(i64, usize)], gap: i64, lo: i64, hi: i64) {
    ys.sort();
    for i in 0..ys.len() {
        let min = if i == 0 { lo } else { ys[i - 1].0 + gap };
        ys[i].0 = ys[i].0.max(min);
    }
    let n = ys.len();
    for i in (0..n).rev() {
        let max = if i + 1 == n { hi } else { ys[i + 1].0 - gap };
        ys[i].0 = ys[i].0.min(max);
    }
}

const LINE_LEFT: i64 = 40 * U;
const PLOT_TOP: i64 = 12 * U;
const PLOT_H: i64 = 180 * U;

/// Collection rate per building type over the fee periods, with the compound's total.
pub fn fees_chart(report: &CompoundReport, w: &Words) -> Option<(LineChart, RateTable)> {
    let fees = report.fees.as_ref()?;
    // Periods in time order, with each type's rate and the total.
    // Keyed by (months since year 0 of the period's first month, months covered), which sorts
    // as the periods' start and length do.
    type PeriodRates = BTreeMap<String, (i64, i64)>;
    let mut periods: BTreeMap<(i64, i64), (String, PeriodRates)> = BTreeMap::new();
    let mut types: Vec<String> = Vec::new();
    for year in fees.years.iter().rev() {
        for r in &year.rows {
            let period = crate::ledger::calendar::Period::parse(&r.period_key)?;
            use chrono::Datelike;
            let start = period.start();
            let key = (
                i64::from(start.year()) * 12 + i64::from(start.month0()),
                i64::from(period.month_count()),
            );
            let entry = periods
                .entry(key)
                .or_insert_with(|| (w.period(&r.period), BTreeMap::new()));
            let slot = entry.1.entry(r.building_type.clone()).or_insert((0, 0));
            slot.0 += r.received.0;
            slot.1 += r.receivable.0;
            if !types.contains(&r.building_type) {
                types.push(r.building_type.clone());
            }
        }
    }
    if periods.is_empty() {
        return None;
    }
    types.sort();
    let multi = types.len() > 1;
    let total_label = w.get("total").to_string();
    // Months from the first period's start, for x positions.
    let keys: Vec<&(i64, i64)> = periods.keys().collect();
    let first = keys[0].0;
    let last_end = keys
        .iter()
        .map(|(month, n)| month + n)
        .max()
        .unwrap_or(first + 1);
    let span_half_months = ((last_end - first) * 2).max(1);
    // The plot ends where the widest end label (a building type in the site language, or the
    // total) still fits on the right; 62 units at most, as much as 160 units of plot allow.
    let widest = types
        .iter()
        .map(|t| w.term(t))
        .chain(multi.then(|| total_label.clone()))
        .map(|label| text_width(&label, 12))
        .max()
        .unwrap_or(0);
    let right = (WIDTH * U - 9 * U - widest).clamp(LINE_LEFT + 160 * U, (WIDTH - 62) * U);
    let plot_w = right - LINE_LEFT;
    let x_at = |half_months: i64| LINE_LEFT + scale(half_months, span_half_months, plot_w);

    // Rates in basis points per series (looked up by the ledgers' building types, shown in the
    // site language).
    let mut series_names = types.clone();
    if multi {
        series_names.push(total_label.clone());
    }
    let mut points: Vec<Vec<(i64, i64, String)>> = vec![Vec::new(); series_names.len()];
    let mut min_bp = 10_000;
    let mut max_bp = 10_000;
    for (&(month, months), (label, rates)) in &periods {
        let start = month - first;
        let mid = start * 2 + months;
        let mut total = (0, 0);
        for (i, name) in series_names.iter().enumerate() {
            let pair = if multi && i == series_names.len() - 1 {
                Some(total)
            } else {
                rates.get(name).copied()
            };
            if let Some((received, receivable)) = pair {
                if !(multi && i == series_names.len() - 1) {
                    total.0 += received;
                    total.1 += receivable;
                }
                if let Some(bp) = crate::ledger::amount::ratio_bp(received, receivable) {
                    min_bp = min_bp.min(bp);
                    max_bp = max_bp.max(bp);
                    points[i].push((mid, bp, label.clone()));
                }
            }
        }
    }
    // The y axis: from a round floor below the lowest rate to 100% (or a round ceiling above a
    // rate over 100%, e.g. from prepayments; beyond 300% points stay at the top).
    let top = if max_bp > 10_000 {
        ((max_bp + 999) / 1_000 * 1_000).min(30_000)
    } else {
        10_000
    };
    let floor = if min_bp < 5_000 {
        0
    } else {
        (min_bp / 1_000) * 1_000 - if min_bp % 1_000 < 200 { 500 } else { 0 }
    };
    let floor = floor.max(0);
    let range = top - floor;
    let step = if range <= 500 {
        100
    } else if range <= 1_000 {
        200
    } else if range <= 2_500 {
        500
    } else if range <= 5_000 {
        1_000
    } else {
        2_000
    };
    let bottom = PLOT_TOP + PLOT_H;
    let y_at = |bp: i64| bottom - scale((bp - floor).clamp(0, range), range, PLOT_H);
    let mut y_ticks = Vec::new();
    let mut v = floor;
    while v <= top {
        let y = y_at(v);
        y_ticks.push(Tick {
            line: line(LINE_LEFT, y, right, y),
            label: text(LINE_LEFT - 4 * U, y + 4 * U, format!("{}%", v / 100), "end"),
        });
        v += step;
    }
    let x_ticks = year_ticks(first, last_end, &|m| x_at(m * 2), bottom, w);
    let shown: Vec<String> = series_names.iter().map(|n| w.term(n)).collect();
    let mut series = Vec::new();
    let mut ends: Vec<(i64, usize)> = Vec::new();
    for (i, name) in shown.iter().enumerate() {
        let pts = &points[i];
        if pts.is_empty() {
            continue;
        }
        let mut d = String::new();
        let mut marks = String::new();
        for (k, (mid, bp, _)) in pts.iter().enumerate() {
            let (x, y) = (x_at(*mid), y_at(*bp));
            d.push(if k == 0 { 'M' } else { 'L' });
            push_c(&mut d, x);
            d.push(' ');
            push_c(&mut d, y);
            push_marker(&mut marks, i, x, y);
        }
        let (last_mid, last_bp, _) = pts[pts.len() - 1];
        ends.push((y_at(last_bp) + 4 * U, series.len()));
        series.push(Series {
            label: name.clone(),
            style: i,
            d,
            markers: marks,
            end_label: Some(text(x_at(last_mid) + 7 * U, 0, name.clone(), "start")),
            emphasis: multi && i == series_names.len() - 1,
        });
    }
    spread(&mut ends, 13 * U, PLOT_TOP + 4 * U, bottom + 4 * U);
    for (y, idx) in ends {
        if let Some(label) = series[idx].end_label.as_mut() {
            label.y = Coord(y);
            label.x = Coord(right + 7 * U);
        }
    }
    let legend_items: Vec<(&'static str, Option<usize>, String)> = series
        .iter()
        .map(|s| ("line", Some(s.style), s.label.clone()))
        .collect();
    let (legend, legend_h) = legend(&legend_items, bottom + 22 * U);
    let mut desc = String::new();
    for (i, name) in shown.iter().enumerate() {
        let pts = &points[i];
        let (Some(a), Some(b)) = (pts.first(), pts.last()) else {
            continue;
        };
        if !desc.is_empty() {
            desc.push_str(w.get("separator"));
        }
        if pts.len() == 1 {
            desc.push_str(&w.fill(
                "rate_one",
                &[("name", name), ("period", &a.2), ("rate", &format_bp(a.1))],
            ));
        } else {
            desc.push_str(&w.fill(
                "rate_from_to",
                &[
                    ("name", name),
                    ("from", &a.2),
                    ("from_rate", &format_bp(a.1)),
                    ("to", &b.2),
                    ("to_rate", &format_bp(b.1)),
                ],
            ));
        }
    }
    desc.push_str(&w.fill("rate_axis", &[("floor", &format!("{}%", floor / 100))]));
    let mut table = RateTable {
        columns: shown.clone(),
        rows: Vec::new(),
    };
    for (label, _) in periods.values() {
        let cells = points
            .iter()
            .map(|pts| {
                pts.iter()
                    .find(|p| &p.2 == label)
                    .map(|p| format_bp(p.1))
                    .unwrap_or_else(|| "—".to_string())
            })
            .collect();
        table.rows.push(RateRow {
            period: label.clone(),
            cells,
        });
    }
    let chart = LineChart {
        id: "chart-fees".to_string(),
        title: w.get("fees_title").to_string(),
        desc,
        width: WIDTH,
        height: c(bottom + 22 * U + legend_h),
        y_ticks,
        x_ticks,
        axis: line(LINE_LEFT, bottom, right, bottom),
        series,
        marks: Vec::new(),
        legend,
    };
    Some((chart, table))
}

/// The collection rates of the chart as a table: one row per period, one column per series.
#[derive(Debug, Clone, Serialize)]
pub struct RateTable {
    pub columns: Vec<String>,
    pub rows: Vec<RateRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RateRow {
    pub period: String,
    pub cells: Vec<String>,
}

/// Year separators and labels for a month axis from `first` to `end` (month indexes y*12+m).
fn year_ticks(
    first: i64,
    end: i64,
    x_at: &dyn Fn(i64) -> i64,
    bottom: i64,
    w: &Words,
) -> Vec<Tick> {
    let mut ticks = Vec::new();
    let mut year = first.div_euclid(12);
    while year * 12 < end {
        let from = (year * 12).max(first);
        let to = ((year + 1) * 12).min(end);
        let (x1, x2) = (x_at(from - first), x_at(to - first));
        // A year too short on the axis to hold its label keeps only its separator.
        let mut label = w.fill("year", &[("year", &year.to_string())]);
        if text_width(&label, 11) > x2 - x1 {
            label.clear();
        }
        ticks.push(Tick {
            line: line(x1, PLOT_TOP, x1, bottom + 4 * U),
            label: text((x1 + x2) / 2, bottom + 15 * U, label, "middle"),
        });
        year += 1;
    }
    ticks
}

/// The maintenance fund's running balance as a step line over time, each withdrawal marked with
/// a number (listed in the table beside the chart).
pub fn fund_chart(report: &CompoundReport, w: &Words) -> Option<(LineChart, Vec<Withdrawal>)> {
    let fund = report.fund.as_ref()?;
    let rows: Vec<_> = fund.rows.iter().filter(|r| !r.is_balance).collect();
    let parse = |d: &str| crate::ledger::calendar::parse_date(d);
    let first_day = parse(&rows.first()?.date)?;
    let last_day = parse(&rows.last()?.date)?;
    let days = |d: &str| parse(d).map(|d| (d - first_day).num_days()).unwrap_or(0);
    let span = (last_day - first_day).num_days().max(1);
    let right = (WIDTH - 10) * U;
    let left = 46 * U;
    let top = 24 * U;
    let h = 170 * U;
    let bottom = top + h;
    let x_at = |day: i64| left + scale(day, span, right - left);
    let max = rows.iter().map(|r| r.balance.0).max()?.max(1);
    let min = rows.iter().map(|r| r.balance.0).min()?.min(max);
    let lo_data = if min <= max * 2 / 5 { 0.min(min) } else { min };
    let step = nice_step((max - lo_data).max(1), 5);
    let lo = lo_data.div_euclid(step) * step;
    let hi = (max + step - 1).div_euclid(step) * step;
    let hi = if hi == lo { lo + step } else { hi };
    let y_at = |fen: i64| bottom - scale(fen - lo, hi - lo, h);
    let mut y_ticks = Vec::new();
    let mut v = lo;
    while v <= hi {
        let y = y_at(v);
        y_ticks.push(Tick {
            line: line(left, y, right, y),
            label: text(left - 4 * U, y + 4 * U, money_tick(v, w), "end"),
        });
        v += step;
    }
    // Month axis for year labels, from the first to the last day's month.
    let month = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        i64::from(d.year()) * 12 + i64::from(d.month0())
    };
    let (m0, m1) = (month(first_day), month(last_day) + 1);
    let month_x = |m_from_first: i64| {
        let m = m0 + m_from_first;
        let date = chrono::NaiveDate::from_ymd_opt((m / 12) as i32, (m % 12) as u32 + 1, 1);
        let d = date.map(|d| (d - first_day).num_days()).unwrap_or(0);
        x_at(d.clamp(0, span))
    };
    let x_ticks = year_ticks(m0, m1, &month_x, bottom, w);
    let mut d = String::new();
    let mut withdrawals = Vec::new();
    let mut marks = Vec::new();
    let mut prev_balance = None;
    let mut last_mark_x = -1_000_000;
    let mut stagger = 0;
    for r in &rows {
        let x = x_at(days(&r.date));
        let y = y_at(r.balance.0);
        match prev_balance {
            None => {
                d.push('M');
                push_c(&mut d, x);
                d.push(' ');
            }
            Some(_) => {
                d.push('H');
                push_c(&mut d, x);
                d.push('V');
            }
        }
        push_c(&mut d, y);
        if r.kind == crate::ledger::fund::FundKind::Withdrawal {
            let before = prev_balance.unwrap_or(r.balance.0 + r.amount.0);
            let yb = y_at(before);
            let number = withdrawals.len() + 1;
            stagger = if x - last_mark_x < 10 * U {
                stagger + 1
            } else {
                0
            };
            last_mark_x = x;
            let ly = (yb - 10 * U - stagger * 11 * U).max(9 * U);
            marks.push(Mark {
                number,
                marker: format!(
                    "M{} {}L{} {}L{} {}Z",
                    c(x - 4 * U),
                    c(yb - 8 * U),
                    c(x + 4 * U),
                    c(yb - 8 * U),
                    c(x),
                    c(yb - 2 * U)
                ),
                label: text(x, ly, number.to_string(), "middle"),
            });
            withdrawals.push(Withdrawal {
                number,
                date: r.date.clone(),
                amount: r.amount,
                balance: r.balance,
                project: r.project.clone(),
                project_title: r.project_title.clone(),
                memo: r.memo.clone(),
            });
        }
        prev_balance = Some(r.balance.0);
    }
    // Carry the last balance to the right edge of the plot.
    d.push('H');
    push_c(&mut d, right);
    let first_row = rows.first()?;
    let last_row = rows.last()?;
    let total_out: Money = withdrawals.iter().map(|w| w.amount).sum();
    let mut desc = w.fill(
        "fund_desc",
        &[
            ("from", &first_row.date),
            ("from_balance", &first_row.balance.to_yuan_string()),
            ("to", &last_row.date),
            ("to_balance", &last_row.balance.to_yuan_string()),
        ],
    );
    if withdrawals.is_empty() {
        desc.push_str(w.get("fund_no_withdrawals"));
    } else {
        desc.push_str(&w.fill(
            "fund_withdrawals",
            &[
                ("n", &withdrawals.len().to_string()),
                ("total", &total_out.to_yuan_string()),
            ],
        ));
        for wd in &withdrawals {
            desc.push_str(&w.fill(
                "fund_withdrawal",
                &[
                    ("number", &wd.number.to_string()),
                    ("date", &wd.date),
                    ("amount", &wd.amount.to_yuan_string()),
                ],
            ));
        }
        desc.push_str(w.get("end"));
    }
    if lo > 0 {
        desc.push_str(&w.fill("fund_axis", &[("floor", &money_tick(lo, w))]));
    }
    let (legend, legend_h) = legend(
        &[
            ("line", Some(0), w.get("balance").to_string()),
            ("out", None, w.get("legend_withdrawal").to_string()),
        ],
        bottom + 22 * U,
    );
    Some((
        LineChart {
            id: "chart-fund".to_string(),
            title: w.get("fund_title").to_string(),
            desc,
            width: WIDTH,
            height: c(bottom + 22 * U + legend_h),
            y_ticks,
            x_ticks,
            axis: line(left, bottom, right, bottom),
            series: vec![Series {
                label: w.get("balance").to_string(),
                style: 0,
                d,
                markers: String::new(),
                end_label: None,
                emphasis: true,
            }],
            marks,
            legend,
        },
        withdrawals,
    ))
}

#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    pub number: usize,
    pub date: String,
    pub amount: Money,
    pub balance: Money,
    pub project: String,
    pub project_title: String,
    pub memo: String,
}

// ------------------------------------------------------------------ per compound

/// Every chart of a compound, given to its pages as `charts`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CompoundCharts {
    pub fees: Option<LineChart>,
    pub fees_table: Option<RateTable>,
    pub fund: Option<LineChart>,
    pub fund_withdrawals: Vec<Withdrawal>,
    /// Revenue by statement period (quarters or half-years, else years).
    pub revenue_periods: Option<BarChart>,
    /// Revenue by category, per year ("2024" → chart).
    pub revenue_categories: BTreeMap<String, BarChart>,
    /// Bids per tender id.
    pub tenders: BTreeMap<String, BarChart>,
}

pub fn compound_charts(report: &CompoundReport, w: &Words) -> CompoundCharts {
    let (fund, fund_withdrawals) = match fund_chart(report, w) {
        Some((chart, w)) => (Some(chart), w),
        None => (None, Vec::new()),
    };
    let periods = &report.disclosures.revenue_periods;
    let sub: Vec<_> = periods.iter().filter(|p| p.kind != "year").collect();
    let chosen = if sub.is_empty() {
        periods.iter().collect()
    } else {
        sub
    };
    let revenue_periods = revenue_bars(
        "chart-revenue-periods".to_string(),
        w.get("revenue_periods_title").to_string(),
        chosen
            .iter()
            .map(|p| (w.period(&p.label), p.gross, p.costs, p.net))
            .collect(),
        w,
    );
    let mut revenue_categories = BTreeMap::new();
    if let Some(r) = &report.revenue {
        for y in &r.years {
            let rows = y
                .by_category
                .iter()
                .map(|k| {
                    (
                        w.term(
                            serde_json::to_value(k.category)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                                .as_str(),
                        ),
                        k.gross,
                        k.costs,
                        k.net,
                    )
                })
                .collect();
            if let Some(chart) = revenue_bars(
                format!("chart-revenue-{}", y.year),
                w.fill("revenue_categories_title", &[("year", &y.year.to_string())]),
                rows,
                w,
            ) {
                revenue_categories.insert(y.year.to_string(), chart);
            }
        }
    }
    let tenders = report
        .tenders
        .iter()
        .filter_map(|t| {
            tender_chart(t, &format!("chart-tender-{}", t.id), w).map(|c| (t.id.clone(), c))
        })
        .collect();
    let (fees, fees_table) = match fees_chart(report, w) {
        Some((chart, table)) => (Some(chart), Some(table)),
        None => (None, None),
    };
    CompoundCharts {
        fees,
        fees_table,
        fund,
        fund_withdrawals,
        revenue_periods,
        revenue_categories,
        tenders,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::catalog::Lang;
    use crate::render::i18n::{Layer, Strings};

    #[test]
    fn coordinates_have_one_decimal() {
        assert_eq!(c(0), "0.0");
        assert_eq!(c(1234), "123.4");
        assert_eq!(c(-5), "-0.5");
        assert_eq!(c(-12_345), "-1234.5");
        assert_eq!(c(i64::MIN), "-922337203685477580.8");
        for tenths in [0, 7, 10, 1234, -5, -10, 99_999] {
            let written = serde_json::to_string(&Coord(tenths)).unwrap();
            assert_eq!(written, format!("\"{}\"", c(tenths)));
        }
    }

    #[test]
    fn scale_rounds_half_up_in_integers() {
        assert_eq!(scale(6_380_000, 20_000_000, 3520), 1123);
        assert_eq!(scale(1, 2, 1), 1);
        assert_eq!(scale(5, 0, 100), 0);
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(17_260_000, 4), 5_000_000);
        assert_eq!(nice_step(10, 4), 5);
    }

    fn words(lang: Lang, file: &str) -> Words {
        let layer = |code: &str, text: &str| Layer {
            lang: code.to_string(),
            origin: format!("{code}.toml"),
            text: text.to_string(),
        };
        let zh = include_str!("../../themes/default/i18n/zh.toml");
        Strings::resolve(&[layer("zh", zh), layer("en", file)], lang)
            .unwrap()
            .words("charts")
    }

    #[test]
    fn money_ticks_follow_the_language() {
        let zh = words(Lang::Zh, "");
        assert_eq!(money_tick(5_000_000, &zh), "5万");
        assert_eq!(money_tick(12_500_000, &zh), "12.5万");
        assert_eq!(money_tick(80_000, &zh), "¥800");
        let en = words(Lang::En, include_str!("../../themes/default/i18n/en.toml"));
        assert_eq!(money_tick(5_000_000, &en), "¥50k");
        assert_eq!(money_tick(12_500_000, &en), "¥125k");
        assert_eq!(money_tick(80_000, &en), "¥800");
    }

    #[test]
    fn labels_are_spread_apart_within_bounds() {
        let mut ys = vec![(100, 0), (101, 1), (300, 2)];
        spread(&mut ys, 20, 0, 400);
        assert_eq!(ys, vec![(100, 0), (120, 1), (300, 2)]);
        let mut ys = vec![(395, 0), (399, 1)];
        spread(&mut ys, 20, 0, 400);
        assert_eq!(ys, vec![(380, 0), (400, 1)]);
    }
}
