//! A spinner on stderr while a listing runs, shown only when stderr is a terminal and
//! the listing has taken more than a second (quick commands and pipes stay quiet).
//! `APIGW_PROGRESS_DELAY_MS` changes that second (tests pin it so they do not depend on
//! how fast the machine is).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a listing runs before the spinner appears, unless `APIGW_PROGRESS_DELAY_MS`
/// says otherwise.
const DELAY: Duration = Duration::from_secs(1);

fn delay() -> Duration {
    std::env::var("APIGW_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

pub struct Progress {
    bar: Option<ProgressBar>,
    timer: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    /// Starts counting; draws nothing for the first second.
    pub fn start() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self {
                bar: None,
                timer: None,
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} items ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let shown = bar.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(delay()).await;
            shown.set_draw_target(ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(120));
        });
        Self {
            bar: Some(bar),
            timer: Some(timer),
        }
    }

    /// Counts `items` more.
    pub fn add(&self, items: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(items as u64);
        }
    }

    /// Runs `f` (which writes to stdout) with the spinner out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(timer) = &self.timer {
            timer.abort();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
