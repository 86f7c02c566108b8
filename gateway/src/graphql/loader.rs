//! Batching: every relation and nested list goes through one request-scoped [`DataLoader`], so
//! a query makes at most one adapter call per provider, collection and nesting level, however
//! many parents it has.
//!
//! - [`RecordKey`]: one record by local key (`run.course`, `course.trainingCenter`): the keys of
//!   one level become one lookup per provider.
//! - [`ChildrenKey`]: the records whose `field` equals a parent's key (`course.runs`,
//!   `participant.enrollments`, `enrollment.outcome`): the parents of one level become one
//!   `field _in [...]` list per provider (children lists with the same arguments share it).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::futures_util::future::join_all;
use async_graphql::{Context, Error, Result};
use simpul_schema::filter::FieldValue;
use simpul_schema::{CompareOp, Filter, Literal, OrderBy};

use super::error::{coded, failure_error};
use crate::engine::{CallLog, Engine, Entity, Need, Sourced};

/// Loads records for one request, recording its calls in the request's [`CallLog`].
pub struct RecordLoader {
    engine: Arc<Engine>,
    log: CallLog,
    /// The provider a partner's key is limited to: people are looked up there only.
    tenant: Option<String>,
}

impl RecordLoader {
    /// A loader for one request of a caller limited to `tenant` (a partner's provider), if
    /// any. Its batches run as tasks inside the current span (the request's), so their log
    /// lines carry the request id.
    pub fn new(
        engine: Arc<Engine>,
        log: CallLog,
        window: std::time::Duration,
        tenant: Option<String>,
    ) -> DataLoader<Self> {
        let span = tracing::Span::current();
        DataLoader::new(
            Self {
                engine,
                log,
                tenant,
            },
            move |batch| tokio::spawn(tracing::Instrument::instrument(batch, span.clone())),
        )
        .delay(window)
    }
}

/// One record of type `T` by provider and local key.
pub struct RecordKey<T> {
    provider: Arc<str>,
    key: String,
    kind: PhantomData<fn() -> T>,
}

impl<T> RecordKey<T> {
    /// The record `key` at `provider`.
    pub fn new(provider: &Arc<str>, key: &str) -> Self {
        Self {
            provider: Arc::clone(provider),
            key: key.to_owned(),
            kind: PhantomData,
        }
    }
}

impl<T> Clone for RecordKey<T> {
    fn clone(&self) -> Self {
        Self::new(&self.provider, &self.key)
    }
}
impl<T> PartialEq for RecordKey<T> {
    fn eq(&self, other: &Self) -> bool {
        self.provider == other.provider && self.key == other.key
    }
}
impl<T> Eq for RecordKey<T> {}
impl<T> Hash for RecordKey<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.provider.hash(state);
        self.key.hash(state);
    }
}

impl<T: Entity> Loader<RecordKey<T>> for RecordLoader {
    type Value = Result<Sourced<T>, Error>;
    type Error = std::convert::Infallible;

    async fn load(
        &self,
        keys: &[RecordKey<T>],
    ) -> Result<HashMap<RecordKey<T>, Self::Value>, Self::Error> {
        let mut by_provider: HashMap<Arc<str>, Vec<String>> = HashMap::new();
        for key in keys {
            let wanted = by_provider.entry(Arc::clone(&key.provider)).or_default();
            if !wanted.contains(&key.key) {
                wanted.push(key.key.clone());
            }
        }
        let calls = by_provider
            .into_iter()
            .map(|(provider, wanted)| async move {
                let result = self
                    .engine
                    .get::<T>(&provider, wanted.clone(), &self.log)
                    .await;
                (provider, wanted, result)
            });
        let mut found = HashMap::new();
        for (provider, wanted, result) in join_all(calls).await {
            match result {
                Ok(records) => {
                    for record in records {
                        found.insert(
                            RecordKey::new(&provider, record.record.source_id()),
                            Ok(record),
                        );
                    }
                }
                Err(failure) => {
                    let error = failure_error(failure);
                    for key in wanted {
                        found.insert(RecordKey::new(&provider, &key), Err(error.clone()));
                    }
                }
            }
        }
        Ok(found)
    }
}

/// The arguments of a nested list, shared by all parents of one level.
#[derive(Debug)]
pub struct ListArgs {
    filter: Option<Filter>,
    order_by: Vec<OrderBy>,
    canonical: String,
}

impl ListArgs {
    /// Arguments from a field's `where` and `order_by`.
    pub fn new(filter: Option<Filter>, order_by: Vec<OrderBy>) -> Arc<Self> {
        let canonical = serde_json::to_string(&(&filter, &order_by)).unwrap_or_default();
        Arc::new(Self {
            filter,
            order_by,
            canonical,
        })
    }

    /// The filter and order as canonical JSON: equal for equal arguments.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }
}

/// One batched list: provider, relation field, canonical arguments.
type GroupKey = (Arc<str>, &'static str, String);

/// The `T` records of one provider whose `field` equals `parent`, under shared arguments.
pub struct ChildrenKey<T> {
    provider: Arc<str>,
    field: &'static str,
    parent: String,
    args: Arc<ListArgs>,
    kind: PhantomData<fn() -> T>,
}

impl<T> ChildrenKey<T> {
    /// Children of `parent` through `field` at `provider`.
    pub fn new(
        provider: &Arc<str>,
        field: &'static str,
        parent: &str,
        args: &Arc<ListArgs>,
    ) -> Self {
        Self {
            provider: Arc::clone(provider),
            field,
            parent: parent.to_owned(),
            args: Arc::clone(args),
            kind: PhantomData,
        }
    }
}

impl<T> Clone for ChildrenKey<T> {
    fn clone(&self) -> Self {
        Self::new(&self.provider, self.field, &self.parent, &self.args)
    }
}
impl<T> PartialEq for ChildrenKey<T> {
    fn eq(&self, other: &Self) -> bool {
        self.provider == other.provider
            && self.field == other.field
            && self.parent == other.parent
            && self.args.canonical == other.args.canonical
    }
}
impl<T> Eq for ChildrenKey<T> {}
impl<T> Hash for ChildrenKey<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.provider.hash(state);
        self.field.hash(state);
        self.parent.hash(state);
        self.args.canonical.hash(state);
    }
}

impl<T: Entity> Loader<ChildrenKey<T>> for RecordLoader {
    type Value = Result<Vec<Sourced<T>>, Error>;
    type Error = std::convert::Infallible;

    async fn load(
        &self,
        keys: &[ChildrenKey<T>],
    ) -> Result<HashMap<ChildrenKey<T>, Self::Value>, Self::Error> {
        // One list per (provider, field, arguments), covering every parent of this level.
        let mut groups: HashMap<GroupKey, (Arc<ListArgs>, Vec<String>)> = HashMap::new();
        for key in keys {
            let group = groups
                .entry((
                    Arc::clone(&key.provider),
                    key.field,
                    key.args.canonical.clone(),
                ))
                .or_insert_with(|| (Arc::clone(&key.args), Vec::new()));
            if !group.1.contains(&key.parent) {
                group.1.push(key.parent.clone());
            }
        }
        let calls = groups
            .into_iter()
            .map(|((provider, field, _), (args, parents))| async move {
                let mut parts = vec![
                    Filter::compare("provider", CompareOp::Eq, &*provider),
                    Filter::compare(
                        field,
                        CompareOp::In,
                        Literal::List(parents.iter().map(|p| Literal::from(p.as_str())).collect()),
                    ),
                ];
                parts.extend(args.filter.clone());
                let result = self
                    .engine
                    .list::<T>(
                        Some(Filter::And(parts)),
                        args.order_by.clone(),
                        Need::All,
                        &self.log,
                    )
                    .await;
                (provider, field, args, parents, result)
            });
        let mut found = HashMap::new();
        for (provider, field, args, parents, result) in join_all(calls).await {
            let outcome: Result<HashMap<String, Vec<Sourced<T>>>, Error> = match result {
                Err(e) => Err(coded("BAD_USER_INPUT", e.to_string())),
                Ok(listing) if !listing.failures.is_empty() => Err(failure_error(
                    listing.failures.into_iter().next().expect("non-empty"),
                )),
                Ok(listing) => {
                    let mut by_parent: HashMap<String, Vec<Sourced<T>>> = HashMap::new();
                    for item in listing.items {
                        match item.field(field) {
                            Some(FieldValue::Text(parent)) => {
                                by_parent.entry(parent).or_default().push(item);
                            }
                            // A list-valued link (a partnership's parties): the item belongs
                            // to each parent it names.
                            Some(FieldValue::List(values)) => {
                                for value in values {
                                    if let FieldValue::Text(parent) = value {
                                        by_parent.entry(parent).or_default().push(item.clone());
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    Ok(by_parent)
                }
            };
            for parent in parents {
                let key = ChildrenKey::new(&provider, field, &parent, &args);
                let value = match &outcome {
                    Ok(by_parent) => Ok(by_parent.get(&parent).cloned().unwrap_or_default()),
                    Err(e) => Err(e.clone()),
                };
                found.insert(key, value);
            }
        }
        Ok(found)
    }
}

fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<RecordLoader> {
    ctx.data_unchecked::<DataLoader<RecordLoader>>()
}

/// One related record of the same provider by local key.
pub async fn related<T: Entity>(
    ctx: &Context<'_>,
    provider: &Arc<str>,
    key: &str,
) -> Result<Option<Sourced<T>>> {
    crate::access::may_read(ctx, T::COLLECTION, Some(provider))?;
    match loader(ctx)
        .load_one(RecordKey::<T>::new(provider, key))
        .await
    {
        Ok(Some(found)) => found.map(Some),
        Ok(None) => Ok(None),
        Err(never) => match never {},
    }
}

/// Several related records of the same provider by local keys, in the order of `keys`.
pub async fn related_many<T: Entity>(
    ctx: &Context<'_>,
    provider: &Arc<str>,
    keys: &[String],
) -> Result<Vec<Sourced<T>>> {
    crate::access::may_read(ctx, T::COLLECTION, Some(provider))?;
    let wanted: Vec<RecordKey<T>> = keys.iter().map(|k| RecordKey::new(provider, k)).collect();
    let mut found = match loader(ctx).load_many(wanted.iter().cloned()).await {
        Ok(found) => found,
        Err(never) => match never {},
    };
    let mut out = Vec::new();
    for key in &wanted {
        if let Some(result) = found.remove(key) {
            out.push(result?);
        }
    }
    Ok(out)
}

/// The records of one provider whose `field` equals `parent`, under `args`.
pub async fn children<T: Entity>(
    ctx: &Context<'_>,
    provider: &Arc<str>,
    field: &'static str,
    parent: &str,
    args: &Arc<ListArgs>,
) -> Result<Vec<Sourced<T>>> {
    crate::access::may_read(ctx, T::COLLECTION, Some(provider))?;
    match loader(ctx)
        .load_one(ChildrenKey::<T>::new(provider, field, parent, args))
        .await
    {
        Ok(Some(found)) => found,
        Ok(None) => Ok(Vec::new()),
        Err(never) => match never {},
    }
}

/// A person by key: every provider's participant records with that person key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonKey(pub String);

impl Loader<PersonKey> for RecordLoader {
    type Value = Result<Vec<Sourced<simpul_schema::Participant>>, Error>;
    type Error = std::convert::Infallible;

    async fn load(
        &self,
        keys: &[PersonKey],
    ) -> Result<HashMap<PersonKey, Self::Value>, Self::Error> {
        let wanted = Literal::List(keys.iter().map(|k| Literal::from(k.0.as_str())).collect());
        let mut filter = Filter::compare("personKey", CompareOp::In, wanted);
        if let Some(own) = &self.tenant {
            // A partner sees a person's record at its own provider only, and learns nothing of
            // where else they are known.
            filter = Filter::And(vec![
                Filter::compare("provider", CompareOp::Eq, own.as_str()),
                filter,
            ]);
        }
        let result = self
            .engine
            .list::<simpul_schema::Participant>(Some(filter), Vec::new(), Need::All, &self.log)
            .await;
        let mut found: HashMap<PersonKey, Self::Value> = HashMap::new();
        match result {
            Err(e) => {
                let error = coded("BAD_USER_INPUT", e.to_string());
                for key in keys {
                    found.insert(key.clone(), Err(error.clone()));
                }
            }
            Ok(listing) => {
                // A provider that failed leaves the person partial: say so once, per key.
                let failure = listing.failures.into_iter().next().map(failure_error);
                for key in keys {
                    found.insert(key.clone(), Ok(Vec::new()));
                }
                for item in listing.items {
                    if let Some(key) = item.record.person_key.clone() {
                        if let Some(Ok(records)) = found.get_mut(&PersonKey(key)) {
                            records.push(item);
                        }
                    }
                }
                if let Some(error) = failure {
                    for value in found.values_mut() {
                        if value.as_ref().is_ok_and(|r| r.is_empty()) {
                            *value = Err(error.clone());
                        }
                    }
                }
            }
        }
        Ok(found)
    }
}

/// The person with this key (`None` when no provider has a record of them).
pub async fn person(ctx: &Context<'_>, key: &str) -> Result<Option<super::objects::Person>> {
    crate::access::require(ctx, simpul_store::Scope::IdentityLink, "Person")?;
    let records = match loader(ctx).load_one(PersonKey(key.to_owned())).await {
        Ok(Some(found)) => found?,
        Ok(None) => Vec::new(),
        Err(never) => match never {},
    };
    Ok(super::objects::Person::new(key.to_owned(), records))
}
