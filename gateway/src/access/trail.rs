//! [`AuditTrail`]: the personal-data fields one request returned in clear, and of how many
//! records; written to the audit log once the response is complete. Never the values.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// Field names and record ids read in clear by one request.
#[derive(Debug, Default)]
pub struct AuditTrail(Mutex<(BTreeSet<String>, BTreeSet<String>)>);

impl AuditTrail {
    /// `field` (`Participant.nik`) of the record with global id `record` was returned in clear.
    pub fn note(&self, field: &str, record: &str) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.0.insert(field.to_owned());
        seen.1.insert(record.to_owned());
    }

    /// The fields read and how many records they came from; `None` when nothing was read.
    pub fn summary(&self) -> Option<(Vec<String>, u64)> {
        let seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        (!seen.0.is_empty()).then(|| (seen.0.iter().cloned().collect(), seen.1.len() as u64))
    }
}
