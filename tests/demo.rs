//! The bundled demo portal (`content/` with the root `config.toml`): it builds, and the facts it
//! exists to show are on the pages residents open.

mod common;

use common::Portal;

fn built_demo() -> Portal {
    let portal = Portal::copy_of(".");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    portal
}

#[test]
fn mingxiu_front_page_shows_the_clubhouse_retender() {
    let portal = built_demo();
    let overview = portal.page_text("mingxiu/index.html");
    for expected in [
        "¥172,600.00",                  // the property company's contractor's quote
        "¥63,800.00",                   // the re-tendered price
        "¥108,800.00",                  // the saving in yuan
        "63.04%",                       // and in percent
        "大连恒筑建筑装饰工程有限公司", // the winner
    ] {
        assert!(
            overview.contains(expected),
            "明秀山庄 overview lacks {expected}"
        );
    }
    let tender = portal.page_text("mingxiu/tenders/clubhouse-2024.html");
    for bid in ["¥63,800.00", "¥68,900.00", "¥74,200.00", "¥79,000.00"] {
        assert!(tender.contains(bid), "tender page lacks the bid {bid}");
    }
}

#[test]
fn figures_reconcile_with_the_ledgers() {
    let portal = built_demo();
    // Fund balance after the last row of 明秀山庄's fund.csv, and the declared year-end balance.
    let fund = portal.page_text("mingxiu/fund.html");
    assert!(fund.contains("¥1,692,764.96"), "{fund}");
    assert!(
        fund.contains("¥1,639,532.96"),
        "2025 year-end balance: {fund}"
    );
    // 铁龙家园: 2024 collection rate 95.01% overall (its fees are in quarters).
    let fees = portal.page_text("tielong/fees.html");
    assert!(fees.contains("95.01%"), "{fees}");
    assert!(fees.contains("95.46%"), "{fees}");
    // 天源水都: the emergency repair paid by the fund and residents' crowdfunding.
    let project = portal.page_text("tianyuan/projects/fire-alarm-2024.html");
    for expected in ["¥58,460.00", "¥38,000.00", "¥20,460.00", "居民众筹"] {
        assert!(project.contains(expected), "{expected}: {project}");
    }
    // 怡和家园 charges no property fee.
    let yihe = portal.page_text("yihe/index.html");
    assert!(yihe.contains("居民自治"), "{yihe}");
    assert!(!portal.path("public/yihe/fees.html").exists());
}

#[test]
fn demo_warnings_are_shown_where_they_matter() {
    let portal = built_demo();
    // The single-bidder tender carries its warning on its own page.
    let tender = portal.page_text("tielong/tenders/elevator-door-2025.html");
    assert!(tender.contains("只有一家单位投标"), "{tender}");
    // The overdue revenue ledger says since when (the demo is built as of 2026-05-15).
    let revenue = portal.page_text("tielong/revenue.html");
    assert!(
        revenue.contains("逾期未公示") && revenue.contains("2026-05-01"),
        "{revenue}"
    );
}

#[test]
fn demo_check_is_clean_of_errors() {
    let run = Portal::copy_of(".").check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 个错误"), "{}", run.stderr);
}

#[test]
fn minimal_example_builds() {
    let portal = Portal::copy_of("examples/minimal");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(portal.page_text("index.html").contains("示例小区"));
    assert!(
        portal
            .page_text("demo/index.html")
            .contains("示例物业服务有限公司")
    );
    assert!(portal.path("public/demo/index.html").is_file());
}
