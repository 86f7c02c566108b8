//! The root `Query` type: lookups by id, reference data, the aggregates and programmes here;
//! the root lists of records in [`lists`].

use async_graphql::{Context, Object, Result, ID};
use simpul_schema::{self as model, Collection, CompareOp, Filter, GlobalId};

use super::aggregate::{self, AggregateHaving, EnrollmentFactBoolExp};
use super::connection::{
    list, Cursor, OccupationConnection, Page, PageInfo, PartnershipConnection, ProgramConnection,
};
use super::error::coded;
use super::filters::{
    bounded, filter_of, order_keys, CourseRunBoolExp, ParticipantBoolExp, ProgramBoolExp,
    ProgramOrderBy,
};
use super::objects::{
    engine, Course, CourseRun, CredentialAward, Enrollment, FundingScheme, Node, Occupation,
    OccupationFramework, Outcome, Participant, Partnership, Person, Program, Provider, Region,
    RegionLevel, SocialSecurityMembership, TrainingCenter,
};
use super::scalars::RegionCode;
use crate::engine::cursor::PageRequest;
use crate::engine::Entity;

mod lists;

// The fields below, and the root lists of records (`lists`).
/// The root of every query.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(QueryFields, lists::RootLists);

/// The root fields other than the lists of records.
#[derive(Default)]
pub struct QueryFields;

#[Object]
impl QueryFields {
    /// Any object by its global id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        node(ctx, &id).await
    }

    /// Several objects by global id, in the order asked (null where none exists).
    #[graphql(complexity = "ids.len() * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        let max = ctx.data_unchecked::<crate::config::Limits>().max_page_size;
        if ids.len() > max {
            return Err(coded(
                "BAD_USER_INPUT",
                format!("at most {max} ids per request"),
            ));
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            out.push(node(ctx, id).await?);
        }
        Ok(out)
    }

    /// A person across providers, by id (`gw:Person:<keyed hash>`, from `participant.person`).
    async fn person(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Person>> {
        let gid = GlobalId::decode(&id).map_err(|e| coded("INVALID_ID", e.to_string()))?;
        let key = Person::key_of(&gid).ok_or_else(|| coded("INVALID_ID", "not a Person id"))?;
        super::loader::person(ctx, key).await
    }

    /// A person across providers by NIK. Pass the NIK as a variable
    /// (`personByNik(nik: $nik)`): an inline NIK is refused, so that it never lands in a
    /// query log or a persisted query. Needs `identity:link` and `pii:read`.
    async fn person_by_nik(&self, ctx: &Context<'_>, nik: String) -> Result<Option<Person>> {
        crate::access::require(ctx, simpul_store::Scope::PiiRead, "personByNik")?;
        // Audited whether or not it finds anyone (the row never holds the NIK).
        crate::access::caller(ctx)
            .trail
            .note_lookup("Query.personByNik");
        let nik = simpul_schema::identity::Nik::parse(&nik)
            .map_err(|e| coded("BAD_USER_INPUT", format!("`nik`: {e}")))?;
        let Some(keys) = engine(ctx).host().person_keys() else {
            return Err(coded(
                "NOT_CONFIGURED",
                "people are not linked: the gateway has no identity secret",
            ));
        };
        super::loader::person(ctx, &keys.person_key(&nik)).await
    }

    /// One person's BPJS Ketenagakerjaan membership, Vokasi eligibility and JKP standing, by
    /// KPJ, from the providers that look memberships up (BPJAMSOSTEK). Pass the KPJ as a
    /// variable (`socialSecurityMembership(kpj: $kpj)`): an inline KPJ is refused. Needs
    /// `bpjs:membership` and `pii:read`; every lookup is audited, found or not (never the KPJ).
    async fn social_security_membership(
        &self,
        ctx: &Context<'_>,
        kpj: String,
    ) -> Result<Option<SocialSecurityMembership>> {
        super::objects::membership::lookup(ctx, "Query.socialSecurityMembership", &kpj).await
    }

    /// The data sources, in configuration order.
    async fn providers(&self, ctx: &Context<'_>) -> Vec<Provider> {
        engine(ctx)
            .host()
            .providers()
            .iter()
            .map(Provider::from)
            .collect()
    }

    /// Kemendagri areas, optionally the children of `parent` or those at one `level`.
    async fn regions(&self, parent: Option<RegionCode>, level: Option<RegionLevel>) -> Vec<Region> {
        simpul_schema::reference::regions()
            .iter()
            .filter(|r| {
                parent
                    .as_ref()
                    .is_none_or(|p| r.parent.as_deref() == Some(p.0.as_str()))
            })
            .filter(|r| level.is_none_or(|l| RegionLevel::from(r.level) == l))
            .filter_map(|r| Region::find(&r.code))
            .collect()
    }

    /// One area by its dotted code.
    async fn region(&self, code: RegionCode) -> Option<Region> {
        Region::find(&code.0)
    }

    /// Occupations of the reference table (KBJI 2014 unit groups, ISCO-08 codes) in code
    /// order, optionally those whose code starts with `code_prefix` (`75`: the craft and
    /// related trades of food, garments and wood). The cursor is the occupation's id.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 1000) as usize * child_complexity")]
    async fn occupations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        framework: Option<OccupationFramework>,
        #[graphql(name = "code_prefix")] code_prefix: Option<String>,
    ) -> Result<OccupationConnection> {
        let max = ctx.data_unchecked::<crate::config::Limits>().max_page_size;
        let first = match first {
            None => 20,
            Some(n) if n < 0 => {
                return Err(coded("BAD_USER_INPUT", "`first` must not be negative"))
            }
            Some(n) if n as usize > max => {
                return Err(coded(
                    "BAD_USER_INPUT",
                    format!("`first` is {n}, above the largest page size of {max}"),
                ))
            }
            Some(n) => n as usize,
        };
        // KBJI 2014 is the only framework served; its unit groups are the ISCO-08 codes.
        let _ = framework;
        let mut all: Vec<Occupation> = simpul_schema::reference::occupations()
            .keys()
            .filter(|code| code_prefix.as_deref().is_none_or(|p| code.starts_with(p)))
            .map(|code| Occupation::new(code))
            .collect();
        all.sort_by(|a, b| a.code().cmp(b.code()));
        let start = match after {
            None => 0,
            Some(cursor) => {
                let code = GlobalId::decode(&cursor)
                    .ok()
                    .filter(|g| g.namespace == "ref" && g.type_name == "Occupation")
                    .and_then(|g| g.local_key.strip_prefix("KBJI_2014/").map(str::to_owned))
                    .ok_or_else(|| {
                        coded("INVALID_CURSOR", "`after` is not an occupation's cursor")
                    })?;
                all.partition_point(|o| o.code() <= code.as_str())
            }
        };
        let total = i32::try_from(all.len()).unwrap_or(i32::MAX);
        let page: Vec<Occupation> = all.into_iter().skip(start).take(first + 1).collect();
        let has_next_page = page.len() > first;
        let mut edges = Vec::with_capacity(first);
        for occupation in page.into_iter().take(first) {
            edges.push((Cursor::Text(occupation.global_id()), occupation));
        }
        let page_info = PageInfo {
            has_next_page,
            has_previous_page: start > 0,
            start_cursor: edges.first().map(|(c, _)| c.clone()),
            end_cursor: edges.last().map(|(c, _)| c.clone()),
        };
        Ok(OccupationConnection::assemble(edges, page_info, total))
    }

    /// Funding and entitlement schemes: who pays for a run and who may join it.
    async fn funding_schemes(&self) -> Vec<FundingScheme> {
        FundingScheme::all()
    }

    /// Counts and numbers of enrollments across providers, joined with their run, course,
    /// centre, participant and outcome, overall and per group. Small cells are withheld.
    #[graphql(name = "enrollments_aggregate")]
    async fn enrollments_aggregate(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Option<EnrollmentFactBoolExp>,
        #[graphql(name = "group_by")] group_by: Option<Vec<aggregate::EnrollmentGroupBy>>,
        having: Option<AggregateHaving>,
    ) -> Result<aggregate::EnrollmentAggregate> {
        aggregate::enrollments(ctx, filter_of(ctx, &filter)?, group_by, having.as_ref()).await
    }

    /// Counts of recorded outcomes (employed, self-employed, still looking) across providers,
    /// overall and per group: the enrolments whose outcome was recorded, joined with their run,
    /// course, centre and participant, so `group_by: [field, status]` with `where:
    /// {monthsToOutcome: {_gte: 6}}` is the status six months or more after training by
    /// kejuruan. Small cells are withheld.
    #[graphql(name = "outcomes_aggregate")]
    async fn outcomes_aggregate(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Option<EnrollmentFactBoolExp>,
        #[graphql(name = "group_by")] group_by: Option<Vec<aggregate::OutcomeGroupBy>>,
        having: Option<AggregateHaving>,
    ) -> Result<aggregate::OutcomeAggregate> {
        aggregate::outcomes(ctx, filter_of(ctx, &filter)?, group_by, having.as_ref()).await
    }

    /// Counts of participants across providers, overall and per group. Small cells are
    /// withheld.
    #[graphql(name = "participants_aggregate")]
    async fn participants_aggregate(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Option<ParticipantBoolExp>,
        #[graphql(name = "group_by")] group_by: Option<Vec<aggregate::ParticipantGroupBy>>,
        having: Option<AggregateHaving>,
    ) -> Result<aggregate::ParticipantAggregate> {
        aggregate::participants(ctx, filter_of(ctx, &filter)?, group_by, having.as_ref()).await
    }

    /// Counts of course runs across providers, overall and per group.
    #[graphql(name = "courseRuns_aggregate")]
    async fn course_runs_aggregate(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Option<CourseRunBoolExp>,
        #[graphql(name = "group_by")] group_by: Option<Vec<aggregate::CourseRunGroupBy>>,
        having: Option<AggregateHaving>,
    ) -> Result<aggregate::CourseRunAggregate> {
        aggregate::course_runs(ctx, filter_of(ctx, &filter)?, group_by, having.as_ref()).await
    }

    /// Catalogue programmes (BBPLK's `program_pelatihan`), which centres offer as courses;
    /// providers without a catalogue have none. `provider` and `occupation_code` are
    /// shorthands for the same conditions in `where`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "first.or(last).or(limit).unwrap_or(20).clamp(1, 1000) as usize * child_complexity"
    )]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        limit: Option<i32>,
        offset: Option<i32>,
        provider: Option<String>,
        #[graphql(name = "occupation_code")] occupation_code: Option<String>,
        #[graphql(name = "where")] filter: Option<ProgramBoolExp>,
        #[graphql(name = "order_by")] order_by: Option<Vec<ProgramOrderBy>>,
    ) -> Result<ProgramConnection> {
        let page = PageRequest {
            first,
            after,
            last,
            before,
            limit,
            offset,
        };
        let mut parts: Vec<Filter> = filter_of(ctx, &filter)?.into_iter().collect();
        if let Some(provider) = provider {
            parts.push(Filter::compare("provider", CompareOp::Eq, provider));
        }
        if let Some(code) = occupation_code {
            parts.push(Filter::compare("occupationCode", CompareOp::Eq, code));
        }
        // The shorthands' values are held to the same bounds as a `where`'s.
        let filter = match parts.len() {
            0 => None,
            1 => Some(bounded(ctx, parts.remove(0))?),
            _ => Some(bounded(ctx, Filter::And(parts))?),
        };
        list(ctx, filter, order_keys(&order_by), page, Program).await
    }

    /// Agreements between organisations (MoU, PKS, ...), across providers.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 1000) as usize * child_complexity")]
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<PartnershipConnection> {
        let page = PageRequest {
            first,
            after,
            ..Default::default()
        };
        list(ctx, None, Vec::new(), page, Partnership).await
    }
}

async fn node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let gid = GlobalId::decode(id).map_err(|e| coded("INVALID_ID", e.to_string()))?;
    let not_ours = || {
        coded(
            "INVALID_ID",
            format!(
                "no type `{}` in namespace `{}`",
                gid.type_name, gid.namespace
            ),
        )
    };
    match (gid.namespace.as_str(), gid.type_name.as_str()) {
        ("gw", "Person") => Ok(super::loader::person(ctx, &gid.local_key)
            .await?
            .map(Node::Person)),
        ("gw", "Provider") => Ok(engine(ctx)
            .host()
            .get(&gid.local_key)
            .map(|p| Node::Provider(p.into()))),
        ("gw", _) => Err(not_ours()),
        ("ref", "Region") => Ok(Region::find(&gid.local_key).map(Node::Region)),
        ("ref", "Occupation") => Ok(gid
            .local_key
            .strip_prefix("KBJI_2014/")
            .map(|code| Node::Occupation(Occupation::new(code)))),
        ("ref", "FundingScheme") => {
            Ok(FundingScheme::find(&gid.local_key).map(Node::FundingScheme))
        }
        ("ref", _) => Err(not_ours()),
        (provider, type_name) => {
            if engine(ctx).host().get(provider).is_none() {
                return Ok(None);
            }
            let key = gid.local_key.clone();
            Ok(
                match Collection::from_type_name(type_name).ok_or_else(not_ours)? {
                    Collection::TrainingCenters => {
                        fetch::<model::TrainingCenter>(ctx, provider, key)
                            .await?
                            .map(|r| Node::TrainingCenter(TrainingCenter(r)))
                    }
                    Collection::Courses => fetch::<model::Course>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Course(Course(r))),
                    Collection::CourseRuns => fetch::<model::CourseRun>(ctx, provider, key)
                        .await?
                        .map(|r| Node::CourseRun(CourseRun(r))),
                    Collection::Participants => fetch::<model::Participant>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Participant(Participant(r))),
                    Collection::Enrollments => fetch::<model::Enrollment>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Enrollment(Enrollment(r))),
                    Collection::Outcomes => fetch::<model::Outcome>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Outcome(Outcome(r))),
                    Collection::Partnerships => fetch::<model::Partnership>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Partnership(Partnership(r))),
                    Collection::CredentialAwards => {
                        fetch::<model::CredentialAward>(ctx, provider, key)
                            .await?
                            .map(|r| Node::CredentialAward(CredentialAward(r)))
                    }
                    Collection::Programs => fetch::<model::Program>(ctx, provider, key)
                        .await?
                        .map(|r| Node::Program(Program(r))),
                },
            )
        }
    }
}

async fn fetch<T: Entity>(
    ctx: &Context<'_>,
    provider: &str,
    key: String,
) -> Result<Option<crate::engine::Sourced<T>>> {
    super::loader::related::<T>(ctx, &std::sync::Arc::from(provider), &key).await
}
