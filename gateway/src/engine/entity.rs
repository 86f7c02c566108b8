//! How the engine handles each collection's record type generically.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use simpul_schema::filter::{FieldValue, Filterable};
use simpul_schema::{
    Collection, Course, CourseRun, CredentialAward, Enrollment, GlobalId, Outcome, Participant,
    Partnership, Program, Records, TrainingCenter,
};

/// A record type the engine can list, merge and look up.
pub trait Entity: Filterable + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Its collection.
    const COLLECTION: Collection;
    /// Take the records out of an adapter response of this collection.
    fn unwrap(records: Records) -> Option<Vec<Self>>;
    /// The provider's key for the record.
    fn source_id(&self) -> &str;
    /// Remove the personal data in clear the record carries; whether there was any.
    fn drop_personal_data(&mut self) -> bool;
}

macro_rules! entity {
    ($ty:ty, $variant:ident) => {
        entity!($ty, $variant, |_record| false);
    };
    ($ty:ty, $variant:ident, |$record:ident| $drop:expr) => {
        impl Entity for $ty {
            const COLLECTION: Collection = Collection::$variant;
            fn unwrap(records: Records) -> Option<Vec<Self>> {
                match records {
                    Records::$variant(records) => Some(records),
                    _ => None,
                }
            }
            fn source_id(&self) -> &str {
                &self.source_id
            }
            fn drop_personal_data(&mut self) -> bool {
                let $record = self;
                $drop
            }
        }
    };
}

entity!(TrainingCenter, TrainingCenters);
entity!(Course, Courses);
entity!(CourseRun, CourseRuns);
entity!(Participant, Participants, |p| p.pii.take().is_some());
entity!(Enrollment, Enrollments);
entity!(Outcome, Outcomes, |o| o.monthly_revenue.take().is_some());
entity!(Partnership, Partnerships);
entity!(Program, Programs);
entity!(CredentialAward, CredentialAwards, |a| {
    let had = a.number.is_some() || a.registration_number.is_some();
    a.strip_personal_data();
    had
});

/// Remove the personal data in clear from every record of an adapter's answer; how many
/// records carried some.
pub(super) fn drop_personal_data(records: &mut Records) -> usize {
    fn each<T: Entity>(records: &mut [T]) -> usize {
        records
            .iter_mut()
            .fold(0, |n, r| n + usize::from(r.drop_personal_data()))
    }
    match records {
        Records::TrainingCenters(r) => each(r),
        Records::Courses(r) => each(r),
        Records::CourseRuns(r) => each(r),
        Records::Participants(r) => each(r),
        Records::Enrollments(r) => each(r),
        Records::Outcomes(r) => each(r),
        Records::Partnerships(r) => each(r),
        Records::CredentialAwards(r) => each(r),
        Records::Programs(r) => each(r),
    }
}

/// A record and the provider it came from.
#[derive(Debug)]
pub struct Sourced<T> {
    /// Provider key.
    pub provider: Arc<str>,
    /// The record.
    pub record: Arc<T>,
    /// Fields of related records the list is ordered by (`course.name`), when it is.
    pub related: Option<Arc<BTreeMap<String, FieldValue>>>,
}

impl<T> Clone for Sourced<T> {
    fn clone(&self) -> Self {
        Self {
            provider: Arc::clone(&self.provider),
            record: Arc::clone(&self.record),
            related: self.related.clone(),
        }
    }
}

impl<T: Entity> Sourced<T> {
    /// Wrap a record.
    pub fn new(provider: Arc<str>, record: T) -> Self {
        Self {
            provider,
            record: Arc::new(record),
            related: None,
        }
    }

    /// Its global id.
    pub fn id(&self) -> GlobalId {
        GlobalId::new(
            &self.provider,
            T::COLLECTION.type_name(),
            self.record.source_id(),
        )
    }

    /// A field for filtering and sorting, including `provider` and the related fields the
    /// list is ordered by (`course.name`).
    pub fn field(&self, name: &str) -> Option<FieldValue> {
        if name.contains('.') {
            let related = self.related.as_ref().and_then(|r| r.get(name)).cloned();
            return Some(related.unwrap_or(FieldValue::Null));
        }
        if name == "provider" {
            Some(FieldValue::from(&*self.provider))
        } else {
            self.record.field(name)
        }
    }
}
