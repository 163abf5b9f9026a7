//! Interface strings: zh by default, English per portal, the strings in the theme's i18n files and
//! nowhere else, portal overrides, and rebuilds that follow a changed translation.

mod common;

use std::collections::BTreeSet;

use common::{Portal, repo};

/// Han ideographs, and the CJK and full-width punctuation that goes with them.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{20000}'..='\u{3134f}')
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

/// Maximal runs of Han characters in `text`.
fn han_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_han(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

fn theme_file(rel: &str) -> String {
    std::fs::read_to_string(repo().join("themes/default").join(rel)).unwrap()
}

fn strings(lang: &str) -> toml::Table {
    toml::from_str(&theme_file(&format!("i18n/{lang}.toml")))
        .unwrap_or_else(|e| panic!("i18n/{lang}.toml: {e}"))
}

/// `section.key` → value of every string outside the `terms` vocabulary table.
fn flatten(table: &toml::Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (section, value) in table {
        if section == "terms" {
            continue;
        }
        let inner = value
            .as_table()
            .unwrap_or_else(|| panic!("`{section}` is not a table"));
        for (key, v) in inner {
            let text = v
                .as_str()
                .unwrap_or_else(|| panic!("`{section}.{key}` is not a string"));
            out.push((format!("{section}.{key}"), text.to_string()));
        }
    }
    out
}

fn templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("themes/default/templates")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("html") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// The template without its `{# … #}` comments.
fn without_comments(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn templates_hold_no_chinese_outside_comments() {
    let mut found = Vec::new();
    for (name, source) in templates() {
        for (n, line) in without_comments(&source).lines().enumerate() {
            if line.chars().any(is_cjk) {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "interface text belongs in themes/default/i18n/zh.toml (see docs/theme.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn zh_and_en_define_the_same_strings_and_en_has_no_chinese() {
    let zh: BTreeSet<String> = flatten(&strings("zh"))
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let en = flatten(&strings("en"));
    let en_keys: BTreeSet<String> = en.iter().map(|(k, _)| k.clone()).collect();
    let only_zh: Vec<_> = zh.difference(&en_keys).collect();
    let only_en: Vec<_> = en_keys.difference(&zh).collect();
    assert!(only_zh.is_empty(), "untranslated: {only_zh:?}");
    assert!(only_en.is_empty(), "not in zh.toml: {only_en:?}");
    assert!(zh.len() > 300, "{} strings", zh.len());
    let chinese: Vec<_> = en.iter().filter(|(_, v)| v.chars().any(is_cjk)).collect();
    assert!(chinese.is_empty(), "{chinese:?}");
    // The vocabulary table translates ledger labels into English.
    let terms = strings("en")["terms"].as_table().unwrap().clone();
    assert_eq!(terms["停车"].as_str(), Some("Parking"));
    assert!(
        terms
            .values()
            .all(|v| !v.as_str().unwrap().chars().any(is_cjk))
    );
}

#[test]
fn every_string_a_template_uses_is_defined() {
    let zh: BTreeSet<String> = flatten(&strings("zh"))
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let mut missing = Vec::new();
    for (name, source) in templates() {
        let mut rest = source.as_str();
        while let Some(at) = rest.find("t.") {
            let before = rest[..at].chars().last();
            rest = &rest[at + 2..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            if path.matches('.').count() == 1 && !zh.contains(&path) {
                missing.push(format!("{name}: t.{path}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn zh_demo_keeps_its_chinese_interface_and_leaks_no_placeholder() {
    let portal = Portal::copy_of(".");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let overview = portal.read("public/mingxiu/index.html");
    assert!(overview.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    for expected in [
        "<a class=\"skip-link\" href=\"#main\">跳到正文</a>",
        "aria-label=\"明秀山庄栏目\"",
        "aria-current=\"page\">概况</a>",
        "<span class=\"eyebrow\">招标节省</span>",
        "物业公司推荐的施工队报价 <span class=\"nowrap\">¥172,600.00</span> → 公开招标中标",
        "节省 ¥108,800.00（63.04%）",
        "<h2 id=\"figures-h\">主要数字</h2>",
        "<li>612 户</li>",
        "专有部分面积 58,230.45㎡",
        "金额单位为人民币元。</p>",
    ] {
        assert!(overview.contains(expected), "{expected}");
    }
    let fees = portal.read("public/mingxiu/fees.html");
    for expected in [
        "<title>物业费收缴 · 明秀山庄 · 阳光三务公示平台（演示）</title>",
        "<caption>2025年按建筑类型汇总</caption>",
        "<th scope=\"col\" class=\"num\">清欠（另计）</th>",
        "<th scope=\"row\" class=\"nowrap\">2025年上半年</th>",
        "<td class=\"num\">1.80 元/㎡·月</td>",
    ] {
        assert!(fees.contains(expected), "{expected}");
    }
    let project = portal.read("public/mingxiu/projects/clubhouse-repair.html");
    assert!(project.contains("<h2 id=\"vote-h\">业主表决</h2>"));
    assert!(project.contains("依据《民法典》第二百七十八条"));
    for file in common::snapshot_tree(&portal.path("public")) {
        if !file.0.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(file.1).unwrap();
        for leak in ["t.common.", "t.base.", "{name}", "{year}", "{title}", "{n}"] {
            assert!(!text.contains(leak), "{} contains {leak}", file.0);
        }
    }
}

/// The starter portal switched to English (its title too, which is the portal's own text).
fn english_starter() -> Portal {
    let portal = Portal::copy_of("examples/starter");
    portal.edit("config.toml", "language = \"zh\"", "language = \"en\"");
    portal.edit(
        "config.toml",
        "title = \"幸福里小区阳光三务公示\"",
        "title = \"Xingfuli open books\"",
    );
    portal
}

/// Every piece of Han text the portal's input contains, as one haystack.
fn input_text(portal: &Portal) -> String {
    let mut all = String::new();
    for (_, bytes) in common::snapshot_tree(&portal.path("content")) {
        all.push_str(&String::from_utf8_lossy(&bytes));
        all.push('\n');
    }
    all.push_str(&portal.read("config.toml"));
    all
}

/// Whether `run` is text of the input, or two pieces of it written side by side (city and
/// district).
fn is_data(input: &str, run: &str) -> bool {
    input.contains(run)
        || run
            .char_indices()
            .skip(1)
            .any(|(i, _)| input.contains(&run[..i]) && input.contains(&run[i..]))
}

#[test]
fn an_english_portal_speaks_english_and_keeps_the_data_as_written() {
    let portal = english_starter();
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let overview = portal.read("public/xingfuli/index.html");
    assert!(overview.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let nav: Vec<String> = portal
        .page("xingfuli/index.html")
        .select(&scraper::Selector::parse(".compound-nav a").unwrap())
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        nav,
        [
            "Overview",
            "Property fees",
            "Public revenue",
            "Maintenance fund",
            "Tenders",
            "Notices"
        ]
    );
    let text = portal.page_text("xingfuli/index.html");
    for expected in ["Key figures", "Skip to content", "households"] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let fees = portal.page_text("xingfuli/fees.html");
    for expected in [
        "Collection rate",
        "Building type",
        "Households billed",
        "Total",
    ] {
        assert!(fees.contains(expected), "{expected}: {fees}");
    }
    // Periods, provenance and ledger labels are worded in English too.
    let fees_html = portal.read("public/xingfuli/fees.html");
    assert!(
        fees_html.contains("<th scope=\"row\" class=\"nowrap\">Q1 2025</th>"),
        "{fees_html}"
    );
    assert!(fees_html.contains("fees.csv, lines 2–5"), "{fees_html}");
    assert!(fees_html.contains(">Low-rise housing</th>"), "{fees_html}");
    let revenue = portal.page_text("xingfuli/revenue.html");
    assert!(revenue.contains("Parking"), "{revenue}");
    assert!(revenue.contains("Reasonable costs"), "{revenue}");

    // Every Han character left on any page is the portal's own data, as written in its files.
    let input = input_text(&portal);
    let mut foreign = BTreeSet::new();
    for (rel, bytes) in common::snapshot_tree(&portal.path("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        let text = portal.page_text(&rel);
        assert!(!text.contains("t.common."), "{rel}");
        for run in han_runs(&text) {
            if !is_data(&input, &run) {
                foreign.insert(format!("{rel}: {run}"));
            }
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("<html lang=\"en\">"), "{rel}");
        // Interface parts: column heads, captions, labels and the footer's own words.
        let doc = scraper::Html::parse_document(&html);
        for css in [
            "thead th",
            "caption",
            "dt",
            ".site-footer strong",
            ".skip-link",
        ] {
            for el in doc.select(&scraper::Selector::parse(css).unwrap()) {
                let t: String = el.text().collect();
                for run in han_runs(&t) {
                    assert!(is_data(&input, &run), "{rel} {css}: {t}");
                }
            }
        }
    }
    assert!(
        foreign.is_empty(),
        "Chinese text that is not data: {foreign:?}"
    );
}

#[test]
fn a_portal_overrides_single_strings_and_missing_ones_fall_back_to_zh() {
    let portal = english_starter();
    portal.write("i18n/en.toml", "[base]\noverview = \"Summary\"\n");
    portal.write("i18n/zh.toml", "[base]\nportal_only = \"只在中文里\"\n");
    portal.write(
        "templates/notices.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"extra\">{{ t.base.portal_only }}</p>{% endblock main %}",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let overview = portal.read("public/xingfuli/index.html");
    assert!(overview.contains("aria-current=\"page\">Summary</a>"));
    // Other keys keep the theme's English.
    assert!(overview.contains(">Property fees</a>"));
    // A key without an English text shows the Chinese one.
    let notices = portal.read("public/xingfuli/notices.html");
    assert!(
        notices.contains("<p id=\"extra\">只在中文里</p>"),
        "{notices}"
    );
}

#[test]
fn an_undefined_string_fails_the_build_naming_the_key() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        "templates/notices.html",
        "{% extends \"base.html\" %}{% block main %}{{ t.base.no_such_key }}{% endblock main %}",
    );
    let run = portal.run(&["build", "--lang", "en"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("t.base.no_such_key"), "{}", run.stderr);
    assert!(run.stderr.contains("i18n/zh.toml"), "{}", run.stderr);
}

#[test]
fn a_changed_translation_or_language_rebuilds_the_pages() {
    let portal = english_starter();
    assert_eq!(portal.build().code, 0);
    assert!(
        portal
            .read("public/xingfuli/fees.html")
            .contains(">Overview</a>")
    );
    portal.write("i18n/en.toml", "[base]\noverview = \"At a glance\"\n");
    assert_eq!(portal.build().code, 0);
    assert!(
        portal
            .read("public/xingfuli/fees.html")
            .contains(">At a glance</a>")
    );
    portal.edit("config.toml", "language = \"en\"", "language = \"zh\"");
    assert_eq!(portal.build().code, 0);
    let fees = portal.read("public/xingfuli/fees.html");
    assert!(fees.contains("<html lang=\"zh-CN\">") && fees.contains(">概况</a>"));
}
