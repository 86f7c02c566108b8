//! The root lists of records (`trainingCenters`, `courses`, `courseRuns`, `participants`,
//! `enrollments`, `outcomes`, `credentialAwards`). Each takes the same arguments (Relay's
//! `first`/`after`/`last`/`before`, Hasura's `limit`/`offset`, `where`, `order_by`) and runs the
//! same body, so each is declared by one line of [`root_lists!`]: its name, its record and its
//! inputs.
//!
//! ```graphql
//! { courseRuns(first: 5, where: { fundingScheme: { _eq: "APBN" } }, order_by: [{ startDate: desc }]) {
//!     totalCount nodes { code startDate course { name } } } }
//! ```

use async_graphql::{Context, Result};

use crate::engine::cursor::PageRequest;
use crate::graphql::connection::{
    list, CourseConnection, CourseRunConnection, CredentialAwardConnection, EnrollmentConnection,
    OutcomeConnection, ParticipantConnection, TrainingCenterConnection,
};
use crate::graphql::filters::{
    filter_of, order_keys, CourseBoolExp, CourseOrderBy, CourseRunBoolExp, CourseRunOrderBy,
    CredentialAwardBoolExp, CredentialAwardOrderBy, EnrollmentBoolExp, EnrollmentOrderBy,
    OutcomeBoolExp, OutcomeOrderBy, ParticipantBoolExp, ParticipantOrderBy, TrainingCenterBoolExp,
    TrainingCenterOrderBy,
};
use crate::graphql::objects::{
    Course, CourseRun, CredentialAward, Enrollment, Outcome, Participant, TrainingCenter,
};

/// Declares the root lists: `name: Record => Connection, where BoolExp, order_by OrderBy;`.
macro_rules! root_lists {
    ($(
        $(#[$doc:meta])*
        $name:ident: $record:ident => $connection:ident, where $filter:ident, order_by $order:ident;
    )+) => {
        /// The root lists of records.
        #[derive(Default)]
        pub struct RootLists;

        #[async_graphql::Object]
        impl RootLists {
            $(
                $(#[$doc])*
                #[allow(clippy::too_many_arguments)]
                #[graphql(
                    complexity = "first.or(last).or(limit).unwrap_or(20).clamp(1, 1000) as usize * child_complexity"
                )]
                async fn $name(
                    &self,
                    ctx: &Context<'_>,
                    first: Option<i32>,
                    after: Option<String>,
                    last: Option<i32>,
                    before: Option<String>,
                    limit: Option<i32>,
                    offset: Option<i32>,
                    #[graphql(name = "where")] filter: Option<$filter>,
                    #[graphql(name = "order_by")] order_by: Option<Vec<$order>>,
                ) -> Result<$connection> {
                    let page = PageRequest { first, after, last, before, limit, offset };
                    let filter = filter_of(ctx, &filter)?;
                    list(ctx, filter, order_keys(&order_by), page, $record).await
                }
            )+
        }
    };
}

root_lists! {
    /// Institutions and places that deliver training, across providers.
    training_centers: TrainingCenter => TrainingCenterConnection,
        where TrainingCenterBoolExp, order_by TrainingCenterOrderBy;
    /// Courses (one centre's offering of a programme), across providers.
    courses: Course => CourseConnection, where CourseBoolExp, order_by CourseOrderBy;
    /// Dated batches (angkatan) of courses, across providers.
    course_runs: CourseRun => CourseRunConnection, where CourseRunBoolExp, order_by CourseRunOrderBy;
    /// Providers' records of people (personal fields masked), across providers.
    participants: Participant => ParticipantConnection,
        where ParticipantBoolExp, order_by ParticipantOrderBy;
    /// Enrolments (a participant in a run), across providers. Needs `enrollment:read`.
    enrollments: Enrollment => EnrollmentConnection, where EnrollmentBoolExp, order_by EnrollmentOrderBy;
    /// What happened to trainees after training (employed, self-employed, still looking), as
    /// the providers recorded it, across providers. Needs `outcome:read`.
    outcomes: Outcome => OutcomeConnection, where OutcomeBoolExp, order_by OutcomeOrderBy;
    /// Certificates held, across providers: training certificates and BNSP competency
    /// certifications, with the assessment result. Needs `participant:read`; the certificate
    /// numbers need `pii:read`.
    credential_awards: CredentialAward => CredentialAwardConnection,
        where CredentialAwardBoolExp, order_by CredentialAwardOrderBy;
}
