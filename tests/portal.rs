//! The portal's front page at city scale: past `portal_page_size` compounds it lists districts,
//! and each district has pages of compound cards that together list every compound once.

mod common;

use std::collections::BTreeMap;

use common::Portal;
use scraper::Selector;

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The digits of a figure as printed ("1,048 户" → 1048).
fn number(text: &str) -> u64 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}

fn hrefs(page: &scraper::Html, css: &str) -> Vec<String> {
    page.select(&sel(css))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn a_small_portal_lists_every_compound_on_its_front_page() {
    let portal = Portal::copy_of(".");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let front = portal.page("index.html");
    assert_eq!(front.select(&sel(".cards .card")).count(), 4);
    assert_eq!(front.select(&sel("#areas-h")).count(), 0);
    assert!(!portal.path("public/areas").exists());
}

#[test]
fn a_large_portal_lists_districts_whose_pages_hold_every_compound_once() {
    let portal = Portal::demo_with_page_size(1);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let front = portal.page("index.html");
    assert_eq!(
        front.select(&sel(".cards .card")).count(),
        0,
        "the front page lists districts, not compounds"
    );
    let rows: Vec<_> = front
        .select(&sel("section[aria-labelledby=areas-h] tbody tr"))
        .collect();
    let listed: Vec<String> = rows
        .iter()
        .map(|r| {
            r.select(&sel("th a"))
                .next()
                .unwrap()
                .text()
                .collect::<String>()
        })
        .collect();
    assert_eq!(listed, ["三明市将乐县", "大连市沙河口区", "大连市西岗区"]);

    // Follow each district and its pages: every compound appears on exactly one page, and the
    // district's figures on the front page add up from the cards.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut households_total = 0;
    for (row, name) in rows.iter().zip(&listed) {
        let cells: Vec<String> = row.select(&sel("td")).map(|c| c.text().collect()).collect();
        let (compounds, households) = (number(&cells[0]), number(&cells[1]));
        let first = row
            .select(&sel("th a"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        assert!(
            first.starts_with("areas/") && first.ends_with(".html"),
            "{first}"
        );
        let page = portal.page(&first);
        let pages = hrefs(&page, "nav.pager a:not([rel])");
        assert_eq!(
            pages.len() as u64 + 1,
            compounds.max(1),
            "one page per compound at page size 1"
        );
        let mut cards_households = 0;
        let mut paths = vec![first.clone()];
        paths.extend(
            pages
                .iter()
                .map(|h| h.trim_start_matches("../").to_string()),
        );
        for path in &paths {
            let page = portal.page(path);
            let title = page
                .select(&sel("title"))
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            assert!(title.starts_with(name.as_str()), "{path}: {title}");
            for card in page.select(&sel(".cards .card")) {
                let link = card.select(&sel(".card-title a")).next().unwrap();
                let href = link.value().attr("href").unwrap();
                assert!(
                    href.starts_with("../") && href.ends_with("/index.html"),
                    "{href}"
                );
                assert!(
                    portal.path(&format!("public/{}", &href[3..])).is_file(),
                    "{path}: {href} leads nowhere"
                );
                *seen.entry(href.to_string()).or_default() += 1;
                let place = card
                    .select(&sel(".card-place"))
                    .next()
                    .unwrap()
                    .text()
                    .collect::<String>();
                cards_households += number(place.rsplit('·').next().unwrap());
            }
            let back = hrefs(&page, "nav.breadcrumb a");
            assert_eq!(back, ["../index.html#areas-h"]);
        }
        assert_eq!(cards_households, households, "{first}");
        households_total += households;
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    let total = front
        .select(&sel("#totals-h + dl .figure-value"))
        .nth(1)
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(number(&total), households_total);

    // The district of two compounds has two pages that link to each other.
    let two = portal.page("areas/c75176b4-2.html");
    assert_eq!(
        hrefs(&two, "nav.pager a[rel=prev]"),
        ["../areas/c75176b4.html"]
    );
    assert!(
        portal
            .page_text("areas/c75176b4-2.html")
            .contains("第 2 页，共 2 页"),
        "the page says where it is"
    );

    // The district pages are in the portal's sitemap.
    let sitemap = portal.read("public/sitemap-portal.xml");
    assert_eq!(
        sitemap.matches("areas&#x2F;").count() + sitemap.matches("areas/").count(),
        4,
        "{sitemap}"
    );
    // The search page offers each area as a whole, not its compounds (ten thousand options on a
    // city portal); each area's compounds are listed in areas/<key>.js for the search script.
    let search = portal.page("search.html");
    let scopes: Vec<(String, Option<String>)> = search
        .select(&sel("#search-c option"))
        .map(|o| {
            (
                o.value().attr("value").unwrap().to_string(),
                o.value().attr("data-count").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(scopes.len(), 4, "all, and three areas: {scopes:?}");
    assert_eq!(scopes[0], (String::new(), None));
    assert!(
        scopes.contains(&("@c75176b4".to_string(), Some("2".to_string()))),
        "{scopes:?}"
    );
    assert!(scopes[1..].iter().all(|(v, _)| v.starts_with('@')));
    let list = portal.read("public/areas/c75176b4.js");
    let json = list
        .strip_prefix("window.sanwuAreaLoaded(")
        .and_then(|l| l.strip_suffix(");"))
        .unwrap_or_else(|| panic!("{list}"));
    let list: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        list,
        serde_json::json!({
            "key": "c75176b4",
            "compounds": [
                {"slug": "mingxiu", "name": "明秀山庄"},
                {"slug": "yihe", "name": "怡和家园"}
            ]
        })
    );
}

#[test]
fn a_compound_folder_may_not_take_a_name_the_site_uses() {
    let portal = Portal::copy_of(".");
    assert_eq!(portal.build().code, 0);
    let before = common::snapshot_tree(&portal.path("public"));
    common::copy_tree(&portal.path("content/yihe"), &portal.path("content/areas"));
    let run = portal.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[slug-reserved]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/areas/"), "{}", run.stderr);
    assert!(
        run.stderr.contains("网站自己要用这个文件夹名"),
        "{}",
        run.stderr
    );
    assert_eq!(common::snapshot_tree(&portal.path("public")), before);

    let run = portal.run(&["build", "--lang", "en"]);
    assert!(
        run.stderr.contains("the site uses that folder name itself"),
        "{}",
        run.stderr
    );
}
