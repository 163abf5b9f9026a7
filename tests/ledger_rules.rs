//! The rules a committee's ledgers are held to, end to end through `sanwu check` and `sanwu build`
//! on the starter portal: spreadsheet spellings that are read as written, totals rows, corrections,
//! votes, apportionment, privacy, and findings that stand alone instead of dragging false ones.

mod common;

use common::{Portal, snapshot_tree};

/// `sanwu check` fails (exit 1) and says each of `needles`; returns what it printed.
fn check_fails_with(portal: &Portal, needles: &[&str]) -> String {
    let run = portal.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    run.stderr
}

#[test]
fn spreadsheet_spellings_of_dates_and_areas_are_read_as_written() {
    let portal = Portal::copy_of("examples/starter");
    // A 日期时间 cell, and an area unquoted and with its unit spelled out.
    portal.edit(
        "content/xingfuli/revenue.csv",
        "2025-06-30,广告",
        "2025-06-30 00:00:00,广告",
    );
    portal.edit(
        "content/xingfuli/compound.toml",
        "floor_area = \"29,760.00\"",
        "floor_area = 29760.00",
    );
    portal.edit(
        "content/xingfuli/projects/roof-repair.toml",
        "total_area = \"3,720.00\"",
        "total_area = \"3,720.00平方米\"",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 个错误，0 个警告"), "{}", run.stderr);
    assert!(
        portal
            .page_text("xingfuli/index.html")
            .contains("29,760.00㎡")
    );
    assert!(
        portal
            .page_text("xingfuli/revenue.html")
            .contains("2025-06-30 广告")
    );

    // A value that is not an area is quoted back as the user wrote it.
    portal.edit(
        "content/xingfuli/compound.toml",
        "floor_area = 29760.00",
        "floor_area = 29760.005",
    );
    check_fails_with(&portal, &["“29760.005”不是有效的面积"]);
}

#[test]
fn shares_of_net_revenue_are_rounded_like_every_percentage() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    // 12,744.00 and 1,200.00 of 13,944.00: 91.394% and 8.606%.
    let text = portal.page_text("xingfuli/revenue.html");
    assert!(text.contains("维修资金 ¥12,744.00 91.39%"), "{text}");
    assert!(text.contains("业委会经费 ¥1,200.00 8.61%"), "{text}");
}

#[test]
fn a_totals_row_under_its_own_label_is_checked_and_not_booked() {
    let portal = Portal::copy_of("examples/starter");
    let fees = portal.read("content/xingfuli/fees.csv");
    // Spreadsheets label their totals 全年合计, 小区合计, 合计（元）…: never a fee row.
    portal.write(
        "content/xingfuli/fees.csv",
        &format!("{fees}2025,全年合计,1280,1210,\"428,544.00\",\"405,100.80\",\"4,320.00\",\n"),
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 个错误，0 个警告"), "{}", run.stderr);
    let overview = portal.page_text("xingfuli/index.html");
    assert!(
        overview.contains("实收 ¥405,100.80 / 应收 ¥428,544.00"),
        "{overview}"
    );

    // A totals row that does not add up is an error, not a second year of fees.
    portal.write(
        "content/xingfuli/fees.csv",
        &format!("{fees},小区合计（元）,1280,1210,\"428,544.00\",\"405,100.90\",\"4,320.00\",\n"),
    );
    check_fails_with(
        &portal,
        &["合计行的“实收金额”为 ¥405,100.90，但上方 4 行之和为 ¥405,100.80"],
    );
}

#[test]
fn phone_numbers_in_any_spelling_and_in_config_toml_keep_the_site_unpublished() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let published = snapshot_tree(&portal.path("public"));
    for (file, from, to) in [
        (
            "content/xingfuli/notices/2025-05-roof-vote.md",
            "+++\n\n",
            "+++\n\n联系人电话 138-0013-8000。\n\n",
        ),
        (
            "content/xingfuli/revenue.csv",
            "GS2025-003,",
            "GS2025-003,联系 １３８ ００１３ ８０００",
        ),
        (
            "config.toml",
            "工程招标情况。",
            "工程招标情况。监督电话 8613800138000",
        ),
    ] {
        let original = portal.read(file);
        portal.edit(file, from, to);
        let run = portal.build();
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
        assert!(run.stderr.contains("privacy-number"), "{}", run.stderr);
        assert!(run.stderr.contains(file), "{}", run.stderr);
        assert!(snapshot_tree(&portal.path("public")) == published, "{file}");
        portal.write(file, &original);
    }
}

#[test]
fn an_equal_split_per_unit_is_checked_as_one() {
    let portal = Portal::copy_of("examples/starter");
    let project = "content/xingfuli/projects/roof-repair.toml";
    let shares = "content/xingfuli/projects/roof-repair.csv";
    let text = portal.read(project);
    let declared = if text.contains("apportionment = ") {
        text.replace(
            "apportionment = \"按建筑面积分摊\"",
            "apportionment = \"按户均摊\"",
        )
    } else {
        text.replacen("[vote]", "apportionment = \"按户均摊\"\n\n[vote]", 1)
    };
    portal.write(project, &declared);
    // 38,600.00 over 40 units: 965.00 each.
    let equal: String = portal
        .read(shares)
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line}\n"),
            _ => {
                let (unit_and_area, _) = line.rsplit_once(',').unwrap();
                format!("{unit_and_area},965.00\n")
            }
        })
        .collect();
    portal.write(shares, &equal);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No rate per ㎡ is claimed for a split that is not by area (by area, both pages give one).
    for page in [
        "xingfuli/projects/roof-repair-shares.html",
        "xingfuli/print/project-roof-repair.html",
    ] {
        let text = portal.page_text(page);
        assert!(text.contains("按户均摊"), "{page}: {text}");
        assert!(!text.contains("每平方米"), "{page}: {text}");
    }

    portal.write(
        shares,
        &equal
            .replacen(",965.00\n", ",964.99\n", 1)
            .replacen(",965.00\n", ",965.01\n", 1),
    );
    check_fails_with(
        &portal,
        &["3栋1单元101 的分摊金额 ¥964.99 与按户均摊和“最大余额法”计算的 ¥965.00 不符"],
    );
}

#[test]
fn the_project_page_links_each_units_share_when_they_are_public() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let page = portal.page("xingfuli/projects/roof-repair.html");
    let link = scraper::Selector::parse("p.shares-link a").unwrap();
    let a = page
        .select(&link)
        .next()
        .expect("no link to the shares page");
    assert_eq!(a.text().collect::<String>(), "各户分摊明细（40 户）");
    let href = a.value().attr("href").unwrap();
    let target = portal
        .path("public/xingfuli/projects")
        .join(href)
        .canonicalize()
        .unwrap();
    assert!(target.ends_with("xingfuli/projects/roof-repair-shares.html"));

    let compound = portal.read("content/xingfuli/compound.toml");
    portal.write(
        "content/xingfuli/compound.toml",
        &format!("unit_pages = \"print-only\"\n{compound}"),
    );
    assert_eq!(portal.build().code, 0);
    let page = portal.page("xingfuli/projects/roof-repair.html");
    assert!(page.select(&link).next().is_none());
    assert!(
        !portal
            .path("public/xingfuli/projects/roof-repair-shares.html")
            .exists()
    );
}

#[test]
fn the_165_rule_governs_using_the_fund_only_and_its_page_shows_the_share_it_tests() {
    let portal = Portal::copy_of("examples/starter");
    let project = "content/xingfuli/projects/roof-repair.toml";
    // 40 owners, 34 took part (85%), 26 agree: 76.47% of those taking part, 65.00% of all.
    portal.edit(
        project,
        "method = \"纸质表决\"",
        "method = \"纸质表决\"\nprofile = \"165号令\"",
    );
    portal.edit(project, "agree_owners = 31", "agree_owners = 26");
    portal.edit(project, "oppose_owners = 2", "oppose_owners = 7");
    portal.edit(project, "status = \"已完工\"", "status = \"未通过\"");
    // Without the fund paying for it (a rejected project is not paid).
    let fund = portal.read("content/xingfuli/fund.csv");
    let unpaid: String = fund
        .lines()
        .filter(|l| !l.contains(",支取,"))
        .map(|l| format!("{l}\n"))
        .collect();
    portal.write(
        "content/xingfuli/fund.csv",
        &unpaid.replace("387,675.25", "426,275.25"),
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = portal.page_text("xingfuli/projects/roof-repair.html");
    assert!(
        text.contains("参与比例 须达三分之二以上 85.00% ✓"),
        "{text}"
    );
    assert!(text.contains("同意占总数的比例"), "{text}");
    assert!(text.contains("65.00% ✗"), "{text}");
    assert!(text.contains("同意的面积或人数未达到"), "{text}");
    assert!(!text.contains("参与表决的面积或人数不足三分之二"), "{text}");

    // Changing the use of common parts needs three quarters under the Civil Code, whatever rule
    // the fund centre keeps: 26 of 34 (76.47%) pass it, and the page cites article 278.
    portal.edit(
        project,
        "matter = \"使用维修资金\"",
        "matter = \"利用共有部分经营\"",
    );
    portal.edit(project, "status = \"未通过\"", "status = \"已通过\"");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = portal.page_text("xingfuli/projects/roof-repair.html");
    assert!(text.contains("同意占参与表决的比例"), "{text}");
    assert!(text.contains("《民法典》第二百七十八条"), "{text}");
}

#[test]
fn a_correction_entry_may_take_back_recorded_revenue_with_negative_amounts() {
    let portal = Portal::copy_of("examples/starter");
    let revenue = portal.read("content/xingfuli/revenue.csv");
    // 200.00 of the 快递柜 fee (GS2025-003) was charged twice and is paid back.
    let reversal = "2025-10-15,快递柜,退还多收场地费,某快递柜运营公司,(200.00),0,(200.00),业委会经费,2024年第一次业主大会决议,GS2025-004,冲正 GS2025-003 多收部分\n";
    portal.write(
        "content/xingfuli/revenue.csv",
        &format!("{revenue}{reversal}"),
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = portal.page_text("xingfuli/revenue.html");
    // 13,944.00 − 200.00; the 业委会经费 share is 1,000.00 of 13,744.00.
    assert!(text.contains("¥13,744.00"), "{text}");
    assert!(text.contains("业委会经费 ¥1,000.00 7.28%"), "{text}");

    // Without the 冲正 note a negative amount is refused, with a hint that says how.
    portal.write(
        "content/xingfuli/revenue.csv",
        &format!(
            "{revenue}{}",
            reversal.replace("冲正 GS2025-003 多收部分", "退款")
        ),
    );
    check_fails_with(
        &portal,
        &[
            "“收入金额”不能为负数：(200.00)",
            "备注以“冲正 原凭证号”开头",
        ],
    );
}

#[test]
fn an_unreadable_fund_row_is_reported_alone_not_as_a_wrong_balance() {
    let portal = Portal::copy_of("examples/starter");
    // A withdrawal written the bank's way, in brackets: refused, and not left out of the balance.
    portal.edit(
        "content/xingfuli/fund.csv",
        "2025-08-20,支取,\"38,600.00\"",
        "2025-08-20,支取,\"(38,600.00)\"",
    );
    let stderr = check_fails_with(&portal, &["money-negative", "1 个错误"]);
    assert!(!stderr.contains("fund-balance-mismatch"), "{stderr}");

    // A readable ledger with another error (a withdrawal for an unknown project) is still
    // balanced: the 5 fen are reported as 5 fen.
    portal.edit(
        "content/xingfuli/fund.csv",
        "\"(38,600.00)\",roof-repair",
        "\"38,600.00\",roof-x",
    );
    portal.edit("content/xingfuli/fund.csv", "387,675.25", "387,675.20");
    check_fails_with(&portal, &["roof-x", "相差 -¥0.05"]);
}

#[test]
fn an_unreadable_vote_count_is_reported_alone() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit(
        "content/xingfuli/projects/roof-repair.toml",
        "total_area = \"3,720.00\"",
        "total_area = \"3,720.00m2m2\"",
    );
    // Not taken for 0.00㎡: no quorum, total or scope findings follow from it.
    check_fails_with(&portal, &["area-invalid", "1 个错误，0 个警告"]);
}

#[test]
fn an_unknown_column_points_to_the_ledgers_own_remarks_column() {
    let portal = Portal::copy_of("examples/starter");
    let fund = portal.read("content/xingfuli/fund.csv");
    let with_extra: String = fund
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},经办人备忘\n")
            } else {
                format!("{l},\n")
            }
        })
        .collect();
    portal.write("content/xingfuli/fund.csv", &with_extra);
    let run = portal.check();
    assert!(
        run.stderr.contains("未知的列“经办人备忘”"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("请并入“摘要”列"), "{}", run.stderr);
}
