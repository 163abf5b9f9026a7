//! Rendering: the compiled theme, the filters that format figures the Chinese way, and the list of
//! pages each compound and the portal produce. Pages link relatively (`root` is `../` repeated), so
//! the site works from any host, any sub-path, and from a folder opened in a browser.

pub mod charts;
pub mod directory;
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
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

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
    /// How many compounds the front page and each district page list (`portal_page_size`).
    portal_page_size: usize,
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

/// Feeds what is written to it into a SHA-256 state.
struct DigestWriter<'a>(&'a mut ring::digest::Context);

impl std::io::Write for DigestWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `{{ fen | yuan }}` → ¥172,600.00
fn filter_yuan(fen: i64, _: Kwargs, _: &State) -> String {
    Money(fen).to_yuan_string()
}

/// `{{ fen | plain_yuan }}` → 172600.00
fn filter_plain_yuan(fen: i64, _: Kwargs, _: &State) -> String {
    Money(fen).to_plain_string()
}

/// `{{ basis_points | pct }}` → 95.12%
fn filter_pct(bp: i64, _: Kwargs, _: &State) -> String {
    format_bp(bp)
}

/// `{{ price | price }}` → 1.80
fn filter_price(price: i64, _: Kwargs, _: &State) -> String {
    Price(price).to_display_string()
}

/// `{{ count | thousands }}` → 1,234
fn filter_thousands(n: i64, _: Kwargs, _: &State) -> String {
    let text = Money(n * 100).to_yuan_string();
    let digits = text.trim_start_matches('-').trim_start_matches('¥');
    let whole = digits.split('.').next().unwrap_or("0");
    if n < 0 {
        format!("-{whole}")
    } else {
        whole.to_string()
    }
}

/// `{{ part | bar_width(of=whole) }}` → a percentage 0–100 with one decimal, for CSS bar widths.
fn filter_bar_width(part: i64, args: Kwargs, _: &State) -> TeraResult<String> {
    let whole = args.must_get::<i64>("of")?;
    let tenths = if whole <= 0 {
        0
    } else {
        (i128::from(part.max(0)) * 1000 / i128::from(whole)).min(1000)
    };
    Ok(format!("{}.{}", tenths / 10, tenths % 10))
}

/// A tera error as sanwu's error: the template's name, and tera's report, which quotes the line
/// and marks the column (`--> fees.html:12:5`).
fn template_error(error: &tera::Error) -> Fatal {
    use std::error::Error as _;
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    let name = match error.kind() {
        tera::ErrorKind::TemplateNotFound(n) => n.clone(),
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report)
            if !report.filename().is_empty() =>
        {
            report.filename().to_string()
        }
        _ => "theme".to_string(),
    };
    if let Some(key) = undefined_string(&detail) {
        detail.push_str(&format!(
            " (the interface string `{key}` is defined in no strings file: add it to the \
             theme's i18n/{}.toml)",
            i18n::FALLBACK
        ));
    }
    Fatal::Template { name, detail }
}

/// The `t.section.key` an error about an undefined field is about, if any.
fn undefined_string(detail: &str) -> Option<String> {
    if !detail.contains("not defined") && !detail.contains("got `undefined`") {
        return None;
    }
    let at = detail.find(" t.")? + 1;
    let key: String = detail[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    (key.matches('.').count() == 2).then_some(key)
}

/// The error of a report that could not be serialised (for its key or its pages' context).
fn serialising_failed(detail: String) -> Fatal {
    Fatal::Template {
        name: "compound".to_string(),
        detail,
    }
}

/// Item `index` of the list at `path` (dotted) of an already converted record: a shared copy, so
/// a page about one project, tender or notice does not convert it again; none if there is none.
fn item(record: &Value, path: &str, index: Option<usize>) -> Value {
    index
        .and_then(|i| record.get_from_path(path)?.as_array()?.get(i))
        .cloned()
        .unwrap_or_else(Value::none)
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
        let mut tera = Tera::new();
        tera.register_filter("yuan", filter_yuan);
        tera.register_filter("plain_yuan", filter_plain_yuan);
        tera.register_filter("pct", filter_pct);
        tera.register_filter("price", filter_price);
        tera.register_filter("thousands", filter_thousands);
        tera.register_filter("bar_width", filter_bar_width);
        strings.register(&mut tera);
        tera.add_raw_templates(inlined.iter().map(|(n, s)| (*n, s.as_str())))
            .map_err(|e| template_error(&e))?;
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
        let mut feed = |bytes: &[u8]| crate::write::files::feed(&mut fingerprint, bytes);
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
            portal_page_size: config.portal_page_size,
            strings: strings.to_value(),
            chart_words: strings.words("charts"),
            disclosure_words: strings.words("disclosure"),
            fingerprint,
        })
    }

    /// The fingerprint of a compound's pages: SHA-256 (hex) of the code, theme and settings and of
    /// its report, streamed as JSON (the report holds no hash maps, so the bytes follow the fields'
    /// order). It is taken before the pages' context is built, which an unchanged compound of a
    /// rebuild never needs.
    pub fn compound_key(&self, report: &CompoundReport) -> Result<String, Fatal> {
        let mut digest = self.fingerprint.clone();
        digest.update(report.ledger_commit.as_deref().unwrap_or("").as_bytes());
        digest.update(&[u8::from(report.ledger_dirty)]);
        // Buffered: serde_json writes one token at a time, and each SHA-256 update has a cost.
        let mut json = std::io::BufWriter::with_capacity(32 * 1024, DigestWriter(&mut digest));
        serde_json::to_writer(&mut json, report).map_err(|e| serialising_failed(e.to_string()))?;
        std::io::Write::flush(&mut json).map_err(|e| serialising_failed(e.to_string()))?;
        drop(json);
        Ok(crate::write::files::to_hex(&crate::write::files::finish(
            digest,
        )))
    }

    /// The fingerprint of the code, theme and site settings alone (what every compound key
    /// starts from).
    pub fn settings_fingerprint(&self) -> crate::write::files::Digest {
        crate::write::files::finish(self.fingerprint.clone())
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
    /// for a copy of the whole compound. The compound's search index is collected from its pages
    /// as they are written.
    pub fn render_compound(&self, report: &CompoundReport, sink: &dyn Sink) -> Result<(), Fatal> {
        let indexer = search::Indexer::new(sink);
        self.render_compound_pages(report, &indexer)?;
        indexer.finish(&report.slug, &report.name, self)
    }

    fn render_compound_pages(&self, report: &CompoundReport, sink: &dyn Sink) -> Result<(), Fatal> {
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
        ctx.insert_value("t", self.strings.clone());
        ctx.insert(
            "charts",
            &charts::compound_charts(report, &self.chart_words),
        );
        let compound =
            Value::try_from_serializable(report).map_err(|e| serialising_failed(e.to_string()))?;
        ctx.insert_value("compound", compound.clone());
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
        for (index, project) in report.projects.iter().enumerate() {
            ctx.insert_value("project", item(&compound, "projects", Some(index)));
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
        for (index, tender) in report.tenders.iter().enumerate() {
            ctx.insert_value("tender", item(&compound, "tenders", Some(index)));
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
        for (index, notice) in report.notices.iter().enumerate() {
            ctx.insert_value("notice", item(&compound, "notices", Some(index)));
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
        let page_size = self.portal_page_size;
        let areas = if directory::needed(summaries.len(), page_size) {
            directory::areas(summaries)
        } else {
            Vec::new()
        };
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert_value("t", self.strings.clone());
        ctx.insert("latest_notices", &latest);
        ctx.insert("totals", &directory::Totals::of(summaries));
        ctx.insert("areas", &directory::links(&areas));
        ctx.insert("area", &None::<directory::AreaHead>);
        ctx.insert("pager", &None::<directory::Pager>);
        // Cards: what the lists show of a compound (not its feed entries and notice links).
        let cards: Vec<_> = if areas.is_empty() {
            summaries.iter().map(CompoundSummary::card).collect()
        } else {
            Vec::new()
        };
        ctx.insert("compounds", &cards);
        self.page(sink, "index.html", "portal.html", &mut ctx, "portal")?;
        // The search page offers every compound, or, on a portal with areas, every area, whose
        // compounds the page's script loads from the area's list.
        let names: Vec<directory::CompoundName> = if areas.is_empty() {
            summaries.iter().map(directory::CompoundName::of).collect()
        } else {
            Vec::new()
        };
        ctx.insert("compounds", &names);
        ctx.insert("search_areas", &directory::search_areas(&areas));
        self.page(sink, "search.html", "search.html", &mut ctx, "search")?;
        for area in &areas {
            let path = area.list_path();
            let list = serde_json::to_string(&directory::CompoundList::of(area))
                .map_err(|e| opendata::json_error(&path, &e))?;
            let mut list_ctx = Context::new();
            list_ctx.insert("list_json", &list);
            let script = self.render("area-compounds.js.html", &list_ctx)?;
            sink.write(&path, script.as_bytes())?;
        }
        // The district pages: the front page's context without the latest notices and the
        // directory, with the district's own totals and one page of its compounds.
        ctx.insert("latest_notices", &[] as &[LatestNotice]);
        ctx.insert("areas", &[] as &[directory::AreaLink]);
        for area in &areas {
            let pages = area.pages(page_size);
            ctx.insert("totals", &area.totals);
            ctx.insert(
                "area",
                &directory::AreaHead {
                    city: area.city,
                    district: area.district,
                },
            );
            for (index, chunk) in area.compounds.chunks(page_size).enumerate() {
                let page = index + 1;
                let cards: Vec<_> = chunk.iter().map(|s| s.card()).collect();
                ctx.insert("compounds", &cards);
                ctx.insert("pager", &directory::Pager::new(area, page, pages));
                self.page(
                    sink,
                    &area.page_path(page),
                    "portal.html",
                    &mut ctx,
                    "portal",
                )?;
            }
        }
        self.render_portal_feeds(summaries, &recorder, sink)?;
        for (path, bytes) in &self.assets {
            sink.write(path, bytes)?;
        }
        Ok(())
    }
}
