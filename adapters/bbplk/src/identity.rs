//! People across providers: each participant's person key (the keyed hash of its valid NIK,
//! [`PersonKeys`]), and the index that turns a `personKey` filter into a condition on the NIK
//! column, so lookups by person still run as one SQL statement.
//!
//! The index maps person keys to trimmed NIKs. It is built on the first `personKey` filter by
//! reading the NIK column alone, and rebuilt when older than [`INDEX_TTL`] (the database has
//! no change feed). It never leaves the adapter. Beside it, the NIKs several rows share
//! ([`SharedNiks`], for the duplicate-NIK warning) are kept the same way, so that a page of
//! participants does not group the whole table again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Statement};
use simpul_schema::filter::FieldValue;
use simpul_schema::identity::{Nik, PersonKeys};
use simpul_schema::{CompareOp, Filter, Literal};
use tokio::sync::Mutex;

use crate::error::BbplkError;
use crate::query::dialect::Dialect;

/// How long an index of person keys is trusted before it is rebuilt.
pub const INDEX_TTL: Duration = Duration::from_secs(60);

/// Person key → trimmed NIK.
type Index = Arc<HashMap<String, String>>;

/// The trimmed NIKs that more than one `peserta` row holds: each such row is served with a
/// `DUPLICATE_NIK_IN_PROVIDER` warning.
pub type SharedNiks = HashSet<String>;

/// Person keys for this source, when the gateway gave an identity secret.
#[derive(Debug)]
pub struct PersonIndex {
    keys: Option<PersonKeys>,
    index: Mutex<Option<(Instant, Index)>>,
    shared: Mutex<Option<(Instant, Arc<SharedNiks>)>>,
}

#[derive(Debug, FromQueryResult)]
struct NikRow {
    nik: Option<String>,
}

impl PersonIndex {
    /// An index under `secret` (none: participants carry no person key).
    pub fn new(secret: Option<&str>) -> Self {
        Self {
            keys: secret.map(PersonKeys::new),
            index: Mutex::new(None),
            shared: Mutex::new(None),
        }
    }

    /// The keys, for mapping rows.
    pub fn keys(&self) -> Option<&PersonKeys> {
        self.keys.as_ref()
    }

    /// Whether `filter` compares `personKey`.
    pub fn mentions(filter: &Filter) -> bool {
        match filter {
            Filter::And(parts) | Filter::Or(parts) => parts.iter().any(Self::mentions),
            Filter::Not(inner) => Self::mentions(inner),
            Filter::Compare { field, .. } => field == "personKey",
            Filter::Related { .. } => false,
        }
    }

    /// `filter` with every `personKey` comparison turned into one on the trimmed NIK
    /// (`nikKey`) or on `nikValid`, with the same answers.
    ///
    /// # Errors
    /// [`BbplkError::BadRequest`] for a literal the operator cannot take; database errors
    /// while indexing.
    pub async fn rewrite(
        &self,
        db: &DatabaseConnection,
        filter: &Filter,
    ) -> Result<Filter, BbplkError> {
        let index = match &self.keys {
            Some(_) => Some(self.index(db).await?),
            None => None,
        };
        rewrite(filter, index.as_deref())
    }

    /// The NIKs several rows share, read with one grouped scan and kept for [`INDEX_TTL`].
    ///
    /// # Errors
    /// Database errors.
    pub async fn shared_niks(
        &self,
        db: &impl ConnectionTrait,
        d: Dialect,
    ) -> Result<Arc<SharedNiks>, BbplkError> {
        let mut slot = self.shared.lock().await;
        if let Some((built, shared)) = slot.as_ref() {
            if built.elapsed() < INDEX_TTL {
                return Ok(Arc::clone(shared));
            }
        }
        let shared = Arc::new(read_shared_niks(db, d).await?);
        *slot = Some((Instant::now(), Arc::clone(&shared)));
        Ok(shared)
    }

    async fn index(
        &self,
        db: &DatabaseConnection,
    ) -> Result<Arc<HashMap<String, String>>, BbplkError> {
        let mut slot = self.index.lock().await;
        if let Some((built, index)) = slot.as_ref() {
            if built.elapsed() < INDEX_TTL {
                return Ok(Arc::clone(index));
            }
        }
        let keys = self.keys.as_ref().expect("indexing needs keys");
        let backend = db.get_database_backend();
        let statement = Statement::from_string(
            backend,
            "SELECT DISTINCT TRIM(nik) AS nik FROM peserta WHERE nik IS NOT NULL",
        );
        let rows = NikRow::find_by_statement(statement)
            .all(db)
            .await
            .map_err(|e| BbplkError::db("the person-key index", &e))?;
        let index: HashMap<String, String> = rows
            .into_iter()
            .filter_map(|r| r.nik)
            .filter_map(|raw| Nik::parse(&raw).ok())
            .map(|nik| (keys.person_key(&nik), nik.as_str().to_owned()))
            .collect();
        let index = Arc::new(index);
        *slot = Some((Instant::now(), Arc::clone(&index)));
        Ok(index)
    }
}

/// The NIKs several rows share, read now (one grouped scan of `peserta`).
///
/// # Errors
/// Database errors.
pub async fn read_shared_niks(
    db: &impl ConnectionTrait,
    d: Dialect,
) -> Result<SharedNiks, BbplkError> {
    let statement = d.backend().build(&crate::query::plans::shared_niks(d));
    let rows = NikRow::find_by_statement(statement)
        .all(db)
        .await
        .map_err(|e| BbplkError::db("the NIKs several participants share", &e))?;
    Ok(rows.into_iter().filter_map(|r| r.nik).collect())
}

/// Never holds (`Or([])`); always holds (`And([])`).
fn constant(holds: bool) -> Filter {
    if holds {
        Filter::And(Vec::new())
    } else {
        Filter::Or(Vec::new())
    }
}

fn rewrite(filter: &Filter, index: Option<&HashMap<String, String>>) -> Result<Filter, BbplkError> {
    Ok(match filter {
        Filter::And(parts) => Filter::And(
            parts
                .iter()
                .map(|p| rewrite(p, index))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Or(parts) => Filter::Or(
            parts
                .iter()
                .map(|p| rewrite(p, index))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Not(inner) => Filter::Not(Box::new(rewrite(inner, index)?)),
        Filter::Compare { field, op, value } if field == "personKey" => {
            person_condition(*op, value, index)?
        }
        other => other.clone(),
    })
}

/// One comparison on `personKey` as a condition on the NIK. The index holds every valid NIK,
/// so evaluating the comparison (with the reference semantics) on each key splits the NIKs
/// exactly into those whose key matches and the rest; the condition names the smaller side.
/// A row without a valid NIK has no person key, so no comparison but `_is_null: true` holds.
fn person_condition(
    op: CompareOp,
    value: &Literal,
    index: Option<&HashMap<String, String>>,
) -> Result<Filter, BbplkError> {
    if op == CompareOp::IsNull {
        let Literal::Bool(null) = value else {
            return Err(BbplkError::BadRequest("`_is_null` takes a boolean".into()));
        };
        return Ok(match index {
            Some(_) => Filter::compare("nikValid", CompareOp::Eq, !null),
            None => constant(*null),
        });
    }
    let Some(index) = index else {
        return Ok(constant(false));
    };
    let comparison = Filter::compare("personKey", op, value.clone());
    let (mut matching, mut other) = (Vec::new(), Vec::new());
    for (key, nik) in index {
        let holds = simpul_schema::filter::matches_with(&comparison, &|_| {
            Some(FieldValue::Text(key.clone()))
        })
        .map_err(|e| BbplkError::BadRequest(e.to_string()))?;
        if holds {
            matching.push(Literal::Text(nik.clone()));
        } else {
            other.push(Literal::Text(nik.clone()));
        }
    }
    // Sorted, so the same request makes the same statement.
    let sort = |v: &mut Vec<Literal>| v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    Ok(if matching.is_empty() {
        constant(false)
    } else if matching.len() <= other.len() {
        sort(&mut matching);
        Filter::compare("nikKey", CompareOp::In, Literal::List(matching))
    } else if other.is_empty() {
        Filter::compare("nikValid", CompareOp::Eq, true)
    } else {
        sort(&mut other);
        Filter::And(vec![
            Filter::compare("nikValid", CompareOp::Eq, true),
            Filter::Not(Box::new(Filter::compare(
                "nikKey",
                CompareOp::In,
                Literal::List(other),
            ))),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_keys_become_nik_conditions() {
        let index: HashMap<String, String> = [
            ("k1".to_owned(), "3602141708949504".to_owned()),
            ("k3".to_owned(), "3602141708949505".to_owned()),
        ]
        .into();
        let f = Filter::compare(
            "personKey",
            CompareOp::In,
            Literal::List(vec!["k1".into(), "k2".into()]),
        );
        assert_eq!(
            rewrite(&f, Some(&index)).unwrap(),
            Filter::compare(
                "nikKey",
                CompareOp::In,
                Literal::List(vec!["3602141708949504".into()])
            )
        );
        assert_eq!(
            rewrite(
                &Filter::compare("personKey", CompareOp::Eq, "k2"),
                Some(&index)
            )
            .unwrap(),
            constant(false)
        );
        assert_eq!(
            rewrite(&Filter::compare("personKey", CompareOp::Eq, "k1"), None).unwrap(),
            constant(false)
        );
        let neq = rewrite(
            &Filter::compare("personKey", CompareOp::Neq, "k2"),
            Some(&index),
        );
        assert_eq!(
            neq.unwrap(),
            Filter::compare("nikValid", CompareOp::Eq, true),
            "every key differs"
        );
        let like = rewrite(
            &Filter::compare("personKey", CompareOp::Like, "k%"),
            Some(&index),
        );
        assert_eq!(
            like.unwrap(),
            Filter::compare("nikValid", CompareOp::Eq, true),
            "every key matches"
        );
        let bad = rewrite(
            &Filter::compare("personKey", CompareOp::Like, 3_i64),
            Some(&index),
        );
        assert!(bad.is_err(), "a pattern must be text");
        assert!(PersonIndex::mentions(&Filter::Not(Box::new(f))));
    }
}
