//! Recording a provider's adapter calls (`record = "FILE.jsonl"` under `[[providers]]`): each
//! call the gateway makes through the provider's policy, with the adapter's answer or error
//! code, is appended as one JSON line in the kit's format (`simpul_adapter_kit::recording`),
//! for `simpul adapter replay` to send again to another build.
//!
//! Recording never blocks or fails a request: a call hands its entry to a bounded channel and
//! goes on; a thread of the recorder's own serialises and writes. When the channel is full
//! (the disk slower than the calls), the entry is dropped, counted ([`Recorder::dropped`]) and
//! logged once; so is a failed write.
//!
//! Answers asked for with `includePii` hold personal data in clear: the file is created with
//! mode 0600 (owner only), and an existing file readable by others is warned about.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use simpul_adapter_kit::recording::{error_code, AdapterId, Line, RecordedError, FORMAT};
use simpul_plugin::Manifest;
use simpul_schema::{AdapterRequest, AdapterResponse};

use super::CallError;

/// Entries waiting to be written at most; more are dropped.
pub const QUEUE: usize = 256;

/// One call, waiting to be written.
struct Entry {
    at: chrono::DateTime<chrono::Utc>,
    request: AdapterRequest,
    duration: Duration,
    result: Result<AdapterResponse, RecordedError>,
}

/// The recorder of one provider.
#[derive(Debug)]
pub struct Recorder {
    sender: SyncSender<Entry>,
    path: PathBuf,
    provider: String,
    dropped: Arc<AtomicU64>,
    warned: Arc<AtomicBool>,
}

impl Recorder {
    /// Open (append to, or create with mode 0600) `path` and start the writer thread.
    pub fn open(path: &Path, provider: &str, manifest: &Manifest) -> std::io::Result<Self> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = file.metadata()?.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(provider, path = %path.display(), "the recording is readable by others (mode {:o}); it may hold personal data: chmod 600 it", mode & 0o777);
            }
        }
        let (sender, receiver) = sync_channel(QUEUE);
        let recorder = Self {
            sender,
            path: path.to_path_buf(),
            provider: provider.to_owned(),
            dropped: Arc::default(),
            warned: Arc::default(),
        };
        let writer = Writer {
            file: BufWriter::new(file),
            provider: provider.to_owned(),
            adapter: AdapterId {
                name: manifest.name.clone(),
                version: manifest.version.clone(),
            },
            path: recorder.path.clone(),
            dropped: Arc::clone(&recorder.dropped),
            warned: Arc::clone(&recorder.warned),
        };
        std::thread::Builder::new()
            .name(format!("simpul-record-{provider}"))
            .spawn(move || writer.run(receiver))?;
        tracing::info!(provider, path = %path.display(), "recording adapter calls");
        Ok(recorder)
    }

    /// Hand one call to the writer; never waits.
    pub fn record(
        &self,
        request: &AdapterRequest,
        duration: Duration,
        result: &Result<AdapterResponse, CallError>,
    ) {
        let result = match result {
            Ok(answer) => Ok(answer.clone()),
            Err(error @ CallError::Plugin(plugin)) => Err(RecordedError {
                code: error_code(plugin),
                gateway_code: Some(error.code().to_owned()),
            }),
            // Not sent to the adapter (breaker open, no slot): nothing to replay.
            Err(_) => return,
        };
        let entry = Entry {
            at: chrono::Utc::now(),
            request: request.clone(),
            duration,
            result,
        };
        match self.sender.try_send(entry) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                if !self.warned.swap(true, Ordering::Relaxed) {
                    tracing::warn!(provider = %self.provider, path = %self.path.display(), "the recording falls behind the calls: lines are dropped (counted, logged once)");
                }
            }
        }
    }

    /// Lines dropped so far (queue full, or a write failed).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// The writer thread's side.
struct Writer {
    file: BufWriter<File>,
    provider: String,
    adapter: AdapterId,
    path: PathBuf,
    dropped: Arc<AtomicU64>,
    warned: Arc<AtomicBool>,
}

impl Writer {
    /// Write entries until every sender is gone; flush whenever the queue is empty.
    fn run(mut self, receiver: Receiver<Entry>) {
        while let Ok(entry) = receiver.recv() {
            self.write(entry);
            while let Ok(entry) = receiver.try_recv() {
                self.write(entry);
            }
            if let Err(e) = self.file.flush() {
                self.failed(&e.to_string());
            }
        }
    }

    fn write(&mut self, entry: Entry) {
        let (answer, error) = match entry.result {
            Ok(answer) => (
                Some(serde_json::to_value(&answer).unwrap_or_default()),
                None,
            ),
            Err(error) => (None, Some(error)),
        };
        let line = Line {
            format: FORMAT,
            at: entry
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            provider: self.provider.clone(),
            adapter: self.adapter.clone(),
            request: entry.request,
            duration_ms: (entry.duration.as_secs_f64() * 1e6).round() / 1e3,
            answer,
            error,
        };
        let written = serde_json::to_writer(&mut self.file, &line)
            .map_err(|e| e.to_string())
            .and_then(|()| self.file.write_all(b"\n").map_err(|e| e.to_string()));
        if let Err(e) = written {
            self.failed(&e);
        }
    }

    fn failed(&self, reason: &str) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(provider = %self.provider, path = %self.path.display(), "cannot write the recording: {reason}; lines are dropped (counted, logged once)");
        }
    }
}
