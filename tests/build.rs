//! `sanwu build` end to end on the starter portal: the pages a resident sees, reproducibility,
//! `init`, and the safety of the output folder.

mod common;

use std::process::Command;

use common::{Portal, leftovers, snapshot_tree};

#[test]
fn starter_portal_builds_and_shows_the_figures() {
    let portal = Portal::copy_of("examples/starter");
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 个错误，0 个警告"), "{}", run.stderr);

    // The portal front page lists the compound.
    let front = portal.page_text("index.html");
    assert!(front.contains("幸福里小区"), "{front}");

    // Overview: the tender saving (46,800 → 38,600 = 8,200, 17.52%), fund balance, fee rate.
    let overview = portal.page_text("xingfuli/index.html");
    for expected in [
        "¥46,800.00",
        "¥38,600.00",
        "¥8,200.00",
        "17.52%",
        "¥387,675.25",
    ] {
        assert!(
            overview.contains(expected),
            "overview lacks {expected}: {overview}"
        );
    }
    // 2025 collection rate: 405,100.80 / 428,544.00 = 94.53%
    assert!(overview.contains("94.53%"), "{overview}");

    // Fee page: per-quarter rate and arrears recovered kept apart (1,440 + 2,880).
    let fees = portal.page_text("xingfuli/fees.html");
    assert!(
        fees.contains("94.06%"),
        "Q1 rate 100,771.20/107,136.00: {fees}"
    );
    assert!(
        fees.contains("¥4,320.00"),
        "arrears recovered in 2025: {fees}"
    );

    // Fund page: running balance and the declared balance that reconciles.
    let fund = portal.page_text("xingfuli/fund.html");
    assert!(fund.contains("¥387,675.25"), "{fund}");
    assert!(fund.contains("3号楼屋面防水维修"), "{fund}");

    // Project page: vote by area and owners with the verdict.
    let project = portal.page_text("xingfuli/projects/roof-repair.html");
    assert!(
        project.contains("85.00%"),
        "participation by area 3,162/3,720: {project}"
    );
    assert!(
        project.contains("91.18%"),
        "agreement by owners 31/34: {project}"
    );
    assert!(project.contains("第二百七十八条"), "{project}");

    // Tender page compares every bid.
    let tender = portal.page_text("xingfuli/tenders/roof-2025.html");
    for expected in [
        "¥38,600.00",
        "¥41,200.00",
        "¥44,900.00",
        "某防水工程有限公司",
    ] {
        assert!(
            tender.contains(expected),
            "tender lacks {expected}: {tender}"
        );
    }

    // Notices: list and pages; markdown tables become HTML tables.
    let notice = portal.read("public/xingfuli/notices/2025-06-roof-result.html");
    assert!(notice.contains("<table"), "{notice}");
    assert!(
        portal
            .page_text("xingfuli/notices.html")
            .contains("比选结果公示")
    );

    // Assets are relative: the site works from a folder.
    let html = portal.read("public/xingfuli/tenders/roof-2025.html");
    assert!(html.contains("href=\"../../static/style.css\""), "{html}");
    assert!(!html.contains("href=\"/"), "absolute link in {html}");
    assert!(portal.path("public/static/style.css").is_file());
    assert!(leftovers(portal.dir.path()).is_empty());
}

#[test]
fn same_input_builds_byte_identical_sites() {
    let a = Portal::copy_of("examples/starter");
    let b = Portal::copy_of("examples/starter");
    assert_eq!(a.build().code, 0);
    assert_eq!(b.build().code, 0);
    let sa = snapshot_tree(&a.path("public"));
    let sb = snapshot_tree(&b.path("public"));
    assert!(sa.len() > 10);
    assert_eq!(
        sa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        sb.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in sa.iter().zip(&sb) {
        assert!(x == y, "{name} differs between two builds");
    }
    // And a rebuild in place gives the same bytes again.
    assert_eq!(a.build().code, 0);
    assert_eq!(snapshot_tree(&a.path("public")), sa);
}

#[test]
fn init_scaffolds_a_portal_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let run: common::Run = std::process::Command::new(common::BIN)
        .args(["init", "my-portal"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("sanwu build"), "{}", run.stderr);
    let build: common::Run = std::process::Command::new(common::BIN)
        .args(["build", "--root", "my-portal"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(dir.path().join("my-portal/public/index.html").is_file());

    // A second init into the same, now non-empty, folder changes nothing.
    let again: common::Run = std::process::Command::new(common::BIN)
        .args(["init", "my-portal"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("已存在且不为空"), "{}", again.stderr);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_build() {
    let portal = Portal::copy_of("examples/starter");
    portal.write("documents/keep-me.txt", "不要删除");
    let run = portal.run(&["build", "--output", "documents"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("documents"), "{}", run.stderr);
    assert_eq!(portal.read("documents/keep-me.txt"), "不要删除");
    assert!(leftovers(portal.dir.path()).is_empty());
}

#[test]
fn refuses_the_folder_the_user_stands_in() {
    let portal = Portal::copy_of("examples/starter");
    let site = portal.path("site");
    std::fs::create_dir(&site).unwrap();
    let root = portal.dir.path().to_str().unwrap();
    for (output, lang, expected) in [
        (".", "zh", "就是当前所在的目录"),
        ("..", "en", "is the folder you are in (or holds it)"),
    ] {
        // An empty folder that the build would otherwise have taken as its own.
        let run = Command::new(common::BIN)
            .args(["build", "--root", root, "--output", output, "--lang", lang])
            .current_dir(&site)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(stderr.contains("--output public"), "{stderr}");
        assert_eq!(std::fs::read_dir(&site).unwrap().count(), 0);
        assert!(leftovers(portal.dir.path()).is_empty());
    }
}

#[test]
fn a_second_build_into_the_same_output_waits_for_the_first() {
    use std::io::BufRead;
    let portal = Portal::copy_of("examples/starter");
    // This test plays the first build: it holds the lock a build holds while it publishes.
    let lock = std::fs::File::create(portal.path(".public.sanwu-lock")).unwrap();
    lock.lock().unwrap();
    let mut second = Command::new(common::BIN)
        .args(["build", "--quiet"])
        .current_dir(portal.dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(second.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains("另一个 sanwu 正在发布到 ./public，等它完成"),
        "{line}"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(second.try_wait().unwrap().is_none(), "did not wait");
    assert!(!portal.path("public").exists());
    assert!(
        leftovers(portal.dir.path()).is_empty(),
        "staged before the lock"
    );
    drop(lock);
    let status = second.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(portal.path("public/xingfuli/index.html").is_file());
    assert_eq!(portal.run(&["verify"]).code, 0);
}

#[test]
fn an_output_that_links_elsewhere_is_published_into_the_linked_folder() {
    let portal = Portal::copy_of("examples/starter");
    let web_root = tempfile::tempdir().unwrap();
    let served = web_root.path().join("html");
    std::fs::create_dir(&served).unwrap();
    std::os::unix::fs::symlink(&served, portal.path("public")).unwrap();
    for round in 0..2 {
        let run = portal.build();
        assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
        let link = std::fs::symlink_metadata(portal.path("public")).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "round {round}: link replaced"
        );
        let page = std::fs::read_to_string(served.join("xingfuli/index.html")).unwrap();
        assert!(page.contains("幸福里"), "round {round}");
        // Staging and the build cache sit beside the real folder, not beside the link.
        assert!(leftovers(web_root.path()).is_empty());
        assert!(leftovers(portal.dir.path()).is_empty());
        assert!(web_root.path().join(".html.sanwu-cache").is_file());
    }
    portal.edit(
        "content/xingfuli/revenue.csv",
        "电梯轿厢广告位租金",
        "电梯轿厢广告位年租金",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(served.join("xingfuli/revenue.html"))
            .unwrap()
            .contains("电梯轿厢广告位年租金")
    );
}

#[test]
fn output_option_and_english_summary() {
    let portal = Portal::copy_of("examples/starter");
    let run = portal.run(&["build", "--output", "site", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    assert!(portal.path("site/xingfuli/index.html").is_file());
    assert!(!portal.path("public").exists());
}

#[test]
fn a_portal_template_overrides_the_theme() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        "templates/notice.html",
        "<!DOCTYPE html><html lang=\"zh-CN\"><title>{{ notice.title }}</title><p class=\"custom\">自定义：{{ notice.title }}</p></html>",
    );
    assert_eq!(portal.build().code, 0);
    let html = portal.read("public/xingfuli/notices/2025-05-roof-vote.html");
    assert!(
        html.contains("自定义：关于使用维修资金维修3号楼屋面的表决公告"),
        "{html}"
    );
    // Other pages keep the theme's templates.
    assert!(
        portal
            .read("public/xingfuli/index.html")
            .contains("static/style.css")
    );
}

#[test]
fn a_broken_portal_template_is_reported_with_its_file_line_and_column() {
    let portal = Portal::copy_of("examples/starter");
    // A field the notice does not have: reported when the page is rendered.
    portal.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ notice.title }}</p>\n<p>{{ notice.subtitle }}</p>\n{% endblock main %}\n",
    );
    let run = portal.build();
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("notice.html:4:14"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`subtitle` is not defined"),
        "{}",
        run.stderr
    );
    // A syntax error: reported before anything is rendered.
    portal.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ notice.title </p>\n{% endblock main %}\n",
    );
    let run = portal.build();
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("notice.html:3:20"), "{}", run.stderr);
    // An interface string that no strings file defines is named, with where to add it.
    portal.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ t.notice.no_such_key }}</p>\n{% endblock main %}\n",
    );
    let run = portal.build();
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("t.notice.no_such_key") && run.stderr.contains("i18n/zh.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_in_a_notice_is_not_published() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        "content/xingfuli/notices/2025-07-evil.md",
        "+++\ntitle = \"测试\"\ndate = 2025-07-01\nkind = \"公告\"\n+++\n\n正文<script>alert('x')</script><a href=\"javascript:alert(1)\" onclick=\"x()\">链接</a>\n",
    );
    assert_eq!(portal.build().code, 0);
    let html = portal.read("public/xingfuli/notices/2025-07-evil.html");
    assert!(html.contains("正文"));
    assert!(!html.contains("alert"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
}

/// (inode, mtime) of a published file: both stay the same when a rebuild leaves it alone.
fn identity(portal: &Portal, rel: &str) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(portal.path(&format!("public/{rel}"))).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let untouched = [
        "xingfuli/notices/2025-05-roof-vote.html",
        "xingfuli/fund.html",
        "static/style.css",
    ];
    let before: Vec<_> = untouched.iter().map(|p| identity(&portal, p)).collect();
    let fees_before = identity(&portal, "xingfuli/fees.html");
    std::thread::sleep(std::time::Duration::from_millis(20));

    // One figure changes and one notice is withdrawn.
    portal.edit(
        "content/xingfuli/fees.csv",
        "\"101,779.20\"",
        "\"101,780.20\"",
    );
    std::fs::remove_file(portal.path("content/xingfuli/notices/2025-06-roof-result.md")).unwrap();
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let after: Vec<_> = untouched.iter().map(|p| identity(&portal, p)).collect();
    assert_eq!(before, after, "unchanged pages were rewritten");
    assert_ne!(identity(&portal, "xingfuli/fees.html"), fees_before);
    assert!(
        portal
            .page_text("xingfuli/fees.html")
            .contains("101,780.20")
    );
    assert!(
        !portal
            .path("public/xingfuli/notices/2025-06-roof-result.html")
            .exists(),
        "a page the build no longer produces is removed"
    );
    // The manifest describes the site as it now is.
    let verify = portal.run(&["verify", "public"]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(portal.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains("sanwu-") && !n.ends_with(".sanwu-cache") && !n.ends_with(".sanwu-lock")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rebuild_keeps_unchanged_compounds_and_renders_missing_or_outdated_pages() {
    let portal = Portal::copy_of(".");
    assert_eq!(portal.build().code, 0);
    let kept = identity(&portal, "yihe/index.html");
    let deleted = "public/tianyuan/fees.html";
    let original = portal.read(deleted);
    std::fs::remove_file(portal.path(deleted)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    // One compound's figure changes; the others' inputs do not.
    portal.edit(
        "content/mingxiu/fees.csv",
        "\"342,108.51\"",
        "\"342,109.51\"",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(identity(&portal, "yihe/index.html"), kept);
    assert!(portal.page_text("mingxiu/fees.html").contains("342,109.51"));
    // A page deleted from the published folder is rendered again, not assumed to be there.
    assert_eq!(portal.read(deleted), original);
    let verify = portal.run(&["verify", "public"]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);

    // A template change re-renders every compound's pages, unchanged ledgers or not.
    let template =
        std::fs::read_to_string(common::repo().join("themes/default/templates/notice.html"))
            .unwrap()
            .replacen("{% block main %}", "{% block main %}<p>模板已更新</p>", 1);
    portal.write("templates/notice.html", &template);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for notice in std::fs::read_dir(portal.path("public/yihe/notices")).unwrap() {
        let html = std::fs::read_to_string(notice.unwrap().path()).unwrap();
        assert!(
            html.contains("模板已更新"),
            "an unchanged compound kept an outdated page"
        );
    }
}

/// A portal of `n` copies of the starter compound.
#[test]
fn a_killed_build_leaves_the_site_as_it_was_and_the_next_build_clears_up_after_it() {
    let portal = portal_of_many(80);
    assert_eq!(portal.build().code, 0);
    let published = snapshot_tree(&portal.path("public"));
    // Another date: every compound is checked and rendered again, so the build takes a while.
    let mut killed = Command::new(common::BIN)
        .args(["build", "--quiet", "--today", "2026-06-30"])
        .current_dir(portal.dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staged = loop {
        let staging = leftovers(portal.dir.path());
        if !staging.is_empty() {
            break staging;
        }
        assert!(
            killed.try_wait().unwrap().is_none(),
            "finished before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(
        leftovers(portal.dir.path()),
        staged,
        "nothing cleaned up the kill"
    );
    assert!(snapshot_tree(&portal.path("public")) == published);
    assert_eq!(portal.run(&["verify"]).code, 0);

    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(leftovers(portal.dir.path()).is_empty());
    assert_eq!(portal.run(&["verify"]).code, 0);
}

#[test]
fn a_swap_cut_short_is_undone_by_the_next_build() {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let published = snapshot_tree(&portal.path("public"));
    // As if a build had been killed between moving the site aside and moving the new one in.
    std::fs::rename(
        portal.path("public"),
        portal.path(".public.sanwu-previous-4242"),
    )
    .unwrap();
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(leftovers(portal.dir.path()).is_empty());
    assert!(snapshot_tree(&portal.path("public")) == published);
    // The site was put back first, so the build was an incremental one that changed nothing.
    assert!(
        run.stderr.contains("写入 0 个有变化的文件"),
        "{}",
        run.stderr
    );
}

fn portal_of_many(n: usize) -> Portal {
    let portal = Portal::copy_of("examples/starter");
    let original = portal.path("content/xingfuli");
    for i in 1..n {
        let copy = portal.path(&format!("content/xingfuli{i:02}"));
        for entry in walkdir::WalkDir::new(&original) {
            let entry = entry.unwrap();
            let to = copy.join(entry.path().strip_prefix(&original).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    portal
}

#[test]
fn long_builds_report_progress_in_plain_lines_and_quiet_builds_say_nothing() {
    let portal = portal_of_many(30);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("进度："))
        .collect();
    assert_eq!(lines.len(), 10, "{}", run.stderr);
    assert!(
        lines[9].starts_with("进度：30/30 个小区（每秒 "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("已生成 30 个小区的公示网站"),
        "{}",
        run.stderr
    );

    let run = portal.run(&["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "--quiet prints nothing on success");
}

#[test]
fn sharded_builds_merge_into_a_byte_identical_site() {
    let portal = portal_of_many(12);
    // Five compounds a page: the portal's district pages are merged from the shards too.
    let config = portal.read("config.toml");
    portal.write("config.toml", &format!("portal_page_size = 5\n{config}"));
    assert_eq!(portal.build().code, 0);
    let single = common::snapshot_tree(&portal.path("public"));
    let area_pages = single
        .iter()
        .filter(|(n, _)| n.starts_with("areas/") && n.ends_with(".html"))
        .count();
    assert_eq!(area_pages, 3, "12 compounds of one district on pages of 5");
    assert!(
        single
            .iter()
            .any(|(n, _)| n.starts_with("areas/") && n.ends_with(".js")),
        "the district's compound list for the search page"
    );

    let mut shard_dirs = Vec::new();
    let mut built = 0;
    for i in 1..=3 {
        let dir = format!("shard{i}");
        let run = portal.run(&["build", "--shard", &format!("{i}/3"), "--output", &dir]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // A shard builds only its own compounds and no portal pages.
        let count = std::fs::read_dir(portal.path(&dir))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("xingfuli")
            })
            .count();
        assert!(count < 12, "shard {i} built {count} compounds");
        assert!(!portal.path(&format!("{dir}/index.html")).exists());
        built += count;
        shard_dirs.push(dir);
    }
    assert_eq!(built, 12, "every compound is in exactly one shard");

    // A shard missing from the merge is refused and nothing is written.
    let run = portal.run(&["merge", "shard1", "shard2", "--output", "merged"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("3/3"), "{}", run.stderr);
    assert!(!portal.path("merged").exists());

    let mut args = vec!["merge", "--output", "merged"];
    args.extend(shard_dirs.iter().map(String::as_str));
    let run = portal.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = common::snapshot_tree(&portal.path("merged"));
    let names =
        |tree: &[(String, Vec<u8>)]| tree.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&merged), names(&single));
    for ((name, a), (_, b)) in single.iter().zip(&merged) {
        assert!(
            a == b,
            "{name} differs between the single and the merged build"
        );
    }
}
