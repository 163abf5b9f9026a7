//! Disclosure deadlines as a committee reads them in `sanwu check`: a period is due by the last
//! day of the month after it ends (a quarter ending 06-30 by 07-31, February by 03-31), and the
//! fund's statement at the cadence `config.toml` sets.

mod common;

use common::Portal;

fn check_on(portal: &Portal, today: &str) -> String {
    let run = portal.run(&["check", "--today", today]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    run.stderr
}

#[test]
fn a_quarter_ending_on_the_30th_is_due_on_the_31st_of_the_next_month() {
    let portal = Portal::copy_of("examples/starter");
    // The ledger stops with the second quarter (the 2025-09-30 entry goes).
    portal.edit("content/xingfuli/revenue.csv", "\n2025-09-30", "\n#");
    let text = portal.read("content/xingfuli/revenue.csv");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    portal.write("content/xingfuli/revenue.csv", &(kept.join("\n") + "\n"));

    let on_the_31st = check_on(&portal, "2025-10-31");
    assert!(
        !on_the_31st.contains("revenue-disclosure-overdue"),
        "{on_the_31st}"
    );
    let next_day = check_on(&portal, "2025-11-01");
    assert!(
        next_day.contains("2025年第3季度的收支应在 2025-10-31 前公示，自 2025-11-01 起逾期"),
        "{next_day}"
    );
}

#[test]
fn february_is_due_at_the_end_of_march_also_in_a_leap_year() {
    let portal = Portal::copy_of("examples/starter");
    let config = portal.read("config.toml");
    portal.write(
        "config.toml",
        &format!("{config}\n[cadence]\nrevenue = \"monthly\"\n"),
    );
    portal.write(
        "content/xingfuli/revenue.csv",
        "日期,类别,项目,相对方,收入金额,合理成本,净收益,去向,决议,凭证号,备注\n\
         2024-01-20,停车,地面临时停车费（1月）,小区车主,\"1,000.00\",100.00,900.00,维修资金,2023年第一次业主大会决议,GS2024-001,\n",
    );
    let on_the_31st = check_on(&portal, "2024-03-31");
    assert!(
        !on_the_31st.contains("revenue-disclosure-overdue"),
        "{on_the_31st}"
    );
    let next_day = check_on(&portal, "2024-04-01");
    assert!(
        next_day.contains("2024年2月的收支应在 2024-03-31 前公示"),
        "{next_day}"
    );
}

#[test]
fn the_fund_statement_follows_its_cadence() {
    let portal = Portal::copy_of("examples/starter");
    let config = portal.read("config.toml");
    // The last 结存 is 2025-12-31.
    assert!(!check_on(&portal, "2026-12-31").contains("fund-statement-overdue"));
    assert!(check_on(&portal, "2027-01-01").contains("已超过 12 个月"));
    portal.write(
        "config.toml",
        &format!("{config}\n[cadence]\nfund = \"half-yearly\"\n"),
    );
    assert!(!check_on(&portal, "2026-06-30").contains("fund-statement-overdue"));
    let late = check_on(&portal, "2026-07-01");
    assert!(
        late.contains("维修资金最近一次对账结存是 2025-12-31，已超过 6 个月（截至 2026-07-01）"),
        "{late}"
    );
}
