//! What a person sees in a browser, served from the binary with no network beyond the gateway:
//! the console at `/` (providers and their health, a course finder, a person's history,
//! analyst charts; plain HTML/JS in `gateway/assets/console/`), GraphiQL at `/graphql` (the
//! vendored build in `gateway/assets/vendor/`, with the README's tour as its tabs), and their
//! assets at `/assets/{hash}/{name}`.
//!
//! Asset URLs carry the first 16 hex digits of the file's SHA-256, so an asset is cached for a
//! year (`immutable`) and a new build's files get new URLs; a stale or unknown URL is 404. Both
//! pages are sent with `no-cache` and a Content-Security-Policy that allows loading and
//! connecting to the gateway itself only (`'self'`); inline styles (GraphiQL's editor sets
//! them) and data: fonts and images (GraphiQL's stylesheet embeds its fonts) never reach
//! the network.

mod tour;

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file under `/assets/`.
const ASSETS: &[Asset] = &[
    Asset {
        name: "console.js",
        content_type: JS,
        bytes: include_bytes!("../../../assets/console/console.js"),
    },
    Asset {
        name: "console.css",
        content_type: CSS,
        bytes: include_bytes!("../../../assets/console/console.css"),
    },
    Asset {
        name: "graphiql-start.js",
        content_type: JS,
        bytes: include_bytes!("../../../assets/console/graphiql-start.js"),
    },
    Asset {
        name: "graphiql.min.js",
        content_type: JS,
        bytes: include_bytes!("../../../assets/vendor/graphiql.min.js"),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: CSS,
        bytes: include_bytes!("../../../assets/vendor/graphiql.min.css"),
    },
    Asset {
        name: "react.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../../assets/vendor/react.production.min.js"),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../../assets/vendor/react-dom.production.min.js"),
    },
];

/// The console's page; `{{name}}` stands for the URL of asset `name`.
const CONSOLE_HTML: &str = include_str!("../../../assets/console/index.html");
/// GraphiQL's page; `{{name}}` as above, `{{tour}}` for the tour tabs (JSON).
const GRAPHIQL_HTML: &str = include_str!("../../../assets/console/graphiql.html");

/// What the pages may load: the gateway only.
const CSP: &str = "default-src 'self'; script-src 'self'; connect-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// An asset's content hash (16 hex digits), computed once.
static HASHES: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| {
            let digest = Sha256::digest(asset.bytes);
            digest[..8].iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
});

/// `/assets/<hash>/<name>` of each asset, in `ASSETS` order.
fn asset_url(index: usize) -> String {
    format!("/assets/{}/{}", HASHES[index], ASSETS[index].name)
}

/// A page template with its asset URLs filled in.
fn fill_assets(template: &str) -> String {
    let mut page = template.to_owned();
    for (index, asset) in ASSETS.iter().enumerate() {
        page = page.replace(&format!("{{{{{}}}}}", asset.name), &asset_url(index));
    }
    page
}

static CONSOLE_PAGE: LazyLock<String> = LazyLock::new(|| fill_assets(CONSOLE_HTML));
static GRAPHIQL_PAGE: LazyLock<String> =
    LazyLock::new(|| fill_assets(GRAPHIQL_HTML).replace("{{tour}}", &tour::tabs_json()));

/// An HTML page with the policy and no caching.
fn page(html: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        html,
    )
        .into_response()
}

/// GET /: the console.
pub async fn index() -> Response {
    page(CONSOLE_PAGE.as_str())
}

/// GraphiQL, for a browser's GET /graphql without a query.
pub fn graphiql() -> Response {
    page(GRAPHIQL_PAGE.as_str())
}

/// GET /assets/{hash}/{name}: an embedded file, cached for a year; 404 for a stale hash.
pub async fn asset(Path((hash, name)): Path<(String, String)>) -> Response {
    let found = ASSETS
        .iter()
        .enumerate()
        .find(|(index, asset)| asset.name == name && HASHES[*index] == hash);
    match found {
        Some((_, asset)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            "no such asset (the gateway may have been upgraded: reload the page)",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }

    /// The `src`/`href` URLs in a page.
    fn references(html: &str) -> Vec<String> {
        let mut urls = Vec::new();
        for attribute in ["src=\"", "href=\""] {
            let mut rest = html;
            while let Some(at) = rest.find(attribute) {
                rest = &rest[at + attribute.len()..];
                let end = rest.find('"').expect("closed attribute");
                urls.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
        urls
    }

    #[tokio::test]
    async fn every_asset_a_page_references_is_served_with_its_type_and_a_long_cache() {
        for html in [CONSOLE_PAGE.as_str(), GRAPHIQL_PAGE.as_str()] {
            assert!(!html.contains("{{"), "a placeholder is left in a page");
            let assets: Vec<String> = references(html)
                .into_iter()
                .filter(|url| url.starts_with("/assets/"))
                .collect();
            assert!(assets.len() >= 2, "{assets:?}");
            for url in assets {
                let mut parts = url.trim_start_matches("/assets/").splitn(2, '/');
                let (hash, name) = (parts.next().unwrap(), parts.next().unwrap());
                let response = asset(Path((hash.to_owned(), name.to_owned()))).await;
                assert_eq!(response.status(), StatusCode::OK, "{url}");
                let expected = if name.ends_with(".js") { JS } else { CSS };
                assert_eq!(response.headers()[header::CONTENT_TYPE], expected, "{url}");
                assert!(response.headers()[header::CACHE_CONTROL]
                    .to_str()
                    .unwrap()
                    .contains("immutable"));
                assert!(!body(response).await.is_empty());
            }
        }
    }

    #[tokio::test]
    async fn a_stale_or_unknown_asset_is_not_found() {
        let stale = asset(Path(("0000000000000000".into(), "console.js".into()))).await;
        assert_eq!(stale.status(), StatusCode::NOT_FOUND);
        let unknown = asset(Path((HASHES[0].clone(), "../Cargo.toml".into()))).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_pages_load_nothing_from_outside_the_gateway() {
        for response in [index().await, graphiql()] {
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                "text/html; charset=utf-8"
            );
            let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self';"));
            assert!(!csp.contains("http"), "{csp}");
            let html = body(response).await;
            for url in references(&html) {
                assert!(
                    (url.starts_with('/') && !url.starts_with("//"))
                        || url.starts_with('#')
                        || url.starts_with("data:"),
                    "a page references {url}"
                );
            }
            assert!(!html.contains("http://") && !html.contains("https://"));
            assert!(
                !html.contains("<script>"),
                "inline script (the policy forbids it)"
            );
        }
    }

    #[test]
    fn the_graphiql_page_holds_the_readme_tour() {
        let tabs: serde_json::Value =
            serde_json::from_str(&tour::tabs_json().replace("\\u003c", "<")).unwrap();
        let tabs = tabs.as_array().unwrap();
        assert!(tabs.len() >= 5, "{tabs:?}");
        assert!(tabs[0]["query"].as_str().unwrap().contains("providers"));
        assert!(GRAPHIQL_PAGE.contains("trainingCenters(first: 10)"));
    }
}
