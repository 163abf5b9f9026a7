//! The inline SVG charts and the 公示栏 print edition, on the demo portal: every chart is an image
//! with a text alternative stating its figures and a table beside it; bar lengths are proportional
//! to the amounts; print pages carry the right figures, 大写 and 公示期; and every QR code, read
//! back from its SVG path data by a real QR decoder, links to the page it prints.

mod common;

use std::collections::BTreeSet;

use common::Portal;
use scraper::{ElementRef, Html, Selector};

fn demo() -> Portal {
    let portal = Portal::copy_of(".");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    portal
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn num(el: ElementRef, attr: &str) -> f64 {
    el.value()
        .attr(attr)
        .unwrap_or_else(|| panic!("no {attr} on {:?}", el.value()))
        .parse()
        .unwrap()
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<String>()
}

/// The chart SVGs of a page: each must be an image named by its <title> and described by its
/// <desc>, both present and non-empty.
fn charts(page: &Html) -> Vec<ElementRef<'_>> {
    let svgs: Vec<_> = page.select(&sel("figure.chart svg")).collect();
    for svg in &svgs {
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(svg.value().attr("viewBox").unwrap().starts_with("0 0 360 "));
        assert_eq!(svg.value().attr("width"), Some("100%"));
        let title_id = svg.value().attr("aria-labelledby").unwrap();
        let desc_id = svg.value().attr("aria-describedby").unwrap();
        let title = svg.select(&sel(&format!("title#{title_id}"))).next();
        let desc = svg.select(&sel(&format!("desc#{desc_id}"))).next();
        assert!(title.is_some_and(|t| !text_of(t).trim().is_empty()));
        assert!(desc.is_some_and(|d| !text_of(d).trim().is_empty()));
    }
    svgs
}

fn desc(svg: ElementRef) -> String {
    text_of(svg.select(&sel("desc")).next().unwrap())
}

/// Checks the 明秀山庄 clubhouse chart: bars proportional to the bids, the first quote's line at
/// 172,600 on the same scale, the text alternative naming both prices and the saving.
fn check_clubhouse_chart(svg: ElementRef) {
    let text = desc(svg);
    for expected in [
        "¥172,600.00",
        "¥63,800.00",
        "¥68,900.00",
        "¥74,200.00",
        "¥79,000.00",
        "¥108,800.00",
        "63.04%",
    ] {
        assert!(
            text.contains(expected),
            "chart description lacks {expected}: {text}"
        );
    }
    let winner: Vec<_> = svg.select(&sel("rect.bar-winner")).collect();
    assert_eq!(winner.len(), 1, "one winning bar");
    let others: Vec<_> = svg.select(&sel("rect.bar-bid")).collect();
    assert_eq!(others.len(), 3);
    let origin = num(winner[0], "x");
    let quote = svg
        .select(&sel("line.ref-quote"))
        .next()
        .expect("reference line");
    let quote_x = num(quote, "x1");
    assert_eq!(
        num(quote, "x1"),
        num(quote, "x2"),
        "the reference line is vertical"
    );
    let quote_len = quote_x - origin;
    // Every bar starts at the origin and its length is proportional to its amount, on the scale
    // on which the first quote's line stands at 172,600.
    let mut bars = vec![(winner[0], 63_800.0)];
    bars.extend(others.iter().copied().zip([68_900.0, 74_200.0, 79_000.0]));
    for (bar, amount) in bars {
        assert_eq!(num(bar, "x"), origin);
        let ratio = num(bar, "width") / quote_len;
        let expected = amount / 172_600.0;
        assert!(
            (ratio - expected).abs() < 0.002,
            "bar for {amount}: {ratio} vs {expected}"
        );
    }
    // The winner's bar is clearly less than half of the first quote: it reads at a glance.
    assert!(num(winner[0], "width") < 0.4 * quote_len);
    // Both prices are written in the chart itself.
    let labels = text_of(svg);
    assert!(labels.contains("¥172,600.00") && labels.contains("¥63,800.00"));
    // The saving span runs from the winning bid to the first quote.
    let span: Vec<_> = svg.select(&sel("g.chart-span line")).collect();
    assert_eq!(num(span[0], "x1"), origin + num(winner[0], "width"));
    assert_eq!(num(span[0], "x2"), quote_x);
}

#[test]
fn tender_page_and_overview_chart_the_clubhouse_bids_against_the_first_quote() {
    let portal = &demo();
    let page = portal.page("mingxiu/tenders/clubhouse-2024.html");
    let svgs = charts(&page);
    assert_eq!(svgs.len(), 1);
    check_clubhouse_chart(svgs[0]);
    // The bid table is beside the chart.
    assert!(
        page.select(&sel("figure.chart + div table"))
            .next()
            .is_some()
    );

    let overview = portal.page("mingxiu/index.html");
    let svgs = charts(&overview);
    assert_eq!(svgs.len(), 1, "the overview charts its best tender");
    check_clubhouse_chart(svgs[0]);
}

#[test]
fn fees_revenue_and_fund_pages_chart_their_figures_with_tables_beside() {
    let portal = &demo();

    let fees = portal.page("mingxiu/fees.html");
    let svgs = charts(&fees);
    assert_eq!(svgs.len(), 1);
    let text = desc(svgs[0]);
    // One line per building type and the total, each with markers.
    assert_eq!(svgs[0].select(&sel("path.series")).count(), 4);
    assert_eq!(svgs[0].select(&sel("path.series-markers")).count(), 4);
    for t in ["高层住宅", "多层住宅", "别墅", "合计"] {
        assert!(text.contains(t), "{text}");
    }
    // The rates of the table beside the chart: 2024H1 高层住宅 342,108.51 / 361,590.53.
    assert!(text.contains("94.61%"), "{text}");
    let table = text_of(fees.select(&sel(".chart-pair table")).next().unwrap());
    assert!(table.contains("94.61%"), "{table}");

    let revenue = portal.page("mingxiu/revenue.html");
    let svgs = charts(&revenue);
    assert!(svgs.len() >= 2, "by period and by category per year");
    let periods = desc(svgs[0]);
    // 2024Q2 by booking date: 54,450 + 7,200 = 61,650 gross; 46,282.50 + 6,768 = 53,050.50 net.
    assert!(
        periods.contains("¥61,650.00") && periods.contains("¥53,050.50"),
        "{periods}"
    );
    // Stacked bars: net then costs, the whole bar proportional to the gross income.
    let nets: Vec<_> = svgs[0].select(&sel("rect.bar-net")).collect();
    let costs: Vec<_> = svgs[0].select(&sel("rect.bar-cost")).collect();
    assert_eq!(nets.len(), costs.len());
    let whole = |i: usize| num(nets[i], "width") + num(costs[i], "width");
    // Row 2 (2024Q2, gross 61,650) against row 5 (2025Q1, gross 93,700).
    let ratio = whole(1) / whole(4);
    assert!((ratio - 61_650.0 / 93_700.0).abs() < 0.003, "{ratio}");
    assert!(revenue.select(&sel("tr#period-2024Q2")).next().is_some());

    let fund = portal.page("mingxiu/fund.html");
    let svgs = charts(&fund);
    assert_eq!(svgs.len(), 1);
    let text = desc(svgs[0]);
    assert!(
        text.contains("¥1,286,540.32") && text.contains("¥1,692,764.96"),
        "{text}"
    );
    // Five withdrawals, each marked and numbered in the chart and listed beside it.
    assert!(
        text.contains("支取 5 笔") && text.contains("¥92,260.00"),
        "{text}"
    );
    assert_eq!(svgs[0].select(&sel("g.chart-marks path")).count(), 5);
    let rows = fund.select(&sel(".chart-pair table tbody tr")).count();
    assert_eq!(rows, 5);
}

#[test]
fn charts_are_deterministic_with_fixed_precision_coordinates() {
    let portal = &demo();
    let html = portal.read("public/mingxiu/tenders/clubhouse-2024.html");
    let page = Html::parse_document(&html);
    for svg in charts(&page) {
        for el in svg.select(&sel("rect, line")) {
            for attr in ["x", "y", "width", "height", "x1", "x2", "y1", "y2"] {
                if let Some(v) = el.value().attr(attr) {
                    let frac = v.split('.').nth(1).unwrap_or("");
                    assert!(
                        frac.len() <= 1,
                        "{attr}={v} is not written with fixed precision"
                    );
                }
            }
        }
    }
    // The clubhouse chart's markup is pinned: geometry changes show up in review.
    let svg = html
        .split("<svg class=\"chart-svg\"")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .unwrap();
    insta::assert_snapshot!("clubhouse_tender_chart", svg);
}

fn print_text(portal: &Portal, rel: &str) -> String {
    portal.page_text(rel)
}

#[test]
fn print_pages_state_figures_in_words_the_publicity_period_and_sign_off() {
    let portal = &demo();
    let tender = print_text(portal, "mingxiu/print/tender-clubhouse-2024.html");
    for expected in [
        "会所修缮工程施工招标结果公示",
        "明秀山庄",
        "2024-04-25 至 2024-04-30",
        "¥172,600.00",
        "壹拾柒万贰仟陆佰元整",
        "¥63,800.00",
        "陆万叁仟捌佰元整",
        "¥108,800.00",
        "壹拾万捌仟捌佰元整",
        "大连恒筑建筑装饰工程有限公司",
        "业委会办公室（会所二楼）",
        "业主委员会（盖章）",
        "物业服务企业（盖章）",
        "业主代表复核",
    ] {
        assert!(
            tender.contains(expected),
            "tender print lacks {expected}: {tender}"
        );
    }
    let page = portal.page("mingxiu/print/tender-clubhouse-2024.html");
    assert_eq!(page.select(&sel(".signatures .sign")).count(), 3);
    let css = portal.read("public/static/print.css");
    assert!(css.contains("@page") && css.contains("size: A4"), "{css}");

    // The 2024 revenue statement: 8 entries booked in 2024, posted from the day after the year
    // for the default 30 days.
    let year = print_text(portal, "mingxiu/print/revenue-2024.html");
    for expected in [
        "2024年公共收益收支情况公示",
        "2025-01-01 至 2025-01-30",
        "¥216,550.00",
        "贰拾壹万陆仟伍佰伍拾元整",
        "¥189,211.50",
        "壹拾捌万玖仟贰佰壹拾壹元伍角",
    ] {
        assert!(
            year.contains(expected),
            "revenue print lacks {expected}: {year}"
        );
    }

    // A fund project's result, posted from the day after completion.
    let project = print_text(portal, "mingxiu/print/project-clubhouse-repair.html");
    for expected in [
        "会所修缮工程维修资金使用结果公示",
        "2024-06-29 至 2024-07-28",
        "陆万叁仟捌佰元整",
    ] {
        assert!(
            project.contains(expected),
            "project print lacks {expected}: {project}"
        );
    }
}

/// The amounts of a print page's 小写/大写 table, by label.
fn amounts(portal: &Portal, rel: &str) -> Vec<(String, String)> {
    let page = portal.page(rel);
    page.select(&sel("table.amounts tbody tr"))
        .map(|tr| {
            let label = text_of(tr.select(&sel("th")).next().unwrap());
            let amount = text_of(tr.select(&sel("td.num")).next().unwrap());
            (label, amount)
        })
        .collect()
}

fn fen(yuan: &str) -> i64 {
    let digits: String = yuan
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().unwrap()
}

#[test]
fn quarterly_statements_add_up_to_the_yearly_one() {
    let portal = &demo();
    for year in ["2024", "2025"] {
        let whole = amounts(portal, &format!("mingxiu/print/revenue-{year}.html"));
        for (i, (label, amount)) in whole.iter().enumerate() {
            let sum: i64 = (1..=4)
                .map(|q| {
                    fen(&amounts(portal, &format!("mingxiu/print/revenue-{year}Q{q}.html"))[i].1)
                })
                .sum();
            assert_eq!(sum, fen(amount), "{year} {label}");
        }
    }
}

/// Reads a QR code drawn as `M x y h w v 1 h -w z` runs back into modules, rasterises it and
/// decodes it.
fn decode_qr(svg: ElementRef) -> String {
    let size: usize = svg
        .value()
        .attr("viewBox")
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let d = svg
        .select(&sel("path"))
        .next()
        .unwrap()
        .value()
        .attr("d")
        .unwrap();
    let mut grid = vec![false; size * size];
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (pos, rest) = run.split_once('h').unwrap();
        let (x, y) = pos.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        assert!(
            rest.ends_with(&format!("v1h-{w}z")),
            "unexpected path piece {run}"
        );
        for dx in 0..w {
            grid[y * size + x + dx] = true;
        }
    }
    const PX: usize = 6;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size * PX, size * PX, |x, y| {
        if grid[(y / PX) * size + x / PX] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code found");
    grids[0].decode().unwrap().1
}

#[test]
fn every_qr_code_decodes_to_the_online_page_it_prints() {
    let portal = &demo();
    let base = "https://example.org/sanwu/";
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(portal.path("public/mingxiu/print")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "index.html" {
            continue;
        }
        let rel = format!("mingxiu/print/{name}");
        let page = portal.page(&rel);
        let svg = page
            .select(&sel("svg.qr"))
            .next()
            .unwrap_or_else(|| panic!("{rel}: no QR"));
        let url = decode_qr(svg);
        // The address printed under the code is the one encoded.
        let shown = text_of(page.select(&sel(".sheet-foot .url")).next().unwrap());
        assert_eq!(url, shown, "{rel}");
        // It is the online page the print page links back to, and that page exists (with the
        // fragment's anchor).
        let back = page
            .select(&sel(".print-tools a"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        let target = back.trim_start_matches("../../");
        assert_eq!(url, format!("{base}{target}"), "{rel}");
        let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
        let html = portal.read(&format!("public/{file}"));
        if !fragment.is_empty() {
            assert!(
                html.contains(&format!("id=\"{fragment}\"")),
                "{file} has no #{fragment}"
            );
        }
        // And that page links to this print page.
        assert!(
            html.contains(&format!("print/{name}")),
            "{file} does not link to {name}"
        );
        seen.insert(name);
    }
    for expected in [
        "tender-clubhouse-2024.html",
        "project-clubhouse-repair.html",
        "revenue-2024.html",
        "revenue-2024Q1.html",
    ] {
        assert!(seen.contains(expected), "{expected} missing from {seen:?}");
    }
    // The print index lists every print page.
    let index = portal.read("public/mingxiu/print/index.html");
    for name in &seen {
        assert!(
            index.contains(&format!("href=\"{name}\"")),
            "index lacks {name}"
        );
    }
    assert!(
        portal
            .read("public/mingxiu/index.html")
            .contains("print/index.html")
    );
}

#[test]
fn without_an_absolute_base_url_print_pages_say_so_instead_of_a_qr_code() {
    let portal = Portal::copy_of(".");
    portal.edit(
        "config.toml",
        "base_url = \"https://example.org/sanwu/\"",
        "base_url = \"/\"",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = portal.page("mingxiu/print/tender-clubhouse-2024.html");
    assert!(page.select(&sel("svg.qr")).next().is_none());
    assert!(
        portal
            .page_text("mingxiu/print/tender-clubhouse-2024.html")
            .contains("网站地址未配置")
    );
}

/// Debian's chromium, which CI installs (`.ci/setup-tools`); the test fails without it.
fn chromium() -> std::path::PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        let path = std::path::PathBuf::from(candidate);
        if path.is_file() {
            return path;
        }
    }
    panic!("chromium is not installed: run .ci/setup-tools (apt-get install chromium)");
}

/// The number of pages of a PDF and the size of its first page, in points.
fn pdf_pages(pdf: &[u8]) -> (usize, String) {
    let text = String::from_utf8_lossy(pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + "/Type /Page".len()..].starts_with('s'))
        .count();
    let media = text
        .split("/MediaBox [")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap_or("")
        .to_string();
    (pages, media)
}

#[test]
fn print_pages_fit_one_a4_sheet_in_a_real_browser() {
    let portal = &demo();
    // The same pages of the English edition (its wording is longer).
    let config = portal.read("config.toml");
    portal.write(
        "config.toml",
        &config.replace("language = \"zh\"", "language = \"en\""),
    );
    let run = portal.run(&["build", "--output", "public-en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        portal
            .read("public-en/mingxiu/print/revenue-2025.html")
            .contains("<html lang=\"en\">"),
        "the English edition was built"
    );
    let browser = chromium();
    for site in ["public", "public-en"] {
        for page in [
            "mingxiu/print/revenue-2025.html",
            "mingxiu/print/tender-clubhouse-2024.html",
            "mingxiu/print/project-clubhouse-repair.html",
            "tianyuan/print/project-fire-alarm-2024.html",
        ] {
            let page = format!("{site}/{page}");
            let pdf = portal.path("sheet.pdf");
            let _ = std::fs::remove_file(&pdf);
            let status = std::process::Command::new(&browser)
                .args([
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    &format!(
                        "--user-data-dir={}",
                        portal.path("chromium-profile").display()
                    ),
                    &format!("--print-to-pdf={}", pdf.display()),
                    &format!("file://{}", portal.path(&page).display()),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "chromium failed on {page}");
            let (pages, media) = pdf_pages(&std::fs::read(&pdf).unwrap());
            assert_eq!(pages, 1, "{page} does not fit one sheet");
            // A4 is 595 × 842 points.
            let dims: Vec<f64> = media
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect();
            assert!(
                (dims[2] - 595.0).abs() < 1.0 && (dims[3] - 842.0).abs() < 1.0,
                "{page}: page size {media}"
            );
        }
    }
}

#[test]
fn odd_books_chart_without_panicking() {
    let portal = Portal::copy_of("examples/starter");
    let dir = "content/xingfuli";
    // A period collected above 100% (prepayments) and one with nothing receivable.
    let fees = portal.read(&format!("{dir}/fees.csv"));
    portal.write(
        &format!("{dir}/fees.csv"),
        &format!(
            "{fees}2026Q1,多层住宅,320,320,\"107,136.00\",\"150,000.00\",0,预收\n2026Q2,多层住宅,0,0,0,0,0,\n"
        ),
    );
    // Over-collection is an error unless the portal downgrades it.
    let config = portal.read("config.toml");
    portal.write(
        "config.toml",
        &format!("{config}\n[diagnostics]\nfees-received-exceeds-receivable = \"warning\"\n"),
    );
    // A tender without a first quote or budget, whose winner is not the cheapest.
    portal.edit(
        &format!("{dir}/tenders/roof-2025.toml"),
        "first_quote = \"46,800.00\"\n",
        "",
    );
    portal.edit(
        &format!("{dir}/tenders/roof-2025.toml"),
        "budget = \"42,000.00\"\n",
        "",
    );
    let run = portal.build();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "xingfuli/fees.html",
        "xingfuli/revenue.html",
        "xingfuli/tenders/roof-2025.html",
    ] {
        let html = portal.page(page);
        assert!(!charts(&html).is_empty(), "{page} has no chart");
    }
    // The axis reaches above 100% for the prepaid quarter (150,000 / 107,136 = 140.01%).
    let fees = portal.read("public/xingfuli/fees.html");
    assert!(
        fees.contains("140.01%") && fees.contains(">150%<"),
        "fees axis"
    );
    // Without a first quote there is no reference line and no saving span.
    let tender = portal.page("xingfuli/tenders/roof-2025.html");
    assert!(tender.select(&sel("line.ref-quote")).next().is_none());
    assert!(tender.select(&sel("g.chart-span")).next().is_none());
}

#[test]
fn print_edition_can_be_turned_off() {
    let portal = Portal::copy_of(".");
    let config = portal.read("config.toml");
    portal.write("config.toml", &format!("print_edition = false\n{config}"));
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!portal.path("public/mingxiu/print").exists());
    for page in [
        "mingxiu/index.html",
        "mingxiu/revenue.html",
        "mingxiu/tenders/clubhouse-2024.html",
        "mingxiu/projects/clubhouse-repair.html",
    ] {
        let html = portal.read(&format!("public/{page}"));
        assert!(
            !html.contains("print/"),
            "{page} links to the print edition"
        );
    }
    // The charts stay.
    assert!(!charts(&portal.page("mingxiu/revenue.html")).is_empty());
}
