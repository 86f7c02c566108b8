//! BBPLK's manifest validates against the published message schema, and the schema and the
//! host's decode agree on every way to break it. (A file of its own: each adapter library
//! exports the same entry symbol, so one test binary links one adapter.)

mod common;

use simpul_plugin::sdk::Adapter;

use common::*;

#[test]
fn the_bbplk_manifest_validates() {
    let manifest = to_json(&simpul_adapter_bbplk::BbplkAdapter::manifest());
    assert_valid(Root::Manifest, "BBPLK's manifest", &manifest);
    assert_schema_agrees_with_serde(&[(Root::Manifest, "BBPLK's manifest".to_owned(), manifest)]);
}
