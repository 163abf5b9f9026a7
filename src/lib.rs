//! sanwu turns the account books of residential compounds into a static 阳光三务 (sunshine
//! disclosure) website. The modules follow the pipeline:
//!
//! - [`load`]: find the portal and its compound folders, read and decode files;
//! - [`parse`]: generic CSV/TOML/front-matter readers that keep every value's position;
//! - [`ledger`]: the typed books (exact money, periods, one module per ledger);
//! - [`validate`]: checks across a compound's ledgers;
//! - [`compute`]: the figures residents see;
//! - [`render`]: templates, formatting and markdown;
//! - [`write`]: staging and atomic publication;
//!
//! with [`diag`] (located findings), [`pipeline`] (the stages over a whole portal), [`cli`] and
//! [`cmd`] (the command line) around them, and [`serve`] (the live preview).

pub mod cli;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod diag;
pub mod error;
pub mod history;
pub mod ledger;
pub mod load;
pub mod parse;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod serve;
pub mod validate;
pub mod write;

use std::process::ExitCode;

use clap::Parser;

/// Runs the command line and returns the process's exit code.
pub fn main_with_args() -> ExitCode {
    let cli = cli::Cli::parse();
    let lang = match &cli.command {
        cli::Command::Build(a) => a.portal.lang,
        cli::Command::Merge(a) => a.portal.lang,
        cli::Command::Check(a) => a.portal.lang,
        cli::Command::Init(a) => a.lang,
        cli::Command::Fmt(a) => a.portal.lang,
        cli::Command::Import(a) => a.lang,
        cli::Command::Verify(a) => a.lang,
        cli::Command::Diff(a) => a.lang,
        cli::Command::Serve(a) => a.portal.lang,
    }
    .unwrap_or_default();
    let result = match &cli.command {
        cli::Command::Build(args) => cmd::build::run(args),
        cli::Command::Merge(args) => cmd::merge::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::Init(args) => cmd::init::run(args),
        cli::Command::Fmt(args) => cmd::fmt::run(args),
        cli::Command::Import(args) => cmd::import::run(args),
        cli::Command::Verify(args) => cmd::verify::run(args),
        cli::Command::Diff(args) => cmd::diff::run(args),
        cli::Command::Serve(args) => cmd::serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(fatal) => {
            let prefix = match lang {
                diag::Lang::Zh => "错误",
                diag::Lang::En => "error",
            };
            eprintln!("{prefix}: {}", fatal.message(lang));
            ExitCode::from(2)
        }
    }
}
