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

/// Takes the publishing lock of `target` (the resolved output folder), telling the user why the
/// command waits if another build holds it. `output` is the folder as the user named it.
pub fn lock_output(
    target: &std::path::Path,
    output: &std::path::Path,
    lang: Lang,
) -> Result<crate::write::OutputLock, crate::error::Fatal> {
    crate::write::OutputLock::acquire(target, || {
        let message = match lang {
            Lang::Zh => format!(
                "另一个 sanwu 正在发布到 {}，等它完成后再继续……",
                output.display()
            ),
            Lang::En => format!(
                "another sanwu is publishing to {}; waiting for it to finish…",
                output.display()
            ),
        };
        eprintln!("{message}");
    })
}
