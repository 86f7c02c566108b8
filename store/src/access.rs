//! Roles and scopes: what a key may ask for.
//!
//! ```
//! use simpul_store::{Role, Scope, Scopes};
//!
//! let scopes: Scopes = "participant:read pii:read".parse().unwrap();
//! assert!(scopes.contains(Scope::PiiRead));
//! assert_eq!(scopes.to_string(), "participant:read pii:read");
//! assert!("pii:everything".parse::<Scope>().is_err());
//! assert!(Role::Partner.default_scopes().contains(Scope::EnrollmentRead));
//! ```
//!
//! Scope names are the strings of the unified schema's `@requiresScope` directive
//! (`shared/providers/UNIFIED.md` §1 "Personal data"), plus `aggregate:read` and `admin`.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// Who a key speaks for. The role fixes the default [`Scopes`]; a key may carry others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The public: the catalogue of providers, centres, courses and runs. No scope, and no
    /// scope may be added.
    Anonymous,
    /// A partner organisation (an employer, a regional office): participants and enrolments
    /// of its own provider only (the partner's provider key, see [`crate::Principal::provider`]).
    Partner,
    /// A ministry analyst: aggregates, and pseudonymous person ids to follow people across
    /// providers. No personal data.
    Analyst,
    /// Operators: every scope, `admin` included.
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 4] = [Role::Anonymous, Role::Partner, Role::Analyst, Role::Admin];

    /// The scopes a key of this role gets when none are given:
    ///
    /// | role | scopes |
    /// |---|---|
    /// | `anonymous` | none: the public catalogue only |
    /// | `partner` | `participant:read`, `enrollment:read`, restricted to the partner's provider |
    /// | `analyst` | `aggregate:read`, `identity:link` (pseudonymous person ids); no `pii:*` |
    /// | `admin` | every scope |
    pub fn default_scopes(self) -> Scopes {
        match self {
            Role::Anonymous => Scopes::none(),
            Role::Partner => Scopes::from_iter([Scope::ParticipantRead, Scope::EnrollmentRead]),
            Role::Analyst => Scopes::from_iter([Scope::AggregateRead, Scope::IdentityLink]),
            Role::Admin => Scopes::from_iter(Scope::ALL),
        }
    }

    /// The lowercase name stored and shown: `anonymous`, `partner`, `analyst`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Anonymous => "anonymous",
            Role::Partner => "partner",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| Error::invalid("role", format!("`{s}` is not one of {:?}", Role::ALL)))
    }
}

/// One permission, named as in `@requiresScope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// `participant:read`: participant records, personal data masked (`nikMasked`).
    #[serde(rename = "participant:read")]
    ParticipantRead,
    /// `enrollment:read`: enrolments.
    #[serde(rename = "enrollment:read")]
    EnrollmentRead,
    /// `outcome:read`: placement and employment outcomes.
    #[serde(rename = "outcome:read")]
    OutcomeRead,
    /// `pii:read`: `@pii` fields in clear (each read is audited).
    #[serde(rename = "pii:read")]
    PiiRead,
    /// `pii:specific`: also `SPECIFIC`-class fields (health, children's, financial data).
    #[serde(rename = "pii:specific")]
    PiiSpecific,
    /// `identity:link`: `Person`, the records of one person across providers.
    #[serde(rename = "identity:link")]
    IdentityLink,
    /// `bpjs:membership`: BPJS Ketenagakerjaan membership.
    #[serde(rename = "bpjs:membership")]
    BpjsMembership,
    /// `aggregate:read`: `*_aggregate` counts and statistics.
    #[serde(rename = "aggregate:read")]
    AggregateRead,
    /// `trace`: the per-provider trace of adapter calls (`extensions.simpul.trace`), which names
    /// every provider a request reached and how many records each returned.
    #[serde(rename = "trace")]
    Trace,
    /// `admin`: key, audit and persisted-query administration.
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 10] = [
        Scope::ParticipantRead,
        Scope::EnrollmentRead,
        Scope::OutcomeRead,
        Scope::PiiRead,
        Scope::PiiSpecific,
        Scope::IdentityLink,
        Scope::BpjsMembership,
        Scope::AggregateRead,
        Scope::Trace,
        Scope::Admin,
    ];

    /// The name used in `@requiresScope` and stored: `participant:read`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ParticipantRead => "participant:read",
            Scope::EnrollmentRead => "enrollment:read",
            Scope::OutcomeRead => "outcome:read",
            Scope::PiiRead => "pii:read",
            Scope::PiiSpecific => "pii:specific",
            Scope::IdentityLink => "identity:link",
            Scope::BpjsMembership => "bpjs:membership",
            Scope::AggregateRead => "aggregate:read",
            Scope::Trace => "trace",
            Scope::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| Error::invalid("scope", format!("`{s}` is not a known scope")))
    }
}

/// A set of scopes; written as names separated by single spaces, in a fixed order (the
/// OAuth 2 `scope` convention).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// The empty set.
    pub fn none() -> Scopes {
        Scopes::default()
    }

    /// Whether `scope` is in the set.
    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// Whether every one of `names` (as written in `@requiresScope`) is in the set. An
    /// unknown name is never held.
    pub fn allows_all<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        names
            .into_iter()
            .all(|name| name.parse().is_ok_and(|scope| self.contains(scope)))
    }

    /// The scopes, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        Scopes(iter.into_iter().collect())
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, scope) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for Scopes {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        s.split_whitespace().map(str::parse).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>().unwrap(), scope);
            let json = serde_json::to_string(&scope).unwrap();
            assert_eq!(json, format!("\"{scope}\""));
        }
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        let all = Role::Admin.default_scopes();
        assert_eq!(all.to_string().parse::<Scopes>().unwrap(), all);
        assert_eq!("".parse::<Scopes>().unwrap(), Scopes::none());
    }

    #[test]
    fn role_defaults() {
        assert!(Role::Anonymous.default_scopes().is_empty());
        let analyst = Role::Analyst.default_scopes();
        assert!(analyst.allows_all(["aggregate:read", "identity:link"]));
        assert!(!analyst
            .iter()
            .any(|s| matches!(s, Scope::PiiRead | Scope::PiiSpecific)));
        assert!(!analyst.allows_all(["identity:link", "no-such-scope"]));
        assert_eq!(
            Role::Partner.default_scopes().to_string(),
            "participant:read enrollment:read"
        );
        assert_eq!(
            Role::Admin.default_scopes().iter().count(),
            Scope::ALL.len()
        );
    }
}
