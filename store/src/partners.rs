//! [`Partners`]: the organisations API keys are issued to.
//!
//! ```
//! use simpul_store::{NewPartner, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! let lebak = store.partners().create(NewPartner::new("Disnaker Lebak", "spn")).await?;
//! assert_eq!(store.partners().get(lebak.id).await?.provider, "spn");
//! # Ok::<_, simpul_store::Error>(())
//! # }).unwrap();
//! ```
//!
//! A partner belongs to one provider (its key in global ids: `spn`, `bbplk`, ...). Keys issued
//! to it read that provider's records only.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use crate::entity::partner;
use crate::store::now;
use crate::Error;

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Store-assigned id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The provider key whose records its keys may read.
    pub provider: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// A partner to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPartner {
    /// Display name, not empty.
    pub name: String,
    /// A provider key: lowercase letters, digits, `-` and `_`, at most 64 characters.
    pub provider: String,
}

impl NewPartner {
    /// A partner named `name` of provider `provider`.
    pub fn new(name: impl Into<String>, provider: impl Into<String>) -> Self {
        NewPartner {
            name: name.into(),
            provider: provider.into(),
        }
    }
}

/// Partner administration; from [`crate::Store::partners`].
#[derive(Debug, Clone, Copy)]
pub struct Partners<'a> {
    db: &'a DatabaseConnection,
}

impl<'a> Partners<'a> {
    pub(crate) fn new(db: &'a DatabaseConnection) -> Self {
        Partners { db }
    }

    /// Add a partner.
    pub async fn create(&self, new: NewPartner) -> Result<Partner, Error> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("partner name", "empty"));
        }
        if !is_provider_key(&new.provider) {
            return Err(Error::invalid(
                "provider key",
                "expected 1 to 64 of `a-z`, `0-9`, `-`, `_`",
            ));
        }
        let row = partner::ActiveModel {
            name: Set(name.to_owned()),
            provider: Set(new.provider),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(self.db)
        .await?;
        Ok(row.into())
    }

    /// The partner with `id`.
    pub async fn get(&self, id: i64) -> Result<Partner, Error> {
        partner::Entity::find_by_id(id)
            .one(self.db)
            .await?
            .map(Partner::from)
            .ok_or_else(|| Error::NotFound {
                what: "partner",
                id: id.to_string(),
            })
    }

    /// Every partner, oldest first.
    pub async fn list(&self) -> Result<Vec<Partner>, Error> {
        let rows = partner::Entity::find()
            .order_by_asc(partner::Column::Id)
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(Partner::from).collect())
    }
}

impl From<partner::Model> for Partner {
    fn from(row: partner::Model) -> Self {
        Partner {
            id: row.id,
            name: row.name,
            provider: row.provider,
            created_at: row.created_at,
        }
    }
}

fn is_provider_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'))
}
