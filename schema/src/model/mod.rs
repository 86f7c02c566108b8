//! The unified entities, as plain serde types. Relations between records of one provider are
//! local keys (`course_id`, `training_center_id`); the gateway turns them into global ids.

mod common;
mod course;
mod credential;
mod enums;
mod membership;
mod outcome;
mod participant;
mod partnership;
mod program;
mod training_center;

pub use common::{Address, ContactPoint, DataWarning, License, Money, TrainingField};
pub use course::{Course, CourseRun};
pub use credential::{Competency, Credential, CredentialAward};
pub use enums::*;
pub use membership::{JkpStatus, SocialSecurityMembership};
pub use outcome::Outcome;
pub use participant::{Enrollment, Participant, ParticipantPii, UnionMembership};
pub use partnership::{Partnership, PartyRef};
pub use program::Program;
pub use training_center::TrainingCenter;
