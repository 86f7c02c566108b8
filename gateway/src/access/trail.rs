//! [`AuditTrail`]: what one request read that the audit log must record, written once the
//! response is complete: the personal-data fields returned in clear and of how many records,
//! and the statistical requests (aggregates) with their shape. Never the values.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// What one request read that is audited.
#[derive(Debug, Default)]
pub struct AuditTrail(Mutex<Seen>);

#[derive(Debug, Default)]
struct Seen {
    /// Audited names: `Participant.nik`, `Query.enrollments_aggregate`, `where.sex`, ...
    fields: BTreeSet<String>,
    /// Global ids of the records whose personal data was returned.
    records: BTreeSet<String>,
    /// Groups returned by statistical requests.
    groups: u64,
}

impl AuditTrail {
    /// `field` (`Participant.nik`) of the record with global id `record` was returned in clear.
    pub fn note(&self, field: &str, record: &str) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.fields.insert(field.to_owned());
        seen.records.insert(record.to_owned());
    }

    /// A statistical request was answered: its root field and shape (`Query.participants_aggregate`,
    /// `where.sex`, `group_by.outcomeStatus`: names only) and how many groups it returned.
    pub fn note_statistics(&self, shape: impl IntoIterator<Item = String>, groups: u64) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.fields.extend(shape);
        seen.groups += groups;
    }

    /// An identity lookup was made (`Query.personByNik`), whether or not it found anyone: the
    /// audit row names `field`, and each lookup counts as one record (never the identifier).
    pub fn note_lookup(&self, field: &str) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let prefix = format!("{field}#");
        let n = seen
            .records
            .iter()
            .filter(|r| r.starts_with(&prefix))
            .count();
        seen.fields.insert(field.to_owned());
        seen.records.insert(format!("{prefix}{n}"));
    }

    /// `field` of a looked-up record (counted by its lookup, [`Self::note_lookup`]) was
    /// returned in clear.
    pub fn note_field(&self, field: &str) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.fields.insert(field.to_owned());
    }

    /// The names read and how many records (or groups) they came from; `None` when nothing
    /// audited was read.
    pub fn summary(&self) -> Option<(Vec<String>, u64)> {
        let seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        (!seen.fields.is_empty()).then(|| {
            (
                seen.fields.iter().cloned().collect(),
                seen.records.len() as u64 + seen.groups,
            )
        })
    }
}
