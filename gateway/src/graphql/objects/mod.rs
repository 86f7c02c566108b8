//! The GraphQL output types. Each wraps a record from the engine ([`Sourced`]) and resolves
//! relations through the engine, so types read like the unified model.

mod course;
mod credential;
pub mod membership;
mod participant;
mod partnership;
mod person;
mod program;
mod provider;
mod reference;
mod training_center;
mod values;

pub use course::{Course, CourseRun};
pub use credential::{Competency, Credential, CredentialAward};
pub use membership::{JkpStatus, SocialSecurityMembership};
pub use participant::{Enrollment, Outcome, Participant};
pub use partnership::Partnership;
pub use person::Person;
pub use program::Program;
pub use provider::Provider;
pub use reference::{EligibilityRule, FundingScheme, Occupation, OccupationFramework, Region};
pub use training_center::TrainingCenter;
pub use values::*;

use async_graphql::{Context, Interface, ID};

use crate::engine::Engine;
pub use crate::graphql::loader::{related, related_many};

/// An object with a global id (Relay).
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Opaque global id: base64url of `<namespace>:<Type>:<localKey>`."
))]
pub enum Node {
    /// A provider.
    Provider(Provider),
    /// A region.
    Region(Region),
    /// An occupation.
    Occupation(Occupation),
    /// A funding scheme.
    FundingScheme(FundingScheme),
    /// A training centre.
    TrainingCenter(TrainingCenter),
    /// A course.
    Course(Course),
    /// A course run.
    CourseRun(CourseRun),
    /// A participant.
    Participant(Participant),
    /// A person across providers.
    Person(Person),
    /// An enrolment.
    Enrollment(Enrollment),
    /// An outcome.
    Outcome(Outcome),
    /// A partnership.
    Partnership(Partnership),
    /// A credential award.
    CredentialAward(CredentialAward),
    /// A catalogue programme.
    Program(Program),
}

/// Provenance carried by every provider-sourced record (the unified model's `Sourced`).
#[derive(Interface)]
#[graphql(
    name = "Sourced",
    field(
        name = "provider",
        ty = "Provider",
        desc = "Where the record comes from."
    ),
    field(
        name = "source_id",
        ty = "&str",
        desc = "The provider's own key for the record (never personal data)."
    ),
    field(
        name = "warnings",
        ty = "Vec<DataWarning>",
        desc = "Data-quality findings from the adapter for this record (no personal values inside)."
    )
)]
pub enum SourcedRecord {
    /// A training centre.
    TrainingCenter(TrainingCenter),
    /// A course.
    Course(Course),
    /// A course run.
    CourseRun(CourseRun),
    /// A participant.
    Participant(Participant),
    /// An enrolment.
    Enrollment(Enrollment),
    /// An outcome.
    Outcome(Outcome),
    /// A partnership.
    Partnership(Partnership),
    /// A credential award.
    CredentialAward(CredentialAward),
    /// A credential.
    Credential(Credential),
    /// A catalogue programme.
    Program(Program),
}

/// The engine from the schema's data.
pub fn engine<'a>(ctx: &Context<'a>) -> &'a Engine {
    ctx.data_unchecked::<std::sync::Arc<Engine>>()
}
