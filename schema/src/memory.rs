//! Answering a [`QueryRequest`] from records held in memory: what every adapter of a small
//! source (spreadsheets, a cached API) does. [`filter::apply`] on the asked collection, then
//! personal data dropped unless the request asked for it.

use crate::filter::{self, FilterError};
use crate::model::{
    Course, CourseRun, CredentialAward, Enrollment, Outcome, Participant, Partnership, Program,
    TrainingCenter,
};
use crate::query::{Collection, QueryRequest, QueryResponse, Records};

/// Borrowed views of one source's records, one slice per collection.
#[derive(Debug, Clone, Copy)]
pub struct InMemory<'a> {
    /// Training centres.
    pub training_centers: &'a [TrainingCenter],
    /// Courses.
    pub courses: &'a [Course],
    /// Course runs.
    pub course_runs: &'a [CourseRun],
    /// Participants, personal data filled in.
    pub participants: &'a [Participant],
    /// Enrolments.
    pub enrollments: &'a [Enrollment],
    /// Outcomes, revenue filled in.
    pub outcomes: &'a [Outcome],
    /// Partnerships.
    pub partnerships: &'a [Partnership],
    /// Credential awards, numbers filled in.
    pub credential_awards: &'a [CredentialAward],
    /// Catalogue programmes.
    pub programs: &'a [Program],
}

impl InMemory<'_> {
    /// Answer `request`: filter, order and page the asked collection, then drop personal data
    /// (`Participant::pii`, `Outcome::monthly_revenue`, a credential award's numbers) unless `request.include_pii`.
    ///
    /// # Errors
    /// The filter or sort names a field the collection does not have, or a literal that does
    /// not fit it.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, FilterError> {
        let (records, total_count) = match request.collection {
            Collection::TrainingCenters => {
                let (r, n) = filter::apply(self.training_centers, request)?;
                (Records::TrainingCenters(r), n)
            }
            Collection::Courses => {
                let (r, n) = filter::apply(self.courses, request)?;
                (Records::Courses(r), n)
            }
            Collection::CourseRuns => {
                let (r, n) = filter::apply(self.course_runs, request)?;
                (Records::CourseRuns(r), n)
            }
            Collection::Participants => {
                let (mut r, n) = filter::apply(self.participants, request)?;
                if !request.include_pii {
                    r.iter_mut().for_each(|p| p.pii = None);
                }
                (Records::Participants(r), n)
            }
            Collection::Enrollments => {
                let (r, n) = filter::apply(self.enrollments, request)?;
                (Records::Enrollments(r), n)
            }
            Collection::Outcomes => {
                let (mut r, n) = filter::apply(self.outcomes, request)?;
                if !request.include_pii {
                    r.iter_mut().for_each(|o| o.monthly_revenue = None);
                }
                (Records::Outcomes(r), n)
            }
            Collection::Partnerships => {
                let (r, n) = filter::apply(self.partnerships, request)?;
                (Records::Partnerships(r), n)
            }
            Collection::CredentialAwards => {
                let (mut r, n) = filter::apply(self.credential_awards, request)?;
                if !request.include_pii {
                    r.iter_mut().for_each(CredentialAward::strip_personal_data);
                }
                (Records::CredentialAwards(r), n)
            }
            Collection::Programs => {
                let (r, n) = filter::apply(self.programs, request)?;
                (Records::Programs(r), n)
            }
        };
        Ok(QueryResponse {
            records,
            total_count,
            next: None,
        })
    }
}
