//! The record types, seen generically ([`Record`]): their collection, key, warnings and
//! personal fields; and [`for_each_collection!`], which runs a generic function for the record
//! type of a [`Collection`].

use serde::de::DeserializeOwned;
use serde::Serialize;
use simpul_schema::filter::Filterable;
use simpul_schema::{
    Collection, Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant,
    Partnership, Program, Records, TrainingCenter,
};

/// A record of one collection, as the suite handles it.
pub trait Record:
    Filterable + Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// Its collection.
    const COLLECTION: Collection;
    /// The provider's key for the record.
    fn source_id(&self) -> &str;
    /// Its data-quality warnings.
    fn warnings(&self) -> &[DataWarning];
    /// Whether it carries personal data in clear (`Participant.pii`,
    /// `Outcome.monthlyRevenue`, a credential award's numbers): only allowed when the request
    /// asked for it.
    fn has_personal_data(&self) -> bool;
    /// The record without its personal data in clear.
    fn without_personal_data(&self) -> Self;
    /// The records of a response, if they are of this collection.
    fn from_records(records: Records) -> Option<Vec<Self>>;
    /// The records held, if they are of this collection.
    fn slice(records: &Records) -> Option<&[Self]>;
    /// Records of this collection.
    fn to_records(records: Vec<Self>) -> Records;
}

macro_rules! record {
    ($ty:ty, $variant:ident) => {
        record!($ty, $variant, |_r| false, |r| r.clone());
    };
    ($ty:ty, $variant:ident, |$r:ident| $has:expr, |$s:ident| $strip:expr) => {
        impl Record for $ty {
            const COLLECTION: Collection = Collection::$variant;
            fn source_id(&self) -> &str {
                &self.source_id
            }
            fn warnings(&self) -> &[DataWarning] {
                &self.warnings
            }
            fn has_personal_data(&self) -> bool {
                let $r = self;
                $has
            }
            fn without_personal_data(&self) -> Self {
                let $s = self;
                $strip
            }
            fn from_records(records: Records) -> Option<Vec<Self>> {
                match records {
                    Records::$variant(records) => Some(records),
                    _ => None,
                }
            }
            fn slice(records: &Records) -> Option<&[Self]> {
                match records {
                    Records::$variant(records) => Some(records),
                    _ => None,
                }
            }
            fn to_records(records: Vec<Self>) -> Records {
                Records::$variant(records)
            }
        }
    };
}

record!(TrainingCenter, TrainingCenters);
record!(Course, Courses);
record!(CourseRun, CourseRuns);
record!(Participant, Participants, |r| r.pii.is_some(), |s| {
    Participant {
        pii: None,
        ..s.clone()
    }
});
record!(Enrollment, Enrollments);
record!(Outcome, Outcomes, |r| r.monthly_revenue.is_some(), |s| {
    Outcome {
        monthly_revenue: None,
        ..s.clone()
    }
});
record!(Partnership, Partnerships);
record!(Program, Programs);
record!(
    CredentialAward,
    CredentialAwards,
    |r| r.number.is_some() || r.registration_number.is_some(),
    |s| {
        let mut award = s.clone();
        award.strip_personal_data();
        award
    }
);

/// Call `$f::<T>($args…)` with `T` the record type of `$collection` (`await` first: and
/// await it).
#[macro_export]
macro_rules! for_each_collection {
    (await $collection:expr, $f:ident ( $($arg:expr),* $(,)? )) => {
        match $collection {
            simpul_schema::Collection::TrainingCenters => $f::<simpul_schema::TrainingCenter>($($arg),*).await,
            simpul_schema::Collection::Courses => $f::<simpul_schema::Course>($($arg),*).await,
            simpul_schema::Collection::CourseRuns => $f::<simpul_schema::CourseRun>($($arg),*).await,
            simpul_schema::Collection::Participants => $f::<simpul_schema::Participant>($($arg),*).await,
            simpul_schema::Collection::Enrollments => $f::<simpul_schema::Enrollment>($($arg),*).await,
            simpul_schema::Collection::Outcomes => $f::<simpul_schema::Outcome>($($arg),*).await,
            simpul_schema::Collection::Partnerships => $f::<simpul_schema::Partnership>($($arg),*).await,
            simpul_schema::Collection::CredentialAwards => $f::<simpul_schema::CredentialAward>($($arg),*).await,
            simpul_schema::Collection::Programs => $f::<simpul_schema::Program>($($arg),*).await,
        }
    };
    ($collection:expr, $f:ident ( $($arg:expr),* $(,)? )) => {
        match $collection {
            simpul_schema::Collection::TrainingCenters => $f::<simpul_schema::TrainingCenter>($($arg),*),
            simpul_schema::Collection::Courses => $f::<simpul_schema::Course>($($arg),*),
            simpul_schema::Collection::CourseRuns => $f::<simpul_schema::CourseRun>($($arg),*),
            simpul_schema::Collection::Participants => $f::<simpul_schema::Participant>($($arg),*),
            simpul_schema::Collection::Enrollments => $f::<simpul_schema::Enrollment>($($arg),*),
            simpul_schema::Collection::Outcomes => $f::<simpul_schema::Outcome>($($arg),*),
            simpul_schema::Collection::Partnerships => $f::<simpul_schema::Partnership>($($arg),*),
            simpul_schema::Collection::CredentialAwards => $f::<simpul_schema::CredentialAward>($($arg),*),
            simpul_schema::Collection::Programs => $f::<simpul_schema::Program>($($arg),*),
        }
    };
}

/// The camelCase name of a collection (`courseRuns`), as messages spell it.
pub fn collection_name(collection: Collection) -> String {
    serde_json::to_value(collection)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{collection:?}"))
}
