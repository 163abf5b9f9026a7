//! Feedback on long work: while compounds are processed, a progress bar on a terminal (compounds
//! done / total, rate), plain lines at every tenth when stderr is not a terminal (CI logs), and
//! nothing with `--quiet` or for portals too small to need it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::Lang;

/// Portals with fewer compounds finish before feedback would help.
const MIN_COMPOUNDS_FOR_LINES: usize = 20;

pub struct Progress {
    total: usize,
    done: AtomicUsize,
    start: Instant,
    lang: Lang,
    mode: Mode,
}

enum Mode {
    Hidden,
    Bar(ProgressBar),
    /// Plain lines: the next tenth (1–10) to report.
    Lines(AtomicUsize),
}

impl Progress {
    /// Feedback for `total` compounds on stderr, chosen by whether stderr is a terminal.
    pub fn new(total: usize, lang: Lang, quiet: bool) -> Progress {
        let mode = if quiet || total == 0 {
            Mode::Hidden
        } else if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let template = match lang {
                Lang::Zh => "{bar:30} {pos}/{len} 个小区  {per_sec}  剩余 {eta}",
                Lang::En => "{bar:30} {pos}/{len} compounds  {per_sec}  {eta} left",
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            Mode::Bar(bar)
        } else if total >= MIN_COMPOUNDS_FOR_LINES {
            Mode::Lines(AtomicUsize::new(1))
        } else {
            Mode::Hidden
        };
        Progress::with_mode(total, lang, mode)
    }

    /// No feedback at all.
    pub fn hidden() -> Progress {
        Progress::with_mode(0, Lang::Zh, Mode::Hidden)
    }

    fn with_mode(total: usize, lang: Lang, mode: Mode) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            start: Instant::now(),
            lang,
            mode,
        }
    }

    /// One more compound done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.mode {
            Mode::Hidden => {}
            Mode::Bar(bar) => bar.inc(1),
            Mode::Lines(next) => {
                let tenth = done * 10 / self.total.max(1);
                let due = next.load(Ordering::Relaxed);
                if tenth >= due
                    && next
                        .compare_exchange(due, tenth + 1, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    eprintln!("{}", self.line(done));
                }
            }
        }
    }

    fn line(&self, done: usize) -> String {
        let seconds = self.start.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / seconds;
        match self.lang {
            Lang::Zh => format!("进度：{done}/{} 个小区（每秒 {rate:.0} 个）", self.total),
            Lang::En => format!("progress: {done}/{} compounds ({rate:.0}/s)", self.total),
        }
    }

    /// Clears the bar (plain lines need nothing more).
    pub fn finish(&self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}
