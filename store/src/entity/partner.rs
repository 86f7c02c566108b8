//! `partner`: an organisation API keys are issued to, tied to one provider.
//!
//! ```text
//! partner(id, name, provider, created_at) 1 ── * api_key(partner_id)
//! ```

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Display name, e.g. `Disnaker Kabupaten Lebak`.
    pub name: String,
    /// The provider key whose records the partner's keys may read (`spn`, `bbplk`, ...).
    pub provider: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::api_key::Entity")]
    ApiKey,
}

impl Related<super::api_key::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKey.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
