//! `sanwu fmt`: property tests of the canonical writer over random valid ledgers written the way
//! spreadsheets write them (aliases, units, thousands separators, ¥, 万, full-width digits, Chinese
//! periods, Excel serial dates, subtotal rows, 大写 columns, shuffled rows and columns, GBK, CRLF),
//! and example-based tests of the real binary on copies of the starter and demo portals.

mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use common::Portal;
use sanwu::diag::{Diagnostics, Severity, SourceFile};
use sanwu::ledger::amount::{Money, to_chinese_uppercase};
use sanwu::ledger::calendar::Period;
use sanwu::ledger::canonical::{self, Kind};

// ------------------------------------------------------------------ writing like a spreadsheet

/// One cell's value, before it is written in some spreadsheet's style.
#[derive(Debug, Clone)]
enum V {
    Money(Option<i64>),
    Count(u32),
    Period(Period),
    Date(NaiveDate),
    /// Spellings of a label (canonical first) and the one picked.
    Label(&'static [&'static str]),
    Text(String),
}

/// How a file is written: every choice a spreadsheet or a person could make.
#[derive(Debug, Clone)]
struct Style {
    /// Which alias each schema column's header uses.
    aliases: Vec<usize>,
    /// Money columns whose header says 万元 (their cells are in 万).
    wan: Vec<bool>,
    /// Money columns whose header says （元）.
    yuan_unit: Vec<bool>,
    /// Optional columns present.
    optional: Vec<bool>,
    /// Sort keys that shuffle the columns.
    column_keys: Vec<u32>,
    /// Cell styles, used in turn.
    cells: Vec<u8>,
    /// A 大写 companion for the ledger's main amount, and which header spells it.
    uppercase: Option<usize>,
    /// A 小计 after this many rows, and a 合计 at the end.
    subtotal_after: Option<usize>,
    total: bool,
    gbk: bool,
    bom: bool,
    crlf: bool,
    quote_all: bool,
    blank_line: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        (
            prop::collection::vec(0usize..4, 11),
            prop::collection::vec(any::<bool>(), 11),
            prop::collection::vec(any::<bool>(), 11),
            prop::collection::vec(any::<bool>(), 11),
            prop::collection::vec(any::<u32>(), 12),
            prop::collection::vec(any::<u8>(), 1..40),
        ),
        (
            prop::option::of(0usize..3),
            prop::option::of(0usize..6),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (aliases, wan, yuan_unit, optional, column_keys, cells),
                (uppercase, subtotal_after, total, gbk, bom, crlf, quote_all, blank_line),
            )| Style {
                aliases,
                wan,
                yuan_unit,
                optional,
                column_keys,
                cells,
                uppercase,
                subtotal_after,
                total,
                gbk,
                bom,
                crlf,
                quote_all,
                blank_line,
            },
        )
}

/// A ledger's columns: header spellings (canonical first), whether required, whether money.
struct Col {
    headers: &'static [&'static str],
    required: bool,
    money: bool,
}

const fn col(headers: &'static [&'static str], required: bool, money: bool) -> Col {
    Col {
        headers,
        required,
        money,
    }
}

const FEES: &[Col] = &[
    col(&["期间", "period", "会计期间", "期间 "], true, false),
    col(&["建筑类型", "building_type", "物业类型"], true, false),
    col(
        &["应缴户数", "households_billed", "总户数", "收费户数"],
        true,
        false,
    ),
    col(
        &["已缴户数", "households_paid", "实缴户数", "缴费户数"],
        true,
        false,
    ),
    col(
        &["应收金额", "receivable", "应收", "应收物业费"],
        true,
        true,
    ),
    col(&["实收金额", "received", "实收", "实收物业费"], true, true),
    col(
        &["清欠金额", "arrears_recovered", "清欠", "收回欠费"],
        false,
        true,
    ),
    col(&["备注", "note", "说明"], false, false),
];

const REVENUE: &[Col] = &[
    col(&["日期", "date", "收入日期"], true, false),
    col(&["类别", "category", "收入类别"], true, false),
    col(&["项目", "item", "收入项目"], false, false),
    col(&["相对方", "counterparty", "付款单位"], false, false),
    col(&["收入金额", "gross", "收入", "金额"], true, true),
    col(&["合理成本", "costs", "成本", "扣除成本"], false, true),
    col(&["净收益", "net", "净收入"], false, true),
    col(&["去向", "allocation", "收益去向", "用途"], true, false),
    col(&["决议", "resolution", "决议依据"], false, false),
    col(&["凭证号", "voucher", "凭证编号"], false, false),
    col(&["备注", "note", "说明"], false, false),
];

const FUND: &[Col] = &[
    col(&["日期", "date"], true, false),
    col(&["类型", "kind", "收支类型"], true, false),
    col(&["金额", "amount", "发生额"], true, true),
    col(&["项目", "project", "项目编号"], false, false),
    col(&["凭证号", "voucher", "凭证"], false, false),
    col(&["摘要", "memo", "说明"], false, false),
];

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            ',' => '，',
            '.' => '．',
            '¥' => '￥',
            '-' => '－',
            c => c,
        })
        .collect()
}

fn thousands(s: &str) -> String {
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    }
}

/// Fen as yuan (`1234.50`, or `1234` when whole and `short`).
fn yuan(fen: i64, short: bool) -> String {
    if short && fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// Fen as 万 (1 万 = 1,000,000 fen), without trailing zeros.
fn wan(fen: i64) -> String {
    let frac = format!("{:06}", fen % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (fen / 1_000_000).to_string()
    } else {
        format!("{}.{frac}", fen / 1_000_000)
    }
}

fn money_text(fen: i64, s: u8, in_wan: bool) -> String {
    let base = if in_wan {
        wan(fen)
    } else {
        yuan(fen, s.is_multiple_of(2))
    };
    match s % 7 {
        0 | 1 => base,
        2 => thousands(&base),
        3 => format!("¥{}", thousands(&base)),
        4 => full_width(&thousands(&base)),
        5 if !in_wan => format!("{}万", wan(fen)),
        5 => full_width(&base),
        _ if !in_wan => format!("{base}元"),
        _ => format!(" {base} "),
    }
}

fn count_text(n: u32, s: u8) -> String {
    match s % 3 {
        0 => n.to_string(),
        1 => full_width(&n.to_string()),
        _ => thousands(&n.to_string()),
    }
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

fn period_text(p: Period, s: u8) -> String {
    match (s % 4, p) {
        (0, _) => p.key(),
        (1, _) => p.label(),
        (2, Period::Quarter(y, q)) => format!("{y}年第{}季度", QUARTERS[usize::from(q) - 1]),
        (2, Period::Month(y, m)) => format!("{y}/{m}"),
        (2, Period::Half(y, h)) => format!("{y}h{h}"),
        (3, Period::Quarter(y, q)) => format!("{y}q{q}"),
        (3, Period::Month(y, m)) => format!("{y}-{m}"),
        _ => full_width(&p.key()),
    }
}

fn date_text(d: NaiveDate, s: u8) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    match s % 6 {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => format!("{y}/{m}/{day}"),
        2 => format!("{y}.{m}.{day}"),
        3 => format!("{y}年{m}月{day}日"),
        4 => (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
            .num_days()
            .to_string(),
        _ => full_width(&d.format("%Y-%m-%d").to_string()),
    }
}

/// Writes `rows` (one value per schema column) as a spreadsheet export in `style`.
fn render(kind: Kind, rows: &[Vec<V>], style: &Style) -> Vec<u8> {
    let cols = match kind {
        Kind::Fees => FEES,
        Kind::Revenue => REVENUE,
        Kind::Fund => FUND,
    };
    // The money column a 大写 companion may follow.
    let main_money = match kind {
        Kind::Fees => 4,
        Kind::Revenue => 4,
        Kind::Fund => 2,
    };
    #[derive(Clone, Copy, PartialEq)]
    enum FileCol {
        Value(usize),
        Upper,
    }
    let mut file_cols: Vec<FileCol> = (0..cols.len())
        .filter(|i| cols[*i].required || style.optional[*i])
        .map(FileCol::Value)
        .collect();
    if style.uppercase.is_some() {
        file_cols.push(FileCol::Upper);
    }
    let mut keyed: Vec<(u32, FileCol)> = file_cols
        .iter()
        .enumerate()
        .map(|(i, c)| (style.column_keys[i], *c))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    let file_cols: Vec<FileCol> = keyed.into_iter().map(|(_, c)| c).collect();
    let in_wan = |i: usize| cols[i].money && style.wan[i];

    let header: Vec<String> = file_cols
        .iter()
        .map(|c| match *c {
            FileCol::Value(i) => {
                let name = cols[i].headers[style.aliases[i] % cols[i].headers.len()];
                if in_wan(i) {
                    format!("{name}（万元）")
                } else if cols[i].money && style.yuan_unit[i] {
                    format!("{name}(元)")
                } else {
                    name.to_string()
                }
            }
            FileCol::Upper => {
                let name = cols[main_money].headers[0];
                match style.uppercase.unwrap_or(0) {
                    0 => format!("{name}（大写）"),
                    1 => format!("{name}大写"),
                    _ => format!("{name}(大写)"),
                }
            }
        })
        .collect();
    let mut turn = 0usize;
    let mut next_style = || {
        turn += 1;
        style.cells[turn % style.cells.len()]
    };
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut since_subtotal = 0..0;
    let subtotal = |label: &str, range: std::ops::Range<usize>, file_cols: &[FileCol]| {
        let label_at = file_cols
            .iter()
            .position(|c| matches!(*c, FileCol::Value(i) if !cols[i].money))
            .unwrap_or(0);
        file_cols
            .iter()
            .enumerate()
            .map(|(pos, c)| match *c {
                FileCol::Value(i) if cols[i].money => {
                    let sum: i64 = rows[range.clone()]
                        .iter()
                        .filter_map(|r| match r[i] {
                            V::Money(m) => m,
                            _ => None,
                        })
                        .sum();
                    if in_wan(i) {
                        wan(sum)
                    } else {
                        yuan(sum, false)
                    }
                }
                _ if pos == label_at => label.to_string(),
                _ => String::new(),
            })
            .collect::<Vec<String>>()
    };
    for (n, row) in rows.iter().enumerate() {
        let mut line = Vec::new();
        for c in &file_cols {
            line.push(match *c {
                FileCol::Upper => match &row[main_money] {
                    V::Money(Some(fen)) if next_style() % 4 != 0 => {
                        to_chinese_uppercase(Money(*fen))
                    }
                    _ => String::new(),
                },
                FileCol::Value(i) => match &row[i] {
                    V::Money(Some(fen)) => money_text(*fen, next_style(), in_wan(i)),
                    V::Money(None) if next_style() % 3 == 0 => "-".to_string(),
                    V::Money(None) => String::new(),
                    V::Count(c) => count_text(*c, next_style()),
                    V::Period(p) => period_text(*p, next_style()),
                    V::Date(d) => date_text(*d, next_style()),
                    V::Label(spellings) => {
                        spellings[usize::from(next_style()) % spellings.len()].to_string()
                    }
                    V::Text(t) => t.clone(),
                },
            });
        }
        lines.push(line);
        since_subtotal.end = n + 1;
        if style.subtotal_after == Some(n) && kind != Kind::Fund {
            lines.push(subtotal("小计", since_subtotal.clone(), &file_cols));
            since_subtotal = n + 1..n + 1;
        }
        if style.blank_line && n == 0 {
            lines.push(vec![String::new(); file_cols.len()]);
        }
    }
    if style.total && kind != Kind::Fund && !rows.is_empty() {
        lines.push(subtotal("合计", 0..rows.len(), &file_cols));
    }

    let mut writer = csv::WriterBuilder::new()
        .terminator(if style.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(if style.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for line in &lines {
        writer.write_record(line).unwrap();
    }
    let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    if style.gbk {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else if style.bom {
        format!("\u{feff}{text}").into_bytes()
    } else {
        text.into_bytes()
    }
}

// ------------------------------------------------------------------ random valid ledgers

const BUILDING_TYPES: &[&str] = &["高层住宅", "多层住宅", "别墅", "商业", "小高层住宅", "车库"];
const TEXTS: &[&str] = &[
    "",
    "补缴上期欠费",
    "含,逗号",
    "引号\"内\"",
    "第二季度（含税）",
    " 前后空格 ",
    "多行\n备注",
    "2户长期空置，已发催缴通知",
];
const CATEGORIES: &[&[&str]] = &[
    &["停车", "停车费", "车位"],
    &["广告", "广告费"],
    &["场地租赁", "租赁", "场地"],
    &["快递柜"],
    &["基站", "通信基站"],
    &["其他"],
];
const ALLOCATIONS: &[&[&str]] = &[
    &["维修资金", "补充维修资金", "专项维修资金"],
    &["业委会经费", "业主大会和业委会经费"],
    &["抵扣物业费", "抵物业费"],
    &["待业主大会决定", "待定"],
    &["其他"],
];
const DEPOSIT: &[&str] = &["交存", "存入", "续筹", "转入"];
const INTEREST: &[&str] = &["利息", "增值收益"];
const WITHDRAWAL: &[&str] = &["支取", "使用", "列支"];
const BALANCE: &[&str] = &["结存", "余额"];

fn period() -> impl Strategy<Value = Period> {
    (2019i32..2027, 0u8..4, 1u8..13).prop_map(|(y, kind, n)| match kind {
        0 => Period::Year(y),
        1 => Period::Half(y, n % 2 + 1),
        2 => Period::Quarter(y, n % 4 + 1),
        _ => Period::Month(y, n),
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..2500)
        .prop_map(|d| NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Days::new(d as u64))
}

fn text() -> impl Strategy<Value = String> {
    (0..TEXTS.len()).prop_map(|i| TEXTS[i].to_string())
}

fn fen() -> impl Strategy<Value = i64> {
    prop_oneof![
        0i64..100_000,
        0i64..10_000_000_000,
        (0i64..1_000).prop_map(|w| w * 1_000_000)
    ]
}

/// Fee rows (periods of one building type never overlap; paid ≤ billed; received ≤ receivable),
/// shuffled.
fn fees_ledger() -> impl Strategy<Value = (Vec<Vec<V>>, Style)> {
    let row = (
        period(),
        0..BUILDING_TYPES.len(),
        (0u32..3000, 0u32..3000),
        (fen(), fen()),
        prop::option::of(fen()),
        text(),
    );
    (prop::collection::vec(row, 0..14), style()).prop_map(|(rows, style)| {
        let mut kept: Vec<(Period, usize)> = Vec::new();
        let rows: Vec<Vec<V>> = rows
            .into_iter()
            .filter(|(p, t, ..)| {
                let overlaps = kept
                    .iter()
                    .any(|(q, u)| u == t && q.start() <= p.end() && p.start() <= q.end());
                if !overlaps {
                    kept.push((*p, *t));
                }
                !overlaps
            })
            .map(|(p, t, (a, b), (x, y), arrears, note)| {
                vec![
                    V::Period(p),
                    V::Text(BUILDING_TYPES[t].to_string()),
                    V::Count(a.max(b)),
                    V::Count(a.min(b)),
                    V::Money(Some(x.max(y))),
                    V::Money(Some(x.min(y))),
                    V::Money(arrears.filter(|_| style.optional[6])),
                    V::Text(if style.optional[7] {
                        note
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect();
        (rows, style)
    })
}

/// Revenue entries (costs ≤ gross, net = gross − costs when given, unique vouchers).
fn revenue_ledger() -> impl Strategy<Value = (Vec<Vec<V>>, Style)> {
    let row = (
        prop_oneof![date().prop_map(V::Date), period().prop_map(V::Period)],
        0..CATEGORIES.len(),
        (text(), text(), text(), text()),
        (fen(), fen()),
        any::<bool>(),
        0..ALLOCATIONS.len(),
        prop::option::of(0u16..40),
    );
    (prop::collection::vec(row, 0..14), style()).prop_map(|(rows, style)| {
        let mut vouchers = std::collections::HashSet::new();
        let keep = |i: usize, t: String| if style.optional[i] { t } else { String::new() };
        let rows = rows
            .into_iter()
            .map(
                |(when, cat, (item, party, resolution, note), (x, y), net, alloc, voucher)| {
                    let gross = x.max(y);
                    let costs = if style.optional[5] { x.min(y) } else { 0 };
                    let net = (net && style.optional[6]).then_some(gross - costs);
                    let voucher = voucher
                        .filter(|v| style.optional[9] && vouchers.insert(*v))
                        .map(|v| format!("GS2024-{v:03}"))
                        .unwrap_or_default();
                    vec![
                        when,
                        V::Label(CATEGORIES[cat]),
                        V::Text(keep(2, item)),
                        V::Text(keep(3, party)),
                        V::Money(Some(gross)),
                        V::Money(style.optional[5].then_some(costs)),
                        V::Money(net),
                        V::Label(ALLOCATIONS[alloc]),
                        V::Text(keep(8, resolution)),
                        V::Text(voucher),
                        V::Text(keep(10, note)),
                    ]
                },
            )
            .collect();
        (rows, style)
    })
}

/// A fund account in date order (several rows a day, balances that reconcile, never overdrawn),
/// with its days shuffled but each day's rows in their order.
fn fund_ledger() -> impl Strategy<Value = (Vec<Vec<V>>, Style)> {
    let movement = (0u8..4, fen(), text(), prop::option::of(0u16..500));
    (
        date(),
        prop::collection::vec((0u64..3, prop::collection::vec(movement, 1..4)), 0..8),
        style(),
        any::<u64>(),
    )
        .prop_map(|(start, days, style, shuffle)| {
            let mut balance = 0i64;
            let mut day = start;
            let mut groups: Vec<Vec<Vec<V>>> = Vec::new();
            for (gap, movements) in days {
                day = day + chrono::Days::new(gap + 1);
                let mut group = Vec::new();
                for (kind, amount, memo, voucher) in movements {
                    let (spellings, amount, project) = match kind {
                        0 => (DEPOSIT, amount, ""),
                        1 => (INTEREST, amount % 100_000, ""),
                        2 => (WITHDRAWAL, amount.min(balance), "roof-repair"),
                        _ => (BALANCE, balance, ""),
                    };
                    match kind {
                        0 | 1 => balance += amount,
                        2 => balance -= amount,
                        _ => {}
                    }
                    group.push(vec![
                        V::Date(day),
                        V::Label(spellings),
                        V::Money(Some(amount)),
                        V::Text(project.to_string()),
                        V::Text(
                            voucher
                                .filter(|_| style.optional[4])
                                .map(|v| format!("V{v}"))
                                .unwrap_or_default(),
                        ),
                        V::Text(if style.optional[5] {
                            memo
                        } else {
                            String::new()
                        }),
                    ]);
                }
                groups.push(group);
            }
            // Shuffle the days (a deterministic permutation from the seed).
            let mut keyed: Vec<(u64, Vec<Vec<V>>)> = groups
                .into_iter()
                .enumerate()
                .map(|(i, g)| ((i as u64 + 1).wrapping_mul(shuffle | 1).rotate_left(17), g))
                .collect();
            keyed.sort_by_key(|(k, _)| *k);
            let mut style = style;
            style.optional[3] = true; // withdrawals name their project
            (keyed.into_iter().flat_map(|(_, g)| g).collect(), style)
        })
}

// ------------------------------------------------------------------ what must hold

fn source(bytes: &[u8]) -> Arc<SourceFile> {
    let (text, encoding) = sanwu::load::decode::decode(bytes).expect("decodable");
    Arc::new(SourceFile::new(
        Path::new("x.csv"),
        "x.csv".into(),
        text,
        encoding,
    ))
}

/// The typed rows of a ledger, without their positions, as comparable text.
fn typed(kind: Kind, bytes: &[u8]) -> Result<Vec<String>, TestCaseError> {
    let file = source(bytes);
    let mut diags = Diagnostics::new();
    let rows: Vec<String> = match kind {
        Kind::Fees => sanwu::ledger::fees::parse(&file, &mut diags)
            .iter()
            .map(|r| {
                format!(
                    "{:?}",
                    (
                        r.period,
                        &r.building_type,
                        r.households_billed,
                        r.households_paid,
                        r.receivable,
                        r.received,
                        r.arrears_recovered,
                        &r.note
                    )
                )
            })
            .collect(),
        Kind::Revenue => sanwu::ledger::revenue::parse(&file, &mut diags)
            .iter()
            .map(|e| {
                format!(
                    "{:?}",
                    (
                        e.when,
                        e.category,
                        &e.item,
                        &e.counterparty,
                        e.gross,
                        e.costs,
                        e.net,
                        e.allocation,
                        &e.resolution,
                        &e.voucher,
                        &e.note
                    )
                )
            })
            .collect(),
        Kind::Fund => {
            let mut entries = sanwu::ledger::fund::parse(&file, &mut diags);
            // What the site books: by date, rows of one day in file order.
            entries.sort_by_key(|e| e.date);
            entries
                .iter()
                .map(|e| {
                    format!(
                        "{:?}",
                        (e.date, e.kind, e.amount, &e.project, &e.voucher, &e.memo)
                    )
                })
                .collect()
        }
    };
    let errors: Vec<&str> = diags.iter().map(|d| d.code).collect();
    prop_assert!(
        errors.is_empty(),
        "the generated ledger has findings: {errors:?}"
    );
    Ok(rows)
}

/// The figures the site shows for a compound whose only ledger is `bytes`: every total and
/// every row, without the source references (lines move when rows are sorted).
fn site_figures(kind: Kind, bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let starter = common::repo().join("examples/starter");
    std::fs::copy(starter.join("config.toml"), dir.path().join("config.toml")).unwrap();
    let compound = dir.path().join("content/c");
    std::fs::create_dir_all(&compound).unwrap();
    std::fs::copy(
        starter.join("content/xingfuli/compound.toml"),
        compound.join("compound.toml"),
    )
    .unwrap();
    std::fs::write(compound.join(kind.file_name()), bytes).unwrap();
    let mut diags = Diagnostics::new();
    let portal = sanwu::load::open_portal(dir.path(), &mut diags)
        .unwrap()
        .unwrap();
    let books = sanwu::load::load_compound(dir.path(), "c", &compound, &mut diags)
        .unwrap()
        .unwrap();
    let report = sanwu::compute::report(&books, &portal.config.rules);
    let mut value = serde_json::to_value(&report).unwrap();
    let object = value.as_object_mut().unwrap();
    object.retain(|k, _| matches!(k.as_str(), "fees" | "revenue" | "fund" | "headline"));
    normalise(&mut value);
    value
}

/// Drops source references and makes lists of entries order-free (entries of one day may be
/// listed in another order once sorted by voucher).
fn normalise(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("source");
            for (key, v) in map.iter_mut() {
                normalise(v);
                if key == "entries"
                    && let serde_json::Value::Array(items) = v
                {
                    items.sort_by_key(|i| i.to_string());
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(normalise),
        _ => {}
    }
}

fn fmt(kind: Kind, bytes: &[u8]) -> Result<canonical::Formatted, TestCaseError> {
    let mut diags = Diagnostics::new();
    let formatted = canonical::format(kind, Path::new("x.csv"), "x.csv", bytes, &mut diags);
    let findings: Vec<&str> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code)
        .collect();
    prop_assert!(findings.is_empty(), "{findings:?}");
    formatted.ok_or_else(|| TestCaseError::fail("fmt refused a valid ledger"))
}

fn holds(kind: Kind, rows: &[Vec<V>], style: &Style) -> Result<(), TestCaseError> {
    let input = render(kind, rows, style);
    let once = fmt(kind, &input)?;
    // (1) Idempotent, byte for byte.
    let twice = fmt(kind, &once.bytes)?;
    prop_assert_eq!(
        String::from_utf8_lossy(&twice.bytes),
        String::from_utf8_lossy(&once.bytes)
    );
    prop_assert!(!twice.changes.differs);
    prop_assert!(once.bytes.starts_with(canonical::BOM.as_bytes()));
    prop_assert!(!once.bytes.windows(2).any(|w| w == b"\r\n"));
    // (2) The same typed rows: same multiset (fees, revenue), same booking order (fund).
    let mut before = typed(kind, &input)?;
    let mut after = typed(kind, &once.bytes)?;
    prop_assert_eq!(before.len(), rows.len());
    if kind != Kind::Fund {
        before.sort();
        after.sort();
    }
    prop_assert_eq!(before, after);
    // (3) The site's figures are unchanged.
    prop_assert_eq!(site_figures(kind, &input), site_figures(kind, &once.bytes));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fmt_fees_is_idempotent_lossless_and_keeps_the_totals((rows, style) in fees_ledger()) {
        holds(Kind::Fees, &rows, &style)?;
    }

    #[test]
    fn fmt_revenue_is_idempotent_lossless_and_keeps_the_totals((rows, style) in revenue_ledger()) {
        holds(Kind::Revenue, &rows, &style)?;
    }

    #[test]
    fn fmt_fund_is_idempotent_lossless_and_keeps_the_totals((rows, style) in fund_ledger()) {
        holds(Kind::Fund, &rows, &style)?;
    }
}

// ------------------------------------------------------------------ the real binary

const FEES_CSV: &str = "content/xingfuli/fees.csv";
const REVENUE_CSV: &str = "content/xingfuli/revenue.csv";
const FUND_CSV: &str = "content/xingfuli/fund.csv";

#[test]
fn fmt_rewrites_the_starter_canonically_and_then_has_nothing_to_do() {
    let portal = Portal::copy_of("examples/starter");
    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/xingfuli/fees.csv: 规范化 12 个金额，添加 BOM"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("已格式化 3 个文件"), "{}", run.stderr);
    assert_eq!(
        portal.read(FEES_CSV),
        "\u{feff}期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额,清欠金额,备注\n\
         2025Q1,多层住宅,320,301,107136.00,100771.20,1440.00,\n\
         2025Q2,多层住宅,320,304,107136.00,101779.20,0.00,\n\
         2025Q3,多层住宅,320,299,107136.00,100101.60,2880.00,\n\
         2025Q4,多层住宅,320,306,107136.00,102448.80,0.00,\n"
    );
    let fees = portal.read(FEES_CSV);
    let again = portal.run(&["fmt"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("已格式化 0 个文件，3 个文件无需改动"),
        "{}",
        again.stderr
    );
    assert_eq!(portal.read(FEES_CSV), fees);
    let check = portal.run(&["fmt", "--check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("3 个台账文件均为规范格式"),
        "{}",
        check.stderr
    );
    assert_eq!(portal.check().code, 0);
}

#[test]
fn fmt_of_the_starter_changes_nothing_on_the_site() {
    let before = Portal::copy_of("examples/starter");
    let after = Portal::copy_of("examples/starter");
    assert_eq!(after.run(&["fmt"]).code, 0);
    assert_eq!(before.build().code, 0);
    assert_eq!(after.build().code, 0);
    // The starter's rows are already in order, so even the source lines stay: byte-identical.
    assert_eq!(
        common::snapshot_tree(&before.path("public")),
        common::snapshot_tree(&after.path("public"))
    );
}

/// The demo portal's pages with source references (`fees.csv:12`) blanked out and lines sorted:
/// what a resident reads, regardless of where a row stands in its file.
fn pages_without_sources(portal: &Portal) -> Vec<(String, Vec<String>)> {
    common::snapshot_tree(&portal.path("public"))
        .into_iter()
        // The manifest hashes the pages, so it differs whenever a source line number does.
        .filter(|(name, _)| name != "manifest.json")
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text
                .lines()
                .map(|l| {
                    let mut out = String::new();
                    let mut rest = l;
                    while let Some(i) = rest.find(".csv:") {
                        out.push_str(&rest[..i + 5]);
                        rest = rest[i + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
                    }
                    out + rest
                })
                .collect();
            lines.sort();
            (name, lines)
        })
        .collect()
}

#[test]
fn fmt_of_the_demo_converts_gbk_sorts_and_the_site_reads_the_same() {
    let before = Portal::copy_of(".");
    let after = Portal::copy_of(".");
    let run = after.run(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/tielong/revenue.csv: 编码 GB18030 → UTF-8，规范化 58 个金额，转换 20 个日期，换行改为 LF"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/tianyuan/fees.csv: 重新排序 8 行"),
        "{}",
        run.stderr
    );
    let revenue = after.read("content/tielong/revenue.csv");
    assert!(revenue.starts_with('\u{feff}'));
    assert!(revenue.contains("\n2024-01-16,基站,"), "{revenue}");
    assert_eq!(after.run(&["fmt", "--check"]).code, 0);
    assert_eq!(before.build().code, 0);
    assert_eq!(after.build().code, 0);
    assert_eq!(
        pages_without_sources(&before),
        pages_without_sources(&after)
    );
}

#[test]
fn fmt_check_lists_what_is_not_canonical_and_writes_nothing() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.run(&["fmt"]).code, 0);
    portal.write(
        FEES_CSV,
        "期间,建筑类型,应缴户数,已缴户数,应收金额（万元）,实收金额,清欠金额,备注\r\n\
         2025年第二季度,多层住宅,320,304,10.7136,\"101,779.20\",0,\r\n\
         2025Q1,多层住宅,320,301,10.7136,\"¥100,771.20\",\"1,440.00\",\r\n\
         合计,,,,21.4272,\"202,550.40\",,\r\n",
    );
    let original = std::fs::read(portal.path(FEES_CSV)).unwrap();
    let run = portal.run(&["fmt", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/xingfuli/fees.csv: 表头 应收金额（万元） → 应收金额 ×10000，\
             核对并删除 1 个合计行，重新排序 2 行，规范化 6 个金额，转换 1 个期间，换行改为 LF，添加 BOM"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 个文件不是规范格式，运行 sanwu fmt 改正"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(portal.path(FEES_CSV)).unwrap(), original);

    let run = portal.run(&["fmt", "--check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/xingfuli/fees.csv: header 应收金额（万元） → 应收金额 ×10000, verified and removed 1 subtotal rows, reordered 2 rows"),
        "{}",
        run.stderr
    );

    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        portal
            .read(FEES_CSV)
            .starts_with("\u{feff}期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额,清欠金额,备注\n2025Q1,多层住宅,320,301,107136.00,100771.20,1440.00,\n2025Q2,"),
        "{}",
        portal.read(FEES_CSV)
    );
}

#[test]
fn fmt_refuses_a_compound_with_errors_and_touches_none_of_its_files() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit(FUND_CSV, "387,675.25", "387,675.20");
    let fees = std::fs::read(portal.path(FEES_CSV)).unwrap();
    let fund = std::fs::read(portal.path(FUND_CSV)).unwrap();
    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("[fund-balance-mismatch]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/xingfuli/fund.csv:7:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/xingfuli/: 台账有错误，未格式化"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(portal.path(FEES_CSV)).unwrap(), fees);
    assert_eq!(std::fs::read(portal.path(FUND_CSV)).unwrap(), fund);
}

#[test]
fn fmt_refuses_unknown_and_unnamed_columns_even_when_check_only_warns() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit(REVENUE_CSV, "备注", "经办人");
    let revenue = portal.read(REVENUE_CSV);
    assert_eq!(
        portal.check().code,
        0,
        "an unknown column is only a warning"
    );
    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[csv-unknown-column]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/xingfuli/revenue.csv:1:"),
        "{}",
        run.stderr
    );
    assert_eq!(portal.read(REVENUE_CSV), revenue);

    // A column without a header is skipped by the reader; with data in it, fmt would lose it.
    let portal = Portal::copy_of("examples/starter");
    let fund: String = portal
        .read(FUND_CSV)
        .lines()
        .map(|l| match l.ends_with("期初余额") {
            true => format!("{l},经手人签字\n"),
            false => format!("{l},\n"),
        })
        .collect();
    portal.write(FUND_CSV, &fund);
    let run = portal.run(&["fmt", "--lang", "en"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("unknown column “#7”"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/xingfuli/fund.csv:2:35"),
        "{}",
        run.stderr
    );
    assert_eq!(portal.read(FUND_CSV), fund);
}

#[test]
fn fmt_keeps_uppercase_columns_and_fills_in_the_net() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        REVENUE_CSV,
        "日期,类别,项目,相对方,收入金额,收入金额（大写）,去向,决议\n\
         2025-06-30,广告费,电梯轿厢广告位租金,某传媒有限公司,\"6,000.00\",陆仟元整,维修资金,2024年第一次业主大会决议\n\
         2025年3月31日,停车,地面临时停车费,小区车主,8640,,维修资金,2024年第一次业主大会决议\n",
    );
    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/xingfuli/revenue.csv: 添加列 合理成本、净收益，重新排序 2 行，规范化 2 个金额，转换 1 个日期，统一 1 个名称，补全 2 个净收益，添加 BOM"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        portal.read(REVENUE_CSV),
        "\u{feff}日期,类别,项目,相对方,收入金额,收入金额（大写）,合理成本,净收益,去向,决议\n\
         2025-03-31,停车,地面临时停车费,小区车主,8640.00,,0.00,8640.00,维修资金,2024年第一次业主大会决议\n\
         2025-06-30,广告,电梯轿厢广告位租金,某传媒有限公司,6000.00,陆仟元整,0.00,6000.00,维修资金,2024年第一次业主大会决议\n"
    );
}

#[test]
fn fmt_keeps_the_order_of_same_day_fund_rows() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        FUND_CSV,
        "日期,类型,金额,项目,凭证号,摘要\n\
         2025-08-20,支取,\"38,600.00\",roof-repair,WX2025-01,3号楼屋面防水工程款\n\
         2025-01-01,交存,\"412,500.00\",,,期初余额\n\
         2025-08-20,结存,\"373,900.00\",,,支取后结存\n\
         2025-08-20,交存,\"7,344.00\",,GS2025-001,公共收益转入\n",
    );
    let run = portal.run(&["fmt"]);
    assert!(
        run.stderr.contains("fund.csv: 重新排序 2 行"),
        "{}",
        run.stderr
    );
    assert_eq!(
        portal.read(FUND_CSV),
        "\u{feff}日期,类型,金额,项目,凭证号,摘要\n\
         2025-01-01,交存,412500.00,,,期初余额\n\
         2025-08-20,支取,38600.00,roof-repair,WX2025-01,3号楼屋面防水工程款\n\
         2025-08-20,结存,373900.00,,,支取后结存\n\
         2025-08-20,交存,7344.00,,GS2025-001,公共收益转入\n"
    );
}

#[test]
fn fmt_reports_an_error_once_at_its_cell_in_a_crlf_file() {
    let portal = Portal::copy_of("examples/starter");
    let fees = portal
        .read(FEES_CSV)
        .replace("\"100,101.60\"", "\"100,1x1.60\"")
        .replace('\n', "\r\n");
    portal.write(FEES_CSV, &fees);
    let run = portal.run(&["fmt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("[money-invalid]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/xingfuli/fees.csv:4:35"),
        "{}",
        run.stderr
    );
    assert_eq!(portal.read(FEES_CSV), fees);
}
