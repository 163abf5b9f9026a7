//! The residents' share calculator as published, without JavaScript: the per-㎡ rate is on the
//! page, the data the script computes from are the ledger's figures, and the form stays hidden
//! until the script shows it. (The script's results are checked in Chromium in tests/browser.rs.)

mod common;

use common::Portal;

#[test]
fn without_javascript_the_rate_per_square_metre_is_shown() {
    let portal = Portal::copy_of(".");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    // 明秀山庄's clubhouse: 63,800.00 over the vote's 58,230.45 ㎡ = 1.0956 yuan per ㎡.
    let page = portal.read("public/mingxiu/projects/clubhouse-repair.html");
    let text = portal.page_text("mingxiu/projects/clubhouse-repair.html");
    assert!(
        text.contains("¥63,800.00 ÷ 表决范围面积 58,230.45㎡ = 每平方米 1.0956 元"),
        "{text}"
    );
    assert!(page.contains(
        "data-calc-total=\"6380000\" data-calc-basis=\"5823045\" data-calc-rule=\"largest-remainder\""
    ));
    assert!(page.contains("<form class=\"calc-form\" data-calc-form hidden\n"));
    assert!(page.contains("<script defer src=\"../../static/share-calc.js\"></script>"));
    assert!(portal.path("public/static/share-calc.js").is_file());

    // 天源水都's emergency repair had no vote; its 列支范围 is the whole compound, so the fund's
    // part (38,000.00; the crowdfunded rest is not apportioned) is shared over the compound's
    // 57,433.60 ㎡, as the notice says ("约合 0.66 元/㎡").
    let emergency = portal.page_text("tianyuan/projects/fire-alarm-2024.html");
    assert!(
        emergency.contains("¥38,000.00 ÷ 小区总建筑面积 57,433.60㎡ = 每平方米 0.6616 元"),
        "{emergency}"
    );
    // A project shared per household gets no per-㎡ calculator.
    portal.edit(
        "content/tianyuan/projects/fire-alarm-2024.toml",
        "apportionment = \"按建筑面积分摊\"",
        "apportionment = \"按户均摊\"",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !portal
            .read("public/tianyuan/projects/fire-alarm-2024.html")
            .contains("data-calc-total"),
        "a per-household split was offered a per-㎡ calculator"
    );

    // Public revenue: only what goes to the owners by floor area (the fund, fee set-off) has a
    // calculator, over the compound's floor area; the committee's budget has none.
    let revenue = portal.page_text("tianyuan/revenue.html");
    assert!(revenue.contains("2024年抵扣物业费"), "{revenue}");
    assert!(revenue.contains("÷ 小区总建筑面积"), "{revenue}");
    let items = portal.page("tianyuan/revenue.html");
    let labels: Vec<String> = items
        .select(&scraper::Selector::parse(".calc-label").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert!(!labels.is_empty());
    assert!(
        labels
            .iter()
            .all(|l| l.ends_with("维修资金") || l.ends_with("抵扣物业费")),
        "{labels:?}"
    );
}
