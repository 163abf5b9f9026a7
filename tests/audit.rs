//! Auditors' guarantees: a published site carries a manifest of every file's SHA-256 that
//! `sanwu verify` re-checks, and the same sources build byte-identical sites whatever the folder,
//! time zone, locale or order in which the file system lists them.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, Portal, Run, snapshot_tree};

fn sanwu(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().into()
}

/// Copies `from` to `to` creating files and folders in reverse name order, so that a file system
/// that lists entries in creation order lists them differently from the original.
fn copy_reversed(from: &Path, to: &Path) {
    let mut entries: Vec<_> = walkdir::WalkDir::new(from)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    entries.sort();
    for dir in entries.iter().filter(|p| p.is_dir()) {
        std::fs::create_dir_all(to.join(dir.strip_prefix(from).unwrap())).unwrap();
    }
    for file in entries.iter().rev().filter(|p| p.is_file()) {
        std::fs::copy(file, to.join(file.strip_prefix(from).unwrap())).unwrap();
    }
}

#[test]
fn builds_are_reproducible_across_folders_time_zones_locales_and_listing_order() {
    let original = Portal::copy_of(".");
    let other = tempfile::tempdir().unwrap();
    let nested = other.path().join("一个/更深的/目录");
    std::fs::create_dir_all(&nested).unwrap();
    copy_reversed(original.dir.path(), &nested);

    let a = sanwu(
        original.dir.path(),
        &["build"],
        &[("TZ", "UTC"), ("LC_ALL", "C")],
    );
    assert_eq!(a.code, 0, "{}", a.stderr);
    let b = sanwu(
        &nested,
        &["build", "--output", "site"],
        &[
            ("TZ", "Asia/Shanghai"),
            ("LC_ALL", "zh_CN.UTF-8"),
            ("LANG", "zh_CN.UTF-8"),
        ],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);

    let sa = snapshot_tree(&original.path("public"));
    let sb = snapshot_tree(&nested.join("site"));
    assert!(sa.len() > 50);
    assert_eq!(sa.len(), sb.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in sa.iter().zip(&sb) {
        assert_eq!(name_a, name_b);
        assert!(
            bytes_a == bytes_b,
            "{name_a} differs between the two builds"
        );
    }
}

#[test]
fn verify_accepts_an_intact_copy_and_names_every_tampered_file() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let manifest: serde_json::Value =
        serde_json::from_str(&portal.read("public/manifest.json")).unwrap();
    assert_eq!(
        manifest["generator"],
        format!("sanwu {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(
        manifest["files"]["xingfuli/index.html"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );

    // A mirror that copied the site faithfully.
    let mirror = tempfile::tempdir().unwrap();
    common::copy_tree(&portal.path("public"), mirror.path());
    let ok = sanwu(mirror.path(), &["verify", "."], &[]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stderr.contains("完好"), "{}", ok.stderr);

    // A figure quietly changed, a page removed, a page added.
    let page = mirror.path().join("xingfuli/fund.html");
    let html = std::fs::read_to_string(&page)
        .unwrap()
        .replace("¥387,675.25", "¥397,675.25");
    std::fs::write(&page, html).unwrap();
    std::fs::remove_file(mirror.path().join("xingfuli/notices.html")).unwrap();
    std::fs::write(mirror.path().join("xingfuli/extra.html"), "<p>?</p>").unwrap();
    let bad = sanwu(mirror.path(), &["verify", ".", "--lang", "en"], &[]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout.contains("modified: xingfuli/fund.html"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stdout.contains("missing: xingfuli/notices.html"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stdout.contains("added: xingfuli/extra.html"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stderr
            .contains("not intact: 1 modified, 1 missing, 1 added"),
        "{}",
        bad.stderr
    );

    let json = sanwu(mirror.path(), &["verify", ".", "--format", "json"], &[]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["intact"], false);
    assert_eq!(report["modified"][0], "xingfuli/fund.html");
}

#[test]
fn verify_without_a_manifest_is_an_operational_failure() {
    let dir = tempfile::tempdir().unwrap();
    let run = sanwu(dir.path(), &["verify", "."], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("manifest.json"), "{}", run.stderr);
}

#[test]
fn the_manifest_names_the_source_commit_of_a_portal_in_git() {
    let portal = Portal::copy_of("examples/starter");
    let git = |args: &[&str]| portal.git(args);
    git(&["init", "-q"]);
    git(&["add", "config.toml", "content"]);
    git(&["commit", "-q", "-m", "2025年台账"]);
    let head = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(portal.dir.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(portal.build().code, 0);
    let manifest: serde_json::Value =
        serde_json::from_str(&portal.read("public/manifest.json")).unwrap();
    assert_eq!(manifest["source_commit"], head.trim());
    assert_eq!(manifest["source_dirty"], false);

    portal.edit("content/xingfuli/fees.csv", "2025Q4", "2025Q4");
    portal.write(
        "content/xingfuli/notices/new.md",
        "+++\ntitle = \"新公告\"\ndate = 2025-12-01\n+++\n正文\n",
    );
    assert_eq!(portal.build().code, 0);
    let manifest: serde_json::Value =
        serde_json::from_str(&portal.read("public/manifest.json")).unwrap();
    assert_eq!(manifest["source_dirty"], true);
}

#[test]
fn every_table_total_names_the_ledger_lines_it_sums() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let title = |page: &str, selector: &str| -> Vec<String> {
        let html = portal.page(page);
        let selector = scraper::Selector::parse(selector).unwrap();
        html.select(&selector)
            .map(|row| row.value().attr("title").unwrap_or_default().to_string())
            .collect()
    };
    // fees.csv has its header on line 1 and four rows of 2025 on lines 2–5.
    assert_eq!(
        title("xingfuli/fees.html", "tfoot tr"),
        ["合计自 content/xingfuli/fees.csv 第 2–5 行"]
    );
    let revenue = title("xingfuli/revenue.html", "tfoot tr");
    assert!(!revenue.is_empty());
    assert!(
        revenue
            .iter()
            .all(|t| t == "合计自 content/xingfuli/revenue.csv 第 2–4 行"),
        "{revenue:?}"
    );
    let fund = title("xingfuli/fund.html", "#years-h ~ div tbody tr");
    assert_eq!(
        fund,
        ["本年各项合计自 content/xingfuli/fund.csv 第 2–7 行；年末余额为此前全部各行累计"]
    );
}

#[test]
fn a_compound_pages_name_its_own_ledger_version_and_stay_unchanged_by_others_commits() {
    let portal = Portal::copy_of("examples/starter");
    let from = portal.path("content/xingfuli");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = portal
            .path("content/other")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let head = || {
        let out = Command::new("git")
            .args(["rev-parse", "--short=10", "HEAD"])
            .current_dir(portal.dir.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    portal.git(&["init", "-q"]);
    portal.git(&["add", "config.toml", "content"]);
    portal.git(&["commit", "-q", "-m", "2025年台账"]);
    let first = head();
    assert_eq!(portal.build().code, 0);
    let footer = |page: &str| portal.page_text(page);
    assert!(footer("other/fees.html").contains(&format!("台账版本 {first}")));
    let other_before = portal.read("public/other/fees.html");

    // Only xingfuli changes: its pages name the new commit, the other compound's stay as they were.
    portal.edit(
        "content/xingfuli/fees.csv",
        "\"101,779.20\"",
        "\"101,780.20\"",
    );
    portal.git(&["commit", "-q", "-am", "更正第二季度实收"]);
    let second = head();
    assert_eq!(portal.build().code, 0);
    assert!(footer("xingfuli/fees.html").contains(&format!("台账版本 {second}")));
    assert_eq!(portal.read("public/other/fees.html"), other_before);
    // The portal's manifest names the newest commit.
    let manifest: serde_json::Value =
        serde_json::from_str(&portal.read("public/manifest.json")).unwrap();
    assert!(
        manifest["source_commit"]
            .as_str()
            .unwrap()
            .starts_with(&second)
    );

    // Uncommitted changes are flagged on that compound only.
    portal.edit(
        "content/xingfuli/fees.csv",
        "\"101,780.20\"",
        "\"101,781.20\"",
    );
    assert_eq!(portal.build().code, 0);
    assert!(footer("xingfuli/fees.html").contains("含未提交的修改"));
    assert!(!footer("other/fees.html").contains("含未提交的修改"));
}
