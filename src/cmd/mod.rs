//! One thin module per subcommand: each turns its arguments into a pipeline run and an exit code.

pub mod build;
pub mod check;
pub mod diff;
pub mod fmt;
pub mod import;
pub mod init;
pub mod merge;
pub mod serve;
pub mod verify;

use std::process::ExitCode;

use crate::diag::render;
use crate::diag::{Diagnostics, Lang};

/// Exit code for a run whose data findings are `diags`: 1 on any error, else 0.
pub fn exit_code(diags: &Diagnostics) -> ExitCode {
    if diags.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints findings and the summary line to stderr.
pub fn report(diags: &Diagnostics, lang: Lang, quiet: bool) {
    let text = render::to_text(diags, lang);
    eprint!("{text}");
    if !quiet || !diags.is_empty() {
        eprintln!(
            "{}",
            render::summary(diags.error_count(), diags.warning_count(), lang)
        );
    }
}
