//! The embedded gateway's log. `simpul serve` logs at `info`; for one query that is a dozen
//! lines of start-up and shutdown on stderr around the answer. Unless `SIMPUL_LOG` is set,
//! `simpul query` shows errors only: a quieter subscriber is made the default of this thread and
//! of every thread of the query's runtime (the process-wide one is `main`'s, set before the
//! subcommand is known).

use std::cell::RefCell;
use std::io::IsTerminal;

use tracing::dispatcher::{self, DefaultGuard, Dispatch};

thread_local! {
    /// The quiet default of a runtime thread, dropped when the thread stops.
    static QUIET: RefCell<Option<DefaultGuard>> = const { RefCell::new(None) };
}

/// A multi-threaded tokio runtime whose threads log quietly, and the guard keeping the calling
/// thread quiet (hold it until the runtime is dropped). Both are as usual with `SIMPUL_LOG` set.
pub(crate) fn quiet_runtime() -> std::io::Result<(tokio::runtime::Runtime, Option<DefaultGuard>)> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if std::env::var_os("SIMPUL_LOG").is_some() {
        return Ok((builder.build()?, None));
    }
    let quiet = Dispatch::new(
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_max_level(tracing::Level::ERROR)
            .finish(),
    );
    let for_threads = quiet.clone();
    builder
        .on_thread_start(move || {
            let guard = dispatcher::set_default(&for_threads);
            QUIET.with(|slot| *slot.borrow_mut() = Some(guard));
        })
        .on_thread_stop(|| {
            QUIET.with(|slot| slot.borrow_mut().take());
        });
    let runtime = builder.build()?;
    Ok((runtime, Some(dispatcher::set_default(&quiet))))
}
