//! Progress for long runs: a bar over the articles on a terminal, nothing in CI or a pipe.
//!
//! The analysis reports through [`Progress`], which does nothing unless the command line asked
//! for a visible bar, so library users and tests see no output and no cost beyond a branch.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with at least this many articles show a bar; shorter ones finish before it would help.
pub const MIN_ARTICLES: usize = 200;

/// A handle the stages report to; hidden by default.
#[derive(Clone, Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// No output at all.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// A bar on standard error for `articles` articles, when standard error is a terminal, the
    /// run is long enough, and neither `CI` nor `FACTBRIEF_NO_PROGRESS` is set.
    pub fn for_terminal(articles: usize) -> Progress {
        let quiet = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
            || std::env::var_os("FACTBRIEF_NO_PROGRESS").is_some();
        if quiet || articles < MIN_ARTICLES || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(articles as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg:<22} [{bar:30}] {pos}/{len} articles ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message("loading the lexicon");
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// Whether anything is drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// One more article through the current stage.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// A new stage: its name shown, the count restarted.
    pub fn stage(&self, name: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name);
            bar.set_position(0);
        }
    }

    /// A stage with no per-article count: its name shown, the bar full.
    pub fn step(&self, name: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name);
            bar.set_position(bar.length().unwrap_or(0));
        }
    }

    /// Clears the bar, so the lines that follow start clean.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
