//! The HTTP server: the router, a request layer that counts, delays and injects faults, and
//! [`Simulator`], a server on an ephemeral loopback port for tests.
//!
//! The request log names the route *template* (`/v1/peserta/{kpj}`), the status and the time
//! taken, never the request URL: `GET /v1/peserta/{kpj}` carries a KPJ in its path.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::api::{self, AppState};
use crate::error::ApiError;
use crate::{Faults, SimulatorData};

/// The API as an axum router over `data`, with `faults` applied to every request.
pub fn router(data: SimulatorData, faults: Faults) -> Router {
    let state = Arc::new(AppState::new(data, faults));
    Router::new()
        .route("/v1/lembaga-mitra", get(api::list_lembaga))
        .route("/v1/lembaga-mitra/{lembaga_id}", get(api::get_lembaga))
        .route("/v1/program-vokasi", get(api::list_program))
        .route("/v1/program-vokasi/{program_id}", get(api::get_program))
        .route("/v1/peserta", get(api::list_peserta))
        .route("/v1/peserta/{kpj}", get(api::get_kepesertaan))
        .route("/v1/penempatan", get(api::list_penempatan))
        .fallback(api::not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), track))
        .with_state(state)
}

/// Serve the API on `listener` until the process ends.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    data: SimulatorData,
    listener: TcpListener,
    faults: Faults,
) -> std::io::Result<()> {
    axum::serve(listener, router(data, faults)).await
}

/// Serve the API on `listener` until `shutdown` completes, then finish in-flight requests.
///
/// # Errors
/// The listener fails.
pub async fn serve_with_shutdown(
    data: SimulatorData,
    listener: TcpListener,
    faults: Faults,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(data, faults))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The route template of a path, for counters and logs (never the path itself).
pub fn route_of(path: &str) -> &'static str {
    match path {
        "/v1/lembaga-mitra" => "/v1/lembaga-mitra",
        "/v1/program-vokasi" => "/v1/program-vokasi",
        "/v1/peserta" => "/v1/peserta",
        "/v1/penempatan" => "/v1/penempatan",
        p if p.starts_with("/v1/lembaga-mitra/") => "/v1/lembaga-mitra/{lembagaId}",
        p if p.starts_with("/v1/program-vokasi/") => "/v1/program-vokasi/{programId}",
        p if p.starts_with("/v1/peserta/") => "/v1/peserta/{kpj}",
        _ => "(unknown route)",
    }
}

/// Count the request, wait the injected latency, answer an injected fault or the real thing,
/// and log the route template, status and duration.
async fn track(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(request.uri().path());
    let (latency, fault) = state.faults.on_request(request.uri().path(), route);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let response = match fault {
        Some(f) => ApiError::injected(f.status, f.retry_after).into_response(),
        None => next.run(request).await,
    };
    tracing::info!(
        route,
        status = response.status().as_u16(),
        injected = fault.is_some(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// A simulator serving on `127.0.0.1:<ephemeral>` in the current tokio runtime; stopped on drop.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
///
/// let sim = Simulator::start(SimulatorData::demo()).await?;
/// sim.faults().fail_next(1, 503, None);
/// println!("serving {}", sim.base_url());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    base_url: String,
    faults: Faults,
    task: tokio::task::JoinHandle<()>,
}

impl Simulator {
    /// Serve `data` with a fresh [`Faults`] handle.
    ///
    /// # Errors
    /// No loopback port can be bound.
    pub async fn start(data: SimulatorData) -> std::io::Result<Self> {
        Self::start_with(data, Faults::new()).await
    }

    /// Serve `data` under the given [`Faults`] handle.
    ///
    /// # Errors
    /// No loopback port can be bound.
    pub async fn start_with(data: SimulatorData, faults: Faults) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = router(data, faults.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            addr,
            base_url: format!("http://{addr}"),
            faults,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The fault switches and request counters.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
