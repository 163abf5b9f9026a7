//! The build cache: a rebuild takes compounds whose files did not change from the previous build
//! (their pages, summary and warnings) and processes only the others; what it publishes is
//! byte for byte what a build from nothing publishes.

mod common;

use common::{Portal, snapshot_tree};

const CACHE: &str = ".public.sanwu-cache";

/// The findings a build printed: its report without the final summary line.
fn findings(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("已生成") && !l.starts_with("built the site"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `sanwu build` with `args` on `portal`; it must succeed. Returns what it printed.
fn build(portal: &Portal, args: &[&str]) -> String {
    let run = portal.run(&[&["build"], args].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

/// Asserts that a build's summary line says it took `n` compounds from the cache (none: it
/// says nothing of the cache).
fn assert_kept(stderr: &str, n: usize) {
    if n == 0 {
        assert!(!stderr.contains("未改动"), "{stderr}");
    } else {
        assert!(
            stderr.contains(&format!(
                "其中 {n} 个小区的文件未改动，沿用上次的检查和页面"
            )),
            "{stderr}"
        );
    }
}

/// The site a build from nothing makes of the portal as it now is, in `fresh/`.
fn fresh_build(portal: &Portal) -> Vec<(String, Vec<u8>)> {
    build(portal, &["-o", "fresh"]);
    let site = snapshot_tree(&portal.path("fresh"));
    std::fs::remove_dir_all(portal.path("fresh")).unwrap();
    std::fs::remove_file(portal.path(".fresh.sanwu-cache")).unwrap();
    site
}

#[test]
fn unchanged_compounds_keep_their_pages_and_warnings_and_the_site_matches_a_fresh_build() {
    let portal = Portal::copy_of(".");
    let first = build(&portal, &[]);
    assert_kept(&first, 0);
    assert!(first.contains("个警告"), "the demo has warnings");
    // The cache lies beside the site, never in it: findings quote ledger lines.
    assert!(portal.path(CACHE).is_file());
    assert!(
        snapshot_tree(&portal.path("public"))
            .iter()
            .all(|(path, _)| !path.contains("cache")),
        "the cache must not be published"
    );

    // Nothing changed: every compound comes from the cache, with the same warnings.
    let second = build(&portal, &[]);
    assert!(
        second.contains("写入 0 个有变化的文件；其中 4 个小区的文件未改动"),
        "{}",
        second
    );
    assert_eq!(findings(&second), findings(&first));
    let english = build(&portal, &["--lang", "en"]);
    assert!(
        english
            .contains("4 compounds had unchanged files and kept the last build's checks and pages"),
        "{}",
        english
    );
    assert!(english.contains("warning"), "{english}");

    // One compound's ledger changes: it alone is processed again.
    portal.edit(
        "content/mingxiu/fees.csv",
        "\"342,108.51\"",
        "\"342,109.51\"",
    );
    let third = build(&portal, &[]);
    assert_kept(&third, 3);
    assert!(portal.page_text("mingxiu/fees.html").contains("342,109.51"));
    assert_eq!(findings(&third), findings(&first));
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));

    // A new file in a compound's folder counts as a change too.
    portal.write(
        "content/yihe/notices/2026-05-cache-test.md",
        "+++\ntitle = \"缓存测试公告\"\ndate = 2026-05-10\nkind = \"公告\"\n+++\n\n本公告用于检验重新生成。\n",
    );
    let fourth = build(&portal, &[]);
    assert_kept(&fourth, 3);
    assert!(
        portal
            .page_text("yihe/notices.html")
            .contains("缓存测试公告")
    );
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));
}

#[test]
fn a_settings_change_rechecks_every_compound() {
    let portal = Portal::copy_of(".");
    let first = build(&portal, &[]);
    // The build date judges timeliness: moving it on makes more disclosures overdue.
    portal.edit("config.toml", "today = 2026-05-15", "today = 2027-05-15");
    let later = build(&portal, &[]);
    assert_kept(&later, 0);
    assert_ne!(findings(&later), findings(&first));
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));
}

#[test]
fn a_failed_build_leaves_the_cache_of_the_published_site() {
    let portal = Portal::copy_of(".");
    build(&portal, &[]);
    let cache = std::fs::read(portal.path(CACHE)).unwrap();
    let site = snapshot_tree(&portal.path("public"));

    portal.edit(
        "content/mingxiu/fees.csv",
        "\"342,108.51\"",
        "\"342,1O8.51\"",
    );
    let failed = portal.build();
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert_eq!(std::fs::read(portal.path(CACHE)).unwrap(), cache);
    assert_eq!(snapshot_tree(&portal.path("public")), site);

    // Put back as published, the compound matches the cache of the site still published.
    portal.edit(
        "content/mingxiu/fees.csv",
        "\"342,1O8.51\"",
        "\"342,108.51\"",
    );
    let fixed = build(&portal, &[]);
    assert_kept(&fixed, 4);
    assert_eq!(snapshot_tree(&portal.path("public")), site);
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored() {
    let portal = Portal::copy_of(".");
    build(&portal, &[]);
    let site = snapshot_tree(&portal.path("public"));
    for text in [
        "{ not json",
        "{\"cache_version\":1,\"generator\":\"sanwu 0.0.0\",\"compounds\":{}}",
    ] {
        portal.write(CACHE, text);
        let run = build(&portal, &[]);
        assert_kept(&run, 0);
        assert_eq!(snapshot_tree(&portal.path("public")), site);
    }
    // A site deleted by hand is built again in full, whatever the cache says.
    std::fs::remove_dir_all(portal.path("public")).unwrap();
    let run = build(&portal, &[]);
    assert_kept(&run, 0);
    assert_eq!(snapshot_tree(&portal.path("public")), site);
}

#[test]
fn in_git_a_commit_to_one_compound_leaves_the_others_cached() {
    let portal = Portal::copy_of(".");
    portal.git(&["init", "-q", "-b", "main"]);
    // Committed shortly before the build date, so no row is sealed yet.
    portal.git(&["add", "config.toml", "content"]);
    portal.git_at("2026-05-10T10:00:00+08:00", &["commit", "-q", "-m", "账本"]);
    build(&portal, &[]);

    portal.edit(
        "content/mingxiu/fees.csv",
        "\"342,108.51\"",
        "\"342,109.51\"",
    );
    // Uncommitted: the compound's pages say so.
    let dirty = build(&portal, &[]);
    assert_kept(&dirty, 3);
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));

    // Committed: the file's bytes are the same, but its ledger version is new.
    portal.git_at(
        "2026-05-12T10:00:00+08:00",
        &["commit", "-q", "-am", "更正"],
    );
    let committed = build(&portal, &[]);
    assert_kept(&committed, 3);
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));
}

/// Files last changed more than two seconds before a build are not read again by the next build
/// if their stamps (inode, size, modification and change times) are the same. Any write gives a
/// file a new change time, which no program can set back: an edit that keeps the size and puts
/// the modification time back is still seen.
#[test]
fn a_file_edited_behind_unchanged_size_and_modification_time_is_still_seen() {
    let portal = Portal::copy_of(".");
    std::thread::sleep(std::time::Duration::from_millis(2200));
    build(&portal, &[]);
    // The stamps were trusted and kept: nothing is read, every compound comes from the cache.
    let again = build(&portal, &[]);
    assert_kept(&again, 4);

    let path = portal.path("content/mingxiu/fees.csv");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = portal.read("content/mingxiu/fees.csv");
    assert!(text.contains("\"342,108.51\""));
    std::fs::write(&path, text.replacen("\"342,108.51\"", "\"342,109.51\"", 1)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, text.len());
    // Past the window in which any recent change makes a build read the files anyway: only the
    // change time tells this edit apart now.
    std::thread::sleep(std::time::Duration::from_millis(2200));

    let edited = build(&portal, &[]);
    assert_kept(&edited, 3);
    assert!(portal.page_text("mingxiu/fees.html").contains("342,109.51"));
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));
}

/// What a symbolic link points to can change without anything in the compound's folder changing:
/// such a compound is checked on every build.
#[test]
fn a_compound_with_a_symbolic_link_is_checked_on_every_build() {
    let portal = Portal::copy_of(".");
    let notice = |title: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2026-05-10\nkind = \"公告\"\n+++\n\n全体业主共同的通知。\n"
        )
    };
    portal.write("shared/notice.md", &notice("共用通知第一版"));
    std::os::unix::fs::symlink(
        portal.path("shared/notice.md"),
        portal.path("content/yihe/notices/2026-05-shared.md"),
    )
    .unwrap();
    build(&portal, &[]);
    let again = build(&portal, &[]);
    assert_kept(&again, 3);
    portal.write("shared/notice.md", &notice("共用通知第二版"));
    let changed = build(&portal, &[]);
    assert_kept(&changed, 3);
    assert!(
        portal
            .page_text("yihe/notices.html")
            .contains("共用通知第二版")
    );
    assert_eq!(snapshot_tree(&portal.path("public")), fresh_build(&portal));
}
