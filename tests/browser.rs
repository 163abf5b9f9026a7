//! Checks in a real browser and with the real validators, on the demo portal built into a
//! temporary folder and opened from `file://` (as from a USB stick): Debian's Chromium driven by
//! playwright-core (the scripts in tests/browser/ print what they measure as JSON; the assertions
//! are here), axe-core injected into every page, and the Nu Html Checker on every page. The tools
//! are installed by `.ci/setup-tools`; a missing one fails these tests with a message naming it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Portal, repo};
use sanwu::ledger::amount::{Area, Money};
use sanwu::ledger::shares::{Rounding, apportion};
use sanwu::render::search::Index;
use serde_json::Value;

struct Tools {
    dir: PathBuf,
    chromium: PathBuf,
}

/// The tools these tests drive, or a failure naming what is missing and how to install it.
fn tools() -> Tools {
    let dir = repo().join(".ci/tools");
    let chromium = PathBuf::from(
        std::env::var("SANWU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string()),
    );
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium ({})", chromium.display()));
    }
    let runs = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !runs("node", "--version") {
        missing.push("node".to_string());
    }
    if !runs("java", "-version") {
        missing.push("java".to_string());
    }
    for (what, path) in [
        (
            "playwright-core",
            "node_modules/playwright-core/package.json",
        ),
        ("axe-core", "node_modules/axe-core/axe.min.js"),
        ("vnu-jar", "node_modules/vnu-jar/build/dist/vnu.jar"),
    ] {
        if !dir.join(path).is_file() {
            missing.push(format!("{what} (.ci/tools/{path})"));
        }
    }
    assert!(
        missing.is_empty(),
        "the browser tests need {}: run .ci/setup-tools (or .ci/test), which installs them",
        missing.join(", ")
    );
    Tools { dir, chromium }
}

/// Runs tests/browser/<script> and returns the JSON it prints.
fn node(tools: &Tools, script: &str, args: &[&str]) -> Value {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .env("SANWU_TOOLS", &tools.dir)
        .env("SANWU_CHROMIUM", &tools.chromium)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Floor areas (0.01 ㎡) of the units of 明秀山庄's 3号楼 (4,412.36 ㎡ in all, as the vote's
/// scope), chosen so that the largest-remainder rule gives the three units of 540.00 ㎡ different
/// shares (a tie split by file order), the others one share per area, and rounding half up
/// gives 540.00 ㎡ another share than the largest remainder.
const ROOF_AREAS: [i64; 8] = [
    54_000, 54_000, 54_000, 54_022, 54_022, 54_022, 58_585, 58_585,
];
/// What the roof project apportions: its settled cost 28,460.00.
const ROOF_TOTAL: Money = Money(2_846_000);

fn roof_shares(rounding: Rounding) -> Vec<Money> {
    let areas: Vec<Area> = ROOF_AREAS.iter().map(|&a| Area(a)).collect();
    apportion(ROOF_TOTAL, &areas, rounding)
}

/// The demo portal with the search fixture notice and a table of shares for the roof project,
/// built into `public/`.
fn demo() -> Portal {
    demo_with(Rounding::LargestRemainder)
}

fn demo_with(rounding: Rounding) -> Portal {
    let portal = Portal::copy_of(".");
    let notice =
        std::fs::read_to_string(repo().join("tests/data/search/fixture-notice.md")).unwrap();
    portal.write("content/mingxiu/notices/2025-03-search-fixture.md", &notice);
    let mut csv = String::from("房号,建筑面积,分摊金额\n");
    for (i, (area, share)) in ROOF_AREAS.iter().zip(roof_shares(rounding)).enumerate() {
        csv.push_str(&format!(
            "3-{}-{}0{},{}.{:02},{}\n",
            i / 4 + 1,
            i % 4 / 2 + 1,
            i % 2 + 1,
            area / 100,
            area % 100,
            share.to_plain_string()
        ));
    }
    portal.write("content/mingxiu/projects/roof-b3.csv", &csv);
    if rounding == Rounding::HalfUpLastRow {
        portal.edit(
            "content/mingxiu/projects/roof-b3.toml",
            "status =",
            "rounding = \"四舍五入尾差计入末户\"\nstatus =",
        );
    }
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    portal
}

fn site(portal: &Portal) -> String {
    portal.path("public").to_string_lossy().into_owned()
}

#[test]
fn tender_page_on_a_phone_shows_both_prices_without_horizontal_scroll() {
    let tools = tools();
    let portal = demo();
    for width in ["360", "390"] {
        let r = node(
            &tools,
            "phone.js",
            &[
                &site(&portal),
                "mingxiu/tenders/clubhouse-2024.html",
                width,
                "¥172,600.00",
                "¥63,800.00",
            ],
        );
        let scroll = r["scrollWidth"].as_u64().unwrap();
        assert!(
            scroll <= width.parse().unwrap(),
            "{width} px: the page is {scroll} px wide"
        );
        for price in ["¥172,600.00", "¥63,800.00"] {
            assert_eq!(
                r["visible"][price], true,
                "{width} px: {price} is not visible"
            );
        }
    }
}

#[test]
fn search_finds_notices_by_chinese_words_from_file_urls() {
    let tools = tools();
    let portal = demo();
    let queries = {
        let text = std::fs::read_to_string(repo().join("tests/data/search/queries.txt")).unwrap();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let r = node(
        &tools,
        "search.js",
        &[
            &site(&portal),
            "电梯",
            &serde_json::to_string(&queries).unwrap(),
        ],
    );
    assert_eq!(r["errors"], serde_json::json!([]), "script errors");
    // Typed into the box: the notices about the lift are among the results, marked.
    let typed = &r["typed"];
    assert!(
        typed["url"].as_str().unwrap().contains("search.html?q="),
        "{typed}"
    );
    let hits = typed["hits"].as_array().unwrap();
    let notice = hits
        .iter()
        .find(|h| h["href"] == "tielong/notices/2025-04-elevator-tender-result.html")
        .unwrap_or_else(|| panic!("the lift tender's result notice is not found: {typed}"));
    assert!(notice["title"].as_str().unwrap().contains("电梯"));
    assert_eq!(notice["marked"][0], "电梯");
    assert!(
        hits.iter()
            .any(|h| h["href"] == "mingxiu/notices/2025-03-search-fixture.html")
    );
    assert!(
        typed["status"]
            .as_str()
            .unwrap()
            .contains(&format!("找到 {} 个页面", hits.len())),
        "{typed}"
    );
    // The browser finds exactly what the index's Rust search finds (which tests/search.rs holds
    // to every page containing the words), in the same order: compounds as listed, best first.
    let page = portal.read("public/search.html");
    let slugs: Vec<String> = page
        .split("<option value=\"")
        .skip(2)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(slugs.len(), 4, "{slugs:?}");
    for q in &queries {
        let mut want = Vec::new();
        for slug in &slugs {
            let script = portal.read(&format!("public/{slug}/search-index.js"));
            let json = script
                .trim()
                .trim_start_matches("window.sanwuSearchLoaded(")
                .trim_end_matches(");");
            let index: Index = serde_json::from_str(json).unwrap();
            want.extend(index.search(q).iter().map(|d| Value::from(d.url.clone())));
        }
        assert!(!want.is_empty(), "{q}");
        assert_eq!(r["each"][q], Value::from(want), "{q}");
    }
}

/// The text the calculator shows for a share, or for the two shares the rule may give.
fn share_text(low: Money, high: Money) -> String {
    if low == high {
        format!("您家的份额：{}", low.to_yuan_string())
    } else {
        format!(
            "您家的份额：{} 或 {}（尾数按最大余额法分配，取决于各户余数的排位）",
            low.to_yuan_string(),
            high.to_yuan_string()
        )
    }
}

#[test]
fn share_calculator_gives_each_unit_its_share_to_the_fen() {
    let tools = tools();
    let portal = demo();
    // With the project's table of shares: each area gives the share the ledger's rule gave the
    // units of that area (both figures where the rule split equal areas by their order).
    let shares = roof_shares(Rounding::LargestRemainder);
    let mut areas: Vec<String> = Vec::new();
    let mut want: Vec<String> = Vec::new();
    for (area, _) in ROOF_AREAS.iter().zip(&shares) {
        let text = format!("{}.{:02}", area / 100, area % 100);
        if areas.contains(&text) {
            continue;
        }
        let of_area: Vec<Money> = ROOF_AREAS
            .iter()
            .zip(&shares)
            .filter(|(a, _)| *a == area)
            .map(|(_, s)| *s)
            .collect();
        let low = *of_area.iter().min().unwrap();
        let high = *of_area.iter().max().unwrap();
        areas.push(text);
        want.push(share_text(low, high));
    }
    assert_eq!(
        want.iter().filter(|w| w.contains('或')).count(),
        1,
        "the fixture has one tie split by order, and exact shares: {want:?}"
    );
    let r = node(
        &tools,
        "calc.js",
        &[
            &site(&portal),
            "mingxiu/projects/roof-b3.html",
            &serde_json::to_string(&areas).unwrap(),
        ],
    );
    assert_eq!(r["errors"], serde_json::json!([]));
    assert_eq!(r["formVisible"], true);
    for (area, want) in areas.iter().zip(&want) {
        assert_eq!(
            r["results"][area]["results"][0],
            Value::from(want.clone()),
            "{area} ㎡"
        );
    }

    // Without a table (明秀山庄's clubhouse: 63,800.00 over the vote's 58,230.45 ㎡), the rule
    // leaves one fen open; full-width input is understood; bad input is explained.
    let base = 6_380_000i64 * 8_965 / 5_823_045;
    let r = node(
        &tools,
        "calc.js",
        &[
            &site(&portal),
            "mingxiu/projects/clubhouse-repair.html",
            r#"["89.65", "８９．６５㎡", "89.655", "abc"]"#,
        ],
    );
    let expected = share_text(Money(base), Money(base + 1));
    assert_eq!(
        expected,
        "您家的份额：¥98.22 或 ¥98.23（尾数按最大余额法分配，取决于各户余数的排位）"
    );
    assert_eq!(
        r["results"]["89.65"]["results"][0],
        Value::from(expected.clone())
    );
    assert_eq!(
        r["results"]["８９．６５㎡"]["results"][0],
        Value::from(expected)
    );
    assert!(
        r["results"]["89.655"]["error"]
            .as_str()
            .unwrap()
            .contains("两位小数")
    );
    assert!(
        r["results"]["abc"]["error"]
            .as_str()
            .unwrap()
            .contains("数字")
    );

    // 四舍五入尾差计入末户: every unit but the last gets its share rounded half up.
    let portal = demo_with(Rounding::HalfUpLastRow);
    let shares = roof_shares(Rounding::HalfUpLastRow);
    let areas: Vec<String> = ROOF_AREAS[..ROOF_AREAS.len() - 1]
        .iter()
        .map(|a| format!("{}.{:02}", a / 100, a % 100))
        .collect();
    let r = node(
        &tools,
        "calc.js",
        &[
            &site(&portal),
            "mingxiu/projects/roof-b3.html",
            &serde_json::to_string(&areas).unwrap(),
        ],
    );
    assert_ne!(shares[0], roof_shares(Rounding::LargestRemainder)[0]);
    for (area, share) in areas.iter().zip(&shares) {
        assert_eq!(
            r["results"][area]["results"][0],
            Value::from(share_text(*share, *share)),
            "{area} ㎡"
        );
    }
}

#[test]
fn without_javascript_search_points_to_the_lists_and_the_rate_is_shown() {
    let tools = tools();
    let portal = demo();
    let r = node(
        &tools,
        "nojs.js",
        &[
            &site(&portal),
            "search.html",
            "mingxiu/projects/clubhouse-repair.html",
        ],
    );
    let search = &r["search"];
    assert!(
        search["text"]
            .as_str()
            .unwrap()
            .contains("搜索需要浏览器启用 JavaScript"),
        "{search}"
    );
    let links = search["links"].as_array().unwrap();
    for slug in ["mingxiu", "tianyuan", "tielong", "yihe"] {
        assert!(
            links.contains(&Value::from(format!("{slug}/notices.html"))),
            "{search}"
        );
    }
    let project = &r["project"];
    assert_eq!(project["formVisible"], false, "{project}");
    assert!(
        project["text"]
            .as_str()
            .unwrap()
            .contains("每平方米 1.0956 元"),
        "{project}"
    );
}

#[test]
fn searching_all_compounds_of_a_larger_portal_goes_on_step_by_step() {
    let tools = tools();
    // 25 compounds: copies of the starter portal's one.
    let portal = Portal::copy_of("examples/starter");
    let original = portal.path("content/xingfuli");
    for i in 1..25 {
        common::copy_tree(&original, &portal.path(&format!("content/xingfuli{i:02}")));
    }
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    check_paging(&tools, &portal);
    // The same compounds on a portal with areas (more than portal_page_size compounds): the
    // search page lists the area, and the script loads its compounds from the area's list.
    let config = portal.read("config.toml");
    portal.write("config.toml", &format!("portal_page_size = 5\n{config}"));
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !portal
            .read("public/search.html")
            .contains("value=\"xingfuli01\""),
        "the area's compounds are not listed in the page"
    );
    check_paging(&tools, &portal);
}

/// Searching all 25 compounds of `portal` for 利息 stops after 20 compounds, and the button goes
/// on with the other five.
fn check_paging(tools: &Tools, portal: &Portal) {
    let r = node(tools, "paging.js", &[&site(portal), "利息"]);
    let (first, second) = (&r["first"], &r["second"]);
    assert_eq!(first["state"], "paused", "{r}");
    assert_eq!(first["more"], true, "{r}");
    assert!(
        first["status"]
            .as_str()
            .unwrap()
            .contains("已搜索 20 / 25 个小区，可点“继续搜索其余小区”"),
        "{r}"
    );
    // 利息 is on one page of each compound (the fund's).
    assert_eq!(first["hits"], 20, "{r}");
    assert_eq!(second["more"], false, "{r}");
    assert!(
        second["status"]
            .as_str()
            .unwrap()
            .contains("已搜索 25 / 25 个小区"),
        "{r}"
    );
    assert_eq!(second["hits"], 25, "{r}");
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_page_is_valid_html_accessible_and_fits_a_phone() {
    let tools = tools();
    let portal = demo();
    let public = portal.path("public");
    let pages = html_files(&public);
    assert!(pages.len() > 50, "{} pages", pages.len());
    assert!(pages.iter().any(|p| p.ends_with("roof-b3-shares.html")));
    let audited = validate_and_audit(&tools, &portal, &pages, None);
    assert_eq!(
        audited.len(),
        pages.len() + 1,
        "every page and a search with results"
    );
    assert!(audited.keys().any(|k| k.starts_with("search.html?q=")));
}

/// The front page of a portal with more compounds than a page lists, and its district pages.
#[test]
fn district_pages_are_valid_html_accessible_and_fit_a_phone() {
    let tools = tools();
    let portal = Portal::demo_with_page_size(1);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = portal.path("public");
    let pages: Vec<PathBuf> = html_files(&public)
        .into_iter()
        .filter(|p| {
            p.starts_with(public.join("areas"))
                || *p == public.join("index.html")
                || *p == public.join("search.html")
        })
        .collect();
    assert_eq!(pages.len(), 6, "{pages:?}");
    let audited = validate_and_audit(
        &tools,
        &portal,
        &pages,
        Some("index.html,areas/,search.html"),
    );
    assert_eq!(audited.len(), 6, "{:?}", audited.keys());
}

/// On a portal with areas, the search page offers each area as a scope and searches only its
/// compounds (loaded from the area's list), and a compound's own link searches that compound.
#[test]
fn searching_one_area_searches_only_its_compounds() {
    let tools = tools();
    let portal = Portal::demo_with_page_size(1);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = portal.read("public/search.html");
    // 大连市沙河口区: 明秀山庄 and 怡和家园.
    let key = "c75176b4";
    assert!(
        page.contains(&format!(
            "<option value=\"@{key}\" data-count=\"2\">大连市沙河口区全部小区</option>"
        )),
        "{page}"
    );
    let everywhere = node(&tools, "scope.js", &[&site(&portal), "停车", ""]);
    let all = compounds_hit(&everywhere);
    assert!(all.len() > 2, "the word is in other compounds too: {all:?}");

    let r = node(
        &tools,
        "scope.js",
        &[&site(&portal), "停车", &format!("@{key}")],
    );
    assert_eq!(r["errors"], serde_json::json!([]));
    assert_eq!(
        r["scope"],
        format!("@{key}"),
        "the form shows the area chosen"
    );
    assert_eq!(
        compounds_hit(&r),
        BTreeSet::from(["mingxiu".to_string(), "yihe".to_string()]),
        "{r}"
    );

    // From a compound's pages (search.html?c=<slug>): the page lists areas only, so the script
    // offers the compound, named from its index, and searches it alone.
    let r = node(&tools, "scope.js", &[&site(&portal), "停车", "mingxiu"]);
    assert_eq!(r["errors"], serde_json::json!([]));
    assert_eq!(r["scope"], "mingxiu");
    assert_eq!(r["scopeName"], "明秀山庄");
    assert_eq!(
        compounds_hit(&r),
        BTreeSet::from(["mingxiu".to_string()]),
        "{r}"
    );
    assert!(
        r["status"].as_str().unwrap().contains("停车"),
        "{}",
        r["status"]
    );
}

/// The compounds (first path segment) of the results scope.js reported.
fn compounds_hit(r: &Value) -> BTreeSet<String> {
    r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().split('/').next().unwrap().to_string())
        .collect()
}

/// Checks `pages` with the Nu Html Checker (no errors) and, in Chromium, with axe-core (no
/// serious or critical violation) and at 360 and 390 px (no horizontal scroll). `only` limits
/// the browser audit to pages under these comma-separated prefixes. Returns the audit report.
fn validate_and_audit(
    tools: &Tools,
    portal: &Portal,
    pages: &[PathBuf],
    only: Option<&str>,
) -> serde_json::Map<String, Value> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(tools.dir.join("node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--format", "json"])
        .args(pages)
        .output()
        .expect("java runs");
    let report: Value = serde_json::from_slice(&out.stderr)
        .or_else(|_| serde_json::from_slice(&out.stdout))
        .unwrap_or_else(|e| {
            panic!(
                "vnu printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"].as_str().unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(errors.is_empty(), "vnu: {}", errors.join("\n"));

    let mut command = Command::new("node");
    command
        .arg(repo().join("tests/browser/audit.js"))
        .args([site(portal).as_str(), "360", "390"])
        .env("SANWU_TOOLS", &tools.dir)
        .env("SANWU_CHROMIUM", &tools.chromium);
    if let Some(only) = only {
        command.env("SANWU_AUDIT_ONLY", only);
    }
    let out = command.output().expect("node runs");
    assert!(
        out.status.success(),
        "audit.js failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).expect("audit.js prints JSON");
    let audited = r.as_object().unwrap().clone();
    let mut problems = Vec::new();
    for (page, entry) in &audited {
        for v in entry["violations"].as_array().unwrap() {
            problems.push(format!(
                "{page}: axe {} ({}): {}",
                v["id"], v["impact"], v["nodes"]
            ));
        }
        for (width, scroll) in entry["widths"].as_object().unwrap() {
            if scroll.as_u64().unwrap() > width.parse::<u64>().unwrap() {
                problems.push(format!("{page}: {scroll} px wide at {width} px"));
            }
        }
        for e in entry["errors"].as_array().unwrap() {
            problems.push(format!("{page}: script error {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    audited
}

/// README's screenshots, made from the demo in Chromium with the system's CJK fonts:
/// docs/screenshots/phone-390.png (the clubhouse tender at 390 px) and desktop-1280.png.
#[test]
fn screenshots_for_the_readme() {
    let tools = tools();
    let portal = demo();
    let dir = repo().join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let phone = dir.join("phone-390.png");
    let desktop = dir.join("desktop-1280.png");
    node(
        &tools,
        "screenshots.js",
        &[
            &site(&portal),
            "mingxiu/tenders/clubhouse-2024.html",
            &phone.to_string_lossy(),
            "mingxiu/index.html",
            &desktop.to_string_lossy(),
        ],
    );
    for (png, width) in [(phone, 390u32), (desktop, 1280)] {
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{}", png.display());
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(w, width, "{}", png.display());
        assert!(bytes.len() > 20_000, "{} looks empty", png.display());
    }
}
