//! Progress on standard error: a bar with rate and ETA for long analyses (the [`Reporter`] they report
//! through) and a spinner naming the steps of a command. Drawn only on a terminal, never with `-q`, `-v`,
//! `--no-progress` or `CORRIDOR_NO_PROGRESS`, so that piped output and logs stay clean.

use crate::context::GlobalArgs;
use corridor_analysis::{self as analysis, Reporter};
use std::io::IsTerminal;
use std::time::Instant;

/// Whether progress may be drawn.
fn shows_progress(global: &GlobalArgs, no_progress: bool) -> bool {
    !no_progress
        && !global.quiet
        && !global.verbose
        && std::env::var_os("CORRIDOR_NO_PROGRESS").is_none()
        && std::io::stderr().is_terminal()
}

/// A progress bar on standard error with rate and ETA.
struct Bar(indicatif::ProgressBar);

impl Reporter for Bar {
    fn start(&self, what: &str, total: u64) {
        self.0.reset();
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(what.to_string());
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The reporter to use: a bar when progress may be drawn, otherwise silence.
pub(crate) fn reporter(global: &GlobalArgs, no_progress: bool) -> Box<dyn Reporter> {
    if !shows_progress(global, no_progress) {
        return Box::new(analysis::Silent);
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{msg:>8} [{bar:40}] {pos}/{len} · {per_sec} · ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Box::new(Bar(bar))
}

/// A spinner on standard error for the steps of a command that may take more than a second; with `-v`
/// each step is logged with its time instead.
pub(crate) struct Steps {
    bar: Option<indicatif::ProgressBar>,
    verbose: bool,
    started: Instant,
}

impl Steps {
    pub(crate) fn new(global: &GlobalArgs, no_progress: bool) -> Steps {
        let bar = shows_progress(global, no_progress).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        Steps {
            bar,
            verbose: global.verbose,
            started: Instant::now(),
        }
    }

    pub(crate) fn step(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
        if self.verbose {
            eprintln!("[{:>6.2} s] {what}", self.started.elapsed().as_secs_f64());
        }
    }

    /// Runs `f` with the spinner hidden (it may draw its own progress bar).
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub(crate) fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
