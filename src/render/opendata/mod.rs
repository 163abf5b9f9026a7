//! Open data of a compound, under `<slug>/`: every ledger as CSV (UTF-8 with BOM) and JSON in
//! `data/`, projects with their votes and tenders with their bids as JSON, the tenders as an OCDS
//! release package, a Frictionless `datapackage.json` describing the CSV files, and the page
//! `data.html` that lists every file with what it holds. Everything is taken from the compound's
//! report (the figures its pages show), so the files reconcile with the site to the fen. Per-unit
//! shares are personal data: they are exported only when the compound publishes unit pages.

pub mod ledgers;
pub mod ocds;
pub mod table;

use serde::Serialize;
use tera::Context;

use super::{Sink, SiteRenderer};
use crate::compute::CompoundReport;
use crate::error::Fatal;
use table::Table;

/// One published file, as the open-data page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DataFile {
    /// Relative to the compound's folder (`data/fees.csv`); made of the compound's slug and fixed
    /// names only, so templates may print it unescaped.
    pub path: String,
    pub format: &'static str,
    /// What it holds: the key of its title and description in the theme's strings
    /// (`data_file_titles`, `data_file_notes`).
    pub key: &'static str,
    /// Data rows (CSV files).
    pub rows: Option<usize>,
    pub bytes: usize,
    /// The size in KB, rounded up.
    pub kilobytes: usize,
}

pub(super) fn json_error(path: &str, e: &serde_json::Error) -> Fatal {
    Fatal::Export {
        path: path.to_string(),
        detail: e.to_string(),
    }
}

/// A package name as Frictionless wants it (`^[-a-z0-9._/]+$`).
fn package_name(slug: &str) -> String {
    let name: String = slug
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("sanwu-{name}")
}

impl SiteRenderer {
    /// The base URL when it is absolute (`https://…/`), for links that must be absolute.
    pub(crate) fn absolute_base(&self) -> Option<&str> {
        let base = self.site.base_url.as_str();
        (base.starts_with("https://") || base.starts_with("http://")).then_some(base)
    }

    /// Writes the compound's open-data files and its `data.html` page; `ctx` is the compound's
    /// page context.
    pub(super) fn render_open_data(
        &self,
        report: &CompoundReport,
        ctx: &mut Context,
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        let slug = &report.slug;
        let mut files: Vec<DataFile> = Vec::new();
        let mut write = |path: String,
                         format: &'static str,
                         key: &'static str,
                         rows: Option<usize>,
                         bytes: &[u8]|
         -> Result<(), Fatal> {
            sink.write(&format!("{slug}/{path}"), bytes)?;
            files.push(DataFile {
                path,
                format,
                key,
                rows,
                bytes: bytes.len(),
                kilobytes: bytes.len().div_ceil(1024),
            });
            Ok(())
        };
        let tables: Vec<Table> = [
            ledgers::fees(report),
            ledgers::revenue(report),
            ledgers::fund(report),
            ledgers::projects(report),
            ledgers::tenders(report),
            ledgers::bids(report),
            ledgers::shares(report),
            ledgers::notices(report),
        ]
        .into_iter()
        .flatten()
        .collect();
        for t in &tables {
            let path = format!("data/{}.csv", t.name);
            write(path, "CSV", t.name, Some(t.rows.len()), &t.to_csv())?;
            let json = match t.name {
                "fees" => Some(("fees_json", ledgers::fees_json(report, t))),
                "revenue" => Some(("revenue_json", ledgers::revenue_json(report, t))),
                "fund" => Some(("fund_json", ledgers::fund_json(report, t))),
                _ => None,
            };
            if let Some((key, json)) = json {
                let path = format!("data/{}.json", t.name);
                let bytes = json.map_err(|e| json_error(&path, &e))?;
                write(path, "JSON", key, None, &bytes)?;
            }
        }
        if !report.projects.is_empty() {
            let path = "data/projects.json".to_string();
            let title = format!("{}维修资金使用项目（含表决）", report.name);
            let bytes =
                ledgers::projects_json(report, &title).map_err(|e| json_error(&path, &e))?;
            let key = if report.unit_open_data {
                "projects_json_units"
            } else {
                "projects_json"
            };
            write(path, "JSON", key, None, &bytes)?;
        }
        if !report.tenders.is_empty() {
            let path = "data/tenders.json".to_string();
            let title = format!("{}招标（含报价）", report.name);
            let bytes = ledgers::tenders_json(report, &title).map_err(|e| json_error(&path, &e))?;
            write(path, "JSON", "tenders_json", None, &bytes)?;
            let path = "data/tenders-ocds.json".to_string();
            let uri = match self.absolute_base() {
                Some(base) => format!("{base}{slug}/{path}"),
                None => format!("{slug}/{path}"),
            };
            let publisher_uri = self.absolute_base().map(str::to_string);
            if let Some(package) = ocds::package(
                report,
                &self.ocid_prefix,
                uri,
                &self.site.title,
                publisher_uri,
            ) {
                ocds::check(&package).map_err(|detail| Fatal::Export {
                    path: format!("{slug}/{path}"),
                    detail,
                })?;
                let bytes = ledgers::to_json(&package).map_err(|e| json_error(&path, &e))?;
                write(path, "OCDS", "tenders_ocds", None, &bytes)?;
            }
        }
        if !tables.is_empty() {
            let path = "datapackage.json".to_string();
            let bytes = ledgers::to_pretty_json(&self.datapackage(report, &tables))
                .map_err(|e| json_error(&path, &e))?;
            write(path, "JSON", "datapackage", None, &bytes)?;
        }
        ctx.insert("data_files", &files);
        ctx.insert("ocid_prefix", &self.ocid_prefix);
        let path = format!("{slug}/data.html");
        let result = self.page(sink, &path, "data.html", ctx, "data");
        ctx.remove("data_files");
        ctx.remove("ocid_prefix");
        result
    }

    /// The Frictionless Data Package describing the CSV files.
    fn datapackage(&self, report: &CompoundReport, tables: &[Table]) -> serde_json::Value {
        use serde_json::json;
        let resources: Vec<serde_json::Value> = tables
            .iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "path": format!("data/{}.csv", t.name),
                    "profile": "tabular-data-resource",
                    "title": t.title,
                    "description": t.description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
                    "schema": t.schema(),
                })
            })
            .collect();
        let mut package = json!({
            "profile": "tabular-data-package",
            "name": package_name(&report.slug),
            "title": format!("{} 阳光三务公开数据", report.name),
            "description": format!(
                "{}{}{}（{}）的物业费、公共收益、专项维修资金、维修项目、招标和公告台账。金额单位为人民币元，精确到分；日期为 ISO 8601。数据由小区业委会提供，按原始台账生成。",
                report.city, report.district, report.name, report.community
            ),
            "keywords": ["阳光三务", "物业费", "公共收益", "专项维修资金", "招标"],
            "sources": [{ "title": format!("{}台账", report.name) }],
            "resources": resources,
        });
        if let (Some(base), Some(map)) = (self.absolute_base(), package.as_object_mut()) {
            map.insert(
                "homepage".into(),
                json!(format!("{base}{}/index.html", report.slug)),
            );
        }
        package
    }
}
