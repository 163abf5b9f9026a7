//! `sanwu check`: everything `build` does except rendering and writing.

use std::process::ExitCode;

use crate::cli::{CheckArgs, Format};
use crate::diag::{Diagnostics, render};
use crate::error::Fatal;
use crate::{load, pipeline};

pub fn run(args: &CheckArgs) -> Result<ExitCode, Fatal> {
    let mut diags = Diagnostics::new();
    let portal = load::open_portal_for(&args.portal, &mut diags)?;
    let lang = args
        .portal
        .lang
        .or(portal.as_ref().map(|p| p.config.language))
        .unwrap_or_default();
    if let Some(portal) = &portal {
        let outcome = pipeline::run(portal, None)?;
        diags.extend(outcome.diagnostics);
    }
    let overrides = portal
        .as_ref()
        .map(|p| p.config.severity_overrides.clone())
        .unwrap_or_default();
    diags.finish(&overrides);
    match args.format {
        Format::Json => println!("{}", render::to_json(&diags, lang)),
        Format::Text => super::report(&diags, lang, false),
    }
    Ok(super::exit_code(&diags))
}
