//! Progress bars: one indicatif bar per provider, drawn on stderr only when it is a terminal
//! and the caller did not ask for quiet. Library callers pass [`Progress::hidden`].

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::plan::Provider;

/// Where progress goes.
#[derive(Debug, Clone)]
pub struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    /// No progress output.
    pub fn hidden() -> Self {
        Self { multi: None }
    }

    /// Bars on stderr, unless `quiet` or stderr is not a terminal.
    pub fn stderr(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        Self {
            multi: Some(MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// Whether bars are drawn.
    pub fn is_visible(&self) -> bool {
        self.multi.is_some()
    }

    /// A bar for `provider` (hidden when progress is hidden); its length is set later.
    pub fn bar(&self, provider: Provider) -> ProgressBar {
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let style = ProgressStyle::with_template(
            "{prefix:>12} [{bar:32}] {pos:>9}/{len:9} {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = multi.add(ProgressBar::new(0).with_style(style));
        bar.set_prefix(provider.id());
        bar
    }
}
