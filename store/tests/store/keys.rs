use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use sha2::{Digest, Sha256};
use simpul_store::entity::api_key;
use simpul_store::{AuthError, Error, NewKey, NewPartner, Principal, Role, Scope, Scopes, Store};

use crate::common::TestDb;

on_both_backends!(
    issue_and_authenticate,
    refused_keys_say_why,
    rules_for_new_keys,
    stored_rows_hold_no_secret,
    last_use_is_recorded_cheaply,
);

async fn partner(store: &Store, provider: &str) -> i64 {
    store
        .partners()
        .create(NewPartner::new(format!("Partner of {provider}"), provider))
        .await
        .expect("create a partner")
        .id
}

async fn issue_and_authenticate(db: &TestDb) {
    let store = &db.store;
    let lebak = partner(store, "spn").await;
    let keys = store.keys();

    let portal = keys
        .create(NewKey::for_partner(lebak, "portal"))
        .await
        .unwrap();
    let analyst = keys
        .create(NewKey::new(Role::Analyst, "dashboard"))
        .await
        .unwrap();
    let admin = keys.create(NewKey::new(Role::Admin, "ops")).await.unwrap();
    let custom = keys
        .create(
            NewKey::new(Role::Analyst, "research")
                .with_scopes("aggregate:read outcome:read".parse().unwrap()),
        )
        .await
        .unwrap();

    assert_eq!(portal.info.role, Role::Partner);
    assert_eq!(portal.info.scopes, Role::Partner.default_scopes());
    assert_eq!(portal.info.partner, Some(lebak));
    let key = portal.secret.expose();
    assert!(key.starts_with(&format!("smp_{}_", portal.info.id)));
    assert_eq!(key.len(), 4 + 8 + 1 + 43);

    let who = keys.authenticate(key).await.unwrap();
    assert_eq!(
        who,
        Principal {
            key_id: Some(portal.info.id.clone()),
            role: Role::Partner,
            scopes: "participant:read enrollment:read".parse().unwrap(),
            partner: Some(lebak),
            provider: Some("spn".into()),
            expires_at: None,
        }
    );
    assert!(who.allows_all(["participant:read"]));
    assert!(!who.allows_all(["participant:read", "pii:read"]));
    assert!(who.may_read_provider("spn") && !who.may_read_provider("bbplk"));

    let who = keys.authenticate(analyst.secret.expose()).await.unwrap();
    assert!(who.has_scope(Scope::AggregateRead) && who.has_scope(Scope::IdentityLink));
    assert!(!who.has_scope(Scope::PiiRead) && !who.has_scope(Scope::ParticipantRead));
    assert!(who.may_read_provider("bbplk") && who.provider.is_none());

    let who = keys.authenticate(admin.secret.expose()).await.unwrap();
    assert!(Scope::ALL.into_iter().all(|s| who.has_scope(s)));

    let who = keys.authenticate(custom.secret.expose()).await.unwrap();
    assert_eq!(who.scopes.to_string(), "outcome:read aggregate:read");

    let anonymous = Principal::anonymous();
    assert!(anonymous.scopes.is_empty() && anonymous.key_id.is_none());

    // Listing shows every key, oldest first, and nothing secret.
    let listed = keys.list().await.unwrap();
    let ids: Vec<_> = listed.iter().map(|k| k.id.as_str()).collect();
    let mut created = vec![&portal, &analyst, &admin, &custom];
    created.sort_by_key(|c| (c.info.created_at, c.info.id.clone()));
    let created_ids: Vec<_> = created.iter().map(|c| c.info.id.as_str()).collect();
    assert_eq!(ids, created_ids);
    let json = serde_json::to_string(&listed).unwrap();
    for c in &created {
        let key = c.secret.expose();
        assert!(!json.contains(&key[13..]), "a listing shows a secret");
        assert!(!json.contains(&hex_sha256(key)), "a listing shows a hash");
    }
    assert_eq!(keys.get(&portal.info.id).await.unwrap().label, "portal");
}

async fn refused_keys_say_why(db: &TestDb) {
    let keys = db.store.keys();
    let revoked = keys
        .create(NewKey::new(Role::Analyst, "old"))
        .await
        .unwrap();
    let expiring = keys
        .create(NewKey::new(Role::Analyst, "temp").expiring(Utc::now() + Duration::hours(1)))
        .await
        .unwrap();
    let good = keys
        .create(NewKey::new(Role::Analyst, "good"))
        .await
        .unwrap();

    let info = keys.revoke(&revoked.info.id).await.unwrap();
    let first = info.revoked_at.expect("revoked_at is set");
    let again = keys.revoke(&revoked.info.id).await.unwrap();
    assert_eq!(
        again.revoked_at,
        Some(first),
        "revoking twice keeps the first time"
    );
    assert!(matches!(
        keys.authenticate(revoked.secret.expose()).await,
        Err(AuthError::Revoked)
    ));

    // Let the hour pass: move the expiry into the past.
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(api_key::Column::Id.eq(&expiring.info.id))
        .exec(db.store.db())
        .await
        .unwrap();
    assert!(matches!(
        keys.authenticate(expiring.secret.expose()).await,
        Err(AuthError::Expired)
    ));

    // The right id with another secret, an id that does not exist, and garbage.
    let good_key = good.secret.expose();
    let last = if good_key.ends_with('A') { "Q" } else { "A" };
    let wrong_secret = format!("{}{last}", &good_key[..good_key.len() - 1]);
    let unknown_id = format!("smp_zzzzzzzz{}", &good_key[12..]);
    let cases = [
        (wrong_secret.as_str(), "unknown"),
        (unknown_id.as_str(), "unknown"),
        ("smp_short", "malformed"),
        ("", "malformed"),
        ("Bearer smp_abc", "malformed"),
    ];
    for (presented, why) in cases {
        let err = keys.authenticate(presented).await.unwrap_err();
        let kind = match err {
            AuthError::Unknown => "unknown",
            AuthError::Malformed => "malformed",
            ref other => panic!("{presented:?}: {other}"),
        };
        assert_eq!(kind, why, "{presented:?}");
        if presented.len() > 4 {
            assert!(
                !err.to_string().contains(&presented[4..]),
                "{err} echoes the key"
            );
        }
    }
    // A revoked key's error says nothing to a wrong secret for it.
    let wrong_revoked = format!("smp_{}{}", revoked.info.id, &good_key[12..]);
    assert!(matches!(
        keys.authenticate(&wrong_revoked).await,
        Err(AuthError::Unknown)
    ));
    assert!(keys.authenticate(good_key).await.is_ok());
}

async fn rules_for_new_keys(db: &TestDb) {
    let keys = db.store.keys();
    let invalid = |r: Result<_, Error>, what: &str| match r {
        Err(Error::Invalid { what: w, .. }) => assert_eq!(w, what),
        Err(e) => panic!("{what}: {e}"),
        Ok(_) => panic!("{what}: accepted"),
    };
    invalid(
        keys.create(NewKey::new(Role::Partner, "no partner")).await,
        "key",
    );
    invalid(
        keys.create(
            NewKey::new(Role::Anonymous, "public")
                .with_scopes(Scopes::from_iter([Scope::ParticipantRead])),
        )
        .await,
        "scopes",
    );
    invalid(
        keys.create(
            NewKey::new(Role::Analyst, "sneaky").with_scopes(Scopes::from_iter([Scope::Admin])),
        )
        .await,
        "scopes",
    );
    invalid(
        keys.create(NewKey::new(Role::Admin, "late").expiring(Utc::now() - Duration::seconds(5)))
            .await,
        "expires_at",
    );
    invalid(
        keys.create(NewKey::new(Role::Admin, "x".repeat(201))).await,
        "label",
    );
    assert!(matches!(
        keys.create(NewKey::for_partner(999_999, "ghost")).await,
        Err(Error::NotFound {
            what: "partner",
            ..
        })
    ));
    assert!(matches!(
        keys.revoke("nokey123").await,
        Err(Error::NotFound {
            what: "api key",
            ..
        })
    ));
    assert!(matches!(
        db.store
            .partners()
            .create(NewPartner::new("Bad", "SPN!"))
            .await,
        Err(Error::Invalid { .. })
    ));
    // Anonymous keys exist (to identify a public client) and hold nothing.
    let public = keys
        .create(NewKey::new(Role::Anonymous, "kiosk"))
        .await
        .unwrap();
    let who = keys.authenticate(public.secret.expose()).await.unwrap();
    assert!(who.scopes.is_empty());
    assert!(
        keys.list().await.unwrap().len() == 1,
        "refused keys were not stored"
    );
}

async fn stored_rows_hold_no_secret(db: &TestDb) {
    let store = &db.store;
    let lebak = partner(store, "spn").await;
    let created = [
        store
            .keys()
            .create(NewKey::for_partner(lebak, "portal"))
            .await
            .unwrap(),
        store
            .keys()
            .create(NewKey::new(Role::Admin, "ops"))
            .await
            .unwrap(),
    ];
    // Read the table as text, bypassing the entity.
    let sql = "SELECT id, role, scopes, label, secret_hash, \
               CAST(partner_id AS TEXT) AS partner_id, CAST(created_at AS TEXT) AS created_at \
               FROM api_key ORDER BY id";
    let backend = store.db().get_database_backend();
    let rows = store
        .db()
        .query_all(Statement::from_string(backend, sql))
        .await
        .unwrap();
    assert_eq!(rows.len(), created.len());
    let columns = [
        "id",
        "role",
        "scopes",
        "label",
        "secret_hash",
        "partner_id",
        "created_at",
    ];
    let mut table = String::new();
    for row in &rows {
        for column in columns {
            let value: Option<String> = row.try_get("", column).unwrap();
            table.push_str(&value.unwrap_or_default());
            table.push('\n');
        }
    }
    for c in &created {
        let key = c.secret.expose();
        let secret = &key[13..];
        assert!(!table.contains(secret), "the table holds a clear secret");
        assert!(
            table.contains(&hex_sha256(key)),
            "the table holds the key's SHA-256"
        );
    }
    // And on SQLite, not anywhere in the file either.
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap();
        let bytes = std::fs::read(path).unwrap();
        for c in &created {
            let secret = &c.secret.expose().as_bytes()[13..];
            assert!(!bytes.windows(secret.len()).any(|w| w == secret));
        }
    }
}

async fn last_use_is_recorded_cheaply(db: &TestDb) {
    let keys = db.store.keys();
    let created = keys.create(NewKey::new(Role::Analyst, "x")).await.unwrap();
    assert_eq!(created.info.last_used_at, None);
    keys.authenticate(created.secret.expose()).await.unwrap();
    let first = keys.get(&created.info.id).await.unwrap().last_used_at;
    assert!(first.is_some());
    keys.authenticate(created.secret.expose()).await.unwrap();
    let second = keys.get(&created.info.id).await.unwrap().last_used_at;
    assert_eq!(first, second, "not rewritten within a minute");
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
