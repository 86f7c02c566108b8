//! Social-security memberships looked up by KPJ: every provider whose manifest declares
//! `memberships` is asked (today BPJAMSOSTEK, which asks the agency's API), together; the
//! first that knows the KPJ answers. The KPJ goes nowhere else: not into logs, traces or
//! error messages.

use std::sync::Arc;

use async_graphql::futures_util::future::join_all;
use simpul_schema::{
    AdapterRequest, AdapterResponse, Collection, MembershipRequest, SocialSecurityMembership,
};

use super::{failure, CallLog, CallRecord, Engine, ProviderFailure};

/// The answer to a membership lookup.
#[derive(Debug, Default)]
pub struct MembershipLookup {
    /// The membership and the provider that knew it, if one did.
    pub found: Option<(Arc<str>, SocialSecurityMembership)>,
    /// Providers asked (those that declare lookups).
    pub asked: usize,
    /// Providers that failed to answer.
    pub failures: Vec<ProviderFailure>,
}

impl Engine {
    /// Look up the membership of `kpj` at every provider that declares membership lookups.
    pub async fn membership(&self, kpj: &str, log: &CallLog) -> MembershipLookup {
        let providers: Vec<_> = self
            .host
            .providers()
            .iter()
            .filter(|p| p.looks_up_memberships())
            .collect();
        let calls = providers.iter().map(|provider| async move {
            let request = AdapterRequest::Membership(MembershipRequest {
                kpj: kpj.to_owned(),
            });
            let started = std::time::Instant::now();
            let answer = provider.call(&request).await;
            let mut call = CallRecord {
                // Traces name a collection per call; a membership is about a participant.
                collection: Collection::Participants,
                kind: "membership",
                filter_pushed: true,
                order_pushed: true,
                limit: Some(1),
                personal_data: true,
                fields: None,
                records: 0,
                micros: started.elapsed().as_micros() as u64,
                error: None,
            };
            let result = match answer {
                Ok(AdapterResponse::Membership(found)) => Ok(found.membership),
                Ok(_) => Err(ProviderFailure {
                    provider: provider.key.clone(),
                    code: "PROVIDER_ERROR",
                    message: "the adapter answered a membership lookup with another kind of \
                              response"
                        .into(),
                }),
                Err(e) => Err(failure(&provider.key, e)),
            };
            match &result {
                Ok(found) => call.records = usize::from(found.is_some()),
                Err(f) => call.error = Some(f.code),
            }
            log.record(&provider.key, call);
            (Arc::<str>::from(provider.key.as_str()), result)
        });
        let mut lookup = MembershipLookup {
            asked: providers.len(),
            ..Default::default()
        };
        for (provider, result) in join_all(calls).await {
            match result {
                Ok(Some(membership)) if lookup.found.is_none() => {
                    lookup.found = Some((provider, membership));
                }
                Ok(_) => {}
                Err(failure) => lookup.failures.push(failure),
            }
        }
        lookup
    }
}
