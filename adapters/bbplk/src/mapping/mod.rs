//! From raw rows to the unified model, per UNIFIED.md §4 ("Mapping: BBPLK SQL → unified").
//!
//! Pure functions over the rows the query plans return ([`rows`]): [`values`] (cell rules) and
//! [`vocab`] (vocabularies), both shared with the SQL, [`organisations`] (centres, courses, runs,
//! partnerships), [`people`] (participants, enrolments, outcomes), [`credentials`]
//! (certificates) and [`programs`] (the catalogue). A doubtful value never
//! fails a query: it becomes null (or a fallback) plus a `DataWarning` on the record.

pub mod credentials;
pub mod organisations;
pub mod people;
pub mod programs;
pub mod rows;
pub mod values;
pub mod vocab;

pub use credentials::map_award;
pub use organisations::{course_key, map_center, map_course, map_partnership, map_run};
pub use people::{check_nik, map_enrollment, map_outcome, map_participant};
pub use programs::map_program;
