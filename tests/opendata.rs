//! Open data, feeds and sitemaps on the demo and starter portals, checked with the real validators
//! from `.ci/venv` (frictionless, jsonschema with the OCDS schema, feedparser) through the small
//! scripts in `tests/tools/`, and reconciled with the figures on the pages to the fen.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Portal, Run, repo};

/// A program from the test virtualenv; fails clearly when `.ci/setup-tools` has not been run.
fn venv(tool: &str) -> PathBuf {
    let path = repo().join(".ci/venv/bin").join(tool);
    assert!(
        path.exists(),
        "{} is missing: run `bash .ci/setup-tools` (it installs frictionless, feedparser and \
         jsonschema into .ci/venv); these tests need the real validators",
        path.display()
    );
    path
}

/// Runs `tests/tools/<script>` with the virtualenv's Python.
fn python(script: &str, args: &[&Path]) -> Run {
    Command::new(venv("python"))
        .arg(repo().join("tests/tools").join(script))
        .args(args)
        .output()
        .unwrap()
        .into()
}

fn frictionless(datapackage: &Path) -> (bool, String) {
    let out = Command::new(venv("frictionless"))
        .args(["validate", "--json"])
        .arg(datapackage)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let report: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("frictionless output is not JSON ({e}): {text}"));
    (report["valid"] == serde_json::Value::Bool(true), text)
}

fn built(portal: &str) -> Portal {
    let portal = Portal::copy_of(portal);
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    portal
}

const COMPOUNDS: [&str; 4] = ["mingxiu", "tianyuan", "tielong", "yihe"];

/// 172600.00 → 17,260,000 fen; panics on anything but a plain decimal with two places.
fn fen(text: &str) -> i64 {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (whole, cents) = digits
        .split_once('.')
        .unwrap_or_else(|| panic!("{text:?} is not a plain decimal amount"));
    assert!(
        cents.len() == 2
            && whole
                .chars()
                .chain(cents.chars())
                .all(|c| c.is_ascii_digit()),
        "{text:?} is not a plain decimal amount"
    );
    sign * (whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap())
}

/// 17,260,000 fen → ¥172,600.00, as the pages write it.
fn yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{grouped}.{:02}", abs % 100)
}

/// A CSV file's header and rows (the BOM checked and removed).
fn read_csv(portal: &Portal, rel: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = std::fs::read(portal.path(&format!("public/{rel}"))).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{rel} lacks the UTF-8 BOM"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.lines().count() == text.matches("\r\n").count(),
        "{rel}: every line ends in CRLF"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn json(portal: &Portal, rel: &str) -> (String, serde_json::Value) {
    let text = portal.read(&format!("public/{rel}"));
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (text, value)
}

#[test]
fn every_ledger_downloads_as_csv_and_exact_json_from_its_page() {
    let portal = built(".");
    for (page, files) in [
        ("fees", vec!["fees.csv", "fees.json"]),
        ("revenue", vec!["revenue.csv", "revenue.json"]),
        (
            "fund",
            vec!["fund.csv", "fund.json", "projects.csv", "projects.json"],
        ),
        ("tenders", vec!["tenders.csv", "bids.csv", "tenders.json"]),
    ] {
        let html = portal.read(&format!("public/mingxiu/{page}.html"));
        for file in files {
            assert!(
                html.contains(&format!("href=\"../mingxiu/data/{file}\"")),
                "{page}.html does not link {file}"
            );
            assert!(
                portal
                    .path(&format!("public/mingxiu/data/{file}"))
                    .is_file()
            );
        }
        assert!(
            html.contains("href=\"../mingxiu/data.html\""),
            "{page}.html"
        );
    }
    // Machine-readable CSV: English column names, plain decimal amounts, ISO dates.
    let (header, rows) = read_csv(&portal, "mingxiu/data/fees.csv");
    assert_eq!(
        header[..9],
        [
            "period",
            "period_start",
            "period_end",
            "building_type",
            "households_billed",
            "households_paid",
            "receivable",
            "received",
            "arrears_recovered"
        ]
    );
    for row in &rows {
        for i in 6..9 {
            fen(&row[i]);
        }
        assert_eq!(row[1].len(), 10, "ISO date: {:?}", &row[1]);
    }
    // JSON amounts keep both decimals: they never went through a float (which would write 0.0).
    let (text, value) = json(&portal, "mingxiu/data/fees.json");
    assert!(text.contains("\"arrears_recovered\":0.00"), "{text}");
    assert_eq!(value["currency"], "CNY");
    assert_eq!(value["rows"].as_array().unwrap().len(), rows.len());

    // The open-data page lists every file the compound publishes, and every page links to it.
    let data_page = portal.read("public/mingxiu/data.html");
    let mut published = Vec::new();
    for entry in std::fs::read_dir(portal.path("public/mingxiu/data")).unwrap() {
        published.push(format!(
            "data/{}",
            entry.unwrap().file_name().to_string_lossy()
        ));
    }
    published.push("datapackage.json".into());
    for file in &published {
        assert!(
            data_page.contains(&format!("href=\"../mingxiu/{file}\"")),
            "data.html does not list {file}"
        );
    }
    assert!(published.contains(&"data/tenders-ocds.json".to_string()));
    assert!(
        portal
            .read("public/mingxiu/notices.html")
            .contains("href=\"../mingxiu/data.html\"")
    );
}

#[derive(serde::Deserialize)]
struct RevenueDoc {
    years: Vec<RevenueYear>,
    net: Box<serde_json::value::RawValue>,
}

#[derive(serde::Deserialize)]
struct RevenueYear {
    year: i32,
    gross: Box<serde_json::value::RawValue>,
    net: Box<serde_json::value::RawValue>,
}

#[test]
fn csv_and_json_totals_reconcile_with_the_pages_to_the_fen() {
    let portal = built(".");
    for slug in COMPOUNDS {
        // Fund: the running balance of the last row is the balance the page shows; deposits,
        // interest and withdrawals add up to it.
        if portal
            .path(&format!("public/{slug}/data/fund.csv"))
            .exists()
        {
            let (header, rows) = read_csv(&portal, &format!("{slug}/data/fund.csv"));
            let (kind, amount, balance) = (
                column(&header, "kind"),
                column(&header, "amount"),
                column(&header, "balance"),
            );
            let mut sum = 0;
            for row in &rows {
                match &row[kind] {
                    "交存" | "利息" => sum += fen(&row[amount]),
                    "支取" => sum -= fen(&row[amount]),
                    _ => {}
                }
            }
            let last = fen(&rows.last().unwrap()[balance]);
            assert_eq!(sum, last, "{slug}: fund.csv movements vs its balance");
            let page = portal.page_text(&format!("{slug}/fund.html"));
            assert!(
                page.contains(&yuan(last)),
                "{slug}: {} not on fund.html",
                yuan(last)
            );
            let (text, _) = json(&portal, &format!("{slug}/data/fund.json"));
            let balance_json = format!("\"balance\":{}.{:02}", last / 100, last % 100);
            assert!(
                text.contains(&balance_json),
                "{slug}: fund.json {balance_json}"
            );
        }
        // Revenue: each year's gross, costs and net as the page shows them.
        if portal
            .path(&format!("public/{slug}/data/revenue.csv"))
            .exists()
        {
            let (header, rows) = read_csv(&portal, &format!("{slug}/data/revenue.csv"));
            let (date, net, gross) = (
                column(&header, "date_to"),
                column(&header, "net"),
                column(&header, "gross"),
            );
            let mut years: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
            for row in &rows {
                let y = years.entry(row[date][..4].to_string()).or_default();
                y.0 += fen(&row[gross]);
                y.1 += fen(&row[net]);
            }
            let page = portal.page_text(&format!("{slug}/revenue.html"));
            // The JSON's numbers read exactly, as written (not through a float).
            let text = portal.read(&format!("public/{slug}/data/revenue.json"));
            let doc: RevenueDoc = serde_json::from_str(&text).unwrap();
            for (year, (g, n)) in &years {
                assert!(
                    page.contains(&yuan(*g)),
                    "{slug} {year}: gross {}",
                    yuan(*g)
                );
                assert!(page.contains(&yuan(*n)), "{slug} {year}: net {}", yuan(*n));
                let in_json = doc
                    .years
                    .iter()
                    .find(|y| y.year.to_string() == *year)
                    .unwrap();
                assert_eq!(fen(in_json.net.get()), *n, "{slug} {year}");
                assert_eq!(fen(in_json.gross.get()), *g, "{slug} {year}");
            }
            let total: i64 = years.values().map(|y| y.1).sum();
            assert_eq!(fen(doc.net.get()), total, "{slug}: revenue.json net");
        }
        // Fees: each year's receivable and received as the page shows them.
        if portal
            .path(&format!("public/{slug}/data/fees.csv"))
            .exists()
        {
            let (header, rows) = read_csv(&portal, &format!("{slug}/data/fees.csv"));
            let (start, receivable, received) = (
                column(&header, "period_start"),
                column(&header, "receivable"),
                column(&header, "received"),
            );
            let mut years: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
            for row in &rows {
                let y = years.entry(row[start][..4].to_string()).or_default();
                y.0 += fen(&row[receivable]);
                y.1 += fen(&row[received]);
            }
            let page = portal.page_text(&format!("{slug}/fees.html"));
            for (year, (due, paid)) in &years {
                assert!(page.contains(&yuan(*due)), "{slug} {year}: {}", yuan(*due));
                assert!(
                    page.contains(&yuan(*paid)),
                    "{slug} {year}: {}",
                    yuan(*paid)
                );
            }
        }
    }
    // Tenders: the clubhouse case, bid by bid.
    let (header, rows) = read_csv(&portal, "mingxiu/data/bids.csv");
    let amount = column(&header, "amount");
    let bids: Vec<&str> = rows.iter().map(|r| &r[amount]).collect();
    assert_eq!(bids, ["63800.00", "68900.00", "74200.00", "79000.00"]);
    let (header, rows) = read_csv(&portal, "mingxiu/data/tenders.csv");
    assert_eq!(&rows[0][column(&header, "first_quote")], "172600.00");
    assert_eq!(&rows[0][column(&header, "saving")], "108800.00");
    let (text, _) = json(&portal, "mingxiu/data/tenders.json");
    assert!(text.contains("\"first_quote\":172600.00"), "{text}");
}

#[test]
fn datapackages_pass_frictionless_validate() {
    let portal = built(".");
    for slug in COMPOUNDS {
        let path = portal.path(&format!("public/{slug}/datapackage.json"));
        let (valid, report) = frictionless(&path);
        assert!(valid, "{slug}/datapackage.json: {report}");
        let (_, package) = json(&portal, &format!("{slug}/datapackage.json"));
        let fees = package["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "bids")
            .unwrap();
        assert_eq!(
            fees["schema"]["primaryKey"],
            serde_json::json!(["tender_id", "bidder"])
        );
    }
    // The validator is live: a malformed amount is reported.
    let csv = portal.path("public/mingxiu/data/fees.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let broken = text.replacen("81591.75", "81,591.75元", 1);
    assert_ne!(text, broken);
    std::fs::write(&csv, broken).unwrap();
    let (valid, _) = frictionless(&portal.path("public/mingxiu/datapackage.json"));
    assert!(
        !valid,
        "frictionless accepted an amount written 81,591.75元"
    );
}

#[test]
fn unit_shares_are_open_data_only_when_the_compound_opts_in() {
    let portal = built("examples/starter");
    let shares_page = "public/xingfuli/projects/roof-repair-shares.html";
    assert!(
        portal
            .read(shares_page)
            .contains(r#"<meta name="robots" content="noindex"#),
        "the unit-level page carries noindex"
    );
    let everything = |portal: &Portal| -> String {
        let mut all = String::new();
        for entry in walkdir::WalkDir::new(portal.path("public/xingfuli")) {
            let entry = entry.unwrap();
            let name = entry.path().to_string_lossy().into_owned();
            if entry.file_type().is_file()
                && (name.ends_with(".csv") || name.ends_with(".json") || name.ends_with(".xml"))
            {
                all.push_str(&std::fs::read_to_string(entry.path()).unwrap());
            }
        }
        all
    };
    // Not opted in: no unit appears in any open-data file, feed or sitemap.
    let open = everything(&portal);
    assert!(
        !open.contains("3栋1单元101"),
        "a unit leaked into open data"
    );
    assert!(
        !open.contains("roof-repair-shares"),
        "the shares page is listed"
    );
    assert!(!portal.path("public/xingfuli/data/shares.csv").exists());
    let (_, projects) = json(&portal, "xingfuli/data/projects.json");
    assert_eq!(projects["unit_shares_included"], false);
    assert!(projects["projects"][0].get("shares").is_none());

    // Opted in: the shares are published, described and valid.
    portal.edit(
        "content/xingfuli/compound.toml",
        "contact =",
        "unit_open_data = true\ncontact =",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (header, rows) = read_csv(&portal, "xingfuli/data/shares.csv");
    assert_eq!(header, ["project_id", "unit", "area", "share"]);
    let total: i64 = rows.iter().map(|r| fen(&r[3])).sum();
    assert_eq!(total, 3_860_000, "the shares add up to the contract amount");
    assert!(rows.iter().any(|r| &r[1] == "3栋1单元101"));
    let (valid, report) = frictionless(&portal.path("public/xingfuli/datapackage.json"));
    assert!(valid, "{report}");
    let (_, projects) = json(&portal, "xingfuli/data/projects.json");
    assert_eq!(projects["unit_shares_included"], true);
    // Still never in the sitemap.
    assert!(
        !portal
            .read("public/xingfuli/sitemap.xml")
            .contains("shares")
    );
}

#[test]
fn tenders_export_as_an_ocds_release_package_with_bids() {
    let portal = built(".");
    let schemas = repo().join("tests/data/ocds");
    let packages: Vec<PathBuf> = COMPOUNDS
        .iter()
        .map(|s| portal.path(&format!("public/{s}/data/tenders-ocds.json")))
        .collect();
    let mut args: Vec<&Path> = vec![&schemas];
    args.extend(packages.iter().map(PathBuf::as_path));
    let run = python("validate_ocds.py", &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.matches(": valid,").count(), 4, "{}", run.stdout);

    let (_, package) = json(&portal, "mingxiu/data/tenders-ocds.json");
    let release = &package["releases"][0];
    assert_eq!(release["ocid"], "ocds-sanwu0-mingxiu-clubhouse-2024");
    assert_eq!(release["bids"]["details"].as_array().unwrap().len(), 4);
    assert_eq!(
        release["awards"][0]["suppliers"][0]["name"],
        "大连恒筑建筑装饰工程有限公司"
    );
    assert_eq!(
        release["contracts"][0]["awardID"],
        release["awards"][0]["id"]
    );
    assert_eq!(release["contracts"][0]["value"]["currency"], "CNY");
    let text = portal.read("public/mingxiu/data/tenders-ocds.json");
    assert!(text.contains("\"amount\":63800.00"), "exact amounts");

    // The validator is live: a contract naming no award and a foreign supplier are caught.
    let mut bad = package.clone();
    bad["releases"][0]["contracts"][0]["awardID"] = "no-such-award".into();
    bad["releases"][0]["awards"][0]["suppliers"][0]["name"] = "某个体户".into();
    bad["releases"][0]["tender"]["value"]["currency"] = "RMB".into();
    let bad_path = portal.path("bad-ocds.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let run = python("validate_ocds.py", &[&schemas, &bad_path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for expected in ["no-such-award", "某个体户", "'RMB' is not one of"] {
        assert!(run.stdout.contains(expected), "{expected}: {}", run.stdout);
    }

    // The ocid prefix is the portal's own.
    let config = portal.read("config.toml");
    portal.write(
        "config.toml",
        &format!("{config}\n[open_data]\nocid_prefix = \"ocds-a1b2c3\"\n"),
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, package) = json(&portal, "mingxiu/data/tenders-ocds.json");
    assert_eq!(
        package["releases"][0]["ocid"],
        "ocds-a1b2c3-mingxiu-clubhouse-2024"
    );
    portal.write(
        "config.toml",
        &format!("{config}\n[open_data]\nocid_prefix = \"sanwu\"\n"),
    );
    let run = portal.check();
    assert_eq!(run.code, 1, "a malformed ocid prefix is an error");
    assert!(run.stderr.contains("ocid_prefix"), "{}", run.stderr);
}

#[test]
fn atom_feeds_parse_cleanly_with_ids_and_rfc3339_dates() {
    let portal = built(".");
    let mut feeds = vec![portal.path("public/feed.xml")];
    feeds.extend(
        COMPOUNDS
            .iter()
            .map(|s| portal.path(&format!("public/{s}/feed.xml"))),
    );
    let args: Vec<&Path> = feeds.iter().map(PathBuf::as_path).collect();
    let run = python("check_feeds.py", &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.matches(": ok,").count(), 5, "{}", run.stdout);

    let feed = portal.read("public/mingxiu/feed.xml");
    for expected in [
        "会所修缮工程施工招标",
        "公共收益已公示",
        "维修资金收支已公示",
        "物业费收缴情况已公示",
        "T00:00:00+08:00",
    ] {
        assert!(feed.contains(expected), "mingxiu feed lacks {expected}");
    }
    assert!(portal.read("public/feed.xml").contains("明秀山庄："));
    // Pages announce their feeds.
    for page in ["index.html", "mingxiu/index.html", "mingxiu/fund.html"] {
        let html = portal.read(&format!("public/{page}"));
        assert!(
            html.contains(r#"<link rel="alternate" type="application/atom+xml""#),
            "{page}"
        );
    }
    assert!(
        portal
            .read("public/mingxiu/fees.html")
            .contains(r#"href="../mingxiu/feed.xml""#)
    );

    // The checker is live: an entry without a date is reported.
    let broken = portal.path("broken-feed.xml");
    let text = feed.replacen("<updated>2026", "<updated>soon 2026", 2);
    std::fs::write(&broken, text).unwrap();
    let run = python("check_feeds.py", &[&broken]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn sitemap_lists_every_public_page_and_no_unit_page() {
    let portal = built("examples/starter");
    let base = "https://example.org/";
    let site = portal.path("public");
    let run = Command::new(venv("python"))
        .arg(repo().join("tests/tools/read_sitemap.py"))
        .arg(&site)
        .arg(base)
        .output()
        .unwrap();
    let run: Run = run.into();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let listed: BTreeSet<String> = run.stdout.lines().map(str::to_string).collect();
    let mut expected = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            if html.contains(r#"<meta name="robots" content="noindex"#) {
                assert!(rel.contains("-shares"), "{rel} is noindex");
                continue;
            }
            expected.insert(format!("{base}{rel}"));
        }
    }
    assert!(expected.contains("https://example.org/xingfuli/data.html"));
    assert_eq!(listed, expected);

    // Without an absolute base URL there is no sitemap, and feeds link relatively.
    portal.edit(
        "config.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"/\"",
    );
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!portal.path("public/sitemap.xml").exists());
    assert!(!portal.path("public/xingfuli/sitemap.xml").exists());
    let feed = portal.path("public/xingfuli/feed.xml");
    assert!(
        portal
            .read("public/xingfuli/feed.xml")
            .contains("href=\"../xingfuli/")
    );
    let run = python("check_feeds.py", &[&feed]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
