//! `simpul query`: run a GraphQL query file against a gateway and print the answer for people
//! (aligned columns), for spreadsheets (CSV) or for programs (JSON).
//!
//! ```text
//! $ cat courses.graphql
//! query Courses($first: Int) {
//!   courses(first: $first, order_by: [{ name: asc }]) {
//!     totalCount
//!     nodes { name trainingType trainingCenter { name } }
//!   }
//! }
//! $ simpul query courses.graphql --var first=3
//! name                         trainingType  trainingCenter.name
//! ---------------------------  ------------  ------------------------------------------------
//! Barista                                    Balai Besar Pengembangan Latihan Kerja (BBPLK) …
//! Barista dan Pengolahan Kopi  RESKILLING    Rumah Belajar DPC SPN Kota Serang (fiktif)
//! Desain Pola Busana Lanjutan  UPSKILLING    SPN Training Center Lebak
//! (3 rows; totalCount: 32)
//! $ simpul query courses.graphql --var first=2 --url http://127.0.0.1:4000/graphql --format csv
//! name,trainingType,trainingCenter.name
//! Barista,,Balai Besar Pengembangan Latihan Kerja (BBPLK) Bekasi
//! Barista dan Pengolahan Kopi,RESKILLING,Rumah Belajar DPC SPN Kota Serang (fiktif)
//! $ echo '{ participants(first: 2) { nodes { sourceId nik } } }' | simpul query - ; echo "exit $?"
//! error [FORBIDDEN] at participants.nodes[0].nik: `nik` is personal data and needs the `pii:read` scope
//! error [FORBIDDEN] at participants.nodes[1].nik: `nik` is personal data and needs the `pii:read` scope
//! {
//!   "data": { … },
//!   "errors": [ … ]
//! }
//! exit 2
//! ```
//!
//! - **Where the query goes.** With `--url`, to a running gateway. Without it, to an embedded
//!   gateway started in this process the way `simpul serve` starts one (`cli/server.rs`):
//!   from `--config`, else `./simpul.toml`, else the embedded demo (its data in a folder of its
//!   own under the demo folder, removed afterwards); it listens on a loopback port for this one
//!   request and is stopped afterwards.
//! - **Variables.** `--vars FILE.json` (one JSON object), then each `--var NAME=VALUE` over it;
//!   a value is JSON when it parses as JSON, else a string (`variables.rs`).
//! - **Output.** Every object of `data` is first put back into the order of the query's
//!   selection (`order.rs`): a gateway may sort keys. `--format json` prints the whole
//!   response. `table` (the default when stdout is a terminal) and `csv` print rows: per root
//!   field, the first list of objects in its selection (`rows.rs`), rendered by `render.rs`. CSV holds one table, so a query whose
//!   data has rows under several root fields is refused with `--format csv` (the message names
//!   them); run one query per file instead. Without `--format`, `--out x.csv` / `--out x.json`
//!   pick CSV / JSON, any other `--out` a table, and a pipe gets JSON.
//! - **Errors and exit status.** GraphQL errors go to stderr, one a line:
//!   `error [CODE] at PATH: MESSAGE (provider P)` (an error in the document itself is placed at
//!   `FILE:LINE:COLUMN`). Exit status 0: data without errors; 2: data with errors (partial:
//!   the output is still written); 1: no data (the query did not validate, say), or no answer
//!   (the file, the URL or the gateway failed), and nothing is written.
//! - **Progress.** A spinner with the elapsed time on stderr when a run takes longer than
//!   300 ms and stderr is a terminal (`progress.rs`).
//! - **Logs.** The embedded gateway logs errors only, unless `SIMPUL_LOG` is set (`logs.rs`).

mod logs;
mod order;
mod progress;
mod render;
mod response;
mod rows;
mod variables;

use std::io::{IsTerminal, Read as _, Write as _};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::{json, Value};

use self::order::Order;
use self::progress::Progress;
use self::response::Response;
use super::server::{load_config, Server};
use crate::demo;

/// `simpul query --help`, above the flags.
pub(crate) const LONG_ABOUT: &str = "\
Run a GraphQL query file and print the result as a table, CSV or JSON.

The query goes to a running gateway (--url) or, without --url, to an embedded gateway started \
in this process from --config (else ./simpul.toml, else the embedded demo, as `simpul serve` \
does), listening on a loopback port and stopped afterwards.

Tables and CSV show rows: per root field, the first list of objects in its selection (a \
connection's nodes or edges' nodes, an aggregate's groups, any list of objects). Nested objects \
become dotted columns (trainingCenter.name), lists of scalars are joined with ';', columns come \
in the order first seen. Scalars beside the rows (totalCount, pageInfo) are shown under a table; \
root fields without rows print as field/value rows. CSV holds one table: data with rows under \
several root fields is refused with --format csv.

GraphQL errors go to stderr, one a line: error [CODE] at PATH: MESSAGE (provider P).
Exit status: 0 data without errors; 2 data with errors (partial, output still written); 1 no data \
(e.g. the query does not validate) or no answer (file, URL or gateway failed).";

/// `simpul query --help`, below the flags.
pub(crate) const EXAMPLES: &str = "\
Examples:
  # The embedded demo, as a table:
  simpul query courses.graphql --var first=5

  # A running gateway, to a CSV file:
  simpul query courses.graphql --url http://127.0.0.1:4000/graphql --out courses.csv

  # Variables from a file, one overridden; one operation of several; JSON to a pipe:
  simpul query runs.graphql --vars vars.json --var since=2023-01-01 --operation Runs | jq .data";

/// `simpul query …`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The GraphQL document to run (`-`: standard input).
    ///
    /// Example: simpul query courses.graphql
    #[arg(value_name = "FILE.graphql")]
    pub file: PathBuf,

    /// A variable, NAME=VALUE; repeatable; wins over --vars.
    ///
    /// VALUE is read as JSON when it is JSON (numbers, true/false, null, lists, objects), else as
    /// a string.
    ///
    /// Example: --var first=10 --var since=2023-01-01 --var 'status=["OPEN","RUNNING"]'
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,

    /// A JSON file with the variables as one object.
    ///
    /// Example: --vars vars.json (holding {"first": 10, "since": "2023-01-01"})
    #[arg(long = "vars", value_name = "FILE.json")]
    pub vars: Option<PathBuf>,

    /// The operation to run, when the file has several.
    ///
    /// Example: --operation Courses
    #[arg(long, value_name = "NAME")]
    pub operation: Option<String>,

    /// A running gateway's GraphQL endpoint (`/graphql` is added to a bare host).
    ///
    /// Without it, an embedded gateway is started in this process for the one query.
    ///
    /// Example: --url http://127.0.0.1:4000/graphql
    #[arg(long, value_name = "URL", conflicts_with = "config")]
    pub url: Option<String>,

    /// Config file (TOML) for the embedded gateway.
    ///
    /// Default: ./simpul.toml if present, else the embedded demo (as `simpul serve`).
    ///
    /// Example: --config simpul.toml
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// API key, sent as `Authorization: Bearer KEY`.
    ///
    /// Example: --api-key "$SIMPUL_API_KEY"
    #[arg(
        long,
        value_name = "KEY",
        env = "SIMPUL_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,

    /// Output format.
    ///
    /// Default: by --out's extension (.csv, .json; anything else: table); without --out, table
    /// on a terminal and json otherwise.
    ///
    /// Example: --format csv
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write the output to FILE instead of stdout (its folder must exist).
    ///
    /// Nothing is written when no data came back.
    ///
    /// Example: --out reports/courses.csv
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns with a header, long cells cut with `…`.
    Table,
    /// The whole response, pretty-printed.
    Json,
    /// RFC 4180 CSV with a header row; one table.
    Csv,
}

/// How a query that got data ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Data without errors (exit status 0).
    Complete,
    /// Data with errors (exit status 2).
    Partial,
}

/// Run `simpul query`: the output is written when data came back; no data is an error.
pub fn run(args: &QueryArgs) -> Result<Outcome> {
    let (label, document) = read_document(&args.file)?;
    let variables = variables::variables(args.vars.as_deref(), &args.var)?;
    if let Some(out) = &args.out {
        check_folder(out)?;
    }
    let format = args
        .format
        .unwrap_or_else(|| default_format(args.out.as_deref()));
    let mut body = json!({ "query": document });
    if !variables.is_empty() {
        body["variables"] = Value::Object(variables);
    }
    if let Some(operation) = &args.operation {
        body["operationName"] = Value::String(operation.clone());
    }

    let (runtime, quiet) = logs::quiet_runtime().context("cannot start the async runtime")?;
    let (mut response, answered_by) = runtime.block_on(async {
        match &args.url {
            Some(url) => {
                let url = endpoint(url)?;
                let progress = Progress::start(&format!("querying {url}"));
                let response = post(&url, &body, args.api_key.as_deref()).await;
                drop(progress);
                Ok::<_, anyhow::Error>((response?, format!("the gateway at {url}")))
            }
            None => {
                let progress = Progress::start("starting the embedded gateway");
                let embedded = Embedded::start(args.config.as_deref()).await?;
                progress.set_message("querying the embedded gateway");
                let response = post(&embedded.url, &body, args.api_key.as_deref()).await;
                progress.set_message("stopping the embedded gateway");
                let stopped = embedded.stop().await;
                drop(progress);
                let response = response?;
                stopped?;
                Ok((response, "the embedded gateway".to_owned()))
            }
        }
    })?;
    drop(runtime);
    drop(quiet);

    if let (Some(order), Some(data)) = (
        Order::of(&document, args.operation.as_deref()),
        response.data_mut(),
    ) {
        order.apply(data);
    }
    for error in &response.errors {
        eprintln!("{}", error.line(&label));
    }
    let Some(data) = response.data() else {
        bail!(
            "{answered_by} returned no data for {label} ({} error{})",
            response.errors.len(),
            if response.errors.len() == 1 { "" } else { "s" }
        );
    };
    let mut output = Vec::new();
    match format {
        Format::Json => render::json(&response.body, &mut output)?,
        Format::Table => render::table(data, &mut output)?,
        Format::Csv => render::csv(data, &mut output)?,
    }
    match &args.out {
        Some(path) => std::fs::write(path, &output)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&output)
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")?;
        }
    }
    Ok(if response.errors.is_empty() {
        Outcome::Complete
    } else {
        Outcome::Partial
    })
}

/// The document and how errors name it: the file's path, or `<stdin>` for `-`.
fn read_document(file: &Path) -> Result<(String, String)> {
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the query from standard input")?;
        return Ok(("<stdin>".into(), text));
    }
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the query file {}", file.display()))?;
    Ok((file.display().to_string(), text))
}

/// `--out`'s folder must exist: checked before the query runs, not after.
fn check_folder(out: &Path) -> Result<()> {
    match out.parent() {
        Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => bail!(
            "cannot write {}: the folder {} does not exist",
            out.display(),
            folder.display()
        ),
        _ => Ok(()),
    }
}

/// The format when `--format` is not given.
fn default_format(out: Option<&Path>) -> Format {
    match out {
        Some(path) => match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Table,
        },
        None if std::io::stdout().is_terminal() => Format::Table,
        None => Format::Json,
    }
}

/// `--url` as an endpoint: http(s), `/graphql` added when the URL has no path.
fn endpoint(url: &str) -> Result<reqwest::Url> {
    let mut parsed = reqwest::Url::parse(url).with_context(|| {
        format!("--url {url} is not a URL (e.g. http://127.0.0.1:4000/graphql)")
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("--url {url} must be an http:// or https:// URL");
    }
    if parsed.path() == "/" {
        parsed.set_path("/graphql");
    }
    Ok(parsed)
}

/// POST the request; any answer that is a GraphQL response (whatever its status) is returned.
async fn post(url: &reqwest::Url, body: &Value, api_key: Option<&str>) -> Result<Response> {
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .build()
        .context("cannot set up the HTTP client")?;
    let mut request = client
        .post(url.clone())
        .header(
            reqwest::header::ACCEPT,
            "application/graphql-response+json, application/json;q=0.9",
        )
        .json(body);
    if let Some(key) = api_key {
        request = request.bearer_auth(key);
    }
    let answer = request
        .send()
        .await
        .with_context(|| format!("cannot reach the gateway at {url}"))?;
    let status = answer.status();
    let text = answer
        .text()
        .await
        .with_context(|| format!("the answer from {url} broke off"))?;
    Response::parse(&text).ok_or_else(|| {
        let mut start: String = text.chars().take(200).collect();
        if start.len() < text.len() {
            start.push('…');
        }
        anyhow!("{url} answered HTTP {status} without a GraphQL response: {start}")
    })
}

/// A gateway started in this process for one query.
struct Embedded {
    url: reqwest::Url,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<()>>,
    /// The demo, if serving it (its simulator stops on drop).
    demo: Option<demo::Demo>,
    /// The demo's data, removed on drop, after the demo (fields drop in order).
    data: DemoData,
}

/// A folder of demo data for one run, removed on drop (when start-up fails, too).
struct DemoData(PathBuf);

impl Drop for DemoData {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Embedded {
    /// Start the gateway `simpul serve` would start for `config`, on a loopback port.
    async fn start(config: Option<&Path>) -> Result<Self> {
        // A folder per run: queries running side by side (or beside `simpul serve`) do not
        // rewrite each other's demo data.
        let data = DemoData(demo::default_dir().join(format!("query-{}", std::process::id())));
        let (config, _, demo) = load_config(config, &data.0).await?;
        let server = Server::start(&config).await?;
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .context("cannot listen on 127.0.0.1 for the embedded gateway")?;
        let url = reqwest::Url::parse(&format!("http://{}/graphql", listener.local_addr()?))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(server.run(listener, async move {
            let _ = stopped.await;
        }));
        Ok(Self {
            url,
            stop,
            server,
            demo,
            data,
        })
    }

    /// Stop the gateway and its plugins, then the demo, and remove the demo's data.
    async fn stop(self) -> Result<()> {
        let Self {
            stop,
            server,
            demo,
            data,
            ..
        } = self;
        let _ = stop.send(());
        let served = server.await.context("the embedded gateway failed")?;
        drop(demo);
        drop(data);
        served
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_gets_the_graphql_path() {
        assert_eq!(
            endpoint("http://127.0.0.1:4000").unwrap().as_str(),
            "http://127.0.0.1:4000/graphql"
        );
        assert_eq!(
            endpoint("https://gw.example/v1/graphql").unwrap().as_str(),
            "https://gw.example/v1/graphql"
        );
        assert!(endpoint("ftp://x").is_err());
        assert!(endpoint("localhost:4000").is_err());
    }

    #[test]
    fn the_format_follows_the_out_file() {
        assert_eq!(default_format(Some(Path::new("a.CSV"))), Format::Csv);
        assert_eq!(default_format(Some(Path::new("a.json"))), Format::Json);
        assert_eq!(default_format(Some(Path::new("a.txt"))), Format::Table);
    }

    #[test]
    fn out_needs_an_existing_folder() {
        assert!(check_folder(Path::new("plain.csv")).is_ok());
        let error = check_folder(Path::new("/no/such/folder/x.csv")).unwrap_err();
        assert!(error.to_string().contains("/no/such/folder"), "{error}");
    }
}
