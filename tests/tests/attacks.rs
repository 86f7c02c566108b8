//! Attacks on the privacy boundary (issue 11), one test per attack, each asserting the safe
//! behaviour against a real gateway on the demo data. Each module names the attack it replays
//! and what the gateway must do instead; the README's "Privacy model" section says which
//! attacks the model resists and where its line is.
//!
//! Run them alone with `cargo nextest run -p simpul-tests --test attacks`.

#[path = "attacks/aggregates.rs"]
mod aggregates;
#[path = "attacks/bounds.rs"]
mod bounds;
#[path = "attacks/breaker.rs"]
mod breaker;
#[path = "attacks/common.rs"]
mod common;
#[path = "attacks/identifiers.rs"]
mod identifiers;
#[path = "attacks/permissions.rs"]
mod permissions;
#[path = "attacks/personal_data.rs"]
mod personal_data;
#[path = "attacks/rate_limits.rs"]
mod rate_limits;
#[path = "attacks/surface.rs"]
mod surface;
