//! The client's address, for per-address rate limits: the TCP peer, or, only when
//! `[rate_limit] trusted_proxy_header` names a header (`x-forwarded-for`), the rightmost
//! address in that header, which is the one the trusted proxy in front of the gateway
//! appended. Entries left of it are whatever the client claimed and are never used; a request
//! without the header (or with an unparsable last entry) falls back to the TCP peer.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use super::AppState;

/// The address a request is counted against (`None` when the server was not given peer
/// addresses, e.g. in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let forwarded = state
            .access
            .trusted_proxy_header()
            .and_then(|name| forwarded(&parts.headers, name));
        Ok(ClientAddr(forwarded.or(peer)))
    }
}

/// The rightmost address in the (last) `name` header: `"a, b, c"` → `c`. Ports and brackets
/// (`[2001:db8::1]:443`, `192.0.2.1:80`) are dropped.
fn forwarded(headers: &HeaderMap, name: &str) -> Option<IpAddr> {
    let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    let last = value.rsplit(',').next()?.trim();
    if let Ok(ip) = last.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = last.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    last.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn header(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn the_rightmost_address_counts() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let get = |v: &[&str]| forwarded(&header(v), "x-forwarded-for");
        assert_eq!(get(&["203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(get(&["198.51.100.1, 203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(
            get(&["10.0.0.1", "198.51.100.1 ,203.0.113.8 "]),
            ip("203.0.113.8")
        );
        assert_eq!(get(&["2001:db8::1"]), ip("2001:db8::1"));
        assert_eq!(get(&["[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(get(&["192.0.2.1:80"]), ip("192.0.2.1"));
        assert_eq!(get(&["203.0.113.7, unknown"]), None);
        assert_eq!(get(&[]), None);
    }
}
