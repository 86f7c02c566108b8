//! Why a call to the adapter failed, and the stable code each reason reaches the gateway with.
//!
//! Messages name the endpoint by its *template* (`GET /v1/peserta/{kpj}`), never the URL, and
//! never contain the API key, a KPJ, a NIK or any other personal value. Data problems in single
//! records are not errors: they become warnings or `SourceIssue`s.

use simpul_plugin::AdapterError;
use simpul_schema::filter::FilterError;

/// An endpoint of the Vokasi API, for messages and scope hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /v1/lembaga-mitra`.
    LembagaMitra,
    /// `GET /v1/program-vokasi`.
    ProgramVokasi,
    /// `GET /v1/peserta?program_id=`.
    Peserta,
    /// `GET /v1/peserta/{kpj}`.
    Kepesertaan,
    /// `GET /v1/penempatan`.
    Penempatan,
}

impl Endpoint {
    /// `GET /v1/...` with placeholders instead of values.
    pub fn template(self) -> &'static str {
        match self {
            Endpoint::LembagaMitra => "GET /v1/lembaga-mitra",
            Endpoint::ProgramVokasi => "GET /v1/program-vokasi",
            Endpoint::Peserta => "GET /v1/peserta",
            Endpoint::Kepesertaan => "GET /v1/peserta/{kpj}",
            Endpoint::Penempatan => "GET /v1/penempatan",
        }
    }

    /// The field that identifies an item of the endpoint's list (`None` for the one-record
    /// endpoint).
    pub fn id_field(self) -> Option<&'static str> {
        match self {
            Endpoint::LembagaMitra => Some("lembagaId"),
            Endpoint::ProgramVokasi => Some("programId"),
            Endpoint::Peserta => Some("pesertaProgramId"),
            Endpoint::Kepesertaan => None,
            Endpoint::Penempatan => Some("penempatanId"),
        }
    }

    /// The scope the endpoint needs.
    pub fn scope(self) -> &'static str {
        match self {
            Endpoint::LembagaMitra => "lembaga:read",
            Endpoint::ProgramVokasi => "program:read",
            Endpoint::Peserta => "peserta:read",
            Endpoint::Kepesertaan => "kepesertaan:read",
            Endpoint::Penempatan => "penempatan:read",
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.template())
    }
}

/// A failed call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 401: the key is missing, unknown or revoked. A configuration error; not retried.
    #[error(
        "BPJAMSOSTEK refused the configured API key ({endpoint} answered HTTP 401{detail}); \
         check `api_key` in this provider's config"
    )]
    Unauthorized {
        /// Where.
        endpoint: Endpoint,
        /// ` TIDAK_TERAUTENTIKASI, trace …` from the error body, if any.
        detail: String,
    },
    /// 403: the key lacks the endpoint's scope. A configuration error; not retried.
    #[error(
        "the configured API key lacks scope `{scope}` ({endpoint} answered HTTP 403{detail}); \
         ask BPJAMSOSTEK to grant it or use another key",
        scope = endpoint.scope()
    )]
    Forbidden {
        /// Where.
        endpoint: Endpoint,
        /// From the error body.
        detail: String,
    },
    /// Another 4xx (400, 404, ...): the request was wrong for the API; not retried.
    #[error("{endpoint} rejected the request with HTTP {status}{detail}")]
    Rejected {
        /// Where.
        endpoint: Endpoint,
        /// The HTTP status.
        status: u16,
        /// From the error body.
        detail: String,
    },
    /// 429 with a `Retry-After` longer than `backoff_max_ms`, or still 429 after every retry.
    #[error("{endpoint} is rate limiting this key (HTTP 429 after {attempts} attempt(s); it asks to wait {retry_after_ms} ms)")]
    RateLimited {
        /// Where.
        endpoint: Endpoint,
        /// Attempts made.
        attempts: u32,
        /// The last `Retry-After`, in milliseconds (0 when absent).
        retry_after_ms: u64,
    },
    /// Still a 5xx after every retry.
    #[error("{endpoint} answered HTTP {status} {attempts} time(s); giving up")]
    Unavailable {
        /// Where.
        endpoint: Endpoint,
        /// The last HTTP status.
        status: u16,
        /// Attempts made.
        attempts: u32,
    },
    /// No complete answer within `timeout_ms`.
    #[error("{endpoint} did not answer within {timeout_ms} ms")]
    Timeout {
        /// Where.
        endpoint: Endpoint,
        /// The configured deadline.
        timeout_ms: u64,
    },
    /// The connection failed on every attempt.
    #[error("cannot reach {endpoint} after {attempts} attempt(s): {reason}")]
    Transport {
        /// Where.
        endpoint: Endpoint,
        /// Attempts made.
        attempts: u32,
        /// The transport's reason, without the URL.
        reason: String,
    },
    /// A 2xx whose body is not the contract's shape (not JSON, no `data`/`meta`, ...).
    #[error("{endpoint} answered with a body that does not fit the contract: {reason}")]
    Decode {
        /// Where.
        endpoint: Endpoint,
        /// What is wrong (no values quoted).
        reason: String,
    },
    /// The adapter's config is unusable.
    #[error("invalid BPJAMSOSTEK adapter config: {0}")]
    Config(String),
    /// A KPJ argument is not 11 digits (the value is not repeated).
    #[error("not a KPJ: a KPJ has exactly 11 digits")]
    InvalidKpj,
    /// The request's filter or sort does not fit the collection.
    #[error("{0}")]
    Filter(#[from] FilterError),
}

impl Error {
    /// The stable code the gateway shows in `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthorized { .. } => "SOURCE_UNAUTHORIZED",
            Error::Forbidden { .. } => "SOURCE_FORBIDDEN",
            Error::Rejected { .. } => "SOURCE_REJECTED",
            Error::RateLimited { .. } => "SOURCE_RATE_LIMITED",
            Error::Unavailable { .. } | Error::Transport { .. } => "SOURCE_UNAVAILABLE",
            Error::Timeout { .. } => "SOURCE_TIMEOUT",
            Error::Decode { .. } => "SOURCE_INVALID",
            Error::Config(_) => "INVALID_CONFIG",
            Error::InvalidKpj | Error::Filter(_) => "BAD_REQUEST",
        }
    }
}

impl From<Error> for AdapterError {
    fn from(e: Error) -> Self {
        AdapterError::new(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages() {
        let e = Error::Unauthorized {
            endpoint: Endpoint::LembagaMitra,
            detail: " TIDAK_TERAUTENTIKASI".into(),
        };
        let a = AdapterError::from(e);
        assert_eq!(a.code, "SOURCE_UNAUTHORIZED");
        assert!(a.message.contains("refused the configured API key"));
        let e = Error::Forbidden {
            endpoint: Endpoint::Kepesertaan,
            detail: String::new(),
        };
        assert!(e.to_string().contains("`kepesertaan:read`"));
        assert!(e.to_string().contains("/v1/peserta/{kpj}"));
        assert_eq!(Error::InvalidKpj.code(), "BAD_REQUEST");
    }
}
