//! What to fetch for an answer, and for how long to reuse it: the four list endpoints walked
//! through [`Client`], decoded item by item into [`crate::wire`] types, cached per collection
//! for `cache_ttl_ms`, with the API-native filters of [`Pushdown`] applied when caching is off.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use simpul_schema::SourceIssue;
use tokio::sync::Mutex;

use crate::client::{Client, Listing};
use crate::error::{Endpoint, Error};
use crate::identity::valid_kpj;
use crate::mapping::{issue, Inputs, ProgrammeEnrolments};
use crate::page::PeekedId;
use crate::pushdown::Pushdown;
use crate::shared_reads::RequestReads;
use crate::tidy::absent;
use crate::wire::{Kepesertaan, LembagaMitra, Nulled, Penempatan, PesertaProgram, ProgramVokasi};

/// The partners' list endpoint.
const LEMBAGA: &str = "/v1/lembaga-mitra";
/// The programmes' list endpoint.
const PROGRAMMES: &str = "/v1/program-vokasi";

/// Which endpoints an answer needs (each implies the ones before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needs {
    /// Partners only (training centres, partnerships).
    Partners,
    /// Partners and programmes (courses, runs).
    Programmes,
    /// Plus enrolments (participants, enrolments).
    Enrolments,
    /// Plus placements (outcomes; the source status).
    Everything,
}

/// Decoded items of one endpoint, with the items that could not be used.
#[derive(Debug, Clone)]
pub struct Fetched<T> {
    /// Decoded items, in API order.
    pub items: Vec<T>,
    /// Items skipped and paging problems.
    pub issues: Vec<SourceIssue>,
    /// Fields ignored, once per endpoint.
    pub notices: Vec<SourceIssue>,
    /// The top-level fields the decoded items carried (for `MISSING_OPTIONAL_FIELD`).
    pub present: BTreeSet<String>,
}

impl<T> Default for Fetched<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            issues: Vec::new(),
            notices: Vec::new(),
            present: BTreeSet::new(),
        }
    }
}

/// Everything fetched for one answer.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Partners.
    pub lembaga: Option<Arc<Fetched<LembagaMitra>>>,
    /// Programmes.
    pub programmes: Option<Arc<Fetched<ProgramVokasi>>>,
    /// Enrolments per programme.
    pub enrolments: Option<Arc<Fetched<ProgrammeEnrolments>>>,
    /// Placements.
    pub placements: Option<Arc<Fetched<Penempatan>>>,
}

impl Snapshot {
    /// The mapping's view of this snapshot, for an answer of records only: without what
    /// fetching it noticed (issues, notices, the contract fields no item carried), which only
    /// the source's status reports. Building those for every query was 1.5 % of a lookup.
    pub fn records(&self) -> Inputs<'_> {
        Inputs {
            lembaga: self.lembaga.as_ref().map(|f| f.items.as_slice()),
            programmes: self.programmes.as_ref().map(|f| f.items.as_slice()),
            enrolments: self.enrolments.as_ref().map(|f| f.items.as_slice()),
            placements: self.placements.as_ref().map(|f| f.items.as_slice()),
            fetch_issues: Vec::new(),
            fetch_notices: Vec::new(),
        }
    }

    /// The mapping's view of this snapshot, with what fetching it noticed.
    pub fn inputs(&self) -> Inputs<'_> {
        let mut fetch_issues = Vec::new();
        for issues in [
            self.lembaga.as_ref().map(|f| &f.issues),
            self.programmes.as_ref().map(|f| &f.issues),
            self.enrolments.as_ref().map(|f| &f.issues),
            self.placements.as_ref().map(|f| &f.issues),
        ]
        .into_iter()
        .flatten()
        {
            fetch_issues.extend(issues.iter().cloned());
        }
        let fetch_notices = [
            self.lembaga.as_ref().map(|f| &f.notices),
            self.programmes.as_ref().map(|f| &f.notices),
            self.enrolments.as_ref().map(|f| &f.notices),
            self.placements.as_ref().map(|f| &f.notices),
        ]
        .into_iter()
        .flatten()
        .flat_map(|n| n.iter().cloned())
        .chain(self.absent())
        .collect();
        Inputs {
            fetch_issues,
            fetch_notices,
            ..self.records()
        }
    }
}

impl Snapshot {
    /// The contract fields no item of a fetched endpoint carried.
    fn absent(&self) -> Vec<SourceIssue> {
        let mut out = Vec::new();
        if let Some(f) = &self.lembaga {
            out.extend(absent::<LembagaMitra>(
                Endpoint::LembagaMitra,
                f.items.len(),
                &f.present,
            ));
        }
        if let Some(f) = &self.programmes {
            out.extend(absent::<ProgramVokasi>(
                Endpoint::ProgramVokasi,
                f.items.len(),
                &f.present,
            ));
        }
        if let Some(f) = &self.enrolments {
            let items = f.items.iter().map(|p| p.items.len()).sum();
            out.extend(absent::<PesertaProgram>(
                Endpoint::Peserta,
                items,
                &f.present,
            ));
        }
        if let Some(f) = &self.placements {
            out.extend(absent::<Penempatan>(
                Endpoint::Penempatan,
                f.items.len(),
                &f.present,
            ));
        }
        out
    }
}

/// A cached value with the time it was fetched. Holding the lock while fetching makes
/// concurrent callers wait for one fetch instead of each starting their own.
#[derive(Debug)]
struct Slot<T> {
    cell: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Self {
            cell: Mutex::new(None),
        }
    }

    async fn get<F, Fut>(&self, ttl: Duration, fetch: F) -> Result<Arc<T>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        if ttl.is_zero() {
            // Nothing is kept, so there is nothing to wait for: concurrent callers fetch at once
            // instead of one after another behind the lock.
            return Ok(Arc::new(fetch().await?));
        }
        let mut cell = self.cell.lock().await;
        if let Some((at, value)) = cell.as_ref() {
            if at.elapsed() < ttl {
                return Ok(Arc::clone(value));
            }
        }
        let value = Arc::new(fetch().await?);
        *cell = (!ttl.is_zero()).then(|| (Instant::now(), Arc::clone(&value)));
        Ok(value)
    }
}

/// The API as collections.
#[derive(Debug)]
pub struct Source {
    client: Client,
    ttl: Duration,
    lembaga: Slot<Fetched<LembagaMitra>>,
    programmes: Slot<Fetched<ProgramVokasi>>,
    enrolments: Slot<Fetched<ProgrammeEnrolments>>,
    placements: Slot<Fetched<Penempatan>>,
    /// With the cache off: the lists each gateway request has read, for its other calls.
    reads: Arc<RequestReads>,
}

impl Source {
    /// A source over `client`, reusing fetched collections for `ttl` (zero: never).
    pub fn new(client: Client, ttl: Duration) -> Self {
        Self {
            client,
            ttl,
            lembaga: Slot::new(),
            programmes: Slot::new(),
            enrolments: Slot::new(),
            placements: Slot::new(),
            reads: Arc::default(),
        }
    }

    /// Whether collections are cached (and so filters are not pushed down).
    pub fn caching(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// Fetch (or reuse) what `needs` asks for. `pushdown` narrows the fetch when caching is
    /// off; with caching on it is ignored, since whole collections are fetched and reused.
    /// With caching off, the calls of one gateway `request` (its id) share their list reads
    /// ([`RequestReads`]).
    ///
    /// # Errors
    /// Any endpoint fails (see [`Error`]).
    pub async fn snapshot(
        &self,
        needs: Needs,
        pushdown: &Pushdown,
        request: Option<&str>,
    ) -> Result<Snapshot, Error> {
        if self.caching() {
            self.cached(needs).await
        } else {
            self.fresh(needs, pushdown, request).await
        }
    }

    /// Whole collections, fetched and decoded once per `cache_ttl_ms` (with everything the
    /// status reports: skipped items, notices).
    async fn cached(&self, needs: Needs) -> Result<Snapshot, Error> {
        let full = Pushdown::default();
        let lembaga = self.lembaga.get(self.ttl, || async {
            let listing = self
                .list(Endpoint::LembagaMitra, LEMBAGA, Vec::new(), None)
                .await?;
            Ok(decode(&listing, Endpoint::LembagaMitra))
        });
        if needs < Needs::Programmes {
            return Ok(Snapshot {
                lembaga: Some(lembaga.await?),
                ..Snapshot::default()
            });
        }
        let programmes = self.programmes.get(self.ttl, || async {
            let listing = self
                .list(Endpoint::ProgramVokasi, PROGRAMMES, Vec::new(), None)
                .await?;
            Ok(decode(&listing, Endpoint::ProgramVokasi))
        });
        let placements = async {
            if needs < Needs::Everything {
                return Ok(None);
            }
            self.placements
                .get(self.ttl, || self.fetch_placements(&full, None))
                .await
                .map(Some)
        };
        let (lembaga, programmes, placements) = tokio::join!(lembaga, programmes, placements);
        let (lembaga, programmes, placements) = (lembaga?, programmes?, placements?);
        let ids: Vec<String> = programmes
            .items
            .iter()
            .map(|p| p.program_id.clone())
            .collect();
        let enrolments = if needs < Needs::Enrolments {
            None
        } else {
            Some(
                self.enrolments
                    .get(self.ttl, || self.fetch_enrolments(ids, &full, None))
                    .await?,
            )
        };
        Ok(Snapshot {
            lembaga: Some(lembaga),
            programmes: Some(programmes),
            enrolments,
            placements,
        })
    }

    /// What one answer needs, fetched now: the API-native filters of `pushdown` applied, and
    /// only the partners and programmes the answer can use decoded (a lookup of one centre
    /// decodes one partner; of one run, that programme and its partner).
    async fn fresh(
        &self,
        needs: Needs,
        pushdown: &Pushdown,
        request: Option<&str>,
    ) -> Result<Snapshot, Error> {
        // Partners, programmes and placements do not depend on one another: fetched together.
        let lembaga = async {
            let query = match needs {
                Needs::Partners => pushdown.lembaga.clone(),
                _ => Vec::new(),
            };
            self.list(Endpoint::LembagaMitra, LEMBAGA, query, request)
                .await
        };
        if needs < Needs::Programmes {
            let listing = lembaga.await?;
            let only = pushdown.partners.as_ref();
            return Ok(Snapshot {
                lembaga: Some(Arc::new(decode_only(
                    &listing,
                    Endpoint::LembagaMitra,
                    only,
                    pushdown,
                ))),
                ..Snapshot::default()
            });
        }
        let programmes = async {
            let query = match needs {
                Needs::Programmes => pushdown.programmes.clone(),
                _ => Vec::new(),
            };
            self.list(Endpoint::ProgramVokasi, PROGRAMMES, query, request)
                .await
        };
        let placements = async {
            if needs < Needs::Everything {
                return Ok(None);
            }
            self.fetch_placements(pushdown, request).await.map(Some)
        };
        // The enrolments of the runs a filter names need not wait for the programme list
        // either: asked for at once, and kept only if every one of those runs is listed (else
        // asked for again, for the listed ones only, as before).
        let named = match &pushdown.course_runs {
            Some(only) if needs == Needs::Enrolments => Some(only),
            _ => None,
        };
        let early = async {
            match named {
                Some(only) => Some(
                    self.fetch_enrolments(only.iter().cloned().collect(), pushdown, request)
                        .await,
                ),
                None => None,
            }
        };
        let (lembaga, programmes, placements, early) =
            tokio::join!(lembaga, programmes, placements, early);
        let (lembaga, programmes, placements) = (lembaga?, programmes?, placements?);
        // Only the programmes the answer can use, then only their partners (a programme whose
        // partner is not listed is still skipped: that partner is simply not found).
        let only_programmes = match needs {
            Needs::Programmes | Needs::Enrolments => pushdown.programmes_only.as_ref(),
            _ => None,
        };
        let programmes: Fetched<ProgramVokasi> = decode_only(
            &programmes,
            Endpoint::ProgramVokasi,
            only_programmes,
            pushdown,
        );
        let partners: Option<BTreeSet<String>> = only_programmes.map(|_| {
            programmes
                .items
                .iter()
                .filter_map(|p| crate::mapping::values::text(p.lembaga_id.as_ref()))
                .collect()
        });
        let lembaga: Fetched<LembagaMitra> = decode_only(
            &lembaga,
            Endpoint::LembagaMitra,
            partners.as_ref(),
            pushdown,
        );
        let ids: Vec<String> = programmes
            .items
            .iter()
            .map(|p| p.program_id.clone())
            .collect();
        let mut snapshot = Snapshot {
            lembaga: Some(Arc::new(lembaga)),
            programmes: Some(Arc::new(programmes)),
            enrolments: None,
            placements: placements.map(Arc::new),
        };
        if needs < Needs::Enrolments {
            return Ok(snapshot);
        }
        let enrolments = match (named, early) {
            (Some(only), Some(early)) => {
                let listed: Vec<String> = ids.into_iter().filter(|id| only.contains(id)).collect();
                if listed.len() == only.len() {
                    early?
                } else {
                    self.fetch_enrolments(listed, pushdown, request).await?
                }
            }
            _ => self.fetch_enrolments(ids, pushdown, request).await?,
        };
        snapshot.enrolments = Some(Arc::new(enrolments));
        Ok(snapshot)
    }

    /// `GET /v1/peserta/{kpj}`: the membership record of one KPJ, `None` when the API does not
    /// know it (404). Never logs or returns the KPJ or the URL.
    ///
    /// # Errors
    /// [`Error::InvalidKpj`] for anything but 11 digits (the API is not called); otherwise as
    /// [`Client::get_json`].
    pub async fn kepesertaan(&self, kpj: &str) -> Result<Option<Kepesertaan>, Error> {
        let kpj = valid_kpj(kpj).ok_or(Error::InvalidKpj)?;
        let path = format!("/v1/peserta/{kpj}");
        match self
            .client
            .get_json(Endpoint::Kepesertaan, &path, &[])
            .await
        {
            Ok(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(|e| Error::Decode {
                    endpoint: Endpoint::Kepesertaan,
                    reason: sanitize(&e),
                }),
            Err(Error::Rejected { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every item of the list at `path` with `query`: read once per gateway `request`
    /// ([`RequestReads`]), afresh without one.
    async fn list(
        &self,
        endpoint: Endpoint,
        path: &'static str,
        query: Vec<(&'static str, String)>,
        request: Option<&str>,
    ) -> Result<Arc<Listing>, Error> {
        self.reads
            .list(request, path, &query, || {
                self.client.list(endpoint, path, query.clone())
            })
            .await
    }

    async fn fetch_placements(
        &self,
        pushdown: &Pushdown,
        request: Option<&str>,
    ) -> Result<Fetched<Penempatan>, Error> {
        let listing = self
            .list(Endpoint::Penempatan, "/v1/penempatan", Vec::new(), request)
            .await?;
        Ok(decode_only(&listing, Endpoint::Penempatan, None, pushdown))
    }

    /// Enrolments of each programme (one list walk per programme, never per person), the
    /// programmes concurrently within the client's limit, kept in programme order. A programme
    /// the API no longer knows (404) is reported and skipped.
    async fn fetch_enrolments(
        &self,
        program_ids: Vec<String>,
        pushdown: &Pushdown,
        request: Option<&str>,
    ) -> Result<Fetched<ProgrammeEnrolments>, Error> {
        let unique: BTreeSet<String> = program_ids.iter().cloned().collect();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, id) in unique.into_iter().enumerate() {
            let (client, reads) = (self.client.clone(), Arc::clone(&self.reads));
            let request = request.map(str::to_owned);
            tasks.spawn(async move {
                let (path, query) = ("/v1/peserta", vec![("program_id", id.clone())]);
                let listing = reads
                    .list(request.as_deref(), path, &query, || {
                        client.list(Endpoint::Peserta, path, query.clone())
                    })
                    .await;
                (i, id, listing)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let (i, id, listing) = joined.map_err(|e| Error::Transport {
                endpoint: Endpoint::Peserta,
                attempts: 1,
                reason: format!("enrolment task failed: {e}"),
            })?;
            done.push((i, id, listing));
        }
        done.sort_by_key(|(i, _, _)| *i);
        let mut out = Fetched::default();
        for (_, program_id, listing) in done {
            match listing {
                Ok(listing) => {
                    let decoded = decode_only(&listing, Endpoint::Peserta, None, pushdown);
                    out.issues.extend(decoded.issues);
                    out.present.extend(decoded.present);
                    for notice in decoded.notices {
                        if !out
                            .notices
                            .iter()
                            .any(|n| n.key == notice.key && n.code == notice.code)
                        {
                            out.notices.push(notice);
                        }
                    }
                    out.items.push(ProgrammeEnrolments {
                        program_id,
                        items: decoded.items,
                    });
                }
                Err(Error::Rejected { status: 404, .. }) => out.issues.push(issue(
                    "REFERENCE_NOT_FOUND",
                    Endpoint::Peserta,
                    format!(
                        "programme `{program_id}` is listed but its enrolments answer 404; skipped"
                    ),
                )),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

/// Decode each item on its own: one that does not fit the contract is skipped with an issue
/// naming its position and (when it looks like one) its id, never its content. An optional
/// field of the wrong JSON type (a number where the contract says a string) is nulled instead,
/// and the record carries a `FIELD_TYPE_INVALID` warning for it; a field the contract does not
/// define is ignored and noted once per endpoint (`UNKNOWN_FIELD_IGNORED`).
pub fn decode<T: DeserializeOwned + Nulled>(listing: &Listing, endpoint: Endpoint) -> Fetched<T> {
    decode_only(listing, endpoint, None, &Pushdown::default())
}

/// [`decode`], of the items whose id is in `only` (all when `None`): an item whose id is
/// elsewhere is passed over unread (an item without a readable id is decoded, and skipped if
/// it does not fit). With [`Pushdown::records_only`], the fields ignored and the census of
/// fields are not recorded (they are for the status, which never asks so).
pub fn decode_only<T: DeserializeOwned + Nulled>(
    listing: &Listing,
    endpoint: Endpoint,
    only: Option<&BTreeSet<String>>,
    pushdown: &Pushdown,
) -> Fetched<T> {
    // Only list endpoints are decoded here; the one-record endpoint has no id field.
    let id_field = endpoint.id_field().unwrap_or_default();
    let notes = !pushdown.records_only;
    let mut out = Fetched {
        items: Vec::with_capacity(listing.items.len()),
        issues: listing
            .problems
            .iter()
            .map(|p| issue("PAGING_PROBLEM", endpoint, p.clone()))
            .collect(),
        notices: Vec::new(),
        present: BTreeSet::new(),
    };
    let mut ignored_seen = std::collections::BTreeSet::new();
    let mut normalised_seen = std::collections::BTreeSet::new();
    let fields = crate::tidy::fields::<T>();
    let ids = only.map(|only| (only, item_ids(listing, id_field)));
    for (i, text) in listing.items.iter().enumerate() {
        if let Some((only, ids)) = &ids {
            if ids[i].as_deref().is_some_and(|id| !only.contains(id)) {
                continue;
            }
        }
        // The usual item: ASCII only (so already NFC) and of the contract's shape, decoded
        // straight from its text with no `Value` in between. Anything else takes the long way.
        let plain = text.is_ascii() && !text.contains("\\u");
        if plain && !notes {
            if let Ok(item) = serde_json::from_str::<T>(text) {
                out.items.push(item);
                continue;
            }
        }
        if plain && notes {
            let mut ignored = Vec::new();
            let mut de = serde_json::Deserializer::from_str(text);
            if let Ok(item) = serde_ignored::deserialize::<_, _, T>(&mut de, |path| {
                ignored.push(path.to_string())
            }) {
                if !fields.iter().all(|f| out.present.contains(*f)) {
                    // Until every contract field has been seen (usually after the first item).
                    let _ = top_level_keys(text, &mut out.present);
                }
                note_ignored(&mut out.notices, &mut ignored_seen, endpoint, ignored);
                out.items.push(item);
                continue;
            }
        }
        let mut value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                // Not reachable for a page serde_json split into items; kept for safety.
                let mut rejected = issue(
                    "ITEM_INVALID",
                    endpoint,
                    format!("item {} is not JSON ({}); skipped", i + 1, sanitize(&e)),
                );
                rejected.key = Some(format!("item {}", i + 1));
                out.issues.push(rejected);
                continue;
            }
        };
        let mut changed = Vec::new();
        crate::tidy::nfc(&mut value, "", &mut changed);
        for path in changed {
            if normalised_seen.insert(path.clone()) {
                out.notices.push(crate::tidy::normalised(endpoint, path));
            }
        }
        let id = value
            .get(id_field)
            .and_then(|v| v.as_str())
            .filter(|s| {
                !s.is_empty()
                    && s.len() <= 32
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !s.chars().all(|c| c.is_ascii_digit())
            })
            .map(str::to_owned);
        // Only the fields not seen yet (usually none after the first item) are copied.
        let keys: Vec<String> = value
            .as_object()
            .map(|o| {
                o.keys()
                    .filter(|k| !out.present.contains(k.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        match tolerant::<T>(value) {
            Ok((mut item, nulled, ignored)) => {
                out.present.extend(keys);
                note_ignored(&mut out.notices, &mut ignored_seen, endpoint, ignored);
                item.set_nulled(nulled);
                out.items.push(item);
            }
            Err(e) => {
                let shown = id
                    .as_deref()
                    .map_or_else(|| "without a usable id".to_owned(), |s| format!("`{s}`"));
                let mut rejected = issue(
                    "ITEM_INVALID",
                    endpoint,
                    format!(
                        "item {} {shown} does not fit the contract ({}); skipped",
                        i + 1,
                        sanitize(&e)
                    ),
                );
                rejected.key = Some(id.unwrap_or_else(|| format!("item {}", i + 1)));
                out.issues.push(rejected);
            }
        }
    }
    out
}

/// One `UNKNOWN_FIELD_IGNORED` notice per path not noted yet.
fn note_ignored(
    notices: &mut Vec<SourceIssue>,
    seen: &mut BTreeSet<String>,
    endpoint: Endpoint,
    ignored: Vec<String>,
) {
    for path in ignored {
        if seen.insert(path.clone()) {
            notices.push(
                issue(
                    "UNKNOWN_FIELD_IGNORED",
                    endpoint,
                    "a field the contract does not define is ignored",
                )
                .with_key(path),
            );
        }
    }
}

/// Each item's id ([`peek_id`]), peeked once per list and kept with it for the other calls
/// of the request that share it ([`Listing::ids`]).
fn item_ids<'l>(listing: &'l Listing, id_field: &str) -> Cow<'l, [Option<String>]> {
    let peek = || {
        let field = IdField::new(id_field);
        let items = listing.items.iter();
        match listing.items.peeked_ids(id_field) {
            // Read by the page split; an item it is unsure of is looked at again.
            Some(peeked) => items
                .zip(peeked)
                .map(|(text, peeked)| match peeked {
                    PeekedId::Id(id) => Some(id.to_owned()),
                    PeekedId::None => None,
                    PeekedId::Unsure => peek_id(text, &field).map(Cow::into_owned),
                })
                .collect::<Vec<_>>(),
            None => items
                .map(|text| peek_id(text, &field).map(Cow::into_owned))
                .collect(),
        }
    };
    let (field, ids) = listing.ids.get_or_init(|| (id_field.to_owned(), peek()));
    if field == id_field {
        Cow::Borrowed(ids)
    } else {
        Cow::Owned(peek())
    }
}

/// The name of an item's id field, and a searcher for it (made once per list).
struct IdField<'f> {
    name: &'f str,
    finder: memchr::memmem::Finder<'f>,
}

impl<'f> IdField<'f> {
    fn new(name: &'f str) -> Self {
        Self {
            name,
            finder: memchr::memmem::Finder::new(name.as_bytes()),
        }
    }
}

/// The text of the field `field` of the JSON object `text`, when it is a plain (ASCII) string
/// given once; `None` otherwise (the item is then decoded in full).
fn peek_id<'t>(text: &'t str, field: &IdField<'_>) -> Option<Cow<'t, str>> {
    match peek_plain(text, field) {
        Some(id) => Some(Cow::Borrowed(id)).filter(|id| id.is_ascii()),
        None => peek_parsed(text, field.name).map(Cow::Owned),
    }
}

/// [`peek_id`] without parsing, for the usual item: no backslash anywhere in it (so no key is
/// escaped into `field`'s name, and a string ends at the next quote), `"field"` quoted once
/// in the whole item (so the key is given once), at the top level, followed by `:"` with no
/// space. `None` for any other item, which is then parsed. A lookup peeks at every item of a
/// list to find the few it returns, and a full parse of each was a sixth of query (c)'s
/// instructions.
fn peek_plain<'t>(text: &'t str, field: &IdField<'_>) -> Option<&'t str> {
    let bytes = text.as_bytes();
    if !text.starts_with('{') || memchr::memchr(b'\\', bytes).is_some() {
        return None;
    }
    let name = field.name.len();
    let mut found = None;
    for at in field.finder.find_iter(bytes) {
        if text[..at].ends_with('"') && text[at + name..].starts_with('"') {
            if found.is_some() {
                return None;
            }
            found = Some(at);
        }
    }
    let at = found?;
    // At the top level: one bracket deep at the key's opening quote. The item is valid JSON
    // (`crate::page` checked it), so the brackets open before the key are those that close after it:
    // counted on the shorter side (keys often come in alphabetical order, the id's mid-item).
    let (before, after) = (&bytes[..at - 1], &bytes[at + name + 1..]);
    let depth = if before.len() <= after.len() {
        net_brackets(before)?
    } else {
        -net_brackets(after)?
    };
    if depth != 1 {
        return None;
    }
    let value = text[at + name..].strip_prefix("\":\"")?;
    Some(&value[..value.find('"')?])
}

/// Brackets opened minus brackets closed in `bytes`, outside strings; `bytes` starts outside
/// a string and holds no backslash (so a string ends at the next quote, and is jumped over
/// whole). `None` when it ends inside a string.
fn net_brackets(bytes: &[u8]) -> Option<i32> {
    let (mut depth, mut from) = (0_i32, 0);
    loop {
        let quote = memchr::memchr(b'"', &bytes[from..]).map_or(bytes.len(), |q| from + q);
        for &b in &bytes[from..quote] {
            match b {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        if quote == bytes.len() {
            return Some(depth);
        }
        from = quote + 1 + memchr::memchr(b'"', &bytes[quote + 1..])? + 1;
    }
}

/// [`peek_id`] by parsing `text` (every key read, every value skipped).
fn peek_parsed(text: &str, field: &str) -> Option<String> {
    struct Peek<'a>(&'a str);
    impl<'de> serde::de::Visitor<'de> for Peek<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Option<String>, A::Error> {
            let mut found = None;
            while let Some(is_id) = map.next_key_seed(IsField(self.0))? {
                if is_id && found.is_none() {
                    found = map.next_value::<Option<String>>().ok().flatten();
                    if found.is_none() {
                        return Ok(None);
                    }
                } else if is_id {
                    // The key twice: which one counts is the full decoding's business.
                    return Ok(None);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    /// Whether a key is `field`, read without a copy.
    struct IsField<'a>(&'a str);
    impl<'de> serde::de::DeserializeSeed<'de> for IsField<'_> {
        type Value = bool;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl<'de> serde::de::Visitor<'de> for IsField<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E>(self, key: &str) -> Result<bool, E> {
            Ok(key == self.0)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, Peek(field))
        .ok()
        .flatten()
        .filter(|id| id.is_ascii())
}

/// Add the keys of the JSON object `text` to `present` (nothing when it is not an object).
fn top_level_keys(text: &str, present: &mut BTreeSet<String>) -> Result<(), serde_json::Error> {
    struct Keys<'a>(&'a mut BTreeSet<String>);
    impl<'de> serde::de::Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<serde::de::IgnoredAny>()?;
                self.0.insert(key);
            }
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, Keys(present))
}

/// Decode `value`, nulling optional fields of the wrong type one at a time (at most eight):
/// the item, the nulled fields' paths, and the paths of fields the type does not define.
fn tolerant<T: DeserializeOwned>(
    mut value: serde_json::Value,
) -> Result<(T, Vec<String>, Vec<String>), serde_json::Error> {
    let mut nulled = Vec::new();
    loop {
        let mut ignored = Vec::new();
        let error = match serde_ignored::deserialize(&value, |path| ignored.push(path.to_string()))
        {
            Ok(item) => return Ok((item, nulled, ignored)),
            Err(e) => e,
        };
        let text = error.to_string();
        if nulled.len() >= 8
            || !(text.starts_with("invalid type") || text.starts_with("invalid value"))
        {
            return Err(error);
        }
        // The field whose nulling cures this error (a required field does not: its null is
        // the next error), the most specific first (`alamat.kodeWilayah` before `alamat`).
        let mut paths = leaf_paths(&value, &mut Vec::new());
        paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let cure = paths.into_iter().find(|path| {
            let mut candidate = value.clone();
            set_null(&mut candidate, path);
            match T::deserialize(&candidate) {
                Ok(_) => true,
                Err(e) => {
                    let next = e.to_string();
                    next != text && !next.starts_with("invalid type: null")
                }
            }
        });
        let Some(path) = cure else {
            return Err(error);
        };
        set_null(&mut value, &path);
        nulled.push(path.join("."));
    }
}

/// Paths of the non-null values inside objects (not inside arrays), depth first.
fn leaf_paths(value: &serde_json::Value, prefix: &mut Vec<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (key, child) in map {
            if child.is_null() {
                continue;
            }
            prefix.push(key.clone());
            out.push(prefix.clone());
            out.extend(leaf_paths(child, prefix));
            prefix.pop();
        }
    }
    out
}

fn set_null(value: &mut serde_json::Value, path: &[String]) {
    let mut at = value;
    for key in path {
        match at.get_mut(key.as_str()) {
            Some(next) => at = next,
            None => return,
        }
    }
    *at = serde_json::Value::Null;
}

/// serde's reason without the offending value (it could be personal data).
fn sanitize(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") {
        text.split(" at line")
            .next()
            .unwrap_or("missing field")
            .to_owned()
    } else if text.starts_with("invalid type") {
        "a field has the wrong type".to_owned()
    } else {
        "its shape is wrong".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listing(items: Vec<serde_json::Value>) -> Listing {
        Listing {
            total: items.len() as u64,
            items: crate::page::Items::from_values(&items),
            ..Listing::default()
        }
    }

    #[test]
    fn an_optional_field_of_the_wrong_type_is_nulled_not_the_record() {
        let fetched: Fetched<LembagaMitra> = decode(
            &listing(vec![
                json!({ "lembagaId": "LM-0001", "namaLembaga": 12345, "pengalamanTahun": "lima",
                        "alamat": { "jalan": "Jl. Raya", "kodeWilayah": 3603 } }),
                json!({ "lembagaId": "LM-0002", "namaLembaga": "LPK Dua" }),
            ]),
            Endpoint::LembagaMitra,
        );
        assert!(fetched.issues.is_empty(), "{:?}", fetched.issues);
        assert_eq!(fetched.items.len(), 2, "both records served");
        let first = &fetched.items[0];
        assert_eq!(first.nama_lembaga, None);
        assert_eq!(first.pengalaman_tahun, None);
        assert_eq!(
            first.alamat.as_ref().unwrap().jalan.as_deref(),
            Some("Jl. Raya")
        );
        let mut nulled = first.nulled.clone();
        nulled.sort();
        assert_eq!(
            nulled,
            ["alamat.kodeWilayah", "namaLembaga", "pengalamanTahun"]
        );
        assert!(fetched.items[1].nulled.is_empty());
    }

    #[test]
    fn a_required_field_of_the_wrong_type_still_rejects_the_item_with_a_code() {
        let fetched: Fetched<LembagaMitra> = decode(
            &listing(vec![json!({ "lembagaId": 7, "namaLembaga": "x" })]),
            Endpoint::LembagaMitra,
        );
        assert!(fetched.items.is_empty());
        assert_eq!(fetched.issues[0].code, "ITEM_INVALID");
        assert_eq!(fetched.issues[0].key.as_deref(), Some("item 1"));
    }

    #[test]
    fn plain_and_unusual_items_decode_alike() {
        // ASCII items take the direct way, an NFD name and an escaped one the long way: the
        // same records, the names in NFC, one notice for the normalised field, and the
        // census of fields over all of them.
        let fetched: Fetched<LembagaMitra> = decode(
            &listing(vec![
                json!({ "lembagaId": "LM-0001", "namaLembaga": "LPK Satu" }),
                json!({ "lembagaId": "LM-0002", "namaLembaga": "LPK Cafe\u{301}" }),
                json!({ "lembagaId": "LM-0003", "namaLembaga": "LPK Caf\u{e9}", "pengalamanTahun": 2 }),
            ]),
            Endpoint::LembagaMitra,
        );
        assert!(fetched.issues.is_empty(), "{:?}", fetched.issues);
        let names: Vec<_> = fetched
            .items
            .iter()
            .map(|l| l.nama_lembaga.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["LPK Satu", "LPK Caf\u{e9}", "LPK Caf\u{e9}"]);
        let codes: Vec<_> = fetched.notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["TEXT_NORMALIZED_NFC"]);
        assert!(fetched.present.contains("pengalamanTahun"));
        let escaped = r#"{"lembagaId":"LM-0004","namaLembaga":"LPK Cafe\u0301"}"#;
        let listing = Listing {
            items: crate::page::Items::from_texts([escaped]),
            total: 1,
            ..Listing::default()
        };
        let fetched: Fetched<LembagaMitra> = decode(&listing, Endpoint::LembagaMitra);
        assert_eq!(
            fetched.items[0].nama_lembaga.as_deref(),
            Some("LPK Caf\u{e9}")
        );
    }

    #[test]
    fn an_id_is_peeked_at_only_when_it_is_plain() {
        let field = IdField::new("lembagaId");
        let peek = |text: &str| peek_id(text, &field).map(Cow::into_owned);
        assert_eq!(
            peek(r#"{"a":{"lembagaId":"x"},"lembagaId":"LM-0001","b":[1]}"#).as_deref(),
            Some("LM-0001")
        );
        assert_eq!(peek(r#"{"lembagaId":7}"#), None);
        assert_eq!(
            peek(r#"{"lembagaId":"LM-0001","lembagaId":"LM-0002"}"#),
            None
        );
        assert_eq!(peek(r#"{"namaLembaga":"x"}"#), None);
        assert_eq!(peek(r#"["LM-0001"]"#), None);
        // Read without parsing only when that is sure to give the parse's answer.
        let planted = [
            r#"{"lembagaId":"LM-0001","namaLembaga":"x"}"#,
            r#"{"lembagaId":"LM-0001"}"#,
            r#"{"lembagaId":"LM-0001","lembagaId":"LM-0002"}"#,
            r#"{"lembagaId":"LM-0001","alamat":{"lembagaId":"LM-0002"}}"#,
            r#"{"lembagaId":"LM-0001","catatan":"lembagaId"}"#,
            r#"{"lembagaId":"LM-0001","lemb\u0061gaId":"LM-0002"}"#,
            r#"{"lembagaId":"LM-\"0001","b":1}"#,
            r#"{"lembagaId":"","b":1}"#,
            r#"{"lembagaId":"LM-0001","b":"x\"lembagaId\"y"}"#,
            r#"{"lembagaIdLama":"LM-0009","lembagaId":"LM-0001"}"#,
            r#"{"lembagaId":"LM-0001","lembagaIdLama":"LM-0009"}"#,
            r#"{"lembagaId":"LM-Ø001"}"#,
            r#"{ "lembagaId":"LM-0001"}"#,
            r#"{"lembagaId":null}"#,
            r#"{"alamat":{"lembagaId":"LM-0002"}}"#,
            r#"{"a":[{"b":"}"}],"lembagaId":"LM-0001"}"#,
            r#"{"a":"{","lembagaId":"LM-0001"}"#,
            r#"{"a":["lembagaId"],"lembagaId":"LM-0001"}"#,
            r#"{"zz":1,"lembagaId":"LM-0003","alamat":{"x":"y"}}"#,
            // The id late in the item: its depth is counted from the end.
            r#"{"a":{"b":{"c":[1,{"d":"]}"}]}},"e":"{[","lembagaId":"LM-0004","z":{"q":["]"]}}"#,
            r#"{"a":1,"b":2,"c":3,"d":"xxxxxxxx","e":{"lembagaId":"LM-0005"}}"#,
            r#"{"a":"xxxxxxxxxxxxxxxx","b":[{"c":{}}],"lembagaId":"LM-0006"}"#,
            r#"{"a":"xxxxxxxxxxxxxxxx","b":[{"c":{}}],"d":[{"lembagaId":"LM-0007"}]}"#,
            r#"["LM-0001",{"lembagaId":"LM-0002"}]"#,
            r#"{"lembagaId":{"lembagaId":"LM-0002"}}"#,
            r#"{"lembagaId":"LM-0001","x":"\n"}"#,
        ];
        for text in planted {
            if let Some(fast) = peek_plain(text, &field) {
                let fast = Some(fast.to_owned()).filter(|id| id.is_ascii());
                assert_eq!(fast, peek_parsed(text, "lembagaId"), "{text}");
            }
            assert_eq!(peek(text), peek_parsed(text, "lembagaId"), "{text}");
        }
        // The page split reads the same ids in passing, or leaves an item with an escape to
        // the parse.
        for text in planted {
            let body = format!(
                r#"{{"data":[{text}],"meta":{{"page":1,"perPage":1,"total":1,"totalPages":1}}}}"#
            );
            let page = crate::page::Page::split(body.as_bytes(), Some("lembagaId")).unwrap();
            let peeked = page.data.peeked_ids("lembagaId").unwrap().next().unwrap();
            match peeked {
                PeekedId::Id(id) => assert_eq!(
                    Some(id.to_owned()),
                    peek_parsed(text, "lembagaId"),
                    "{text}"
                ),
                PeekedId::None => assert_eq!(peek_parsed(text, "lembagaId"), None, "{text}"),
                PeekedId::Unsure => assert!(text.contains('\\'), "{text}"),
            }
        }
        let plain = |text: &'static str| peek_plain(text, &field);
        assert_eq!(
            plain(r#"{"a":1,"lembagaId":"LM-0001","lembagaIdLama":"LM-0009"}"#),
            Some("LM-0001")
        );
        assert_eq!(
            plain(r#"{"a":[{"b":"}"}],"lembagaId":"LM-0001"}"#),
            Some("LM-0001")
        );
        assert_eq!(plain(r#"{"a":"{","lembagaId":"LM-0001"}"#), Some("LM-0001"));
        assert_eq!(
            plain(
                r#"{"a":{"b":{"c":[1,{"d":"]}"}]}},"e":"{[","lembagaId":"LM-0004","z":{"q":["]"]}}"#
            ),
            Some("LM-0004")
        );
        assert_eq!(
            plain(r#"{"a":"xxxxxxxxxxxxxxxx","b":[{"c":{}}],"lembagaId":"LM-0006"}"#),
            Some("LM-0006")
        );
        assert_eq!(
            plain(r#"{"a":1,"b":2,"c":3,"d":"xxxxxxxx","e":{"lembagaId":"LM-0005"}}"#),
            None
        );
        assert_eq!(
            plain(r#"{"a":"xxxxxxxxxxxxxxxx","b":[{"c":{}}],"d":[{"lembagaId":"LM-0007"}]}"#),
            None
        );
        // Given twice, nested, escaped somewhere, spaced: parsed instead.
        assert_eq!(
            plain(r#"{"lembagaId":"LM-0001","lembagaId":"LM-0002"}"#),
            None
        );
        assert_eq!(plain(r#"{"alamat":{"lembagaId":"LM-0002"}}"#), None);
        assert_eq!(
            plain(r#"{"lembagaId":"LM-0001","lemb\u0061gaId":"x"}"#),
            None
        );
        assert_eq!(plain(r#"{"lembagaId": "LM-0001"}"#), None);
        // Not decoded only when the id is readable and elsewhere: the others are decoded.
        let only = BTreeSet::from(["LM-0002".to_owned()]);
        let fetched: Fetched<LembagaMitra> = decode_only(
            &listing(vec![
                json!({ "lembagaId": "LM-0001" }),
                json!({ "lembagaId": "LM-0002" }),
                json!({ "lembagaId": 3 }),
            ]),
            Endpoint::LembagaMitra,
            Some(&only),
            &Pushdown::default(),
        );
        assert_eq!(fetched.items.len(), 1);
        assert_eq!(fetched.issues.len(), 1, "the unreadable one is reported");
    }

    #[test]
    fn the_page_split_reads_the_ids_a_parse_reads_in_mutated_items() {
        use rand::{Rng, SeedableRng};
        let base = r#"{"data":[{"alamat":{"lembagaId":"LM-0009"},"lembagaId":"LM-0001","nama":"x"},{"lembagaId":"LM-0002","b":["lembagaId"]},{"catatan":"lembagaId","lembagaId":"LM-0003"}],"meta":{"page":1,"perPage":3,"total":3,"totalPages":1}}"#;
        let alphabet = b"{}[]\":,\\ lembagaId0-x\xc3\x98";
        let mut rng = rand::rngs::StdRng::seed_from_u64(23);
        let (mut ids, mut pages) = (0, 0);
        for _ in 0..20_000 {
            let mut body = base.as_bytes().to_vec();
            for _ in 0..rng.random_range(1..=2) {
                let at = rng.random_range(0..body.len());
                let byte = alphabet[rng.random_range(0..alphabet.len())];
                match rng.random_range(0..3) {
                    0 => body[at] = byte,
                    1 => {
                        body.remove(at);
                    }
                    _ => body.insert(at, byte),
                }
            }
            let Ok(page) = crate::page::Page::split(&body, Some("lembagaId")) else {
                continue;
            };
            pages += 1;
            for (text, peeked) in page
                .data
                .iter()
                .zip(page.data.peeked_ids("lembagaId").unwrap())
            {
                let parsed = peek_parsed(text, "lembagaId");
                match peeked {
                    PeekedId::Id(id) => {
                        ids += 1;
                        assert_eq!(Some(id.to_owned()), parsed, "{text}");
                    }
                    PeekedId::None => assert_eq!(parsed, None, "{text}"),
                    PeekedId::Unsure => assert!(text.contains('\\'), "{text}"),
                }
            }
        }
        assert!(
            pages > 2_000 && ids > 5_000,
            "{pages} pages, {ids} ids read"
        );
    }

    #[test]
    fn a_lists_ids_are_peeked_once_and_kept_for_its_field() {
        let listing = listing(vec![
            json!({ "lembagaId": "LM-0001", "namaLembaga": "x" }),
            json!({ "namaLembaga": "no id" }),
            json!({ "lembagaId": "LM-0002" }),
        ]);
        let ids = item_ids(&listing, "lembagaId");
        assert_eq!(
            ids.as_ref(),
            [Some("LM-0001".to_owned()), None, Some("LM-0002".to_owned())]
        );
        assert!(matches!(ids, Cow::Borrowed(_)), "kept with the list");
        assert_eq!(
            listing.ids.get().map(|(f, _)| f.as_str()),
            Some("lembagaId")
        );
        // Another field's ids are peeked anew, not taken from the kept ones.
        let other = item_ids(&listing, "namaLembaga");
        assert!(matches!(other, Cow::Owned(_)));
        assert_eq!(other[1].as_deref(), Some("no id"));
        // A decode that narrows by id uses the kept ones and keeps the same items.
        let only = BTreeSet::from(["LM-0002".to_owned()]);
        let fetched: Fetched<LembagaMitra> = decode_only(
            &listing,
            Endpoint::LembagaMitra,
            Some(&only),
            &Pushdown::default(),
        );
        assert_eq!(fetched.items.len(), 1);
        assert_eq!(fetched.items[0].lembaga_id, "LM-0002");
        assert_eq!(
            fetched.issues.len(),
            1,
            "the item without an id is decoded and rejected"
        );
    }

    #[test]
    fn unknown_fields_are_noted_once_per_endpoint() {
        let fetched: Fetched<LembagaMitra> = decode(
            &listing(vec![
                json!({ "lembagaId": "LM-0001", "akreditasi": "A" }),
                json!({ "lembagaId": "LM-0002", "akreditasi": "B" }),
            ]),
            Endpoint::LembagaMitra,
        );
        assert_eq!(fetched.items.len(), 2);
        assert_eq!(fetched.notices.len(), 1, "{:?}", fetched.notices);
        assert_eq!(fetched.notices[0].code, "UNKNOWN_FIELD_IGNORED");
        assert_eq!(fetched.notices[0].key.as_deref(), Some("akreditasi"));
    }
}
