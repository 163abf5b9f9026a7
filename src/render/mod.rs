//! Rendering: the compiled theme, the filters that format figures the Chinese way, and the list of
//! pages each compound and the portal produce. Pages link relatively (`root` is `../` repeated), so
//! the site works from any host, any sub-path, and from a folder opened in a browser.

pub mod charts;
pub mod feed;
pub mod i18n;
pub mod markdown;
pub mod opendata;
pub mod print;
pub mod search;
pub mod theme;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::compute::{CompoundReport, CompoundSummary};
use crate::config::Config;
use crate::error::Fatal;
use crate::ledger::amount::{Money, Price, format_bp};

thread_local! {
    /// The page being rendered: one buffer per thread, reused from page to page.
    static RENDER_BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(1 << 17));
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub generator: String,
    /// The git commit the site was built from (short), when the sources are in git.
    pub source_commit: Option<String>,
    /// Whether the sources had uncommitted changes.
    pub source_dirty: bool,
    /// The site language for `<html lang>`: `zh-CN` or `en`.
    pub lang: &'static str,
}

/// Something that accepts rendered files (path relative to the output root, bytes).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal>;

    /// Whether the pages of compound `slug`, rendered from inputs fingerprinted `key`, are already
    /// in place from the previous build (then they are kept as they are and not rendered again).
    fn reuse(&self, _slug: &str, _key: &str) -> bool {
        false
    }

    /// Notes the input fingerprint of a compound just rendered.
    fn record_key(&self, _slug: &str, _key: &str) {}
}

pub struct SiteRenderer {
    tera: Tera,
    site: SiteContext,
    assets: Vec<(String, Vec<u8>)>,
    /// The OCDS ocid prefix of the portal's tenders (`[open_data] ocid_prefix`).
    ocid_prefix: String,
    /// The interface strings of the site language, the template value `t`.
    strings: Value,
    /// The strings Rust composes chart titles, descriptions and labels from (`[charts]`).
    chart_words: i18n::Words,
    /// The strings of the print edition's titles, dates and figures (`[disclosure]`).
    disclosure_words: i18n::Words,
    /// SHA-256 state over everything but the compound that a compound's pages depend on: the
    /// code, the theme and the site's settings.
    fingerprint: ring::digest::Context,
}

/// A compound's report as the template context value, and its fingerprint.
pub struct PreparedCompound {
    value: Value,
    /// SHA-256 (hex) of the code, theme, settings and report: see [`SiteRenderer::prepare`].
    pub key: String,
}

/// Writes a JSON value out for hashing without formatting it as text: a type tag, then the
/// content (lengths before variable-sized parts, so that no two values give the same bytes).
fn value_bytes(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push(b'i');
                out.extend_from_slice(&i.to_le_bytes());
            } else if let Some(u) = n.as_u64() {
                out.push(b'u');
                out.extend_from_slice(&u.to_le_bytes());
            } else {
                out.push(b'd');
                out.extend_from_slice(&n.as_f64().unwrap_or_default().to_bits().to_le_bytes());
            }
        }
        Value::String(text) => {
            out.push(b's');
            out.extend_from_slice(&(text.len() as u64).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        Value::Array(items) => {
            out.push(b'a');
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                value_bytes(out, item);
            }
        }
        Value::Object(map) => {
            out.push(b'o');
            out.extend_from_slice(&(map.len() as u64).to_le_bytes());
            for (name, item) in map {
                out.extend_from_slice(&(name.len() as u64).to_le_bytes());
                out.extend_from_slice(name.as_bytes());
                value_bytes(out, item);
            }
        }
    }
}

fn int_arg(value: &Value, filter: &str) -> tera::Result<i64> {
    value.as_i64().ok_or_else(|| {
        tera::Error::msg(format!("filter `{filter}` expects an integer, got {value}"))
    })
}

/// `{{ fen | yuan }}` → ¥172,600.00
fn filter_yuan(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(
        Money(int_arg(value, "yuan")?).to_yuan_string(),
    ))
}

/// `{{ fen | plain_yuan }}` → 172600.00
fn filter_plain_yuan(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(
        Money(int_arg(value, "plain_yuan")?).to_plain_string(),
    ))
}

/// `{{ basis_points | pct }}` → 95.12%
fn filter_pct(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(format_bp(int_arg(value, "pct")?)))
}

/// `{{ price | price }}` → 1.80
fn filter_price(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(
        Price(int_arg(value, "price")?).to_display_string(),
    ))
}

/// `{{ count | thousands }}` → 1,234
fn filter_thousands(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = int_arg(value, "thousands")?;
    let text = Money(n * 100).to_yuan_string();
    let digits = text.trim_start_matches('-').trim_start_matches('¥');
    let whole = digits.split('.').next().unwrap_or("0");
    Ok(Value::String(if n < 0 {
        format!("-{whole}")
    } else {
        whole.to_string()
    }))
}

/// `{{ part | bar_width(of=whole) }}` → a percentage 0–100 with one decimal, for CSS bar widths.
fn filter_bar_width(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let part = int_arg(value, "bar_width")?;
    let whole = args
        .get("of")
        .and_then(Value::as_i64)
        .ok_or_else(|| tera::Error::msg("filter `bar_width` needs `of=<integer>`"))?;
    let tenths = if whole <= 0 {
        0
    } else {
        (i128::from(part.max(0)) * 1000 / i128::from(whole)).min(1000)
    };
    Ok(Value::String(format!("{}.{}", tenths / 10, tenths % 10)))
}

fn template_error(error: &tera::Error) -> Fatal {
    use std::error::Error as _;
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    if let Some(at) = detail.find("Variable `t.") {
        let key = detail[at + 10..].split('`').next().unwrap_or_default();
        detail.push_str(&format!(
            " (the interface string `{key}` is defined in no strings file: add it to the \
             theme's i18n/{}.toml)",
            i18n::FALLBACK
        ));
    }
    let name = match &error.kind {
        tera::ErrorKind::TemplateNotFound(n) => n.clone(),
        _ => "theme".to_string(),
    };
    Fatal::Template { name, detail }
}

/// `../` repeated `depth` times (empty at the root).
fn root_prefix(depth: usize) -> String {
    "../".repeat(depth)
}

impl SiteRenderer {
    /// Loads and compiles the portal's theme once.
    pub fn new(root: &Path, config: &Config) -> Result<SiteRenderer, Fatal> {
        let theme = theme::Theme::load(root, &config.theme)?;
        let source = crate::write::manifest::source_commit(root);
        let strings = i18n::Strings::resolve(&theme.strings, config.language)?;
        let inlined: Vec<(&str, String)> = theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), strings.inline(s)))
            .collect();
        let mut tera = Tera::default();
        tera.add_raw_templates(inlined.iter().map(|(n, s)| (*n, s.as_str())))
            .map_err(|e| template_error(&e))?;
        tera.register_filter("yuan", filter_yuan);
        tera.register_filter("plain_yuan", filter_plain_yuan);
        tera.register_filter("pct", filter_pct);
        tera.register_filter("price", filter_price);
        tera.register_filter("thousands", filter_thousands);
        tera.register_filter("bar_width", filter_bar_width);
        strings.register(&mut tera);
        let site = SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            generator: format!("sanwu {}", env!("CARGO_PKG_VERSION")),
            source_commit: source.0.map(|c| c.chars().take(10).collect()),
            source_dirty: source.1,
            lang: i18n::html_lang(config.language),
        };
        let mut fingerprint = ring::digest::Context::new(&ring::digest::SHA256);
        let mut feed = |bytes: &[u8]| {
            fingerprint.update(&(bytes.len() as u64).to_le_bytes());
            fingerprint.update(bytes);
        };
        feed(site.generator.as_bytes());
        feed(env!("SANWU_SOURCE_HASH").as_bytes());
        for text in [
            &site.title,
            &site.description,
            &site.base_url,
            &config.ocid_prefix,
        ] {
            feed(text.as_bytes());
        }
        for (name, source) in &theme.templates {
            feed(name.as_bytes());
            feed(source.as_bytes());
        }
        for (path, bytes) in &theme.assets {
            feed(path.as_bytes());
            feed(bytes);
        }
        feed(i18n::code(config.language).as_bytes());
        for layer in &theme.strings {
            for text in [&layer.lang, &layer.origin, &layer.text] {
                feed(text.as_bytes());
            }
        }
        Ok(SiteRenderer {
            tera,
            site,
            assets: theme.assets,
            ocid_prefix: config.ocid_prefix.clone(),
            strings: strings.to_value(),
            chart_words: strings.words("charts"),
            disclosure_words: strings.words("disclosure"),
            fingerprint,
        })
    }

    /// Serialises a compound's report once, for both its fingerprint and its pages' context.
    pub fn prepare(&self, report: &CompoundReport) -> Result<PreparedCompound, Fatal> {
        let value = serde_json::to_value(report).map_err(|e| Fatal::Template {
            name: "compound".to_string(),
            detail: e.to_string(),
        })?;
        let mut digest = self.fingerprint.clone();
        digest.update(report.ledger_commit.as_deref().unwrap_or("").as_bytes());
        digest.update(&[u8::from(report.ledger_dirty)]);
        RENDER_BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            value_bytes(buffer, &value);
            digest.update(buffer);
        });
        let mut key = String::with_capacity(64);
        for byte in digest.finish().as_ref() {
            key.push_str(&format!("{byte:02x}"));
        }
        Ok(PreparedCompound { value, key })
    }

    /// Renders one template to a string (for files assembled from several parts).
    pub(crate) fn render(&self, template: &str, context: &Context) -> Result<String, Fatal> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&e))
    }

    fn page(
        &self,
        sink: &dyn Sink,
        path: &str,
        template: &str,
        context: &mut Context,
        page: &str,
    ) -> Result<(), Fatal> {
        let depth = path.matches('/').count();
        context.insert("root", &root_prefix(depth));
        context.insert("page", page);
        context.insert("path", path);
        RENDER_BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            self.tera
                .render_to(template, context, &mut *buffer)
                .map_err(|e| template_error(&e))?;
            sink.write(path, buffer)
        })
    }

    /// Every page of one compound, under `<slug>/`. The compound is serialised into the template
    /// context once; each page only adds (and afterwards removes) its own record, so no page pays
    /// for a copy of the whole compound.
    pub fn render_compound(&self, report: &CompoundReport, sink: &dyn Sink) -> Result<(), Fatal> {
        let prepared = self.prepare(report)?;
        self.render_prepared(report, prepared, sink)
    }

    /// [`render_compound`](Self::render_compound) with the report already serialised; the
    /// compound's search index is collected from its pages as they are written.
    pub fn render_prepared(
        &self,
        report: &CompoundReport,
        prepared: PreparedCompound,
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        let indexer = search::Indexer::new(sink);
        self.render_compound_pages(report, prepared, &indexer)?;
        indexer.finish(&report.slug, self)
    }

    fn render_compound_pages(
        &self,
        report: &CompoundReport,
        prepared: PreparedCompound,
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        // Notes the pages written, for the compound's sitemap.
        let recorder = feed::Recorder::new(sink);
        let sink: &dyn Sink = &recorder;
        let slug = &report.slug;
        // A compound's pages name the version of its own ledgers, not the portal's newest commit.
        let site = SiteContext {
            source_commit: report.ledger_commit.clone(),
            source_dirty: report.ledger_dirty,
            ..self.site.clone()
        };
        let mut ctx = Context::new();
        ctx.insert("site", &site);
        ctx.insert("t", &self.strings);
        ctx.insert(
            "charts",
            &charts::compound_charts(report, &self.chart_words),
        );
        let mut base = Context::from_value(serde_json::json!({ "compound": prepared.value }))
            .map_err(|e| template_error(&e))?;
        base.extend(ctx);
        let mut ctx = base;
        let page =
            |ctx: &mut Context, path: String, template: &str, section: &str, own: &[&str]| {
                let result = self.page(sink, &path, template, ctx, section);
                for key in own {
                    ctx.remove(key);
                }
                result
            };

        page(
            &mut ctx,
            format!("{slug}/index.html"),
            "compound.html",
            "overview",
            &[],
        )?;
        let sections = [
            (
                "fees",
                "fees.html",
                report.fees.is_some() || !report.fee_standards.is_empty(),
            ),
            ("revenue", "revenue.html", report.revenue.is_some()),
            (
                "fund",
                "fund.html",
                report.fund.is_some() || !report.projects.is_empty(),
            ),
            ("tenders", "tenders.html", !report.tenders.is_empty()),
        ];
        for (section, template, present) in sections {
            if present {
                page(
                    &mut ctx,
                    format!("{slug}/{section}.html"),
                    template,
                    section,
                    &[],
                )?;
            }
        }
        for project in &report.projects {
            ctx.insert("project", project);
            if report.unit_pages_public && !project.shares.is_empty() {
                let path = format!("{slug}/projects/{}-shares.html", project.id);
                page(&mut ctx, path, "shares.html", "fund", &[])?;
            }
            ctx.insert(
                "description_html",
                &markdown::to_safe_html(&project.description),
            );
            let path = format!("{slug}/projects/{}.html", project.id);
            page(
                &mut ctx,
                path,
                "project.html",
                "fund",
                &["project", "description_html"],
            )?;
        }
        for tender in &report.tenders {
            ctx.insert("tender", tender);
            let path = format!("{slug}/tenders/{}.html", tender.id);
            page(&mut ctx, path, "tender.html", "tenders", &["tender"])?;
        }
        let excerpts: HashMap<&str, String> = report
            .notices
            .iter()
            .map(|n| (n.id.as_str(), markdown::excerpt(&n.body_markdown, 90)))
            .collect();
        ctx.insert("excerpts", &excerpts);
        page(
            &mut ctx,
            format!("{slug}/notices.html"),
            "notices.html",
            "notices",
            &["excerpts"],
        )?;
        for notice in &report.notices {
            ctx.insert("notice", notice);
            ctx.insert("body_html", &markdown::to_safe_html(&notice.body_markdown));
            let path = format!("{slug}/notices/{}.html", notice.id);
            page(
                &mut ctx,
                path,
                "notice.html",
                "notices",
                &["notice", "body_html"],
            )?;
        }
        self.render_print(report, sink, &mut ctx)?;
        self.render_open_data(report, &mut ctx, sink)?;
        self.render_compound_feeds(report, &site, &recorder, sink)?;
        Ok(())
    }

    /// The portal's front page and the theme's assets.
    pub fn render_portal(
        &self,
        summaries: &[CompoundSummary],
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        // Notes the pages written, for the portal's sitemap.
        let recorder = feed::Recorder::new(sink);
        let sink: &dyn Sink = &recorder;
        #[derive(Serialize)]
        struct LatestNotice<'a> {
            compound: &'a str,
            slug: &'a str,
            notice: &'a crate::compute::NoticeLink,
        }
        let mut latest: Vec<LatestNotice> = summaries
            .iter()
            .flat_map(|s| {
                s.latest_notices.iter().map(move |n| LatestNotice {
                    compound: &s.name,
                    slug: &s.slug,
                    notice: n,
                })
            })
            .collect();
        latest.sort_by(|a, b| {
            (&b.notice.date, a.slug, &a.notice.id).cmp(&(&a.notice.date, b.slug, &b.notice.id))
        });
        latest.truncate(10);
        let totals = PortalTotals {
            compounds: summaries.len(),
            households: summaries.iter().map(|s| u64::from(s.households)).sum(),
            fund_balance: summaries
                .iter()
                .filter_map(|s| s.headline.fund_balance.as_ref())
                .map(|b| b.amount)
                .sum(),
            tender_savings: summaries.iter().map(|s| s.headline.tender_savings).sum(),
        };
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("t", &self.strings);
        let cards: Vec<_> = summaries.iter().map(CompoundSummary::card).collect();
        ctx.insert("compounds", &cards);
        ctx.insert("latest_notices", &latest);
        ctx.insert("totals", &totals);
        self.page(sink, "index.html", "portal.html", &mut ctx, "portal")?;
        self.page(sink, "search.html", "search.html", &mut ctx, "search")?;
        self.render_portal_feeds(summaries, &recorder, sink)?;
        for (path, bytes) in &self.assets {
            sink.write(path, bytes)?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct PortalTotals {
    compounds: usize,
    households: u64,
    fund_balance: Money,
    tender_savings: Money,
}
