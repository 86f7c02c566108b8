//! A running plugin instance: calls go through a pool of dispatch threads of its own, so
//! plugin code (even a plugin that blocks inside `call`) never runs on the caller's async
//! workers, and the deadline runs from the moment the caller asks.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use simpul_schema::{AdapterRequest, AdapterResponse};
use tokio::sync::oneshot;

use super::context::{next_call_id, HostContext, PendingCall};
use crate::abi::FunctionTable;
use crate::{PluginError, PluginErrorKind};

/// Extra time the host waits beyond a call's deadline for the plugin's own timeout report.
const DEADLINE_GRACE: Duration = Duration::from_millis(100);
/// How long [`PluginInstance::shutdown`] waits for the dispatch threads and `destroy`.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// Work for a dispatch thread.
enum Job {
    Call {
        id: u64,
        request: Vec<u8>,
        deadline: Instant,
    },
    Cancel {
        id: u64,
    },
}

/// The instance pointer and its table, movable onto dispatch threads.
#[derive(Clone, Copy)]
struct Raw {
    functions: FunctionTable,
    instance: *mut c_void,
}

// SAFETY: a plugin instance may be used from any thread, concurrently (ABI rule); the table
// is plain data.
unsafe impl Send for Raw {}
// SAFETY: as above.
unsafe impl Sync for Raw {}

/// One running instance of a plugin. Calls may be made concurrently from any task.
pub struct PluginInstance {
    context: &'static HostContext,
    raw: Raw,
    jobs: Option<SyncSender<Job>>,
    dispatchers: Vec<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for PluginInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginInstance")
            .field("provider", &self.context.provider)
            .field("library", &self.context.library)
            .finish_non_exhaustive()
    }
}

/// Stops waiting for a call when the caller stops (deadline, or its future dropped), and
/// asks the plugin to cancel it.
struct Waiting<'a> {
    instance: &'a PluginInstance,
    id: u64,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.instance.context.forget(self.id) {
            if let Some(jobs) = &self.instance.jobs {
                // Best effort: with every dispatch thread stuck, the cancel is dropped.
                let _ = jobs.try_send(Job::Cancel { id: self.id });
            }
        }
    }
}

impl PluginInstance {
    pub(super) fn start(
        context: &'static HostContext,
        functions: FunctionTable,
        instance: *mut c_void,
        call_threads: usize,
        queue: usize,
    ) -> Self {
        let raw = Raw {
            functions,
            instance,
        };
        let (jobs, receiver) = mpsc::sync_channel::<Job>(queue.max(1));
        let receiver = Arc::new(Mutex::new(receiver));
        let dispatchers = (0..call_threads.max(1))
            .map(|n| {
                let receiver = Arc::clone(&receiver);
                std::thread::Builder::new()
                    .name(format!("simpul-call-{}-{n}", context.provider))
                    .spawn(move || dispatch(context, raw, &receiver))
                    .expect("cannot start a plugin dispatch thread")
            })
            .collect();
        Self {
            context,
            raw,
            jobs: Some(jobs),
            dispatchers,
        }
    }

    /// The provider key this instance serves.
    pub fn provider(&self) -> &str {
        &self.context.provider
    }

    /// How requests and answers cross the boundary for this instance.
    pub fn encoding(&self) -> crate::Encoding {
        self.context.encoding
    }

    /// How many completions the plugin sent that the ABI forbids: a second completion of a
    /// call, or one for an id the host never issued. Each was released and ignored.
    pub fn stray_completions(&self) -> u64 {
        self.context.stray_completions.load(Ordering::Relaxed)
    }

    /// How many answers came after the host had stopped waiting for them (past the deadline,
    /// or cancelled). Each was released and ignored.
    pub fn late_completions(&self) -> u64 {
        self.context.late_completions.load(Ordering::Relaxed)
    }

    /// Send one request and wait for the answer, at most `deadline` from now (plus a short
    /// grace for the plugin to report its own timeout). On expiry the call is cancelled.
    pub async fn call(
        &self,
        request: &AdapterRequest,
        deadline: Duration,
    ) -> Result<AdapterResponse, PluginError> {
        let asked = Instant::now();
        let request = self
            .context
            .encoding
            .encode(request)
            .map_err(|e| self.error(PluginErrorKind::BadResponse(e.to_string())))?;
        let id = next_call_id();
        let (delivery, answer) = oneshot::channel();
        self.context.calls().insert(
            id,
            PendingCall {
                delivery,
                span: tracing::Span::current(),
            },
        );
        let waiting = Waiting { instance: self, id };
        let job = Job::Call {
            id,
            request,
            deadline: asked + deadline,
        };
        match self.jobs.as_ref().map(|jobs| jobs.try_send(job)) {
            Some(Ok(())) => {}
            Some(Err(TrySendError::Full(_))) => {
                self.context.forget(id);
                return Err(self.error(PluginErrorKind::Busy));
            }
            Some(Err(TrySendError::Disconnected(_))) | None => {
                self.context.forget(id);
                return Err(self.error(PluginErrorKind::Cancelled));
            }
        }
        let outcome =
            tokio::time::timeout_at((asked + deadline + DEADLINE_GRACE).into(), answer).await;
        let answer = match outcome {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(PluginErrorKind::Cancelled),
            Err(_elapsed) => Err(PluginErrorKind::Timeout(deadline)),
        };
        drop(waiting);
        answer.map_err(|kind| match kind {
            PluginErrorKind::Timeout(_) => self.error(PluginErrorKind::Timeout(deadline)),
            kind => self.error(kind),
        })
    }

    fn error(&self, kind: PluginErrorKind) -> PluginError {
        PluginError::Call {
            library: self.context.library.clone(),
            provider: self.context.provider.clone(),
            kind,
        }
    }

    /// Stop the instance: no new calls, the dispatch threads finish the call they are in, then
    /// the plugin's `destroy` runs, all on a thread of its own. Waits at most five seconds for
    /// that (a plugin stuck inside `call` is then left to finish on its own; it is never
    /// destroyed while a call is inside it).
    pub async fn shutdown(mut self) {
        let (done, finished) = oneshot::channel();
        self.stop(Some(done));
        let _ = tokio::time::timeout(SHUTDOWN_WAIT, finished).await;
    }

    fn stop(&mut self, done: Option<oneshot::Sender<()>>) {
        let Some(jobs) = self.jobs.take() else {
            return;
        };
        drop(jobs);
        let dispatchers = std::mem::take(&mut self.dispatchers);
        let raw = self.raw;
        let provider = self.context.provider.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("simpul-destroy-{provider}"))
            .spawn(move || {
                let raw = raw;
                for dispatcher in dispatchers {
                    let _ = dispatcher.join();
                }
                if let Some(destroy) = raw.functions.destroy {
                    // SAFETY: every dispatch thread has returned, so no `call` is inside the
                    // instance; it is destroyed once (`jobs` was taken above).
                    unsafe { destroy(raw.instance) };
                }
                if let Some(done) = done {
                    let _ = done.send(());
                }
            });
        if let Err(e) = spawned {
            tracing::error!(
                provider,
                "cannot start the thread that destroys the instance: {e}"
            );
        }
    }
}

impl Drop for PluginInstance {
    fn drop(&mut self) {
        self.stop(None);
    }
}

/// A dispatch thread: take jobs until the instance stops. A call whose caller has stopped
/// waiting is not started; one whose deadline has passed is not started either, and its caller
/// hears it timed out.
fn dispatch(context: &'static HostContext, raw: Raw, jobs: &Mutex<Receiver<Job>>) {
    loop {
        let job = match jobs.lock().unwrap_or_else(|p| p.into_inner()).recv() {
            Ok(job) => job,
            Err(_closed) => return,
        };
        match job {
            Job::Call {
                id,
                request,
                deadline,
            } => {
                if !context.is_waiting(id) {
                    continue;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    context.expire(id);
                    continue;
                }
                let timeout_ms = u64::try_from(left.as_millis()).unwrap_or(u64::MAX).max(1);
                if let Some(call) = raw.functions.call {
                    // SAFETY: a live instance (destroy waits for this thread); the request
                    // bytes outlive the call, as the ABI requires.
                    unsafe {
                        call(
                            raw.instance,
                            id,
                            request.as_ptr(),
                            request.len(),
                            timeout_ms,
                        )
                    };
                }
            }
            Job::Cancel { id } => {
                if let Some(cancel) = raw.functions.cancel {
                    // SAFETY: a live instance; unknown ids must be ignored by the plugin.
                    unsafe { cancel(raw.instance, id) };
                }
            }
        }
    }
}
