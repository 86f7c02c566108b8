//! Error answers in the contract's shape: `{ "error": { "kode", "pesan", "traceId" } }`.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error the API answers with. `pesan` never repeats a KPJ, NIK or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Contract error code (`TIDAK_DITEMUKAN`, ...).
    pub kode: &'static str,
    /// Human-readable message (Indonesian, as the provider writes them).
    pub pesan: String,
    /// `Retry-After` seconds, for 429 (and injected 503s that ask for it).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// 400 `PARAMETER_TIDAK_VALID`.
    pub fn bad_parameter(pesan: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "PARAMETER_TIDAK_VALID", pesan)
    }

    /// 401 `TIDAK_TERAUTENTIKASI`.
    pub fn unauthenticated(pesan: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "TIDAK_TERAUTENTIKASI", pesan)
    }

    /// 403 `AKSES_DITOLAK`.
    pub fn forbidden(pesan: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "AKSES_DITOLAK", pesan)
    }

    /// 404 `TIDAK_DITEMUKAN`.
    pub fn not_found(pesan: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "TIDAK_DITEMUKAN", pesan)
    }

    /// An injected fault with any status; the code follows the contract where it has one.
    pub fn injected(status: u16, retry_after: Option<u64>) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let kode = match status.as_u16() {
            400 => "PARAMETER_TIDAK_VALID",
            401 => "TIDAK_TERAUTENTIKASI",
            403 => "AKSES_DITOLAK",
            404 => "TIDAK_DITEMUKAN",
            429 => "BATAS_PERMINTAAN",
            // The contract defines no body for 5xx; this code is the simulator's own.
            _ => "KESALAHAN_SERVER",
        };
        let pesan = match status.as_u16() {
            429 => "Batas permintaan terlampaui; coba lagi setelah Retry-After detik.".to_owned(),
            s if s >= 500 => "Layanan sedang tidak tersedia (gangguan simulasi).".to_owned(),
            _ => "Kesalahan simulasi.".to_owned(),
        };
        Self {
            retry_after,
            ..Self::new(status, kode, pesan)
        }
    }

    fn new(status: StatusCode, kode: &'static str, pesan: impl Into<String>) -> Self {
        Self {
            status,
            kode,
            pesan: pesan.into(),
            retry_after: None,
        }
    }
}

/// A fresh trace id (`sim-00000001`), unique within the process.
pub fn trace_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("sim-{:08x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "kode": self.kode, "pesan": self.pesan, "traceId": trace_id() }
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
