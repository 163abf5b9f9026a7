//! The one CSV reader every ledger uses: matches Chinese or English headers against a ledger's
//! column schema, reports unknown, missing and duplicate columns, and keeps the exact byte span of
//! every cell so that findings point at `file:line:col`.

use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::ledger::amount::{Money, NumberError, parse_chinese_uppercase};
use crate::ledger::calendar::{Period, When, parse_date};

/// One column of a ledger's schema.
#[derive(Debug)]
pub struct Column {
    /// The canonical (Chinese) header.
    pub name: &'static str,
    /// Other accepted headers (English names first).
    pub aliases: &'static [&'static str],
    /// Amounts: summed when a subtotal row is verified, and may have a 大写 companion column.
    pub money: bool,
    pub required: bool,
}

/// What to do with subtotal rows (合计, 小计, 总计) in a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subtotals {
    /// Skip them after checking each stated amount against the sum of the rows it covers
    /// (小计: the rows since the previous subtotal; 合计/总计: all rows above).
    Verify,
    /// Refuse them (in ledgers where a sum of mixed rows means nothing, like a bank account).
    Reject,
}

/// Whether a row is a subtotal, and which kind: `Some(true)` for 小计, `Some(false)` for 合计.
fn subtotal_kind<'a>(cells: impl Iterator<Item = &'a str>) -> Option<bool> {
    // Every word below has 计: other cells need not be folded.
    for cell in cells.filter(|cell| cell.contains('计')) {
        let folded: String = cell
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .collect();
        let folded = folded.trim_end_matches([':', '：']);
        // 合计（元）, 小计(万元): a unit in brackets after the word.
        let folded = ['（', '(']
            .iter()
            .find_map(|open| {
                let (label, _) = folded.rsplit_once(*open)?;
                (folded.ends_with(['）', ')']) && !label.is_empty()).then_some(label)
            })
            .unwrap_or(folded);
        // The word alone, or ending a short label: 全年合计, 小区合计, 高层住宅小计,
        // 2025年第一季度小计, 总合计. A long text that happens to end so is an entry's description.
        let short = folded.chars().count() <= SUBTOTAL_LABEL_CHARS;
        if folded == "小计" || (short && folded.ends_with("小计")) {
            return Some(true);
        }
        if ["合计", "总计", "共计"]
            .iter()
            .any(|word| folded == *word || (short && folded.ends_with(word)))
        {
            return Some(false);
        }
    }
    None
}

/// The longest label read as a subtotal's (in characters): "2025年第一季度小计" has 11.
const SUBTOTAL_LABEL_CHARS: usize = 14;

/// A cell's trimmed text and where it stands in the file.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub span: Range<usize>,
}

/// One data row: cells in schema order (`None` where the file has no such column).
#[derive(Debug)]
pub struct Row {
    pub span: Range<usize>,
    pub cells: Vec<Option<Cell>>,
    /// 大写 companions of money columns, by schema column.
    pub uppercase: Vec<Option<Cell>>,
}

/// A CSV file read against a schema.
pub struct Table<'s> {
    pub file: Arc<SourceFile>,
    pub schema: &'s [Column],
    /// Per schema column: 10,000 when its header says 万元, else 1.
    pub multipliers: Vec<i64>,
    pub rows: Vec<Row>,
}

/// Normalises a header for matching: full-width brackets folded, white space removed, units in
/// brackets split off and returned (`金额（万元）` → (`金额`, Some(`万元`))), lower-cased.
fn normalise_header(raw: &str) -> (String, Option<String>) {
    let folded: String = raw
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '【' | '[' => '(',
            '】' | ']' => ')',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    match folded.split_once('(') {
        Some((name, unit)) => (
            name.to_lowercase(),
            Some(unit.trim_end_matches(')').to_string()),
        ),
        None => (folded.to_lowercase(), None),
    }
}

/// Byte offsets (relative to the text) of the fields of the record starting at `start`.
fn field_offsets(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut fields = Vec::new();
    field_offsets_into(text, start, &mut fields);
    fields
}

/// [`field_offsets`] into a reused vector.
fn field_offsets_into(text: &str, start: usize, fields: &mut Vec<Range<usize>>) {
    fields.clear();
    let bytes = text.as_bytes();
    let mut i = start;
    let mut field_start = start;
    let mut in_quotes = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && i == field_start {
            // Like the csv reader, a quote opens a quoted field only at the field's start; inside
            // an unquoted field (an inch mark: 6"水管) it is an ordinary character.
            in_quotes = true;
        } else if b == b',' {
            fields.push(field_start..i);
            field_start = i + 1;
        } else if b == b'\n' || b == b'\r' {
            break;
        }
        i += 1;
    }
    fields.push(field_start..i);
}

/// Where a record's text starts. After a CRLF line end the csv reader's position points at the
/// `\n`; line breaks are skipped so that the record starts at its first cell.
fn record_start(text: &str, position: Option<&csv::Position>) -> usize {
    let mut start = position.map(|p| p.byte() as usize).unwrap_or(0);
    let bytes = text.as_bytes();
    while start < bytes.len() && (bytes[start] == b'\r' || bytes[start] == b'\n') {
        start += 1;
    }
    start
}

/// Narrows a raw field span to its content: without surrounding quotes and white space.
fn content_span(text: &str, raw: Range<usize>) -> Range<usize> {
    let slice = &text[raw.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let mut start = raw.start + lead;
    let mut end = raw.end - trail;
    if end > start + 1 && text.as_bytes()[start] == b'"' && text.as_bytes()[end - 1] == b'"' {
        start += 1;
        end -= 1;
    }
    start..end.max(start)
}

impl<'s> Table<'s> {
    /// Reads `file` against `schema`. Returns `None` only when the file has no usable header; row
    /// problems are reported and the row is skipped.
    pub fn read(
        file: &Arc<SourceFile>,
        schema: &'s [Column],
        subtotals: Subtotals,
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let text = file.text.as_str();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = loop {
            match records.next() {
                None => {
                    diags.push(Diagnostic::new("csv-empty").in_file(file).arg(
                        "header",
                        schema.iter().map(|c| c.name).collect::<Vec<_>>().join(","),
                    ));
                    return None;
                }
                Some(Err(e)) => {
                    diags.push(csv_error(file, &e));
                    return None;
                }
                Some(Ok(r)) if r.iter().all(|c| c.trim().is_empty()) => continue,
                Some(Ok(r)) => break r,
            }
        };
        let header_start = record_start(text, header.position());
        let header_spans = field_offsets(text, header_start);
        // Schema index of each file column, or None for unknown columns.
        // What each column of the file feeds: a schema column, the 大写 companion of one, or nothing.
        #[derive(Clone, Copy)]
        enum Target {
            Value(usize),
            Uppercase(usize),
            Ignored,
        }
        let mut mapping: Vec<Target> = Vec::with_capacity(header.len());
        // Columns without a header: any value under one would be lost, so it is reported.
        let mut unnamed: Vec<usize> = Vec::new();
        let mut seen: Vec<Option<usize>> = vec![None; schema.len()];
        let mut seen_upper: Vec<bool> = vec![false; schema.len()];
        let mut multipliers = vec![1; schema.len()];
        let known = schema.iter().map(|c| c.name).collect::<Vec<_>>().join("、");
        // The ledger's free-text column (备注, or 摘要 in the fund ledger), for the hint.
        let remarks = schema
            .iter()
            .map(|c| c.name)
            .find(|name| matches!(*name, "备注" | "摘要"))
            .unwrap_or("备注");
        let find = |name: &str| {
            schema.iter().position(|c| {
                c.name.to_lowercase() == name || c.aliases.iter().any(|a| a.to_lowercase() == name)
            })
        };
        for (i, raw) in header.iter().enumerate() {
            let span = header_spans
                .get(i)
                .map(|r| content_span(text, r.clone()))
                .unwrap_or(header_start..header_start);
            let (name, unit) = normalise_header(raw);
            if name.is_empty() {
                unnamed.push(i);
                mapping.push(Target::Ignored);
                continue;
            }
            let uppercase_of = if unit.as_deref() == Some("大写") {
                find(&name)
            } else {
                name.strip_suffix("大写").and_then(find)
            }
            .filter(|idx| schema[*idx].money);
            if let Some(idx) = uppercase_of
                && !seen_upper[idx]
            {
                seen_upper[idx] = true;
                mapping.push(Target::Uppercase(idx));
                continue;
            }
            match find(&name) {
                Some(idx) if seen[idx].is_some() => {
                    diags.push(
                        Diagnostic::new("csv-duplicate-column")
                            .at(file, span)
                            .arg("column", schema[idx].name),
                    );
                    mapping.push(Target::Ignored);
                }
                Some(idx) => {
                    seen[idx] = Some(i);
                    if unit.as_deref().is_some_and(|u| u.starts_with('万')) {
                        multipliers[idx] = 10_000;
                    }
                    mapping.push(Target::Value(idx));
                }
                None if crate::validate::privacy::is_personal_header(&name) => {
                    diags.push(
                        Diagnostic::new("privacy-column")
                            .at(file, span)
                            .arg("column", raw.trim()),
                    );
                    mapping.push(Target::Ignored);
                }
                None => {
                    diags.push(
                        Diagnostic::new("csv-unknown-column")
                            .at(file, span)
                            .arg("column", raw.trim())
                            .arg("known", &known)
                            .arg("remarks", remarks),
                    );
                    mapping.push(Target::Ignored);
                }
            }
        }
        let mut missing = false;
        for (idx, column) in schema.iter().enumerate() {
            if column.required && seen[idx].is_none() {
                missing = true;
                diags.push(
                    Diagnostic::new("csv-missing-column")
                        .at(file, header_start..header_start)
                        .arg("column", column.name)
                        .arg("aliases", column.aliases.join(", ")),
                );
            }
        }
        if missing {
            return None;
        }
        let mut rows = Vec::new();
        // Subtotal rows: (is 小计, the row, how many data rows stood above it).
        let mut subtotal_rows: Vec<(bool, Row, usize)> = Vec::new();
        // One record and one list of spans, reused from row to row.
        let mut record = csv::StringRecord::new();
        let mut spans = Vec::new();
        loop {
            match records.reader_mut().read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    diags.push(csv_error(file, &e));
                    continue;
                }
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let start = record_start(text, record.position());
            field_offsets_into(text, start, &mut spans);
            let line_end = spans.last().map(|s| s.end).unwrap_or(start);
            if record.len() != header.len() {
                diags.push(
                    Diagnostic::new("csv-row-length")
                        .at(file, start..line_end)
                        .arg("found", record.len())
                        .arg("expected", header.len()),
                );
                continue;
            }
            unnamed.retain(|&i| {
                let value = record.get(i).unwrap_or("").trim();
                if value.is_empty() {
                    return true;
                }
                let span = spans
                    .get(i)
                    .map(|r| content_span(text, r.clone()))
                    .unwrap_or(start..start);
                diags.push(
                    Diagnostic::new("csv-unknown-column")
                        .at(file, span)
                        .arg("column", format!("#{}", i + 1))
                        .arg("known", &known)
                        .arg("remarks", remarks),
                );
                false
            });
            let mut cells: Vec<Option<Cell>> = vec![None; schema.len()];
            let mut uppercase: Vec<Option<Cell>> = vec![None; schema.len()];
            for (i, value) in record.iter().enumerate() {
                let span = || {
                    spans
                        .get(i)
                        .map(|r| content_span(text, r.clone()))
                        .unwrap_or(start..start)
                };
                let cell = || Cell {
                    text: value.trim().to_string(),
                    span: span(),
                };
                match mapping.get(i) {
                    Some(Target::Value(idx)) => cells[*idx] = Some(cell()),
                    Some(Target::Uppercase(idx)) => uppercase[*idx] = Some(cell()),
                    _ => {}
                }
            }
            let row = Row {
                span: start..line_end,
                cells,
                uppercase,
            };
            if let Some(is_sub) = subtotal_kind(record.iter()) {
                subtotal_rows.push((is_sub, row, rows.len()));
                continue;
            }
            rows.push(row);
        }
        let table = Table {
            file: Arc::clone(file),
            schema,
            multipliers,
            rows,
        };
        table.check_subtotals(&subtotal_rows, subtotals, diags);
        Some(table)
    }

    /// Checks every subtotal row against the rows it covers (or refuses it). Subtotal rows are
    /// never part of `rows`, so nothing is counted twice.
    fn check_subtotals(
        &self,
        subtotal_rows: &[(bool, Row, usize)],
        policy: Subtotals,
        diags: &mut Diagnostics,
    ) {
        let mut previous_end = 0;
        for (is_sub, row, end) in subtotal_rows {
            if policy == Subtotals::Reject {
                diags.push(
                    Diagnostic::new("csv-subtotal-rejected").at(&self.file, row.span.clone()),
                );
                continue;
            }
            let begin = if *is_sub { previous_end } else { 0 };
            previous_end = *end;
            for (col, column) in self.schema.iter().enumerate() {
                let Some(stated_cell) = self.cell(row, col).filter(|_| column.money) else {
                    continue;
                };
                let Ok(stated) = Money::parse_scaled(&stated_cell.text, self.multipliers[col])
                else {
                    continue;
                };
                let mut sum = Money::ZERO;
                let mut readable = true;
                for data in &self.rows[begin..*end] {
                    match self
                        .cell(data, col)
                        .map(|c| Money::parse_scaled(&c.text, self.multipliers[col]))
                    {
                        None => {}
                        Some(Ok(m)) => sum += m,
                        Some(Err(_)) => readable = false,
                    }
                }
                if readable && sum != stated {
                    diags.push(
                        Diagnostic::new("csv-subtotal-mismatch")
                            .at(&self.file, stated_cell.span.clone())
                            .arg("column", column.name)
                            .arg("stated", stated)
                            .arg("computed", sum)
                            .arg("rows", end - begin),
                    );
                }
            }
        }
    }

    /// The cell of column `col` if present and not blank.
    pub fn cell<'r>(&self, row: &'r Row, col: usize) -> Option<&'r Cell> {
        row.cells[col].as_ref().filter(|c| !c.text.is_empty())
    }

    /// Span to report a missing value at: the (empty) cell, or the row.
    fn blank_span(&self, row: &Row, col: usize) -> Range<usize> {
        row.cells[col]
            .as_ref()
            .map(|c| c.span.clone())
            .unwrap_or(row.span.start..row.span.start)
    }

    fn required<'r>(&self, row: &'r Row, col: usize, diags: &mut Diagnostics) -> Option<&'r Cell> {
        let cell = self.cell(row, col);
        if cell.is_none() {
            diags.push(
                Diagnostic::new("field-required")
                    .at(&self.file, self.blank_span(row, col))
                    .arg("field", self.schema[col].name),
            );
        }
        cell
    }

    /// Required text.
    pub fn text(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<String> {
        self.required(row, col, diags).map(|c| c.text.clone())
    }

    /// Optional text (empty when blank).
    pub fn opt_text(&self, row: &Row, col: usize) -> String {
        self.cell(row, col)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }

    /// Required amount, not negative.
    pub fn money(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<Money> {
        self.money_signed(row, col, false, diags)
    }

    /// Required amount; negative only if `negative_allowed` (a correction entry's reversal).
    pub fn money_signed(
        &self,
        row: &Row,
        col: usize,
        negative_allowed: bool,
        diags: &mut Diagnostics,
    ) -> Option<Money> {
        let cell = self.required(row, col, diags)?;
        self.parse_money(row, cell, col, negative_allowed, diags)
    }

    /// Optional amount, not negative: `Some(None)` when blank or written as a dash, `None` when
    /// unreadable.
    pub fn opt_money(
        &self,
        row: &Row,
        col: usize,
        diags: &mut Diagnostics,
    ) -> Option<Option<Money>> {
        self.opt_money_signed(row, col, false, diags)
    }

    /// [`Table::opt_money`], negative only if `negative_allowed`.
    pub fn opt_money_signed(
        &self,
        row: &Row,
        col: usize,
        negative_allowed: bool,
        diags: &mut Diagnostics,
    ) -> Option<Option<Money>> {
        match self.cell(row, col) {
            None => Some(None),
            Some(c) if matches!(c.text.as_str(), "-" | "—" | "－") => Some(None),
            Some(c) => self
                .parse_money(row, c, col, negative_allowed, diags)
                .map(Some),
        }
    }

    /// Where a 大写 companion is given, it must state the same amount as the figure.
    fn check_uppercase(&self, row: &Row, col: usize, figure: Money, diags: &mut Diagnostics) {
        let Some(upper) = row.uppercase[col].as_ref().filter(|c| !c.text.is_empty()) else {
            return;
        };
        match parse_chinese_uppercase(&upper.text) {
            Some(stated) if stated == figure => {}
            Some(stated) => diags.push(
                Diagnostic::new("money-uppercase-mismatch")
                    .at(&self.file, upper.span.clone())
                    .arg("uppercase", &upper.text)
                    .arg("stated", stated)
                    .arg("figure", figure)
                    .arg("column", self.schema[col].name),
            ),
            None => diags.push(
                Diagnostic::new("money-uppercase-invalid")
                    .at(&self.file, upper.span.clone())
                    .arg("value", &upper.text)
                    .arg("column", self.schema[col].name),
            ),
        }
    }

    fn parse_money(
        &self,
        row: &Row,
        cell: &Cell,
        col: usize,
        negative_allowed: bool,
        diags: &mut Diagnostics,
    ) -> Option<Money> {
        match Money::parse_scaled(&cell.text, self.multipliers[col]) {
            Ok(m) if m.is_negative() && !negative_allowed => {
                diags.push(
                    Diagnostic::new("money-negative")
                        .at(&self.file, cell.span.clone())
                        .arg("value", &cell.text)
                        .arg("column", self.schema[col].name),
                );
                None
            }
            Ok(m) => {
                self.check_uppercase(row, col, m, diags);
                Some(m)
            }
            Err(e) => {
                let code = match e {
                    NumberError::Invalid => "money-invalid",
                    NumberError::FinerThanUnit => "money-sub-fen",
                };
                diags.push(
                    Diagnostic::new(code)
                        .at(&self.file, cell.span.clone())
                        .arg("value", &cell.text)
                        .arg("column", self.schema[col].name),
                );
                None
            }
        }
    }

    /// Required non-negative whole number.
    pub fn count(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<u32> {
        let cell = self.required(row, col, diags)?;
        let text = crate::ledger::amount::normalise_number_text(&cell.text).replace(',', "");
        match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                diags.push(
                    Diagnostic::new("int-invalid")
                        .at(&self.file, cell.span.clone())
                        .arg("value", &cell.text)
                        .arg("column", self.schema[col].name),
                );
                None
            }
        }
    }

    /// Required date.
    pub fn date(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<NaiveDate> {
        let cell = self.required(row, col, diags)?;
        let date = parse_date(&cell.text);
        if date.is_none() {
            diags.push(
                Diagnostic::new("date-invalid")
                    .at(&self.file, cell.span.clone())
                    .arg("value", &cell.text)
                    .arg("column", self.schema[col].name),
            );
        }
        date
    }

    /// Required period.
    pub fn period(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<Period> {
        let cell = self.required(row, col, diags)?;
        let period = Period::parse(&cell.text);
        if period.is_none() {
            diags.push(
                Diagnostic::new("period-invalid")
                    .at(&self.file, cell.span.clone())
                    .arg("value", &cell.text)
                    .arg("column", self.schema[col].name),
            );
        }
        period
    }

    /// Required date or period.
    pub fn when(&self, row: &Row, col: usize, diags: &mut Diagnostics) -> Option<When> {
        let cell = self.required(row, col, diags)?;
        let when = When::parse(&cell.text);
        if when.is_none() {
            diags.push(
                Diagnostic::new("date-invalid")
                    .at(&self.file, cell.span.clone())
                    .arg("value", &cell.text)
                    .arg("column", self.schema[col].name),
            );
        }
        when
    }

    /// Required value out of a fixed list.
    pub fn choice<T>(
        &self,
        row: &Row,
        col: usize,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let cell = self.required(row, col, diags)?;
        let value = parse(&cell.text);
        if value.is_none() {
            diags.push(
                Diagnostic::new("enum-invalid")
                    .at(&self.file, cell.span.clone())
                    .arg("value", &cell.text)
                    .arg("column", self.schema[col].name)
                    .arg("allowed", allowed.join("、")),
            );
        }
        value
    }

    /// Span of a cell, or of the row start when the column is absent.
    pub fn span(&self, row: &Row, col: usize) -> Range<usize> {
        self.blank_span(row, col)
    }
}

fn csv_error(file: &Arc<SourceFile>, e: &csv::Error) -> Diagnostic {
    let offset = e.position().map(|p| p.byte() as usize).unwrap_or(0);
    let detail = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Diagnostic::new("csv-syntax")
        .at(file, offset..offset)
        .arg("detail", detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_offsets_follow_quotes() {
        let text = "a,\"1,234.00\",\"x\"\"y\"\nnext";
        let spans = field_offsets(text, 0);
        let fields: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(fields, ["a", "\"1,234.00\"", "\"x\"\"y\""]);
        assert_eq!(&text[content_span(text, spans[1].clone())], "1,234.00");
    }

    #[test]
    fn headers_fold_width_and_units() {
        assert_eq!(
            normalise_header("金额（万元）"),
            ("金额".into(), Some("万元".into()))
        );
        assert_eq!(
            normalise_header("\u{feff} Amount "),
            ("amount".into(), None)
        );
    }
}
