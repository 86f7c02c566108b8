//! Test helpers: the simulator on loopback with the crate's synthetic demo data, adapter configs
//! with fast backoff, and typed access to query answers. Every person here is synthetic.
#![allow(dead_code)]

use simpul_adapter_bpjamsostek::identity::ParticipantKeys;
use simpul_adapter_bpjamsostek::{BpjamsostekAdapter, BpjamsostekConfig, Error};
use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_schema::{
    Collection, Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant,
    Partnership, QueryRequest, Records, TrainingCenter,
};

/// Keys of the demo data (`api_keys.json`).
pub const FULL: &str = "sim-full-demo-96000001";
pub const LIMITED: &str = "sim-limited-demo-96000002";
pub const CATALOG: &str = "sim-catalog-demo-96000003";
pub const REVOKED: &str = "sim-revoked-demo-96000004";

/// The identity secret of the tests.
pub const SECRET: &str = "test-identity-secret-0001";

/// A simulator serving the demo data.
pub async fn simulator() -> Simulator {
    Simulator::start(SimulatorData::demo())
        .await
        .expect("start the simulator")
}

/// A config for `sim` with `key`, short backoff (10 ms base) and caching on.
pub fn config(sim: &Simulator, key: &str) -> BpjamsostekConfig {
    let mut c = BpjamsostekConfig::new(sim.base_url(), key, SECRET);
    c.backoff_base_ms = 10;
    c
}

/// An adapter for `sim` with `key`.
pub fn adapter(sim: &Simulator, key: &str) -> BpjamsostekAdapter {
    BpjamsostekAdapter::new(config(sim, key)).expect("valid config")
}

/// The participant key of a KPJ under [`SECRET`].
pub fn key_of(kpj: &str) -> String {
    ParticipantKeys::new(SECRET)
        .for_kpj(kpj)
        .expect("a valid KPJ")
}

/// Every record of a collection, personal data included.
pub async fn all(adapter: &BpjamsostekAdapter, collection: Collection) -> Result<Records, Error> {
    let mut request = QueryRequest::all(collection);
    request.include_pii = true;
    adapter.query(&request).await.map(|r| r.records)
}

macro_rules! getter {
    ($name:ident, $variant:ident, $ty:ty) => {
        /// Every record of the collection (personal data included); panics on an error.
        pub async fn $name(adapter: &BpjamsostekAdapter) -> Vec<$ty> {
            match all(adapter, Collection::$variant).await {
                Ok(Records::$variant(r)) => r,
                other => panic!("unexpected answer: {other:?}"),
            }
        }
    };
}

getter!(training_centers, TrainingCenters, TrainingCenter);
getter!(partnerships, Partnerships, Partnership);
getter!(courses, Courses, Course);
getter!(course_runs, CourseRuns, CourseRun);
getter!(participants, Participants, Participant);
getter!(enrollments, Enrollments, Enrollment);
getter!(outcomes, Outcomes, Outcome);
getter!(credential_awards, CredentialAwards, CredentialAward);

/// The record with `source_id` `id`.
pub fn find<'a, T>(records: &'a [T], id: &str, source_id: impl Fn(&T) -> &str) -> &'a T {
    records
        .iter()
        .find(|r| source_id(r) == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

/// The warning codes of a record, in order.
pub fn codes(warnings: &[DataWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Whether `warnings` has one with `code` about `field`.
pub fn has(warnings: &[DataWarning], code: &str, field: &str) -> bool {
    warnings
        .iter()
        .any(|w| w.code == code && w.field.as_deref() == Some(field))
}
