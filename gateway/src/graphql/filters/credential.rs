//! `where` and `order_by` of credential awards (`credentialAwards`, and
//! `EnrollmentBoolExp.credentialAwards`).

use async_graphql::{InputObject, Result};
use simpul_schema::Filter;

use super::{
    BoolExp, DateComparison, EnrollmentBoolExp, OrderDirection, OrderInput, StringComparison, Terms,
};

/// Filter on credential awards.
#[derive(InputObject, Default, Debug)]
pub struct CredentialAwardBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<CredentialAwardBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<CredentialAwardBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<CredentialAwardBoolExp>>,
    provider: Option<StringComparison>,
    /// The credential's category: `TRAINING_CERTIFICATE`, `COMPETENCY_CERTIFICATION`.
    category: Option<StringComparison>,
    /// The certification scheme (skema) name.
    scheme: Option<StringComparison>,
    /// Who issued it (the centre or the LSP), by name.
    issuer_name: Option<StringComparison>,
    /// A body that recognises the credential (`BNSP`); holds when any of them matches.
    recognized_by: Option<StringComparison>,
    /// `COMPETENT`, `NOT_YET_COMPETENT`; null for training certificates.
    assessment_result: Option<StringComparison>,
    assessed_on: Option<DateComparison>,
    issued_on: Option<DateComparison>,
    valid_until: Option<DateComparison>,
    /// The enrolment it came through matches.
    enrollment: Option<Box<EnrollmentBoolExp>>,
}

impl BoolExp for CredentialAwardBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        for (name, comparison) in [
            ("provider", &self.provider),
            ("category", &self.category),
            ("scheme", &self.scheme),
            ("issuerName", &self.issuer_name),
            ("recognizedBy", &self.recognized_by),
            ("assessmentResult", &self.assessment_result),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("assessedOn", &self.assessed_on),
            ("issuedOn", &self.issued_on),
            ("validUntil", &self.valid_until),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        t.related("enrollment", &self.enrollment)?;
        Ok(t.done())
    }
}

/// Sort credential awards.
#[derive(InputObject, Default, Debug)]
pub struct CredentialAwardOrderBy {
    issued_on: Option<OrderDirection>,
    assessed_on: Option<OrderDirection>,
    valid_until: Option<OrderDirection>,
    category: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

order_input!(CredentialAwardOrderBy { issued_on => "issuedOn", assessed_on => "assessedOn", valid_until => "validUntil", category => "category", provider => "provider" });
