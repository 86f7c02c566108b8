//! Security promises the README makes that had no test of their own (issue 13, part 1), each
//! against a real gateway, each able to fail: where a promise is "never X", the test also
//! shows that it can see X (a control in the same test: the admin's request that does ask for
//! personal data, the flaky provider whose retries the same metric counts, the audit log
//! before it breaks), and each was run once against a gateway broken on purpose
//! (`SIMPUL_TEST_ARTIFACTS=<dir>` with the broken `simpul` beside the plugins) to see it fail.
//!
//! | module | promise |
//! |---|---|
//! | `audit` | the response is withheld (`AUDIT_UNAVAILABLE`) when its audit row cannot be written; the row names the request id and the operation's hash |
//! | `personal_data` | without `pii:read` a personal field is `FORBIDDEN` and no adapter is asked for personal data; `pii:specific` fields need more than `pii:read` |
//! | `lookup` | `personByNik` with a variable, end to end, audited |
//! | `limits` | the request timeout (504 `REQUEST_TIMEOUT`) and the complexity limit (`LIMIT_EXCEEDED`) |
//! | `retries` | a panic is never retried |
//!
//! Run them alone with `cargo nextest run -p simpul-tests --test promises`.

#[path = "promises/audit.rs"]
mod audit;
#[path = "attacks/common.rs"]
mod common;
#[path = "promises/limits.rs"]
mod limits;
#[path = "promises/lookup.rs"]
mod lookup;
#[path = "promises/personal_data.rs"]
mod personal_data;
#[path = "promises/retries.rs"]
mod retries;
