//! `sanwu init [DIR]`: a working one-compound portal to start from, copied from the starter
//! portal in `examples/starter/` (compiled into the binary).

use std::path::Path;
use std::process::ExitCode;

use include_dir::{Dir, include_dir};

use crate::cli::InitArgs;
use crate::error::Fatal;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/examples/starter");

pub fn run(args: &InitArgs) -> Result<ExitCode, Fatal> {
    let dir = &args.dir;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Fatal::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Fatal::InitTargetNotEmpty(dir.clone()));
        }
    }
    copy(&STARTER, dir)?;
    let lang = args.lang.unwrap_or_default();
    let shown = dir.display();
    match lang {
        crate::diag::Lang::Zh => eprintln!(
            "已在 {shown} 新建门户。\n下一步：\n  cd {shown}\n  sanwu check    检查台账\n  sanwu build    生成网站到 public/\n台账格式见 docs/format.md。"
        ),
        crate::diag::Lang::En => eprintln!(
            "created a portal in {shown}.\nnext:\n  cd {shown}\n  sanwu check    check the ledgers\n  sanwu build    build the site into public/\nthe format is described in docs/format.md."
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn copy(source: &Dir<'static>, target: &Path) -> Result<(), Fatal> {
    std::fs::create_dir_all(target).map_err(|e| Fatal::io(target, e))?;
    for file in source.files() {
        let path = target.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Fatal::io(parent, e))?;
        }
        std::fs::write(&path, file.contents()).map_err(|e| Fatal::io(&path, e))?;
    }
    for sub in source.dirs() {
        copy(sub, target)?;
    }
    Ok(())
}
