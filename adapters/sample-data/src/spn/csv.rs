//! A streaming writer for SPN's CSV dialect: `;` delimiter, RFC 4180 quoting (a cell with
//! `;`, `"` or a line break is quoted, `"` doubled), CRLF line ends (LF on request), an
//! optional UTF-8 byte-order mark.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::GenerateError;
use crate::manifest::FileSummary;

/// One CSV file being written.
pub struct CsvOut {
    w: BufWriter<File>,
    path: PathBuf,
    eol: &'static str,
    records: u64,
}

impl CsvOut {
    /// Create `path` and write the header.
    ///
    /// # Errors
    /// The file cannot be created or written.
    pub fn create(
        path: &Path,
        bom: bool,
        crlf: bool,
        header: &[&str],
    ) -> Result<Self, GenerateError> {
        let file = File::create(path).map_err(GenerateError::write(path))?;
        let mut out = Self {
            w: BufWriter::with_capacity(1 << 20, file),
            path: path.to_owned(),
            eol: if crlf { "\r\n" } else { "\n" },
            records: 0,
        };
        if bom {
            out.raw("\u{feff}")?;
        }
        out.line(header.iter().copied())?;
        out.records = 0;
        Ok(out)
    }

    /// Write one record.
    ///
    /// # Errors
    /// The write fails.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), GenerateError> {
        self.line(cells.iter().map(AsRef::as_ref))
    }

    fn line<'a>(&mut self, cells: impl Iterator<Item = &'a str>) -> Result<(), GenerateError> {
        let mut buf = String::with_capacity(256);
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                buf.push(';');
            }
            push_cell(&mut buf, cell);
        }
        buf.push_str(self.eol);
        self.records += 1;
        self.raw(&buf)
    }

    /// Write text as is (a blank line, a BOM).
    ///
    /// # Errors
    /// The write fails.
    pub fn raw(&mut self, text: &str) -> Result<(), GenerateError> {
        self.w
            .write_all(text.as_bytes())
            .map_err(GenerateError::write(&self.path))
    }

    /// The line end in use.
    pub fn eol(&self) -> &'static str {
        self.eol
    }

    /// Flush and close; the file's record count and size.
    ///
    /// # Errors
    /// The flush fails.
    pub fn finish(mut self) -> Result<FileSummary, GenerateError> {
        self.w.flush().map_err(GenerateError::write(&self.path))?;
        drop(self.w);
        Ok(FileSummary::of(&self.path, self.records))
    }
}

/// Append one cell, quoted when needed.
pub fn push_cell(buf: &mut String, cell: &str) {
    if cell.contains([';', '"', '\r', '\n']) {
        buf.push('"');
        for c in cell.chars() {
            if c == '"' {
                buf.push('"');
            }
            buf.push(c);
        }
        buf.push('"');
    } else {
        buf.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut s = String::new();
        push_cell(&mut s, "a;b");
        s.push('|');
        push_cell(&mut s, "say \"hi\"");
        s.push('|');
        push_cell(&mut s, "line\r\nbreak");
        s.push('|');
        push_cell(&mut s, "plain");
        assert_eq!(s, "\"a;b\"|\"say \"\"hi\"\"\"|\"line\r\nbreak\"|plain");
    }
}
