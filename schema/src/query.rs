//! The messages that cross the plugin boundary: what the gateway asks an adapter
//! ([`AdapterRequest`]) and what it answers ([`AdapterResponse`]).
//!
//! Filters are a Hasura-style boolean tree over the *unified* field names (`startDate`,
//! `status`), so every adapter sees the same vocabulary whatever its source calls things.

use serde::{Deserialize, Serialize};

use crate::model::{
    Course, CourseRun, CredentialAward, Enrollment, Outcome, Participant, Partnership, Program,
    TrainingCenter,
};

/// A request from the gateway to an adapter. Adjacently tagged (`{"kind": …, "body": …}`), so
/// a decoder streams the body instead of buffering it to find the tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "body", rename_all = "camelCase")]
pub enum AdapterRequest {
    /// Read records of one collection.
    Query(QueryRequest),
    /// Group and summarise records (only sent to adapters that declare the view in their
    /// capabilities; the gateway computes the others itself).
    Aggregate(crate::analytics::AggregateRequest),
    /// Report the state of the source: freshness, rejected input, counts.
    Status,
    /// Look up one person's social-security membership by KPJ (only sent to adapters whose
    /// manifest declares `memberships`). The KPJ is personal data: never log it.
    Membership(MembershipRequest),
}

/// Look up one membership.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MembershipRequest {
    /// The member number (KPJ), 11 digits.
    pub kpj: String,
}

/// Debug without the KPJ: a request may end up in a log line or a panic message.
impl std::fmt::Debug for MembershipRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MembershipRequest")
            .field("kpj", &"<personal data>")
            .finish()
    }
}

/// The answer to a [`MembershipRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MembershipResponse {
    /// The membership; `None` when the source knows no such KPJ.
    pub membership: Option<crate::model::SocialSecurityMembership>,
}

/// An adapter's answer to an [`AdapterRequest`] of the same kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "body", rename_all = "camelCase")]
pub enum AdapterResponse {
    /// Records of one collection. In a tolerant decode ([`crate::tolerant`]) each record that holds
    /// a vocabulary value this build does not know gets an `ENUM_UNKNOWN` warning.
    Query(QueryResponse),
    /// Groups and their summaries.
    Aggregate(crate::analytics::AggregateResponse),
    /// The state of the source.
    Status(SourceStatus),
    /// One membership, or none.
    Membership(MembershipResponse),
}

/// The collections every adapter may serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Collection {
    /// [`TrainingCenter`] records.
    TrainingCenters,
    /// [`Course`] records.
    Courses,
    /// [`CourseRun`] records.
    CourseRuns,
    /// [`Participant`] records.
    Participants,
    /// [`Enrollment`] records.
    Enrollments,
    /// [`Outcome`] records.
    Outcomes,
    /// [`Partnership`] records.
    Partnerships,
    /// [`CredentialAward`] records.
    CredentialAwards,
    /// [`Program`] records.
    Programs,
}

impl Collection {
    /// Every collection.
    pub const ALL: &'static [Collection] = &[
        Collection::TrainingCenters,
        Collection::Courses,
        Collection::CourseRuns,
        Collection::Participants,
        Collection::Enrollments,
        Collection::Outcomes,
        Collection::Partnerships,
        Collection::CredentialAwards,
        Collection::Programs,
    ];

    /// The GraphQL type name of the collection's records (`CourseRun`), used in global ids.
    pub fn type_name(self) -> &'static str {
        match self {
            Collection::TrainingCenters => "TrainingCenter",
            Collection::Courses => "Course",
            Collection::CourseRuns => "CourseRun",
            Collection::Participants => "Participant",
            Collection::Enrollments => "Enrollment",
            Collection::Outcomes => "Outcome",
            Collection::Partnerships => "Partnership",
            Collection::CredentialAwards => "CredentialAward",
            Collection::Programs => "Program",
        }
    }

    /// The unified fields of the collection's records, which filters and sorts may name.
    pub fn fields(self) -> &'static [&'static str] {
        use crate::filter::Filterable;
        match self {
            Collection::TrainingCenters => TrainingCenter::FIELDS,
            Collection::Courses => Course::FIELDS,
            Collection::CourseRuns => CourseRun::FIELDS,
            Collection::Participants => Participant::FIELDS,
            Collection::Enrollments => Enrollment::FIELDS,
            Collection::Outcomes => Outcome::FIELDS,
            Collection::Partnerships => Partnership::FIELDS,
            Collection::CredentialAwards => CredentialAward::FIELDS,
            Collection::Programs => Program::FIELDS,
        }
    }

    /// The collection whose records have this GraphQL type name.
    pub fn from_type_name(name: &str) -> Option<Collection> {
        Collection::ALL
            .iter()
            .copied()
            .find(|c| c.type_name() == name)
    }
}

/// Read records of one collection: filter, then order, then page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    /// Which collection.
    pub collection: Collection,
    /// Only records with these local keys (a lookup by id), if set.
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// Only records matching this filter, if set.
    #[serde(default)]
    pub filter: Option<Filter>,
    /// Sort keys, most significant first. Ties keep the adapter's natural order.
    #[serde(default)]
    pub order_by: Vec<OrderBy>,
    /// Skip this many records (after filtering and ordering).
    #[serde(default)]
    pub offset: u64,
    /// Return at most this many records.
    #[serde(default)]
    pub limit: Option<u64>,
    /// Fill personal data in clear ([`crate::ParticipantPii`], `Outcome.monthlyRevenue`,
    /// `CredentialAward.number` and `registrationNumber`).
    /// Off by default: data that is not asked for does not leave the adapter.
    #[serde(default)]
    pub include_pii: bool,
    /// The caller will not read `total_count` (the engine scanning a collection page by page):
    /// the adapter may skip counting every matching record and answer 0. Off by default; an
    /// adapter that ignores it just counts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skip_total: bool,
    /// Resume a scan after the page whose answer carried this [`QueryResponse::next`]: the
    /// records that follow it in the adapter's natural order. Sent only to a collection that
    /// declares the `cursor` capability, with no `order_by`, no `offset` and the same filter as
    /// the page it resumes. An adapter that cannot read it answers with a bad-request error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The caller reads only these of the collection's filter fields (and `sourceId`, always
    /// filled): the adapter may leave every other field of a record empty (null, an empty list,
    /// `UNKNOWN`, `false`), send no warnings, and skip the work of reading and mapping them.
    /// Unset means every field. Sent only to a collection that declares the `projection`
    /// capability, by the engine when it summarises records itself; an adapter that fills
    /// every field anyway is right too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// The gateway request this call serves (ABI 1.3): an opaque string, the same on every
    /// call the gateway makes for one GraphQL request and different between requests. An
    /// adapter may answer the calls of one request from one read of its source (a REST
    /// adapter lists a collection once for a request's several calls), which also makes them
    /// agree with one another; it must never share a read between different ids. Unset from
    /// older hosts and on queries that serve no request (the adapter kit's, a shared-cache
    /// refresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl QueryRequest {
    /// All records of a collection, no personal data.
    pub fn all(collection: Collection) -> Self {
        Self {
            collection,
            ids: None,
            filter: None,
            order_by: Vec::new(),
            offset: 0,
            limit: None,
            include_pii: false,
            skip_total: false,
            after: None,
            fields: None,
            request_id: None,
        }
    }

    /// Whether the caller reads `field`: always for `sourceId`, else when no [`Self::fields`]
    /// are given or they name it.
    pub fn reads(&self, field: &str) -> bool {
        field == "sourceId"
            || self
                .fields
                .as_ref()
                .is_none_or(|fields| fields.iter().any(|f| f == field))
    }
}

/// A Hasura-style boolean expression over unified field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Filter {
    /// All must hold (an empty list holds).
    And(Vec<Filter>),
    /// At least one must hold (an empty list does not hold).
    Or(Vec<Filter>),
    /// Must not hold.
    Not(Box<Filter>),
    /// Holds when a related record matches (`relation` names it from this collection:
    /// `trainingCenter` of a run, `enrollments` of a participant). The gateway resolves it into
    /// key comparisons before any adapter sees the filter, so adapters never receive it.
    Related {
        /// The relation's name.
        relation: String,
        /// What the related record must satisfy.
        filter: Box<Filter>,
    },
    /// Compare one field with a literal.
    Compare {
        /// Unified field name (`startDate`).
        field: String,
        /// The operator.
        op: CompareOp,
        /// The literal; a list for `In`/`Nin`, a boolean for `IsNull`.
        value: Literal,
    },
}

impl Filter {
    /// `field op value`.
    pub fn compare(field: &str, op: CompareOp, value: impl Into<Literal>) -> Self {
        Filter::Compare {
            field: field.to_owned(),
            op,
            value: value.into(),
        }
    }
}

/// Comparison operators (Hasura's names without the underscore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum CompareOp {
    /// `_eq`
    Eq,
    /// `_neq`
    Neq,
    /// `_gt`
    Gt,
    /// `_gte`
    Gte,
    /// `_lt`
    Lt,
    /// `_lte`
    Lte,
    /// `_in`
    In,
    /// `_nin`
    Nin,
    /// `_like`: SQL LIKE, `%` any run, `_` one character, case-sensitive.
    Like,
    /// `_ilike`: as `Like`, case-insensitive.
    Ilike,
    /// `_is_null`: the literal is a boolean.
    IsNull,
    /// `_prefix`: a region code and everything inside it (`36.02` matches `36.02.13`).
    Prefix,
}

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A fractional number.
    Float(f64),
    /// Text, enum names and ISO dates (`2023-04-03`).
    Text(String),
    /// For `In` / `Nin`.
    List(Vec<Literal>),
}

// Read from whatever the value is (a JSON or MessagePack boolean, integer, float, string or
// array), as an untagged enum reads it, but in one pass: the derived untagged decoding
// buffered the value and tried each variant in turn, building an error for each miss (7,000
// instructions for a text literal, in every adapter call with a filter).
impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Any;

        impl<'de> serde::de::Visitor<'de> for Any {
            type Value = Literal;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean, number, string or list of them")
            }

            fn visit_bool<E>(self, v: bool) -> Result<Literal, E> {
                Ok(Literal::Bool(v))
            }

            fn visit_i64<E>(self, v: i64) -> Result<Literal, E> {
                Ok(Literal::Int(v))
            }

            fn visit_u64<E>(self, v: u64) -> Result<Literal, E> {
                // Past `i64::MAX` the untagged enum fell through to `Float`.
                Ok(i64::try_from(v).map_or(Literal::Float(v as f64), Literal::Int))
            }

            fn visit_f64<E>(self, v: f64) -> Result<Literal, E> {
                Ok(Literal::Float(v))
            }

            fn visit_str<E>(self, v: &str) -> Result<Literal, E> {
                Ok(Literal::Text(v.to_owned()))
            }

            fn visit_string<E>(self, v: String) -> Result<Literal, E> {
                Ok(Literal::Text(v))
            }

            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Literal, E> {
                std::str::from_utf8(v)
                    .map(|text| Literal::Text(text.to_owned()))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Literal, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Literal::List(items))
            }
        }

        deserializer.deserialize_any(Any)
    }
}

impl From<&str> for Literal {
    fn from(v: &str) -> Self {
        Literal::Text(v.to_owned())
    }
}
impl From<String> for Literal {
    fn from(v: String) -> Self {
        Literal::Text(v)
    }
}
impl From<bool> for Literal {
    fn from(v: bool) -> Self {
        Literal::Bool(v)
    }
}
impl From<i64> for Literal {
    fn from(v: i64) -> Self {
        Literal::Int(v)
    }
}
impl From<f64> for Literal {
    fn from(v: f64) -> Self {
        Literal::Float(v)
    }
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderBy {
    /// Unified field name.
    pub field: String,
    /// Direction and where nulls go.
    pub direction: Direction,
}

/// Hasura's `order_by` values. Plain `Asc` puts nulls last, plain `Desc` puts them first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Ascending, nulls last.
    Asc,
    /// Ascending, nulls first.
    AscNullsFirst,
    /// Ascending, nulls last.
    AscNullsLast,
    /// Descending, nulls first.
    Desc,
    /// Descending, nulls first.
    DescNullsFirst,
    /// Descending, nulls last.
    DescNullsLast,
}

impl Direction {
    /// Whether larger values come later.
    pub fn ascending(self) -> bool {
        matches!(
            self,
            Direction::Asc | Direction::AscNullsFirst | Direction::AscNullsLast
        )
    }

    /// Whether nulls come before every value.
    pub fn nulls_first(self) -> bool {
        matches!(
            self,
            Direction::AscNullsFirst | Direction::Desc | Direction::DescNullsFirst
        )
    }
}

/// Records of one collection. In a tolerant decode ([`crate::tolerant`]) each record that holds
/// a vocabulary value this build does not know gets an `ENUM_UNKNOWN` warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(tag = "collection", content = "records", rename_all = "camelCase")]
pub enum Records {
    /// Training centres.
    #[serde(deserialize_with = "crate::tolerant::records")]
    TrainingCenters(Vec<TrainingCenter>),
    /// Courses.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Courses(Vec<Course>),
    /// Course runs.
    #[serde(deserialize_with = "crate::tolerant::records")]
    CourseRuns(Vec<CourseRun>),
    /// Participants.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Participants(Vec<Participant>),
    /// Enrolments.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Enrollments(Vec<Enrollment>),
    /// Outcomes.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Outcomes(Vec<Outcome>),
    /// Partnerships.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Partnerships(Vec<Partnership>),
    /// Credential awards.
    #[serde(deserialize_with = "crate::tolerant::records")]
    CredentialAwards(Vec<CredentialAward>),
    /// Catalogue programmes.
    #[serde(deserialize_with = "crate::tolerant::records")]
    Programs(Vec<Program>),
}

impl Records {
    /// Which collection these records belong to.
    pub fn collection(&self) -> Collection {
        match self {
            Records::TrainingCenters(_) => Collection::TrainingCenters,
            Records::Courses(_) => Collection::Courses,
            Records::CourseRuns(_) => Collection::CourseRuns,
            Records::Participants(_) => Collection::Participants,
            Records::Enrollments(_) => Collection::Enrollments,
            Records::Outcomes(_) => Collection::Outcomes,
            Records::Partnerships(_) => Collection::Partnerships,
            Records::CredentialAwards(_) => Collection::CredentialAwards,
            Records::Programs(_) => Collection::Programs,
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match self {
            Records::TrainingCenters(r) => r.len(),
            Records::Courses(r) => r.len(),
            Records::CourseRuns(r) => r.len(),
            Records::Participants(r) => r.len(),
            Records::Enrollments(r) => r.len(),
            Records::Outcomes(r) => r.len(),
            Records::Partnerships(r) => r.len(),
            Records::CredentialAwards(r) => r.len(),
            Records::Programs(r) => r.len(),
        }
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An adapter's answer to a [`QueryRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse {
    /// The page of records.
    pub records: Records,
    /// How many records match the filter, before paging.
    pub total_count: u64,
    /// Where this page ends in the adapter's natural order, to send as
    /// [`QueryRequest::after`] for the page that follows: an opaque text only the adapter reads.
    /// Set by a collection that declares the `cursor` capability when the request had a `limit`,
    /// no `order_by` and the page is not empty; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The state of an adapter's source, for `/readyz` and operators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceStatus {
    /// RFC 3339 time of the data the adapter serves (a snapshot date, a file time).
    pub data_as_of: Option<String>,
    /// Records served, per collection (camelCase collection names).
    pub record_counts: std::collections::BTreeMap<String, u64>,
    /// Input the adapter could not use, one entry per rejected unit (file, sheet, row), each
    /// with a code, a place and a key.
    pub rejected: Vec<SourceIssue>,
    /// Rows used with a data-quality warning.
    pub warnings: u64,
    /// What the adapter ignored or normalised, each reported once (an unknown column, a
    /// missing optional column, values normalised to NFC or to dotted region codes): nothing
    /// was lost, but the provider should know.
    #[serde(default)]
    pub notices: Vec<SourceIssue>,
}

/// A piece of source input that could not be used, and why. Never contains personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceIssue {
    /// Stable, upper-snake code of the kind of problem: `FILE_EMPTY`, `FILE_UNREADABLE`,
    /// `MISSING_REQUIRED_COLUMNS`, `ROW_MALFORMED`, `DUPLICATE_KEY`, `REFERENCE_NOT_FOUND`,
    /// `UNKNOWN_COLUMN_IGNORED`, ... (`UNCLASSIFIED` from adapters older than the field).
    #[serde(default = "SourceIssue::unclassified")]
    pub code: String,
    /// The file, table or endpoint (a sheet as `file!sheet`).
    pub source: String,
    /// 1-based line (physical line where the record starts), when it applies.
    pub line: Option<u64>,
    /// The unit's own key: a record's source id, a column header, `row 12`; never a personal
    /// value.
    #[serde(default)]
    pub key: Option<String>,
    /// What happened and why.
    pub reason: String,
}

impl SourceIssue {
    /// An issue with `code` about `source`.
    pub fn new(code: &str, source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            source: source.into(),
            line: None,
            key: None,
            reason: reason.into(),
        }
    }

    /// At a 1-based line.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// About the unit with this key (never a personal value).
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    fn unclassified() -> String {
        "UNCLASSIFIED".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Literal;
    use serde::Deserialize;
    use serde_json::json;

    /// How literals were read before: serde's untagged enum.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Bool(bool),
        Int(i64),
        Float(f64),
        Text(String),
        List(Vec<Untagged>),
    }

    impl From<Untagged> for Literal {
        fn from(v: Untagged) -> Self {
            match v {
                Untagged::Bool(b) => Literal::Bool(b),
                Untagged::Int(i) => Literal::Int(i),
                Untagged::Float(f) => Literal::Float(f),
                Untagged::Text(t) => Literal::Text(t),
                Untagged::List(l) => Literal::List(l.into_iter().map(Into::into).collect()),
            }
        }
    }

    #[test]
    fn reads_every_value_as_the_untagged_enum_did_in_json_and_messagepack() {
        let values = [
            json!(true),
            json!(0),
            json!(-7),
            json!(i64::MAX),
            json!(u64::MAX),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!("LULUS"),
            json!(""),
            json!("2023-04-03"),
            json!([]),
            json!(["a", 1, 2.5, true, [false, "b"]]),
            json!(null),
            json!({"a": 1}),
            json!([null]),
        ];
        for value in values {
            let text = value.to_string();
            let ours = serde_json::from_str::<Literal>(&text).ok();
            let theirs = serde_json::from_str::<Untagged>(&text)
                .ok()
                .map(Literal::from);
            assert_eq!(ours, theirs, "JSON {text}");
            let packed = rmp_serde::to_vec_named(&value).unwrap();
            let ours = rmp_serde::from_slice::<Literal>(&packed).ok();
            let theirs = rmp_serde::from_slice::<Untagged>(&packed)
                .ok()
                .map(Literal::from);
            assert_eq!(ours, theirs, "MessagePack {text}");
            if let Some(literal) = ours {
                let back = rmp_serde::to_vec_named(&literal).unwrap();
                assert_eq!(rmp_serde::from_slice::<Literal>(&back).unwrap(), literal);
            }
        }
    }
}
