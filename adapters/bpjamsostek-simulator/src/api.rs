//! The endpoints of `openapi.yaml`, answered from [`SimulatorData`]: auth by `X-API-Key` and
//! scope, filters, paging, masking and 404s.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::data::{text, ApiKey, DataFile, SimulatorData};
use crate::error::ApiError;
use crate::faults::Faults;
use crate::masking::Rendered;
use crate::params::{self, Params};

/// The header carrying the API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// Shared state of a running simulator.
#[derive(Debug)]
pub struct AppState {
    pub(crate) data: SimulatorData,
    pub(crate) keys: HashMap<String, ApiKey>,
    pub(crate) faults: Faults,
    /// Each file's records as JSON text, in the same order as `data`'s.
    rendered: [Vec<Rendered>; 5],
}

impl AppState {
    pub(crate) fn new(data: SimulatorData, faults: Faults) -> Self {
        let keys = data
            .api_keys()
            .iter()
            .map(|k| (k.api_key.clone(), k.clone()))
            .collect();
        let rendered =
            DataFile::ALL.map(|file| data.records(file).iter().map(Rendered::new).collect());
        Self {
            data,
            keys,
            faults,
            rendered,
        }
    }

    /// One file's records, each with its JSON text.
    fn rows(&self, file: DataFile) -> impl Iterator<Item = (&Map<String, Value>, &Rendered)> {
        self.data
            .records(file)
            .iter()
            .zip(&self.rendered[file.index()])
    }
}

type Shared = State<Arc<AppState>>;
type QueryParams = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// What an authenticated caller may see.
struct Caller {
    pii: bool,
}

/// 401 for a missing, unknown or revoked key; 403 when the key lacks `scope`.
fn authorize(state: &AppState, headers: &HeaderMap, scope: &str) -> Result<Caller, ApiError> {
    let Some(raw) = headers.get(API_KEY_HEADER) else {
        return Err(ApiError::unauthenticated("Header X-API-Key wajib diisi."));
    };
    let key = raw
        .to_str()
        .ok()
        .and_then(|k| state.keys.get(k.trim()))
        .filter(|k| k.aktif)
        .ok_or_else(|| ApiError::unauthenticated("API key tidak dikenal atau sudah dicabut."))?;
    if !key.scopes.iter().any(|s| s == scope) {
        return Err(ApiError::forbidden(format!(
            "API key tidak memiliki scope `{scope}`."
        )));
    }
    Ok(Caller {
        pii: key.scopes.iter().any(|s| s == "pii:read"),
    })
}

fn params(query: QueryParams) -> Result<Params, ApiError> {
    query
        .map(|Query(pairs)| Params(pairs))
        .map_err(|_| ApiError::bad_parameter("Query string tidak dapat dibaca."))
}

/// A list answer: `{"data": [...], "meta": {...}}`, keys in the order `serde_json` writes a map.
#[derive(Serialize)]
struct Listing<'a> {
    data: Vec<&'a RawValue>,
    meta: Meta,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    page: u64,
    per_page: u64,
    total: u64,
    total_pages: u64,
}

/// `{data, meta}` plus `X-Total-Count` for one page of `records`.
fn list(records: &[&Rendered], page: params::Page, caller: &Caller) -> Response {
    let (slice, total, total_pages) = params::paginate(records, page);
    let body = Listing {
        data: slice.iter().map(|r| r.view(caller.pii)).collect(),
        meta: Meta {
            page: page.page,
            per_page: page.per_page,
            total,
            total_pages,
        },
    };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&total.to_string()) {
        response.headers_mut().insert("x-total-count", value);
    }
    response
}

fn one(record: &Rendered, caller: &Caller) -> Response {
    Json(record.view(caller.pii)).into_response()
}

/// `GET /v1/lembaga-mitra`: filters `jenis_lembaga`, `kode_wilayah` (prefix), `status`.
pub async fn list_lembaga(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "lembaga:read")?;
    let p = params(query)?;
    let page = p.page()?;
    let jenis = p.one_of("jenis_lembaga", &["LPK", "LKP", "LSP", "BLK", "LAINNYA"])?;
    let wilayah = p.matching(
        "kode_wilayah",
        params::is_region_code,
        "kode wilayah (36.72)",
    )?;
    let status = p.one_of("status", &["AKTIF", "NONAKTIF", "DITANGGUHKAN"])?;
    let records: Vec<_> = state
        .rows(DataFile::LembagaMitra)
        .filter(|(r, _)| {
            jenis
                .as_deref()
                .is_none_or(|j| text(r, "jenisLembaga") == j)
        })
        .filter(|(r, _)| {
            status
                .as_deref()
                .is_none_or(|s| text(r, "statusKemitraan") == s)
        })
        .filter(|(r, _)| {
            wilayah.as_deref().is_none_or(|prefix| {
                let code = r
                    .get("alamat")
                    .and_then(|a| a.get("kodeWilayah"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                code == prefix || code.starts_with(&format!("{prefix}."))
            })
        })
        .map(|(_, rendered)| rendered)
        .collect();
    Ok(list(&records, page, &caller))
}

/// `GET /v1/lembaga-mitra/{lembagaId}`.
pub async fn get_lembaga(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "lembaga:read")?;
    find(&state, DataFile::LembagaMitra, &id)
        .map(|r| one(r, &caller))
        .ok_or_else(|| ApiError::not_found("Lembaga mitra tidak ditemukan."))
}

/// `GET /v1/program-vokasi`: filters `lembaga_id`, `tahun`, `metode`.
pub async fn list_program(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "program:read")?;
    let p = params(query)?;
    let page = p.page()?;
    let lembaga = p.matching("lembaga_id", params::is_lembaga_id, "LM-0000")?;
    let tahun = p.integer("tahun", 2019..=2100)?;
    let metode = p.one_of("metode", &["LURING", "DARING", "CAMPURAN"])?;
    let records: Vec<_> = state
        .rows(DataFile::ProgramVokasi)
        .filter(|(r, _)| lembaga.as_deref().is_none_or(|l| text(r, "lembagaId") == l))
        .filter(|(r, _)| {
            tahun.is_none_or(|t| r.get("tahunAnggaran").and_then(Value::as_i64) == Some(t))
        })
        .filter(|(r, _)| {
            metode
                .as_deref()
                .is_none_or(|m| text(r, "metodePelatihan") == m)
        })
        .map(|(_, rendered)| rendered)
        .collect();
    Ok(list(&records, page, &caller))
}

/// `GET /v1/program-vokasi/{programId}`.
pub async fn get_program(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "program:read")?;
    find(&state, DataFile::ProgramVokasi, &id)
        .map(|r| one(r, &caller))
        .ok_or_else(|| ApiError::not_found("Program vokasi tidak ditemukan."))
}

/// `GET /v1/peserta?program_id=`: `program_id` required (unknown → 404), filter `status`.
pub async fn list_peserta(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "peserta:read")?;
    let p = params(query)?;
    let page = p.page()?;
    let Some(program) = p.matching("program_id", params::is_program_id, "PV-0000-0000")? else {
        return Err(ApiError::bad_parameter(
            "Parameter `program_id` wajib diisi.",
        ));
    };
    let status = p.one_of(
        "status",
        &[
            "TERDAFTAR",
            "BERLANGSUNG",
            "LULUS",
            "TIDAK_LULUS",
            "MENGUNDURKAN_DIRI",
        ],
    )?;
    if find(&state, DataFile::ProgramVokasi, &program).is_none() {
        return Err(ApiError::not_found("Program vokasi tidak ditemukan."));
    }
    let records: Vec<_> = state
        .rows(DataFile::PesertaProgram)
        .filter(|(r, _)| text(r, "programId") == program)
        .filter(|(r, _)| {
            status
                .as_deref()
                .is_none_or(|s| text(r, "statusPelatihan") == s)
        })
        .map(|(_, rendered)| rendered)
        .collect();
    Ok(list(&records, page, &caller))
}

/// `GET /v1/peserta/{kpj}`: membership and eligibility; malformed KPJ → 400, unknown → 404.
/// Messages never repeat the KPJ.
pub async fn get_kepesertaan(
    State(state): Shared,
    headers: HeaderMap,
    Path(kpj): Path<String>,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "kepesertaan:read")?;
    if !params::is_kpj(&kpj) {
        return Err(ApiError::bad_parameter("KPJ harus 11 digit."));
    }
    find(&state, DataFile::Kepesertaan, &kpj)
        .map(|r| one(r, &caller))
        .ok_or_else(|| ApiError::not_found("Kepesertaan untuk KPJ ini tidak ditemukan."))
}

/// `GET /v1/penempatan`: filters `program_id`, `status`, `diperbarui_sejak`.
pub async fn list_penempatan(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, "penempatan:read")?;
    let p = params(query)?;
    let page = p.page()?;
    let program = p.matching("program_id", params::is_program_id, "PV-0000-0000")?;
    let status = p.one_of(
        "status",
        &[
            "BEKERJA_KEMBALI",
            "PROSES_INTERVIEW",
            "WIRAUSAHA",
            "BELUM_BEKERJA",
        ],
    )?;
    let since = p.date_time("diperbarui_sejak")?;
    let records: Vec<_> = state
        .rows(DataFile::Penempatan)
        .filter(|(r, _)| {
            program
                .as_deref()
                .is_none_or(|id| text(r, "programId") == id)
        })
        .filter(|(r, _)| {
            status
                .as_deref()
                .is_none_or(|s| text(r, "statusPenempatan") == s)
        })
        .filter(|(r, _)| {
            since.is_none_or(|since| {
                params::instant(text(r, "tanggalUpdate")).is_some_and(|t| t >= since)
            })
        })
        .map(|(_, rendered)| rendered)
        .collect();
    Ok(list(&records, page, &caller))
}

/// Any other path.
pub async fn not_found() -> ApiError {
    ApiError::not_found("Sumber daya tidak ditemukan.")
}

/// The record with id `id`, as JSON text.
fn find<'a>(state: &'a AppState, file: DataFile, id: &str) -> Option<&'a Rendered> {
    let records = state.data.records(file);
    let field = file.id_field();
    records
        .binary_search_by(|r| text(r, field).cmp(id))
        .ok()
        .and_then(|i| {
            // The first of equal ids (exact duplicates sit side by side).
            let first = records[..i]
                .iter()
                .rposition(|r| text(r, field) != id)
                .map_or(0, |p| p + 1);
            state.rendered[file.index()].get(first)
        })
}
