//! Atom feeds and sitemaps. Each compound has `<slug>/feed.xml` (its notices, tender results and
//! ledger periods, newest first) and `<slug>/sitemap.xml` (every page it published except those
//! marked `noindex`, such as per-unit shares); the portal has `feed.xml` (the newest entries of
//! all compounds, from their summaries) and `sitemap.xml`, a sitemap index of `sitemap-portal.xml`
//! and every compound's sitemap. Sitemaps need absolute URLs, so they are written only when
//! `base_url` is absolute; feeds then link absolutely too, and relatively otherwise. The XML is
//! written by the theme's `feed.xml`, `sitemap.xml` and `sitemap-index.xml` templates.

use std::sync::Mutex;

use serde::Serialize;
use tera::Context;

use super::{Sink, SiteRenderer};
use crate::compute::feed::{self, FeedEntry, urn_uuid};
use crate::compute::{CompoundReport, CompoundSummary};
use crate::error::Fatal;

/// How many entries a feed carries.
pub const FEED_LENGTH: usize = 50;

/// The date of a feed without entries (Atom requires one; the clock is never read).
const NO_ENTRIES: &str = "1970-01-01T00:00:00Z";

/// A sink that notes the pages written through it, and which of them ask not to be indexed.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<(String, bool)>>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Recorder<'a> {
        Recorder {
            inner,
            pages: Mutex::new(Vec::new()),
        }
    }

    /// The pages written that may be indexed, sorted.
    pub fn indexable_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self
            .pages
            .lock()
            .map(|p| {
                p.iter()
                    .filter(|(_, noindex)| !noindex)
                    .map(|(path, _)| path.clone())
                    .collect()
            })
            .unwrap_or_default();
        pages.sort();
        pages
    }
}

/// Whether an HTML page carries `<meta name="robots" content="noindex…">`.
fn is_noindex(html: &[u8]) -> bool {
    memchr::memmem::find_iter(html, b"<meta ").any(|at| {
        // Up to the tag's end, or the next `<meta ` of a tag left open.
        let tag = &html[at + 6..];
        let tag = &tag[..memchr::memchr(b'>', tag).unwrap_or(tag.len())];
        let tag = &tag[..memchr::memmem::find(tag, b"<meta ").unwrap_or(tag.len())];
        memchr::memmem::find(tag, b"name=\"robots\"").is_some()
            && memchr::memmem::find(tag, b"noindex").is_some()
    })
}

impl Sink for Recorder<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if path.ends_with(".html")
            && let Ok(mut pages) = self.pages.lock()
        {
            pages.push((path.to_string(), is_noindex(bytes)));
        }
        self.inner.write(path, bytes)
    }

    fn reuse(&self, slug: &str, key: &str) -> bool {
        self.inner.reuse(slug, key)
    }

    fn record_key(&self, slug: &str, key: &str) {
        self.inner.record_key(slug, key)
    }
}

/// The feed as a whole; the template words its title from `compound` (absent in the portal's).
#[derive(Serialize)]
struct FeedHead<'a> {
    id: String,
    compound: Option<&'a str>,
    updated: String,
    self_href: String,
    alternate_href: String,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    #[serde(flatten)]
    entry: &'a FeedEntry,
    /// The compound's name, in the portal's feed.
    compound: Option<&'a str>,
    href: String,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
}

impl SiteRenderer {
    fn render_xml(&self, template: &str, context: &Context) -> Result<String, Fatal> {
        self.tera
            .render(template, context)
            .map_err(|e| super::template_error(&e))
    }

    /// `path` (relative to the site's root) as a link from a file at `depth`.
    fn href(&self, path: &str, depth: usize) -> String {
        match self.absolute_base() {
            Some(base) => format!("{base}{path}"),
            None => format!("{}{path}", super::root_prefix(depth)),
        }
    }

    fn render_feed(
        &self,
        sink: &dyn Sink,
        path: &str,
        head: FeedHead,
        items: Vec<FeedItem>,
        site: &super::SiteContext,
    ) -> Result<(), Fatal> {
        let mut ctx = Context::new();
        ctx.insert("site", site);
        ctx.insert("t", &self.strings);
        ctx.insert("feed", &head);
        ctx.insert("entries", &items);
        let xml = self.render_xml("feed.xml", &ctx)?;
        sink.write(path, xml.as_bytes())
    }

    /// `<slug>/feed.xml` and, with an absolute base URL, `<slug>/sitemap.xml` of the pages
    /// `recorded` so far.
    pub(super) fn render_compound_feeds(
        &self,
        report: &CompoundReport,
        site: &super::SiteContext,
        recorded: &Recorder,
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        let slug = &report.slug;
        let entries = feed::entries(report, FEED_LENGTH);
        let head = FeedHead {
            id: urn_uuid(&format!("sanwu-feed\u{0}{slug}")),
            compound: Some(&report.name),
            updated: entries
                .first()
                .map_or(NO_ENTRIES.to_string(), |e| e.updated.clone()),
            self_href: self.href(&format!("{slug}/feed.xml"), 1),
            alternate_href: self.href(&format!("{slug}/index.html"), 1),
        };
        let items = entries
            .iter()
            .map(|e| FeedItem {
                entry: e,
                compound: None,
                href: self.href(&e.path, 1),
            })
            .collect();
        self.render_feed(sink, &format!("{slug}/feed.xml"), head, items, site)?;
        if let Some(base) = self.absolute_base() {
            self.write_sitemap(base, recorded, sink, &format!("{slug}/sitemap.xml"))?;
        }
        Ok(())
    }

    /// A sitemap of the indexable pages `recorded`, with absolute addresses under `base`.
    fn write_sitemap(
        &self,
        base: &str,
        recorded: &Recorder,
        sink: &dyn Sink,
        path: &str,
    ) -> Result<(), Fatal> {
        let urls: Vec<SitemapUrl> = recorded
            .indexable_pages()
            .into_iter()
            .map(|p| SitemapUrl {
                loc: format!("{base}{p}"),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("urls", &urls);
        let xml = self.render_xml("sitemap.xml", &ctx)?;
        sink.write(path, xml.as_bytes())
    }

    /// The portal's `feed.xml`, and with an absolute base URL its sitemap index and
    /// `sitemap-portal.xml` of the portal's own pages `recorded` so far.
    pub(super) fn render_portal_feeds(
        &self,
        summaries: &[CompoundSummary],
        recorded: &Recorder,
        sink: &dyn Sink,
    ) -> Result<(), Fatal> {
        let mut entries: Vec<(&str, FeedEntry)> = summaries
            .iter()
            .flat_map(|s| s.feed.iter().map(move |e| (s.name.as_str(), e.clone())))
            .collect();
        entries.sort_by(|(_, a), (_, b)| (&b.date, &a.path, &a.id).cmp(&(&a.date, &b.path, &b.id)));
        entries.truncate(FEED_LENGTH);
        let head = FeedHead {
            id: urn_uuid(&format!(
                "sanwu-feed\u{0}portal\u{0}{}\u{0}{}",
                self.site.base_url, self.site.title
            )),
            compound: None,
            updated: entries
                .first()
                .map_or(NO_ENTRIES.to_string(), |(_, e)| e.updated.clone()),
            self_href: self.href("feed.xml", 0),
            alternate_href: self.href("index.html", 0),
        };
        let items = entries
            .iter()
            .map(|(name, e)| FeedItem {
                entry: e,
                compound: Some(name),
                href: self.href(&e.path, 0),
            })
            .collect();
        self.render_feed(sink, "feed.xml", head, items, &self.site)?;
        if let Some(base) = self.absolute_base() {
            self.write_sitemap(base, recorded, sink, "sitemap-portal.xml")?;
            let mut maps = vec![SitemapUrl {
                loc: format!("{base}sitemap-portal.xml"),
            }];
            maps.extend(summaries.iter().map(|s| SitemapUrl {
                loc: format!("{base}{}/sitemap.xml", s.slug),
            }));
            // The protocol allows 50,000 sitemaps an index: a larger portal gets `sitemap.xml`,
            // `sitemap-2.xml`, …, each to be submitted (or listed in the host's robots.txt).
            for (name, chunk) in sitemap_indexes(&maps) {
                let mut ctx = Context::new();
                ctx.insert("sitemaps", chunk);
                let xml = self.render_xml("sitemap-index.xml", &ctx)?;
                sink.write(&name, xml.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// The most sitemaps one sitemap index may list (sitemaps.org).
const SITEMAPS_PER_INDEX: usize = 50_000;

/// The sitemap index files for `maps`: `sitemap.xml` with the first 50,000, then `sitemap-2.xml`…
fn sitemap_indexes<T>(maps: &[T]) -> impl Iterator<Item = (String, &[T])> {
    maps.chunks(SITEMAPS_PER_INDEX)
        .enumerate()
        .map(|(i, chunk)| match i {
            0 => ("sitemap.xml".to_string(), chunk),
            _ => (format!("sitemap-{}.xml", i + 1), chunk),
        })
}

#[cfg(test)]
mod tests {
    use super::{is_noindex, sitemap_indexes};

    #[test]
    fn a_city_of_sitemaps_is_split_into_indexes_of_at_most_fifty_thousand() {
        // The portal's own sitemap and one a compound: 120,000 compounds need three indexes.
        let maps = vec![0u8; 1 + 120_000];
        let split: Vec<(String, usize)> = sitemap_indexes(&maps)
            .map(|(name, chunk)| (name, chunk.len()))
            .collect();
        assert_eq!(
            split,
            [
                ("sitemap.xml".to_string(), 50_000),
                ("sitemap-2.xml".to_string(), 50_000),
                ("sitemap-3.xml".to_string(), 20_001)
            ]
        );
        let small: Vec<String> = sitemap_indexes(&[1, 2]).map(|(n, _)| n).collect();
        assert_eq!(small, ["sitemap.xml"]);
    }

    #[test]
    fn noindex_pages_are_recognised() {
        assert!(is_noindex(
            br#"<head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"></head>"#
        ));
        assert!(!is_noindex(
            br#"<head><meta name="description" content="noindex is a word"></head>"#
        ));
    }
}
