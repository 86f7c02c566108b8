//! `Person`: one human across providers, linked by the keyed hash of a valid NIK. The gateway
//! never sees the NIK: adapters compute the key, the gateway groups records by it.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use simpul_schema::filter::FieldValue;
use simpul_schema::{self as model, CompareOp, Direction, Filter, GlobalId, Literal, OrderBy};

use super::{Enrollment, Participant};
use crate::engine::cursor::PageRequest;
use crate::engine::Sourced;
use crate::graphql::connection::{list, EnrollmentConnection};
use crate::graphql::filters::{order_keys, EnrollmentOrderBy};

/// A person resolved across providers.
#[derive(Clone)]
pub struct Person {
    key: String,
    records: Vec<Sourced<model::Participant>>,
}

impl Person {
    /// The person with this key, from their participant records (`None` when there are none).
    pub fn new(key: String, records: Vec<Sourced<model::Participant>>) -> Option<Self> {
        (!records.is_empty()).then_some(Self { key, records })
    }

    /// The person behind a `gw:Person:<key>` id.
    pub fn key_of(id: &GlobalId) -> Option<&str> {
        (id.namespace == "gw" && id.type_name == "Person").then_some(id.local_key.as_str())
    }
}

/// A field whose value differs between a person's records (the values are not shown).
#[derive(SimpleObject, Clone)]
pub struct IdentityConflict {
    /// Unified field name.
    pub field: String,
    /// Providers whose records disagree on it.
    pub providers: Vec<String>,
}

/// Fields compared across a person's records.
const COMPARED: [&str; 4] = ["sex", "birthYear", "domicileRegencyCode", "education"];

/// A person resolved across providers by an HMAC of the normalised NIK. id = gw:Person:<hmac>;
/// no NIK inside.
#[Object]
impl Person {
    /// Global id (`gw:Person:<keyed hash>`).
    pub async fn id(&self) -> ID {
        ID(GlobalId::new("gw", "Person", &self.key).encode())
    }
    /// Providers holding a record of this person, in configuration order.
    async fn providers(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for record in &self.records {
            if !keys.iter().any(|k| **k == *record.provider) {
                keys.push(record.provider.to_string());
            }
        }
        keys
    }
    /// Each provider's record of this person.
    /// Needs `participant:read`; a partner's key sees its own provider's record only.
    async fn participant_records(&self, ctx: &Context<'_>) -> Result<Vec<Participant>> {
        crate::access::may_read(ctx, simpul_schema::Collection::Participants, None)?;
        let own = crate::access::caller(ctx).principal.provider.as_deref();
        Ok(self
            .records
            .iter()
            .filter(|r| own.is_none_or(|p| *r.provider == *p))
            .cloned()
            .map(Participant)
            .collect())
    }
    /// Enrolments at every provider, oldest registration first.
    async fn enrollments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(name = "order_by")] order_by: Option<Vec<EnrollmentOrderBy>>,
    ) -> Result<EnrollmentConnection> {
        let per_provider: Vec<Filter> = self
            .records
            .iter()
            .map(|r| {
                Filter::And(vec![
                    Filter::compare("provider", CompareOp::Eq, &*r.provider),
                    Filter::compare(
                        "participantId",
                        CompareOp::In,
                        Literal::List(vec![r.record.source_id.clone().into()]),
                    ),
                ])
            })
            .collect();
        // By default oldest first, the person's history in order.
        let mut order = order_keys(&order_by);
        if order.is_empty() {
            order = vec![
                OrderBy {
                    field: "registeredOn".into(),
                    direction: Direction::AscNullsLast,
                },
                OrderBy {
                    field: "provider".into(),
                    direction: Direction::Asc,
                },
            ];
        }
        let page = PageRequest {
            first,
            after,
            ..Default::default()
        };
        list(ctx, Some(Filter::Or(per_provider)), order, page, Enrollment).await
    }
    /// Fields whose values disagree between the linked records (names only, never values).
    async fn conflicts(&self) -> Vec<IdentityConflict> {
        COMPARED
            .iter()
            .filter_map(|field| {
                let values: Vec<(String, FieldValue)> = self
                    .records
                    .iter()
                    .filter_map(|r| {
                        r.field(field)
                            .filter(|v| *v != FieldValue::Null)
                            .map(|v| (r.provider.to_string(), v))
                    })
                    .collect();
                let differs = values.windows(2).any(|w| w[0].1 != w[1].1);
                differs.then(|| {
                    let mut providers: Vec<String> = values.into_iter().map(|(p, _)| p).collect();
                    providers.dedup();
                    IdentityConflict {
                        field: (*field).to_owned(),
                        providers,
                    }
                })
            })
            .collect()
    }
}
