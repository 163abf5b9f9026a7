//! One flat table of open data, described once and written three ways: as CSV (UTF-8 with BOM,
//! CRLF line ends, plain decimal amounts, ISO dates), as an array of JSON objects (amounts as exact
//! JSON numbers, never through a float), and as a Frictionless Table Schema. Describing the columns
//! once keeps the three in step.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::value::RawValue;

use crate::ledger::amount::{Area, Money};

/// The byte order mark that makes Excel read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    /// A text from a fixed list of labels.
    Label(&'static [&'static str]),
    /// A text matching a regular expression (Table Schema `pattern`).
    Pattern(&'static str),
    Integer,
    /// Yuan with two decimals (exact: kept as integer fen until written).
    Yuan,
    /// Square metres with two decimals.
    SquareMetres,
    /// A calendar date, ISO 8601.
    Date,
    Boolean,
}

/// One column: its machine name, its Chinese title and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Values are unique within the column (Table Schema `unique`).
    pub unique: bool,
}

/// A required column.
pub const fn req(
    name: &'static str,
    title: &'static str,
    kind: Kind,
    description: &'static str,
) -> Field {
    Field {
        name,
        title,
        description,
        kind,
        required: true,
        unique: false,
    }
}

/// A column that may be empty.
pub const fn opt(
    name: &'static str,
    title: &'static str,
    kind: Kind,
    description: &'static str,
) -> Field {
    Field {
        required: false,
        ..req(name, title, kind, description)
    }
}

/// One value. `None`-like values are written as an empty CSV cell and JSON `null`.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Int(i64),
    Yuan(Money),
    Area(Area),
    Date(String),
    Bool(bool),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// Empty text is an empty cell.
    pub fn opt_text(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text.to_string())
        }
    }

    pub fn opt_yuan(m: Option<Money>) -> Cell {
        m.map_or(Cell::Empty, Cell::Yuan)
    }

    pub fn opt_date(d: &Option<String>) -> Cell {
        d.as_ref().map_or(Cell::Empty, |d| Cell::Date(d.clone()))
    }

    pub fn opt_int(n: Option<i64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Int)
    }

    /// The CSV cell's text; numbers are written into `buf` (one buffer for a whole file).
    fn csv_text<'a>(&'a self, buf: &'a mut String) -> &'a str {
        match self {
            // A spreadsheet would run a text starting with = + - @ as a formula (CSV injection):
            // such texts get a leading apostrophe, which Excel and WPS show as a text marker.
            Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                buf.clear();
                buf.push('\'');
                buf.push_str(t);
                buf
            }
            Cell::Text(t) | Cell::Date(t) => t,
            Cell::Int(n) => {
                use std::fmt::Write;
                buf.clear();
                let _ = write!(buf, "{n}");
                buf
            }
            Cell::Yuan(m) => {
                buf.clear();
                m.push_plain(buf);
                buf
            }
            Cell::Area(a) => {
                buf.clear();
                Money(a.0).push_plain(buf);
                buf
            }
            Cell::Bool(true) => "true",
            Cell::Bool(false) => "false",
            Cell::Empty => "",
        }
    }
}

/// 58230.45 from 0.01 ㎡ (written as money without its sign is: two decimals, no grouping).
fn area_plain(a: Area) -> String {
    Money(a.0).to_plain_string()
}

/// A JSON number written exactly as given (a decimal with two places).
pub fn exact_number(text: String) -> Result<Box<RawValue>, serde_json::Error> {
    RawValue::from_string(text)
}

/// Money as an exact JSON number in yuan: 172600.00.
#[derive(Debug, Clone, Copy)]
pub struct Yuan(pub Money);

impl Serialize for Yuan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match exact_number(self.0.to_plain_string()) {
            Ok(raw) => raw.serialize(s),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Text(t) | Cell::Date(t) => s.serialize_str(t),
            Cell::Int(n) => s.serialize_i64(*n),
            Cell::Yuan(m) => Yuan(*m).serialize(s),
            Cell::Area(a) => match exact_number(area_plain(*a)) {
                Ok(raw) => raw.serialize(s),
                Err(e) => Err(serde::ser::Error::custom(e)),
            },
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Empty => s.serialize_none(),
        }
    }
}

/// A foreign key: `fields` of this table name rows of `resource` by its `reference` fields.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub resource: &'static str,
    pub reference: &'static [&'static str],
}

/// A table of open data.
#[derive(Debug, Clone)]
pub struct Table {
    /// Machine name, also the file name without extension (`fees` → `data/fees.csv`).
    pub name: &'static str,
    pub title: String,
    pub description: String,
    pub fields: &'static [Field],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The CSV file: BOM, a header of machine names, CRLF line ends.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BOM.len() + 64 * (self.rows.len() + 1));
        out.extend_from_slice(BOM);
        {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to a Vec cannot fail.
            let _ = writer.write_record(self.fields.iter().map(|f| f.name));
            let mut buf = String::new();
            for row in &self.rows {
                for cell in row {
                    let _ = writer.write_field(cell.csv_text(&mut buf).as_bytes());
                }
                let _ = writer.write_record(None::<&[u8]>);
            }
            let _ = writer.flush();
        }
        out
    }

    /// The rows as JSON objects (serialise with serde_json).
    pub fn json_rows(&self) -> JsonRows<'_> {
        JsonRows(self)
    }

    /// The Frictionless Table Schema of the CSV file.
    pub fn schema(&self) -> serde_json::Value {
        use serde_json::{Value, json};
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| {
                let (kind, extra): (&str, Option<(&str, Value)>) = match f.kind {
                    Kind::Text => ("string", None),
                    Kind::Label(labels) => ("string", Some(("enum", json!(labels)))),
                    Kind::Pattern(p) => ("string", Some(("pattern", json!(p)))),
                    Kind::Integer => ("integer", None),
                    Kind::Yuan | Kind::SquareMetres => ("number", None),
                    Kind::Date => ("date", None),
                    Kind::Boolean => ("boolean", None),
                };
                let mut field = serde_json::Map::new();
                field.insert("name".into(), json!(f.name));
                field.insert("title".into(), json!(f.title));
                field.insert("type".into(), json!(kind));
                if matches!(f.kind, Kind::Boolean) {
                    field.insert("trueValues".into(), json!(["true"]));
                    field.insert("falseValues".into(), json!(["false"]));
                }
                field.insert("description".into(), json!(f.description));
                let mut constraints = serde_json::Map::new();
                if f.required {
                    constraints.insert("required".into(), json!(true));
                }
                if f.unique {
                    constraints.insert("unique".into(), json!(true));
                }
                if let Some((key, value)) = extra {
                    constraints.insert(key.into(), value);
                }
                if !constraints.is_empty() {
                    field.insert("constraints".into(), Value::Object(constraints));
                }
                Value::Object(field)
            })
            .collect();
        let mut schema = serde_json::Map::new();
        schema.insert("fields".into(), Value::Array(fields));
        schema.insert("missingValues".into(), json!([""]));
        if !self.primary_key.is_empty() {
            schema.insert("primaryKey".into(), json!(self.primary_key));
        }
        if !self.foreign_keys.is_empty() {
            let keys: Vec<Value> = self
                .foreign_keys
                .iter()
                .map(|k| {
                    json!({
                        "fields": k.fields,
                        "reference": { "resource": k.resource, "fields": k.reference },
                    })
                })
                .collect();
            schema.insert("foreignKeys".into(), Value::Array(keys));
        }
        Value::Object(schema)
    }
}

/// Serialises a table's rows as `[{"name": value, …}, …]`.
pub struct JsonRows<'a>(&'a Table);

impl Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&JsonRow(self.0.fields, row))?;
        }
        seq.end()
    }
}

struct JsonRow<'a>(&'a [Field], &'a [Cell]);

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (field, cell) in self.0.iter().zip(self.1) {
            map.serialize_entry(field.name, cell)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        req("name", "名称", Kind::Text, "a name"),
        opt("amount", "金额", Kind::Yuan, "an amount"),
    ];

    fn table() -> Table {
        Table {
            name: "t",
            title: String::new(),
            description: String::new(),
            fields: FIELDS,
            primary_key: &["name"],
            foreign_keys: &[],
            rows: vec![
                vec![Cell::text("甲, \"乙\""), Cell::Yuan(Money(17_260_000))],
                vec![Cell::text("丙"), Cell::Yuan(Money(-5))],
                vec![Cell::text("丁"), Cell::Empty],
            ],
        }
    }

    #[test]
    fn csv_has_a_bom_crlf_and_plain_amounts() {
        let csv = String::from_utf8(table().to_csv()).unwrap();
        assert_eq!(
            csv,
            "\u{feff}name,amount\r\n\"甲, \"\"乙\"\"\",172600.00\r\n丙,-0.05\r\n丁,\r\n"
        );
    }

    #[test]
    fn texts_that_a_spreadsheet_would_run_as_formulas_are_defused() {
        let t = Table {
            rows: vec![vec![
                Cell::text("=HYPERLINK(\"x\")"),
                Cell::Yuan(Money(-100)),
            ]],
            ..table()
        };
        let csv = String::from_utf8(t.to_csv()).unwrap();
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"x\"\")\",-1.00\r\n"),
            "{csv}"
        );
    }

    #[test]
    fn json_amounts_are_exact_numbers() {
        let t = table();
        let json = serde_json::to_string(&t.json_rows()).unwrap();
        assert_eq!(
            json,
            r#"[{"name":"甲, \"乙\"","amount":172600.00},{"name":"丙","amount":-0.05},{"name":"丁","amount":null}]"#
        );
    }
}
