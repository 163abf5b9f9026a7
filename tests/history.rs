//! `sanwu diff` on real git repositories with a realistic history: a quarter added, a figure
//! quietly edited, a tender's bids and winner changed, vote counts changed, a compound folder
//! renamed, and a ledger re-saved in GBK.

mod common;

use std::process::Command;

use common::{BIN, Portal, Run};

fn git(portal: &Portal, args: &[&str]) {
    portal.git(args);
}

fn commit(portal: &Portal, message: &str) {
    git(portal, &["add", "-A", "config.toml", "content"]);
    git(portal, &["commit", "-q", "-m", message]);
}

fn diff(portal: &Portal, args: &[&str]) -> Run {
    let mut all = vec!["diff"];
    all.extend(args);
    Command::new(BIN)
        .args(all)
        .current_dir(portal.dir.path())
        .output()
        .unwrap()
        .into()
}

fn repo_with_history() -> Portal {
    let portal = Portal::copy_of("examples/starter");
    git(&portal, &["init", "-q"]);
    commit(&portal, "2025年前三季度台账");
    // A quarter added.
    let revenue = portal.read("content/xingfuli/revenue.csv")
        + "2025-12-31,停车,地面临时停车费（第四季度）,小区车主,\"9,120.00\",\"1,368.00\",\"7,752.00\",维修资金,2024年第一次业主大会决议,GS2025-004,\n";
    portal.write("content/xingfuli/revenue.csv", &revenue);
    commit(&portal, "2025年第四季度公共收益");
    portal
}

#[test]
fn a_quarter_added_is_listed_with_its_effect_on_totals() {
    let portal = repo_with_history();
    let run = diff(&portal, &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("== xingfuli 公共收益 (content/xingfuli/revenue.csv)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+ GS2025-004 2025-12-31 停车"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("合计 2025年 净收益: ¥13,944.00 → ¥21,696.00（+¥7,752.00）"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_quiet_edit_of_a_figure_is_shown_field_by_field() {
    let portal = repo_with_history();
    portal.edit(
        "content/xingfuli/fees.csv",
        "\"101,779.20\"",
        "\"100,779.20\"",
    );
    // Default: HEAD~1 .. working tree; here compare HEAD with the working tree.
    let run = diff(&portal, &["HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("比较 HEAD → 工作区"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("~ 2025Q2 多层住宅 实收金额: ¥101,779.20 → ¥100,779.20"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("合计 2025年 实收: ¥405,100.80 → ¥404,100.80（-¥1,000.00）"),
        "{}",
        run.stdout
    );
    // Nothing else is reported as changed.
    assert!(!run.stdout.contains("公共收益"), "{}", run.stdout);

    let json: serde_json::Value =
        serde_json::from_str(&diff(&portal, &["HEAD", "--format", "json"]).stdout).unwrap();
    let ledger = &json["ledgers"][0];
    assert_eq!(ledger["ledger"], "fees");
    assert_eq!(ledger["rows"][0]["key"], "2025Q2|多层住宅");
    assert_eq!(ledger["rows"][0]["fields"][0]["field"], "实收金额");
    assert_eq!(ledger["totals"][0]["delta"], -100_000);
}

#[test]
fn tender_bids_winner_and_vote_counts() {
    let portal = repo_with_history();
    portal.edit(
        "content/xingfuli/tenders/roof-2025.toml",
        "amount = \"41,200.00\"",
        "amount = \"37,900.00\"",
    );
    portal.edit(
        "content/xingfuli/tenders/roof-2025.toml",
        "winner = \"某防水工程有限公司\"",
        "winner = \"另一建筑工程有限公司\"",
    );
    portal.edit(
        "content/xingfuli/projects/roof-repair.toml",
        "agree_owners = 31",
        "agree_owners = 29",
    );
    portal.edit(
        "content/xingfuli/projects/roof-repair.toml",
        "oppose_owners = 2",
        "oppose_owners = 4",
    );
    let run = diff(&portal, &["HEAD", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("== xingfuli tenders"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("中标单位: 某防水工程有限公司 → 另一建筑工程有限公司"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("另一建筑工程有限公司：¥41,200.00"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("另一建筑工程有限公司：¥37,900.00"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("== xingfuli fund projects and votes"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("同意人数: 31 → 29"), "{}", run.stdout);
}

#[test]
fn renamed_compound_folder_and_gbk_resave_show_only_real_changes() {
    let portal = repo_with_history();
    git(&portal, &["mv", "content/xingfuli", "content/xingfu"]);
    // Re-save the revenue ledger in GBK, as Excel would, without changing its data.
    let text = portal.read("content/xingfu/revenue.csv");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(portal.path("content/xingfu/revenue.csv"), gbk).unwrap();
    commit(&portal, "小区目录改名；公共收益台账另存为 GBK");
    let run = diff(&portal, &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("文件改名：content/xingfuli/fees.csv → content/xingfu/fees.csv"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("  + ")
            && !run.stdout.contains("  - ")
            && !run.stdout.contains("  ~ "),
        "no row changed: {}",
        run.stdout
    );
}

#[test]
fn outside_git_it_says_so() {
    let portal = Portal::copy_of("examples/starter");
    let run = diff(&portal, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("不在 git 仓库中"), "{}", run.stderr);
}

#[test]
fn a_sealed_row_edited_quietly_is_an_error_and_a_correction_entry_is_accepted() {
    let portal = repo_with_history();
    git(&portal, &["tag", "sealed-2025q3"]);
    let config = portal.read("config.toml")
        + "\n[[sealed]]\nthrough = 2025-09-30\nrevision = \"sealed-2025q3\"\n";
    portal.write("config.toml", &config);
    commit(&portal, "封存2025年前三季度");
    assert_eq!(portal.check().code, 0, "{}", portal.check().stderr);

    // A quiet retroactive edit of a sealed quarter.
    portal.edit(
        "content/xingfuli/fund.csv",
        "2025-06-30,利息,\"1,031.25\"",
        "2025-06-30,利息,\"1,013.25\"",
    );
    portal.edit("content/xingfuli/fund.csv", "387,675.25", "387,657.25");
    let run = portal.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("ledger-sealed-edit"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/xingfuli/fund.csv:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("封存版本 sealed-2025q3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("金额 ¥1,031.25 → ¥1,013.25"),
        "{}",
        run.stderr
    );
    // The year-end balance row is after the sealed period: changing it is not a sealed edit.
    assert!(!run.stderr.contains("2025-12-31 结存"), "{}", run.stderr);

    // Restored, and corrected the accepted way: a new entry after the sealed period, naming the
    // voucher it corrects; the year-end balance follows.
    portal.edit(
        "content/xingfuli/fund.csv",
        "2025-06-30,利息,\"1,013.25\"",
        "2025-06-30,利息,\"1,031.25\"",
    );
    let fund = portal.read("content/xingfuli/fund.csv").replace(
        "2025-12-31,结存,\"387,657.25\"",
        "2025-10-15,交存,18.00,,TZ2025-01,冲正 WX2025-01 施工单位退回多收工程款\n2025-12-31,结存,\"387,693.25\"",
    );
    portal.write("content/xingfuli/fund.csv", &fund);
    let run = portal.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(portal.build().code, 0);
    assert!(portal.page_text("xingfuli/fund.html").contains("冲正"));

    // A back-dated row slipped into the sealed quarter is refused.
    portal.edit(
        "content/xingfuli/fund.csv",
        "2025-08-20,支取",
        "2025-07-01,交存,100.00,,,补记\n2025-08-20,支取",
    );
    let run = portal.check();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("补记 / back-dated insertion"),
        "{}",
        run.stderr
    );
}

#[test]
fn rows_disclosed_longer_than_the_publicity_period_are_sealed_without_configuration() {
    let portal = Portal::copy_of("examples/starter");
    git(&portal, &["init", "-q"]);
    git(&portal, &["add", "-A", "config.toml", "content"]);
    portal.git_at(
        "2025-11-01T09:00:00+08:00",
        &["commit", "-q", "-m", "2025年维修资金台账公示"],
    );
    // Ten weeks later, a figure of the disclosed ledger is quietly changed.
    portal.edit(
        "content/xingfuli/fund.csv",
        "2025-06-30,利息,\"1,031.25\"",
        "2025-06-30,利息,\"1,013.25\"",
    );
    portal.edit("content/xingfuli/fund.csv", "387,675.25", "387,657.25");
    commit(&portal, "修改利息");
    let run = portal.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("ledger-published-edit"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("已公示超过 30 天的行被改动（由 2025-11-01 的提交"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/xingfuli/fund.csv:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("金额 ¥1,031.25 → ¥1,013.25"),
        "{}",
        run.stderr
    );
    // Nothing is written when the check fails.
    assert_eq!(portal.build().code, 1);
    assert!(!portal.path("public/index.html").exists());

    // Still within its 公示期 as of the build date: the edit is allowed.
    let run = portal.run(&["check", "--today", "2025-11-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A portal may turn implicit sealing off.
    let config = portal.read("config.toml") + "\n[rules]\nseal_after_days = 0\n";
    portal.write("config.toml", &config);
    let run = portal.check();
    assert!(
        !run.stderr.contains("ledger-published-edit"),
        "{}",
        run.stderr
    );
}

#[test]
fn corrections_must_name_an_existing_voucher_and_show_on_the_site() {
    let portal = Portal::copy_of("examples/starter");
    let revenue = portal.read("content/xingfuli/revenue.csv")
        + "2025-11-30,广告,广告位租金更正,某传媒有限公司,200.00,0,200.00,维修资金,2025年第2次业主大会决议,GS2025-005,冲正 GS2025-002 合同金额少计\n";
    portal.write("content/xingfuli/revenue.csv", &revenue);
    assert_eq!(portal.build().code, 0);
    let page = portal.page_text("xingfuli/revenue.html");
    assert!(page.contains("冲正 GS2025-002"), "{page}");

    portal.edit(
        "content/xingfuli/revenue.csv",
        "冲正 GS2025-002",
        "冲正 GS2025-099",
    );
    let run = portal.check();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("原凭证 GS2025-099 不存在"),
        "{}",
        run.stderr
    );
}

#[test]
fn ledger_pages_list_their_revision_history_from_git() {
    let portal = repo_with_history();
    assert_eq!(portal.build().code, 0);
    let page = portal.page_text("xingfuli/revenue.html");
    assert!(page.contains("修订记录"), "{page}");
    // Newest first: the quarter added (1 row), then the first commit (3 rows).
    let newest = page
        .find("2025年第四季度公共收益")
        .expect("newest commit listed");
    let oldest = page
        .find("2025年前三季度台账")
        .expect("first commit listed");
    assert!(newest < oldest, "{page}");
    assert!(page.contains("2025年第四季度公共收益 1 0 0"), "{page}");
    assert!(page.contains("2025年前三季度台账 3 0 0"), "{page}");
    // The footer names the commit the site was built from.
    let head = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "--short=10", "HEAD"])
            .current_dir(portal.dir.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        page.contains(&format!("台账版本 {}", head.trim())),
        "{page}"
    );

    let outside = Portal::copy_of("examples/starter");
    assert_eq!(outside.build().code, 0);
    let page = outside.page_text("xingfuli/revenue.html");
    assert!(page.contains("本台账未纳入 git 版本管理"), "{page}");
    assert!(page.contains("台账未纳入 git 版本管理"), "{page}");
}

#[test]
fn the_history_section_can_be_turned_off() {
    let portal = repo_with_history();
    let config = portal
        .read("config.toml")
        .replace("title =", "ledger_history = false\ntitle =");
    portal.write("config.toml", &config);
    assert_eq!(portal.build().code, 0);
    let page = portal.page_text("xingfuli/revenue.html");
    assert!(!page.contains("修订记录"), "{page}");
}
