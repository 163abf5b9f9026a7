//! The canonical form of the CSV ledgers (fees.csv, revenue.csv, fund.csv): the one way
//! `sanwu fmt` and `sanwu import` write them, so that a ledger kept in git changes only where its
//! data changes.
//!
//! A ledger is read with the same readers as `check` and `build` (`ledger::{fees,revenue,fund}`
//! over `parse::csv_table`) and written back from its typed rows:
//!
//! - UTF-8 with a BOM (so that Chinese Excel opens it), LF line ends, no blank lines;
//! - canonical Chinese headers in schema order: required columns always, optional columns when the
//!   file has them (revenue's 合理成本 and 净收益 always, so that every row reads gross − costs =
//!   net); a 大写 companion column is kept, as `<column>（大写）` right after its figure, with its
//!   cells as written (they were checked against the figures);
//! - rows sorted: fees by period then building type (the order of the site's fee table), revenue
//!   by date (a period counts as its last day) then voucher then file order, the fund by date
//!   keeping the file order of rows of one day (declared balances depend on it);
//! - money as `172600.00` (yuan, no separators, no ¥; columns in 万元 are converted), counts as
//!   plain integers, dates as `2024-05-01`, periods as `2024Q1`/`2024-03`/`2024H1`/`2024`, labels
//!   (类别, 去向, 类型) in their canonical spelling, blank optional amounts as `0.00`, and the
//!   computed net of every revenue row written out;
//! - verified subtotal rows (合计/小计) removed; quotes only where a cell needs them.
//!
//! Nothing is ever dropped: a ledger with an error, an unknown or duplicate column, or data under a
//! column without a header is refused (`format` returns `None` and reports why).

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use super::calendar::{Period, When};
use super::{fees, fund, revenue};
use crate::diag::{Diagnostic, Diagnostics, Lang, Severity, SourceFile};
use crate::parse::csv_table::{Column, Subtotals, Table};

/// The byte-order mark every canonical ledger starts with.
pub const BOM: &str = "\u{feff}";

/// The three CSV ledgers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// fees.csv — 物业费收缴
    Fees,
    /// revenue.csv — 公共收益
    Revenue,
    /// fund.csv — 专项维修资金
    Fund,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Fees, Kind::Revenue, Kind::Fund];

    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Fees => "fees.csv",
            Kind::Revenue => "revenue.csv",
            Kind::Fund => "fund.csv",
        }
    }

    pub fn schema(self) -> &'static [Column] {
        match self {
            Kind::Fees => fees::SCHEMA,
            Kind::Revenue => revenue::SCHEMA,
            Kind::Fund => fund::SCHEMA,
        }
    }

    fn subtotals(self) -> Subtotals {
        match self {
            Kind::Fund => Subtotals::Reject,
            _ => Subtotals::Verify,
        }
    }

    /// Optional columns written even when the file does not have them: revenue's 合理成本 (6th)
    /// and 净收益 (7th), so that the computed net is explicit.
    fn always_written(self, col: usize) -> bool {
        self == Kind::Revenue && (col == REVENUE_COSTS || col == REVENUE_NET)
    }
}

const REVENUE_COSTS: usize = 5;
const REVENUE_NET: usize = 6;

/// What a cell holds, for the report of what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Text,
    Money,
    Count,
    Date,
    Period,
    Label,
}

/// A typed row in canonical text, with where it stood and how it sorts.
struct Entry {
    /// Byte offset of the row in the file (matches the table's row).
    start: usize,
    /// One cell per schema column.
    cells: Vec<(String, Class)>,
    key: SortKey,
}

/// Fees sort by period then building type; revenue by date then voucher; the fund by date. The
/// sort is stable, so equal keys keep file order.
type SortKey = (Option<Period>, NaiveDate, String);

fn day(d: NaiveDate) -> String {
    super::calendar::iso_date(d)
}

fn money(m: super::amount::Money) -> (String, Class) {
    (m.to_plain_string(), Class::Money)
}

fn text(s: &str) -> (String, Class) {
    (s.to_string(), Class::Text)
}

fn entries(kind: Kind, file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<Entry> {
    match kind {
        Kind::Fees => fees::parse(file, diags)
            .into_iter()
            .map(|r| Entry {
                start: r.origin.span.start,
                key: (Some(r.period), NaiveDate::MIN, r.building_type.clone()),
                cells: vec![
                    (r.period.key(), Class::Period),
                    text(&r.building_type),
                    (r.households_billed.to_string(), Class::Count),
                    (r.households_paid.to_string(), Class::Count),
                    money(r.receivable),
                    money(r.received),
                    money(r.arrears_recovered),
                    text(&r.note),
                ],
            })
            .collect(),
        Kind::Revenue => revenue::parse(file, diags)
            .into_iter()
            .map(|e| Entry {
                start: e.origin.span.start,
                key: (None, e.when.sort_date(), e.voucher.clone()),
                cells: vec![
                    match e.when {
                        When::Day(d) => (day(d), Class::Date),
                        When::Period(p) => (p.key(), Class::Period),
                    },
                    (e.category.label().to_string(), Class::Label),
                    text(&e.item),
                    text(&e.counterparty),
                    money(e.gross),
                    money(e.costs),
                    money(e.net),
                    (e.allocation.label().to_string(), Class::Label),
                    text(&e.resolution),
                    text(&e.voucher),
                    text(&e.note),
                ],
            })
            .collect(),
        Kind::Fund => fund::parse(file, diags)
            .into_iter()
            .map(|e| Entry {
                start: e.origin.span.start,
                key: (None, e.date, String::new()),
                cells: vec![
                    (day(e.date), Class::Date),
                    (e.kind.label().to_string(), Class::Label),
                    money(e.amount),
                    text(&e.project),
                    text(&e.voucher),
                    text(&e.memo),
                ],
            })
            .collect(),
    }
}

/// What a column of the file feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Value(usize),
    Uppercase(usize),
    Ignored,
}

/// What the canonical form changed in a file, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The encoding the file was in, when it was not UTF-8.
    pub converted_from: Option<&'static str>,
    pub bom_added: bool,
    pub crlf: bool,
    /// Headers renamed: (as written, canonical with its multiplier, e.g. `收入金额 ×10000`).
    pub headers: Vec<(String, String)>,
    pub empty_columns_removed: usize,
    pub columns_reordered: bool,
    pub columns_added: Vec<&'static str>,
    pub subtotals_removed: usize,
    pub rows_moved: usize,
    pub amounts: usize,
    pub dates: usize,
    pub periods: usize,
    pub counts: usize,
    pub labels: usize,
    pub nets_filled: usize,
    /// Whether the canonical bytes differ from the file's at all.
    pub differs: bool,
}

impl Changes {
    /// One short phrase per kind of change, in `lang`; empty when the file was canonical.
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        let mut out = Vec::new();
        let mut count = |n: usize, zh_text: &str, en_text: &str| {
            if n > 0 {
                out.push(if zh {
                    zh_text.replace('#', &n.to_string())
                } else {
                    en_text.replace('#', &n.to_string())
                });
            }
        };
        if let Some(enc) = self.converted_from {
            count(
                1,
                &format!("编码 {enc} → UTF-8"),
                &format!("encoding {enc} → UTF-8"),
            );
        }
        for (from, to) in &self.headers {
            count(
                1,
                &format!("表头 {from} → {to}"),
                &format!("header {from} → {to}"),
            );
        }
        count(
            self.empty_columns_removed,
            "删除 # 个空列",
            "removed # empty columns",
        );
        if !self.columns_added.is_empty() {
            let names = self.columns_added.join(if zh { "、" } else { ", " });
            count(
                1,
                &format!("添加列 {names}"),
                &format!("added the columns {names}"),
            );
        }
        count(
            usize::from(self.columns_reordered),
            "列按标准顺序排列",
            "columns put in standard order",
        );
        count(
            self.subtotals_removed,
            "核对并删除 # 个合计行",
            "verified and removed # subtotal rows",
        );
        count(self.rows_moved, "重新排序 # 行", "reordered # rows");
        count(self.amounts, "规范化 # 个金额", "normalised # amounts");
        count(self.dates, "转换 # 个日期", "converted # dates");
        count(self.periods, "转换 # 个期间", "converted # periods");
        count(self.counts, "规范化 # 个户数", "normalised # counts");
        count(self.labels, "统一 # 个名称", "normalised # labels");
        count(
            self.nets_filled,
            "补全 # 个净收益",
            "filled in # net amounts",
        );
        count(
            usize::from(self.crlf),
            "换行改为 LF",
            "line ends changed to LF",
        );
        count(usize::from(self.bom_added), "添加 BOM", "added a BOM");
        if self.differs && out.is_empty() {
            out.push(if zh {
                "调整引号、空白和空行".to_string()
            } else {
                "normalised quotes, white space and blank lines".to_string()
            });
        }
        out
    }
}

/// A ledger in canonical form.
#[derive(Debug, Clone)]
pub struct Formatted {
    /// The whole file: BOM, header, rows.
    pub bytes: Vec<u8>,
    pub changes: Changes,
    /// Data rows written.
    pub rows: usize,
    /// The encoding the file was read in.
    pub encoding: &'static str,
}

/// Reads a ledger's bytes and returns them in canonical form, or `None` (with the reasons in
/// `diags`) when the ledger cannot be rewritten without losing data: any error, an unknown,
/// duplicate or personal column, data under a column without a header. Warnings found while
/// reading are added to `diags` too.
pub fn format(
    kind: Kind,
    path: &Path,
    display: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Formatted> {
    let Some((text, encoding)) = crate::load::decode::decode(bytes) else {
        let file = Arc::new(SourceFile::new(path, display.into(), String::new(), "?"));
        diags.push(Diagnostic::new("encoding-invalid").in_file(&file));
        return None;
    };
    let text_len = text.len();
    // Record ends become LF before reading: the canonical form has them, and the shared reader
    // locates cells one line too early after a CRLF.
    let file = Arc::new(SourceFile::new(
        path,
        display.into(),
        lf_record_ends(&text),
        encoding,
    ));
    let mut local = Diagnostics::new();
    let entries = entries(kind, &file, &mut local);
    let mut refused = false;
    // Columns the reader ignores would be lost: unknown ones are only a warning for `check`, but
    // refuse the rewrite here.
    for d in local.iter() {
        let mut d = d.clone();
        if d.code == "csv-unknown-column" {
            d.severity = Severity::Error;
        }
        refused |= d.severity == Severity::Error;
        diags.push(d);
    }
    if refused {
        return None;
    }
    let schema = kind.schema();
    let records = match raw_records(&file.text) {
        Some(r) if !r.is_empty() => r,
        _ => {
            diags.push(internal(&file, "unreadable CSV"));
            return None;
        }
    };
    let header = &records[0];
    let Some((targets, multipliers)) = probe(kind, header) else {
        diags.push(internal(&file, "header not understood"));
        return None;
    };
    // Data under a column without a header would be dropped.
    for (i, target) in targets.iter().enumerate() {
        if *target != Target::Ignored {
            continue;
        }
        if let Some(record) = records[1..]
            .iter()
            .find(|r| r.get(i).is_some_and(|c| !c.trim().is_empty()))
        {
            let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
            let mut at = field_start(&file.text, start, i);
            if file.text[at..].starts_with('"') {
                at += 1;
            }
            let mut d = Diagnostic::new("csv-unknown-column")
                .at(&file, at..at + record.get(i).map(str::len).unwrap_or(0))
                .arg("column", format!("#{}", i + 1))
                .arg(
                    "known",
                    schema.iter().map(|c| c.name).collect::<Vec<_>>().join("、"),
                );
            d.severity = Severity::Error;
            diags.push(d);
            return None;
        }
    }
    let mut sink = Diagnostics::new();
    let Some(table) = Table::read(&file, schema, kind.subtotals(), &mut sink) else {
        diags.push(internal(&file, "table not readable"));
        return None;
    };
    if table.rows.len() != entries.len() {
        diags.push(internal(&file, "rows were left out"));
        return None;
    }
    let mut changes = Changes {
        converted_from: (encoding != "UTF-8").then_some(encoding),
        bom_added: encoding == "UTF-8" && !bytes.starts_with(BOM.as_bytes()),
        crlf: file.text.len() != text_len,
        subtotals_removed: (records.len() - 1).saturating_sub(table.rows.len()),
        ..Changes::default()
    };

    // The columns written, in schema order.
    let present = |col: usize| targets.contains(&Target::Value(col));
    let mut columns: Vec<Target> = Vec::new();
    for (col, column) in schema.iter().enumerate() {
        if column.required || present(col) || kind.always_written(col) {
            columns.push(Target::Value(col));
            if !present(col) {
                changes.columns_added.push(column.name);
            }
        }
        if targets.contains(&Target::Uppercase(col)) {
            columns.push(Target::Uppercase(col));
        }
    }
    let name_of = |t: Target| match t {
        Target::Value(col) => schema[col].name.to_string(),
        Target::Uppercase(col) => format!("{}（大写）", schema[col].name),
        Target::Ignored => String::new(),
    };
    for (raw, target) in header.iter().zip(&targets) {
        let raw = raw.trim_start_matches('\u{feff}').trim();
        match *target {
            Target::Ignored => changes.empty_columns_removed += 1,
            Target::Value(col) if multipliers[col] != 1 => changes.headers.push((
                raw.into(),
                format!("{} ×{}", schema[col].name, multipliers[col]),
            )),
            t if raw != name_of(t) => changes.headers.push((raw.into(), name_of(t))),
            _ => {}
        }
    }
    let in_file: Vec<Target> = targets
        .iter()
        .copied()
        .filter(|t| *t != Target::Ignored)
        .collect();
    let kept: Vec<Target> = columns
        .iter()
        .copied()
        .filter(|t| in_file.contains(t))
        .collect();
    changes.columns_reordered = kept != in_file;

    // Rows in file order, as canonical text.
    let mut rows: Vec<(SortKey, Vec<String>)> = Vec::with_capacity(entries.len());
    for (row, entry) in table.rows.iter().zip(&entries) {
        if row.span.start != entry.start {
            diags.push(internal(&file, "rows out of step"));
            return None;
        }
        let mut cells = Vec::with_capacity(columns.len());
        for target in &columns {
            match *target {
                Target::Value(col) => {
                    let (value, class) = &entry.cells[col];
                    let original = row.cells[col].as_ref().map(|c| c.text.as_str());
                    if kind == Kind::Revenue && col == REVENUE_NET {
                        if original.is_none_or(|t| t.is_empty()) {
                            changes.nets_filled += 1;
                        } else if original != Some(value.as_str()) {
                            changes.amounts += 1;
                        }
                    } else if let Some(original) = original
                        && original != value
                    {
                        match class {
                            Class::Money => changes.amounts += 1,
                            Class::Count => changes.counts += 1,
                            Class::Date => changes.dates += 1,
                            Class::Period => changes.periods += 1,
                            Class::Label => changes.labels += 1,
                            Class::Text => {}
                        }
                    }
                    cells.push(value.clone());
                }
                Target::Uppercase(col) => cells.push(
                    row.uppercase[col]
                        .as_ref()
                        .map(|c| c.text.clone())
                        .unwrap_or_default(),
                ),
                Target::Ignored => {}
            }
        }
        rows.push((entry.key.clone(), cells));
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|a, b| rows[*a].0.cmp(&rows[*b].0));
    changes.rows_moved = order.iter().enumerate().filter(|(i, r)| i != *r).count();

    let header: Vec<String> = columns.iter().map(|t| name_of(*t)).collect();
    let out = write_csv(&header, order.iter().map(|i| &rows[*i].1))?;
    changes.differs = out != bytes;
    Some(Formatted {
        bytes: out,
        changes,
        rows: rows.len(),
        encoding,
    })
}

/// A finding for a state the readers should never leave a ledger in; refuses the rewrite.
fn internal(file: &Arc<SourceFile>, detail: &str) -> Diagnostic {
    Diagnostic::new("csv-syntax")
        .in_file(file)
        .arg("detail", detail)
}

/// The text with every CRLF that ends a record replaced by LF (line breaks inside quoted cells
/// are data and stay as they are).
fn lf_record_ends(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\r' if !in_quotes && chars.peek() == Some(&'\n') => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The file's non-blank records, header first (as `Table::read` sees them).
fn raw_records(text: &str) -> Option<Vec<csv::StringRecord>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.ok()?;
        if !record.iter().all(|c| c.trim().is_empty()) {
            out.push(record);
        }
    }
    Some(out)
}

/// How the shared reader maps a header: it reads the header with one row of markers, and each
/// marker shows which schema column (or 大写 companion) a column of the file feeds.
fn probe(kind: Kind, header: &csv::StringRecord) -> Option<(Vec<Target>, Vec<i64>)> {
    let markers: Vec<String> = (0..header.len()).map(|i| format!("\u{e000}{i}")).collect();
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(header).ok()?;
    writer.write_record(&markers).ok()?;
    let text = String::from_utf8(writer.into_inner().ok()?).ok()?;
    let file = Arc::new(SourceFile::new(Path::new(""), String::new(), text, "UTF-8"));
    let table = Table::read(
        &file,
        kind.schema(),
        Subtotals::Verify,
        &mut Diagnostics::new(),
    )?;
    let row = table.rows.first()?;
    let is = |cell: &Option<crate::parse::csv_table::Cell>, marker: &str| {
        cell.as_ref().is_some_and(|c| c.text == marker)
    };
    let targets = markers
        .iter()
        .map(|m| {
            if let Some(col) = row.cells.iter().position(|c| is(c, m)) {
                Target::Value(col)
            } else if let Some(col) = row.uppercase.iter().position(|c| is(c, m)) {
                Target::Uppercase(col)
            } else {
                Target::Ignored
            }
        })
        .collect();
    Some((targets, table.multipliers))
}

/// Byte offset of field `index` of the record starting at `start` (quote-aware).
fn field_start(text: &str, start: usize, index: usize) -> usize {
    let bytes = text.as_bytes();
    let mut field = 0;
    let mut in_quotes = false;
    let mut i = start;
    while i < bytes.len() && field < index {
        match bytes[i] {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => field += 1,
            b'\n' | b'\r' if !in_quotes => break,
            _ => {}
        }
        i += 1;
    }
    i
}

/// BOM, header and rows; LF line ends, quotes only where needed.
fn write_csv<'a>(
    header: &[String],
    rows: impl Iterator<Item = &'a Vec<String>>,
) -> Option<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(header).ok()?;
    for row in rows {
        writer.write_record(row).ok()?;
    }
    writer.into_inner().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: Kind, text: &str) -> (Option<Formatted>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let f = format(
            kind,
            Path::new("x.csv"),
            "x.csv",
            text.as_bytes(),
            &mut diags,
        );
        (f, diags)
    }

    fn out(f: &Formatted) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn fees_sorted_and_normalised() {
        let (f, d) = run(
            Kind::Fees,
            "期间,类型,总户数,缴费户数,应收（万元）,实收,备注\r\n\
             2024年第二季度,高层住宅,1，200,１１００,\"1.5\",\"¥12,000.50\",\"含,逗号\"\r\n\
             2024Q1,多层住宅,10,9,0.1,900,\r\n\
             合计,,,,1.6,\"12,900.50\",\r\n",
        );
        let f = f.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(
            out(&f),
            "\u{feff}期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额,备注\n\
             2024Q1,多层住宅,10,9,1000.00,900.00,\n\
             2024Q2,高层住宅,1200,1100,15000.00,12000.50,\"含,逗号\"\n"
        );
        let c = &f.changes;
        assert_eq!(c.subtotals_removed, 1);
        assert_eq!(c.rows_moved, 2);
        assert_eq!(c.periods, 1);
        assert_eq!(c.counts, 2);
        assert_eq!(c.amounts, 4);
        assert!(c.crlf && c.bom_added);
        assert!(
            c.headers
                .contains(&("应收（万元）".into(), "应收金额 ×10000".into()))
        );
        // Idempotent.
        let (again, _) = run(Kind::Fees, out(&f));
        let again = again.unwrap();
        assert_eq!(again.bytes, f.bytes);
        assert!(!again.changes.differs);
        assert!(again.changes.describe(Lang::Zh).is_empty());
    }

    #[test]
    fn revenue_net_written_and_uppercase_kept() {
        let (f, d) = run(
            Kind::Revenue,
            "日期,类别,金额,金额大写,去向\n45047,停车费,\"8,640\",捌仟陆佰肆拾元整,待定\n",
        );
        let f = f.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(
            out(&f),
            "\u{feff}日期,类别,收入金额,收入金额（大写）,合理成本,净收益,去向\n\
             2023-05-01,停车,8640.00,捌仟陆佰肆拾元整,0.00,8640.00,待业主大会决定\n"
        );
        assert_eq!(f.changes.nets_filled, 1);
        assert_eq!(f.changes.labels, 2);
        assert_eq!(f.changes.dates, 1);
        assert_eq!(f.changes.columns_added, ["合理成本", "净收益"]);
    }

    #[test]
    fn fund_keeps_same_day_order() {
        let (f, _) = run(
            Kind::Fund,
            "日期,类型,金额\n2024-02-01,交存,5\n2024-01-01,交存,1\n2024-02-01,结存,6\n2024-02-01,利息,1\n",
        );
        assert_eq!(
            out(&f.unwrap()),
            "\u{feff}日期,类型,金额\n2024-01-01,交存,1.00\n2024-02-01,交存,5.00\n\
             2024-02-01,结存,6.00\n2024-02-01,利息,1.00\n"
        );
    }

    #[test]
    fn only_record_ends_lose_their_cr() {
        assert_eq!(
            lf_record_ends("a,b\r\n\"x\r\ny\",2\r\n"),
            "a,b\n\"x\r\ny\",2\n"
        );
    }

    #[test]
    fn refuses_what_it_would_lose() {
        let (f, d) = run(
            Kind::Fund,
            "日期,类型,金额,经办人\n2024-01-01,交存,1,张三\n",
        );
        assert!(f.is_none());
        assert!(d.iter().any(|d| d.code == "csv-unknown-column"));
        let (f, _) = run(Kind::Fund, "日期,类型,金额,\n2024-01-01,交存,1,note\n");
        assert!(f.is_none());
        let (f, _) = run(Kind::Fund, "日期,类型,金额,\n2024-01-01,交存,1,\n");
        assert_eq!(f.unwrap().changes.empty_columns_removed, 1);
        let (f, _) = run(Kind::Fees, "期间,建筑类型\n2024Q1,高层住宅\n");
        assert!(f.is_none());
    }
}
