//! A streaming JSON array writer in the style of the contract's data files: `[`, then each
//! record pretty-printed with two-space indentation inside the array, `]`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::GenerateError;
use crate::manifest::FileSummary;

/// One JSON array file being written.
pub struct JsonArray {
    w: BufWriter<File>,
    path: PathBuf,
    records: u64,
    buf: Vec<u8>,
}

impl JsonArray {
    /// Create `path` and open the array.
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn create(path: &Path) -> Result<Self, GenerateError> {
        let file = File::create(path).map_err(GenerateError::write(path))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        w.write_all(b"[").map_err(GenerateError::write(path))?;
        Ok(Self {
            w,
            path: path.to_owned(),
            records: 0,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Append one record.
    ///
    /// # Errors
    /// Serialisation or the write fails.
    pub fn push<T: Serialize>(&mut self, record: &T) -> Result<(), GenerateError> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, record).map_err(|source| {
            GenerateError::Json {
                path: self.path.clone(),
                source,
            }
        })?;
        let sep: &[u8] = if self.records == 0 { b"\n  " } else { b",\n  " };
        let mut out = Vec::with_capacity(self.buf.len() + self.buf.len() / 8);
        out.extend_from_slice(sep);
        for &b in &self.buf {
            out.push(b);
            if b == b'\n' {
                out.extend_from_slice(b"  ");
            }
        }
        self.records += 1;
        self.w
            .write_all(&out)
            .map_err(GenerateError::write(&self.path))
    }

    /// Close the array and the file.
    ///
    /// # Errors
    /// The write fails.
    pub fn finish(mut self) -> Result<FileSummary, GenerateError> {
        let tail: &[u8] = if self.records == 0 { b"]\n" } else { b"\n]\n" };
        self.w
            .write_all(tail)
            .and_then(|()| self.w.flush())
            .map_err(GenerateError::write(&self.path))?;
        drop(self.w);
        Ok(FileSummary::of(&self.path, self.records))
    }
}
