//! The data the simulator serves: a folder of JSON files with the same names and shapes as the
//! provider contract's `data/*.json`: arrays of the exact (unmasked) response objects, plus
//! `api_keys.json` with the keys and their scopes.
//!
//! Records are kept as JSON objects, verbatim, so that messy data (unknown enum values,
//! non-ISO dates, extra fields) reaches clients exactly as written. Only the fields the API
//! filters, sorts or looks up by are read: each record's id, and a few filter fields.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

/// One of the five record files behind the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataFile {
    /// `lembaga_mitra.json`, behind `/v1/lembaga-mitra`.
    LembagaMitra,
    /// `program_vokasi.json`, behind `/v1/program-vokasi`.
    ProgramVokasi,
    /// `peserta_program.json`, behind `/v1/peserta?program_id=`.
    PesertaProgram,
    /// `kepesertaan.json`, behind `/v1/peserta/{kpj}`.
    Kepesertaan,
    /// `penempatan.json`, behind `/v1/penempatan`.
    Penempatan,
}

impl DataFile {
    /// Every record file.
    pub const ALL: [DataFile; 5] = [
        DataFile::LembagaMitra,
        DataFile::ProgramVokasi,
        DataFile::PesertaProgram,
        DataFile::Kepesertaan,
        DataFile::Penempatan,
    ];

    /// The file's name in the data folder.
    pub fn file_name(self) -> &'static str {
        match self {
            DataFile::LembagaMitra => "lembaga_mitra.json",
            DataFile::ProgramVokasi => "program_vokasi.json",
            DataFile::PesertaProgram => "peserta_program.json",
            DataFile::Kepesertaan => "kepesertaan.json",
            DataFile::Penempatan => "penempatan.json",
        }
    }

    /// The field that identifies a record (and orders lists).
    pub fn id_field(self) -> &'static str {
        match self {
            DataFile::LembagaMitra => "lembagaId",
            DataFile::ProgramVokasi => "programId",
            DataFile::PesertaProgram => "pesertaProgramId",
            DataFile::Kepesertaan => "kpj",
            DataFile::Penempatan => "penempatanId",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The name of the key file in the data folder.
pub const API_KEYS_FILE: &str = "api_keys.json";

/// An API key from `api_keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    /// The secret sent in `X-API-Key`.
    pub api_key: String,
    /// What the key is for.
    #[serde(default)]
    pub label: String,
    /// Granted scopes (`lembaga:read`, ..., `pii:read`).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `false` for a revoked key (answered with 401 like an unknown one).
    #[serde(default = "yes")]
    pub aktif: bool,
}

fn yes() -> bool {
    true
}

impl ApiKey {
    /// An active key with `scopes`.
    pub fn new(api_key: &str, scopes: &[&str]) -> Self {
        Self {
            api_key: api_key.to_owned(),
            label: String::new(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            aktif: true,
        }
    }
}

/// Why a data folder cannot be served. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file is missing or unreadable.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON, or does not have the contract's shape.
    #[error("`{file}` line {line} column {column}: {message}")]
    Json {
        /// The file's name.
        file: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// serde_json's explanation.
        message: String,
    },
    /// A file is valid JSON but not an array.
    #[error("`{file}` must hold a JSON array of records")]
    NotAnArray {
        /// The file's name.
        file: String,
    },
    /// One record cannot be served (not an object, or no string id).
    #[error("`{file}` record {index} (0-based): {reason}")]
    Record {
        /// The file's name.
        file: String,
        /// Position in the array.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

/// The simulator's data set: keys plus the five record files, each kept sorted by id.
#[derive(Debug, Clone, Default)]
pub struct SimulatorData {
    api_keys: Vec<ApiKey>,
    records: [Vec<Map<String, Value>>; 5],
}

impl SimulatorData {
    /// An empty data set (no keys, no records).
    pub fn empty() -> Self {
        Self::default()
    }

    /// Read a data folder: `api_keys.json` and the five record files, all required.
    ///
    /// # Errors
    /// The first file that is missing, unreadable, not JSON (with line and column), not an
    /// array, or holds a record without its string id.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, DataError> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| DataError::Io { path, source })
        };
        let mut data = Self::empty();
        data.set_api_keys_json(&read(API_KEYS_FILE)?)?;
        for file in DataFile::ALL {
            data.set_records_json(file, &read(file.file_name())?)?;
        }
        Ok(data)
    }

    /// The repository's own synthetic demo data set (`data/` in this crate), embedded. (Empty
    /// if the embedded files were broken; a unit test keeps them loadable.)
    pub fn demo() -> Self {
        Self::demo_checked().unwrap_or_default()
    }

    fn demo_checked() -> Result<Self, DataError> {
        let mut data = Self::empty();
        data.set_api_keys_json(include_str!("../data/api_keys.json"))?;
        for (file, text) in [
            (
                DataFile::LembagaMitra,
                include_str!("../data/lembaga_mitra.json"),
            ),
            (
                DataFile::ProgramVokasi,
                include_str!("../data/program_vokasi.json"),
            ),
            (
                DataFile::PesertaProgram,
                include_str!("../data/peserta_program.json"),
            ),
            (
                DataFile::Kepesertaan,
                include_str!("../data/kepesertaan.json"),
            ),
            (
                DataFile::Penempatan,
                include_str!("../data/penempatan.json"),
            ),
        ] {
            data.set_records_json(file, text)?;
        }
        Ok(data)
    }

    /// The folder of the demo data set in this crate's source tree.
    pub fn demo_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    /// Replace the keys with those in `text` (the `api_keys.json` format).
    ///
    /// # Errors
    /// `text` is not a JSON array of keys.
    pub fn set_api_keys_json(&mut self, text: &str) -> Result<(), DataError> {
        self.api_keys = serde_json::from_str(text).map_err(|e| json_error(API_KEYS_FILE, &e))?;
        Ok(())
    }

    /// Replace one file's records with those in `text`.
    ///
    /// # Errors
    /// `text` is not a JSON array of objects each with its string id.
    pub fn set_records_json(&mut self, file: DataFile, text: &str) -> Result<(), DataError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| json_error(file.file_name(), &e))?;
        let Value::Array(items) = value else {
            return Err(DataError::NotAnArray {
                file: file.file_name().to_owned(),
            });
        };
        self.records[file.index()].clear();
        for (index, item) in items.into_iter().enumerate() {
            self.push_at(file, item, index)?;
        }
        self.sort(file);
        Ok(())
    }

    /// Add one record (kept in id order).
    ///
    /// # Errors
    /// The record is not an object with a string id.
    pub fn insert(&mut self, file: DataFile, record: Value) -> Result<(), DataError> {
        let index = self.records[file.index()].len();
        self.push_at(file, record, index)?;
        self.sort(file);
        Ok(())
    }

    /// Add a key.
    pub fn add_api_key(&mut self, key: ApiKey) {
        self.api_keys.push(key);
    }

    /// The keys.
    pub fn api_keys(&self) -> &[ApiKey] {
        &self.api_keys
    }

    /// One file's records, in id order.
    pub fn records(&self, file: DataFile) -> &[Map<String, Value>] {
        &self.records[file.index()]
    }

    fn push_at(&mut self, file: DataFile, record: Value, index: usize) -> Result<(), DataError> {
        let bad = |reason: &str| DataError::Record {
            file: file.file_name().to_owned(),
            index,
            reason: reason.to_owned(),
        };
        let Value::Object(object) = record else {
            return Err(bad("not a JSON object"));
        };
        if !object.get(file.id_field()).is_some_and(Value::is_string) {
            return Err(bad(&format!(
                "`{}` is missing or not a string",
                file.id_field()
            )));
        }
        self.records[file.index()].push(object);
        Ok(())
    }

    /// Stable sort by id (exact duplicates stay side by side, in file order).
    fn sort(&mut self, file: DataFile) {
        let id = file.id_field();
        self.records[file.index()].sort_by(|a, b| text(a, id).cmp(text(b, id)));
    }
}

/// A string field of a record (`""` when absent or not a string).
pub(crate) fn text<'a>(record: &'a Map<String, Value>, field: &str) -> &'a str {
    record
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn json_error(file: &str, e: &serde_json::Error) -> DataError {
    DataError::Json {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_demo_loads_and_matches_the_folder() {
        let embedded = SimulatorData::demo_checked().expect("demo data loads");
        let folder = SimulatorData::load(SimulatorData::demo_dir()).expect("demo folder loads");
        for file in DataFile::ALL {
            assert!(!embedded.records(file).is_empty(), "{file:?}");
            assert_eq!(embedded.records(file), folder.records(file));
        }
        assert_eq!(embedded.api_keys(), folder.api_keys());
    }

    #[test]
    fn errors_name_the_file_and_position() {
        let mut data = SimulatorData::empty();
        let e = data
            .set_records_json(
                DataFile::ProgramVokasi,
                "[\n  {\"programId\": \"PV-1\",}\n]",
            )
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("`program_vokasi.json` line 2 column"),
            "{text}"
        );
        let e = data
            .set_records_json(DataFile::Penempatan, "{}")
            .unwrap_err();
        assert!(matches!(e, DataError::NotAnArray { .. }));
        let e = data
            .set_records_json(DataFile::Penempatan, r#"[{"penempatanId": 5}]"#)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`penempatan.json` record 0 (0-based): `penempatanId` is missing or not a string"
        );
        let e = SimulatorData::load("/nonexistent/simpul").unwrap_err();
        assert!(e.to_string().contains("api_keys.json"), "{e}");
    }

    #[test]
    fn records_are_kept_in_id_order() {
        let mut data = SimulatorData::empty();
        data.set_records_json(
            DataFile::LembagaMitra,
            r#"[{"lembagaId": "LM-0002"}, {"lembagaId": "LM-0001"}]"#,
        )
        .unwrap();
        data.insert(
            DataFile::LembagaMitra,
            serde_json::json!({"lembagaId": "LM-0000"}),
        )
        .unwrap();
        let ids: Vec<_> = data
            .records(DataFile::LembagaMitra)
            .iter()
            .map(|r| text(r, "lembagaId"))
            .collect();
        assert_eq!(ids, ["LM-0000", "LM-0001", "LM-0002"]);
    }
}
