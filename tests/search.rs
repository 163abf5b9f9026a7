//! The offline search index on the demo portal: every page whose text contains a query word of
//! the Chinese fixture (tests/data/search/) is found, unit-level pages are never indexed, and the
//! no-JS search page points to the lists instead.

mod common;

use std::collections::BTreeSet;

use common::{Portal, repo};
use sanwu::render::search::{Index, normalize, terms};

/// The demo portal with the fixture notice, built.
fn built_demo() -> Portal {
    let portal = Portal::copy_of(".");
    let notice =
        std::fs::read_to_string(repo().join("tests/data/search/fixture-notice.md")).unwrap();
    portal.write("content/mingxiu/notices/2025-03-search-fixture.md", &notice);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    portal
}

pub fn queries() -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/data/search/queries.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// A compound's index, read back from the script the site loads.
fn read_index(portal: &Portal, slug: &str) -> Index {
    let script = portal.read(&format!("public/{slug}/search-index.js"));
    let json = script
        .trim()
        .strip_prefix("window.sanwuSearchLoaded(")
        .and_then(|s| s.strip_suffix(");"))
        .unwrap_or_else(|| panic!("{slug}/search-index.js is not a sanwuSearchLoaded call"));
    serde_json::from_str(json).unwrap()
}

/// Every HTML page under `slug/` with the text of its `<main>` but its breadcrumb `<nav>` (by an
/// HTML parser, independently
/// of the indexer), normalised as the search normalises queries, and whether it is `noindex`.
fn pages(portal: &Portal, slug: &str) -> Vec<(String, String, bool)> {
    let main = scraper::Selector::parse("main").unwrap();
    let robots = scraper::Selector::parse("meta[name=robots]").unwrap();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(portal.path(&format!("public/{slug}"))).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(portal.path("public"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let noindex = doc.select(&robots).any(|m| {
            m.value()
                .attr("content")
                .is_some_and(|c| c.contains("noindex"))
        });
        let mut text = String::new();
        for m in doc.select(&main) {
            for node in m.descendants() {
                let in_nav = node
                    .ancestors()
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "nav"));
                if let Some(t) = node.value().as_text()
                    && !in_nav
                {
                    text.push_str(t);
                }
            }
        }
        out.push((rel, normalize(&text), noindex));
    }
    out
}

#[test]
fn every_page_containing_a_query_word_is_found() {
    let portal = built_demo();
    let slugs = ["mingxiu", "tianyuan", "tielong", "yihe"];
    let mut report = Vec::new();
    for query in queries() {
        let mut expected = BTreeSet::new();
        let mut found = BTreeSet::new();
        for slug in slugs {
            let index = read_index(&portal, slug);
            found.extend(index.search(&query).iter().map(|d| d.url.clone()));
            for (url, text, noindex) in pages(&portal, slug) {
                if !noindex && terms(&query).iter().all(|t| text.contains(t.as_str())) {
                    expected.insert(url);
                }
            }
        }
        assert!(
            !expected.is_empty(),
            "no page contains {query:?}: a useless query"
        );
        let missed: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(missed.is_empty(), "{query:?}: pages not found: {missed:?}");
        assert!(
            extra.is_empty(),
            "{query:?}: pages found without the words: {extra:?}"
        );
        report.push(format!("{query}: {}", expected.len()));
    }
    // The fixture notice is found by the words its markup splits.
    let index = read_index(&portal, "mingxiu");
    let notice = "mingxiu/notices/2025-03-search-fixture.html";
    for query in [
        "维修资金",
        "电梯年检",
        "abc栋",
        "ＡＢＣ",
        "\"会所修缮工程\"",
        "停车位",
    ] {
        assert!(
            index.search(query).iter().any(|d| d.url == notice),
            "{query:?} does not find the fixture notice"
        );
    }
    // A title match comes first.
    assert_eq!(index.search("电梯 停车")[0].url, notice);
    eprintln!("pages per query: {}", report.join(", "));
}

#[test]
fn unit_level_pages_are_not_indexed() {
    let portal = Portal::copy_of(".");
    portal.write(
        "content/mingxiu/projects/roof-b3.csv",
        "房号,建筑面积,分摊金额\n3-1-101,\"1,000.00\",\"6,450.06\"\n3-1-102,\"3,412.36\",\"22,009.94\"\n",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        portal
            .path("public/mingxiu/projects/roof-b3-shares.html")
            .exists()
    );
    let index = read_index(&portal, "mingxiu");
    assert!(index.docs.iter().all(|d| !d.url.contains("-shares")));
    assert!(index.search("3-1-101").is_empty());
}

#[test]
fn search_page_without_javascript_points_to_the_lists() {
    let portal = built_demo();
    let page = portal.read("public/search.html");
    let doc = scraper::Html::parse_document(&page);
    let noscript = scraper::Selector::parse("noscript").unwrap();
    let fallback: String = doc.select(&noscript).map(|n| n.inner_html()).collect();
    assert!(fallback.contains("需要浏览器启用 JavaScript"), "{fallback}");
    for slug in ["mingxiu", "tianyuan", "tielong", "yihe"] {
        assert!(
            fallback.contains(&format!("href=\"{slug}/notices.html\"")),
            "{fallback}"
        );
    }
    assert!(page.contains("<script defer src=\"static/search.js\"></script>"));
    // Every page links to the search, scoped to its compound.
    let notices = portal.read("public/mingxiu/notices.html");
    assert!(
        notices.contains("href=\"../search.html?c=mingxiu\""),
        "no search link"
    );
}

#[test]
fn a_rebuild_that_reuses_unchanged_compounds_keeps_every_index_current() {
    let portal = built_demo();
    let before = portal.read("public/tianyuan/search-index.js");
    assert!(
        read_index(&portal, "mingxiu")
            .search("地下室漏水")
            .is_empty()
    );
    portal.write(
        "content/mingxiu/notices/2026-05-leak.md",
        "+++\ntitle = \"关于地下室漏水抢修的通知\"\ndate = 2026-05-10\nkind = \"通知\"\n+++\n\n地下室漏水已抢修完毕。\n",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = read_index(&portal, "mingxiu");
    let urls: Vec<&str> = found
        .search("地下室漏水")
        .iter()
        .map(|d| d.url.as_str())
        .collect();
    assert!(
        urls.contains(&"mingxiu/notices/2026-05-leak.html"),
        "{urls:?}"
    );
    assert_eq!(portal.read("public/tianyuan/search-index.js"), before);
    // The same as a fresh build of the changed portal, byte for byte.
    let rebuilt = common::snapshot_tree(&portal.path("public"));
    let run = portal.run(&["build", "--output", "fresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fresh = common::snapshot_tree(&portal.path("fresh"));
    let indexes = |tree: &[(String, Vec<u8>)]| -> Vec<(String, Vec<u8>)> {
        tree.iter()
            .filter(|(n, _)| n.ends_with("search-index.js") || n.ends_with("search.html"))
            .cloned()
            .collect()
    };
    assert_eq!(indexes(&rebuilt).len(), 5);
    assert!(
        indexes(&rebuilt) == indexes(&fresh),
        "indexes differ from a fresh build"
    );
}
