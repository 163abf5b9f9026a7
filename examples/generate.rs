//! Writes a synthetic city-scale portal for benchmarks and manual testing.
//!
//! ```text
//! cargo run --release --example generate -- --compounds N --years Y [--seed S] [--first-year 2023] [--force] OUT_DIR
//! ```
//!
//! The same arguments always produce the same bytes. OUT_DIR must be empty or missing unless
//! `--force` is given (files are then overwritten in place; nothing is deleted).

#[path = "synth/mod.rs"]
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: generate --compounds N --years Y [--seed S] [--first-year YYYY] [--force] OUT_DIR";

struct Args {
    spec: synth::SynthSpec,
    force: bool,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut compounds = None;
    let mut years = None;
    let mut seed = 1u64;
    let mut first_year = 2023i32;
    let mut force = false;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--compounds" => compounds = Some(number(&value("--compounds")?, "--compounds")?),
            "--years" => years = Some(number(&value("--years")?, "--years")?),
            "--seed" => seed = number(&value("--seed")?, "--seed")?,
            "--first-year" => first_year = number(&value("--first-year")?, "--first-year")?,
            "--force" => force = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    let compounds: usize = compounds.ok_or("--compounds is required")?;
    let years: u32 = years.ok_or("--years is required")?;
    if compounds == 0 || compounds > 99_999 {
        return Err("--compounds must be between 1 and 99999".into());
    }
    if !(1..=30).contains(&years) {
        return Err("--years must be between 1 and 30".into());
    }
    if !(1990..=2100).contains(&first_year) {
        return Err("--first-year must be between 1990 and 2100".into());
    }
    Ok(Args {
        spec: synth::SynthSpec {
            compounds,
            years,
            first_year,
            seed,
        },
        force,
        out: out.ok_or("OUT_DIR is required")?,
    })
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: “{text}” is not a valid number"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let non_empty = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if non_empty && !args.force {
        eprintln!(
            "error: {} is not empty; pass --force to overwrite",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    let started = Instant::now();
    match synth::generate(&args.spec, &args.out) {
        Ok(stats) => {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "wrote {} compounds, {} files, {:.1} MB ({:.1} KB per compound) into {} in {:.2} s",
                stats.compounds,
                stats.files,
                stats.bytes as f64 / 1e6,
                stats.bytes as f64 / 1e3 / stats.compounds as f64,
                args.out.display(),
                secs
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
