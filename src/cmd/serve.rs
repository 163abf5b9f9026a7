//! `sanwu serve`: builds the site into a private folder, serves it on 127.0.0.1 with live reload,
//! and rebuilds what a change to the sources touches until Ctrl-C (see [`crate::serve`]).

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;

use crate::cli::ServeArgs;
use crate::error::Fatal;
use crate::serve::http::{self, Live};
use crate::serve::site::SiteDir;
use crate::serve::watch::{self, Message, Next, SourceWatcher};
use crate::serve::{Preview, private_dir};

pub fn run(args: &ServeArgs) -> Result<ExitCode, Fatal> {
    let given = &args.portal.root;
    if !given.is_dir() {
        return Err(Fatal::RootMissing(given.clone()));
    }
    // Events name absolute paths; the watched root must be spelled the same way.
    let root = std::fs::canonicalize(given).map_err(|e| Fatal::io(given, e))?;
    let (server, addr) = http::listen(&args.bind, args.port)?;
    let (sender, receiver) = mpsc::channel();
    let mut watcher = SourceWatcher::start(&root, sender.clone())?;
    let stop = sender.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    })
    .map_err(|e| Fatal::Serve(e.to_string()))?;

    crate::serve::sweep_abandoned();
    let dir = private_dir();
    let site = SiteDir::create(&dir)?;
    let live = Arc::new(Live::new(&dir));
    let mut preview = Preview::new(&args.portal, site, Arc::clone(&live));
    preview.rebuild_all(None, true);

    let http_thread = {
        let server = Arc::clone(&server);
        let live = Arc::clone(&live);
        std::thread::spawn(move || http::serve(server, live))
    };
    let lang = args.portal.lang.unwrap_or_default();
    let url = format!("http://{addr}/");
    {
        let mut out = std::io::stdout().lock();
        let _ = match lang {
            crate::diag::Lang::Zh => writeln!(out, "预览地址：{url}（按 Ctrl-C 停止）"),
            crate::diag::Lang::En => writeln!(out, "preview at {url} (Ctrl-C stops)"),
        };
        let _ = out.flush();
    }

    loop {
        match watch::next_batch(&root, &receiver) {
            Next::Stop => break,
            Next::Rebuild(batch) if batch.everything => {
                if let Err(e) = watcher.refresh() {
                    eprintln!("sanwu serve: {}", e.message(lang));
                }
                preview.rebuild_all(batch.first, false);
            }
            Next::Rebuild(batch) => preview.rebuild_compounds(&batch.compounds, batch.first),
        }
    }
    server.unblock();
    let _ = http_thread.join();
    drop(watcher);
    let _ = std::fs::remove_dir_all(preview.site().dir());
    Ok(ExitCode::SUCCESS)
}
