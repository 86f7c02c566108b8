//! [`Keys`]: issue, list, revoke and check API keys.
//!
//! ```
//! use simpul_store::{AuthError, NewKey, NewPartner, Scope, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! let lebak = store.partners().create(NewPartner::new("Disnaker Lebak", "spn")).await?;
//! let created = store.keys().create(NewKey::for_partner(lebak.id, "portal")).await?;
//!
//! let who = store.keys().authenticate(created.secret.expose()).await?;
//! assert!(who.has_scope(Scope::ParticipantRead));
//! assert_eq!(who.provider.as_deref(), Some("spn"));
//!
//! store.keys().revoke(&created.info.id).await?;
//! let refused = store.keys().authenticate(created.secret.expose()).await;
//! assert!(matches!(refused, Err(AuthError::Revoked)));
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! The key is in [`CreatedKey::secret`] once; the store keeps its SHA-256 (see
//! [`crate::KeySecret`] for the format). [`Keys::authenticate`] finds the row by the key's id,
//! compares hashes in constant time, then checks revocation and expiry, in that order, so
//! only the key's holder learns whether it was revoked.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr,
};
use serde::{Deserialize, Serialize};

use crate::entity::{api_key, partner};
use crate::store::{now, to_micros};
use crate::{secret, AuthError, Error, KeySecret, Role, Scope, Scopes};

/// `last_used_at` is written at most this often per key, so a busy key costs one read per
/// request, not a write.
const TOUCH_EVERY: Duration = Duration::seconds(60);
const MAX_LABEL: usize = 200;

/// A key to issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewKey {
    /// The partner the key is issued to; required for [`Role::Partner`]. A key with a partner
    /// reads that partner's provider only, whatever its role.
    pub partner: Option<i64>,
    /// The role.
    pub role: Role,
    /// Scopes instead of [`Role::default_scopes`]. An anonymous key holds none; only an admin
    /// key may hold `admin`.
    pub scopes: Option<Scopes>,
    /// When the key stops working; `None` for never. Must be in the future.
    pub expires_at: Option<DateTime<Utc>>,
    /// What the key is for, shown in listings (at most 200 characters).
    pub label: String,
}

impl NewKey {
    /// A key of `role` with its default scopes, no partner, no expiry.
    pub fn new(role: Role, label: impl Into<String>) -> Self {
        NewKey {
            partner: None,
            role,
            scopes: None,
            expires_at: None,
            label: label.into(),
        }
    }

    /// A [`Role::Partner`] key of partner `partner`.
    pub fn for_partner(partner: i64, label: impl Into<String>) -> Self {
        NewKey {
            partner: Some(partner),
            ..NewKey::new(Role::Partner, label)
        }
    }

    /// With `scopes` instead of the role's defaults.
    pub fn with_scopes(self, scopes: Scopes) -> Self {
        NewKey {
            scopes: Some(scopes),
            ..self
        }
    }

    /// Expiring at `at`.
    pub fn expiring(self, at: DateTime<Utc>) -> Self {
        NewKey {
            expires_at: Some(at),
            ..self
        }
    }
}

/// What may be shown of a key: everything but the key and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// The public id (the `<id>` in `smp_<id>_<secret>`).
    pub id: String,
    /// The partner it was issued to.
    pub partner: Option<i64>,
    /// Its role.
    pub role: Role,
    /// Its scopes.
    pub scopes: Scopes,
    /// What it is for.
    pub label: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last accepted, to the minute.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A key just issued: its public info and the key itself, which the store cannot show again.
#[derive(Debug, Clone)]
pub struct CreatedKey {
    /// The public info.
    pub info: KeyInfo,
    /// The key to hand over.
    pub secret: KeySecret,
}

/// Who is asking: what [`Keys::authenticate`] makes of an accepted key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The key's id; `None` for [`Principal::anonymous`].
    pub key_id: Option<String>,
    /// The key's role.
    pub role: Role,
    /// The key's scopes.
    pub scopes: Scopes,
    /// The partner the key was issued to.
    pub partner: Option<i64>,
    /// The only provider whose records this principal may read, when the key belongs to a
    /// partner; `None` for all providers.
    pub provider: Option<String>,
    /// When the key stops working.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Principal {
    /// A request without a key: the public catalogue only.
    pub fn anonymous() -> Self {
        Principal {
            key_id: None,
            role: Role::Anonymous,
            scopes: Scopes::none(),
            partner: None,
            provider: None,
            expires_at: None,
        }
    }

    /// Whether the principal holds `scope`.
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }

    /// Whether the principal holds every scope of a `@requiresScope(scopes: [...])`.
    pub fn allows_all<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        self.scopes.allows_all(names)
    }

    /// Whether records of `provider` are visible to this principal (scopes permitting).
    pub fn may_read_provider(&self, provider: &str) -> bool {
        self.provider.as_deref().is_none_or(|own| own == provider)
    }
}

/// API key administration and checks; from [`crate::Store::keys`].
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    db: &'a DatabaseConnection,
}

impl<'a> Keys<'a> {
    pub(crate) fn new(db: &'a DatabaseConnection) -> Self {
        Keys { db }
    }

    /// Issue a key. The returned [`CreatedKey::secret`] is the only copy.
    pub async fn create(&self, new: NewKey) -> Result<CreatedKey, Error> {
        let label = new.label.trim().to_owned();
        if label.chars().count() > MAX_LABEL {
            return Err(Error::invalid("label", "longer than 200 characters"));
        }
        let scopes = new.scopes.unwrap_or_else(|| new.role.default_scopes());
        check_scopes(new.role, &scopes)?;
        match (new.role, new.partner) {
            (Role::Partner, None) => {
                return Err(Error::invalid("key", "a partner key needs a partner"))
            }
            (_, Some(partner)) => {
                crate::Partners::new(self.db).get(partner).await?;
            }
            (_, None) => {}
        }
        let created_at = now();
        let expires_at = new.expires_at.map(to_micros);
        if expires_at.is_some_and(|at| at <= created_at) {
            return Err(Error::invalid("expires_at", "not in the future"));
        }
        // Ids are 8 random characters of 36: a clash is a once-in-a-lifetime event, retried.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let id = secret::new_id()?;
            let key = secret::new_key(&id)?;
            let row = api_key::ActiveModel {
                id: Set(id),
                partner_id: Set(new.partner),
                role: Set(new.role.as_str().to_owned()),
                scopes: Set(scopes.to_string()),
                label: Set(label.clone()),
                secret_hash: Set(secret::key_hash(key.expose())),
                created_at: Set(created_at),
                expires_at: Set(expires_at),
                revoked_at: Set(None),
                last_used_at: Set(None),
            };
            match row.insert(self.db).await {
                Ok(row) => {
                    return Ok(CreatedKey {
                        info: info(row)?,
                        secret: key,
                    })
                }
                Err(e)
                    if attempts < 3
                        && matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Every key, oldest first; no secrets, no hashes.
    pub async fn list(&self) -> Result<Vec<KeyInfo>, Error> {
        let rows = api_key::Entity::find()
            .order_by_asc(api_key::Column::CreatedAt)
            .order_by_asc(api_key::Column::Id)
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(info).collect::<Result<_, _>>()?)
    }

    /// The key with `id`.
    pub async fn get(&self, id: &str) -> Result<KeyInfo, Error> {
        let row = api_key::Entity::find_by_id(id).one(self.db).await?;
        Ok(info(row.ok_or_else(|| not_found(id))?)?)
    }

    /// Revoke the key with `id`; it is refused from now on. Revoking twice keeps the first
    /// time.
    pub async fn revoke(&self, id: &str) -> Result<KeyInfo, Error> {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, Expr::value(now()))
            .filter(api_key::Column::Id.eq(id))
            .filter(api_key::Column::RevokedAt.is_null())
            .exec(self.db)
            .await?;
        self.get(id).await
    }

    /// Check a presented key. Errors never contain the key.
    pub async fn authenticate(&self, presented: &str) -> Result<Principal, AuthError> {
        let id = secret::parse(presented).ok_or(AuthError::Malformed)?;
        let found = api_key::Entity::find_by_id(id)
            .find_also_related(partner::Entity)
            .one(self.db)
            .await?;
        let Some((key, partner)) = found else {
            return Err(AuthError::Unknown);
        };
        if !secret::matches(presented, &key.secret_hash) {
            return Err(AuthError::Unknown);
        }
        if key.revoked_at.is_some() {
            return Err(AuthError::Revoked);
        }
        let now = now();
        if key.expires_at.is_some_and(|at| at <= now) {
            return Err(AuthError::Expired);
        }
        if key.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(id))
                .exec(self.db)
                .await?;
        }
        let info = info(key)?;
        Ok(Principal {
            key_id: Some(info.id),
            role: info.role,
            scopes: info.scopes,
            partner: info.partner,
            provider: partner.map(|p| p.provider),
            expires_at: info.expires_at,
        })
    }
}

fn check_scopes(role: Role, scopes: &Scopes) -> Result<(), Error> {
    if role == Role::Anonymous && !scopes.is_empty() {
        return Err(Error::invalid("scopes", "an anonymous key holds no scope"));
    }
    if role != Role::Admin && scopes.contains(Scope::Admin) {
        return Err(Error::invalid("scopes", "only an admin key holds `admin`"));
    }
    Ok(())
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "api key",
        id: id.to_owned(),
    }
}

/// The public part of a row. A role or scope the code does not know is a broken row.
fn info(row: api_key::Model) -> Result<KeyInfo, DbErr> {
    let broken = |e: Error| DbErr::Custom(format!("api key `{}`: {e}", row.id));
    Ok(KeyInfo {
        role: row.role.parse().map_err(broken)?,
        scopes: row.scopes.parse().map_err(broken)?,
        id: row.id,
        partner: row.partner_id,
        label: row.label,
        created_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
    })
}
