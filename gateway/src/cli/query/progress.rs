//! A spinner with the elapsed time on stderr, shown only when a run takes longer than
//! [`SHOW_AFTER`] and stderr is a terminal (pipes, files and tests see nothing).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run may take before the spinner appears.
pub(crate) const SHOW_AFTER: Duration = Duration::from_millis(300);

/// The spinner; cleared when finished or dropped.
pub(crate) struct Progress {
    bar: ProgressBar,
    reveal: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    /// Start timing with `message`; the spinner appears after [`SHOW_AFTER`] if stderr is a
    /// terminal. Needs a tokio runtime.
    pub(crate) fn start(message: &str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_owned());
        let reveal = std::io::stderr().is_terminal().then(|| {
            let bar = bar.clone();
            tokio::spawn(async move {
                tokio::time::sleep(SHOW_AFTER).await;
                if bar.is_finished() {
                    return;
                }
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            })
        });
        Self { bar, reveal }
    }

    /// Say what is happening now.
    pub(crate) fn set_message(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(reveal) = self.reveal.take() {
            reveal.abort();
        }
        self.bar.finish_and_clear();
    }
}
