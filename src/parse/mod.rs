//! Generic readers shared by all ledgers: CSV tables against a column schema, TOML records with
//! spans, and markdown front matter. They know file formats, not accounting.

pub mod csv_table;
pub mod front_matter;
pub mod toml_doc;
