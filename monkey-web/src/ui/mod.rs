//! The web UI: one page and its script and style sheet, all compiled into the binary (no CDN:
//! machines may be offline). The script draws every view from the JSON API; it puts
//! user-controlled text into the page only as text nodes, never as markup. The one piece of
//! HTML it inserts, a diff, is rendered and escaped by `monkey_core::diff`.
//!
//! Every page path (`/`, `/login`, `/search`, `/items/<technology>/<account>/<region>/<name>`
//! as linked from change mail, `/compare?revisions=a,b`, `/auditorsettings`, `/settings`)
//! answers with the same page; the script routes.

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

/// The policy every UI response carries: only our own script and styles, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The routes of the UI.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/login", get(page))
        .route("/search", get(page))
        .route("/settings", get(page))
        .route("/compare", get(page))
        .route("/auditorsettings", get(page))
        .route("/items/{technology}/{account}/{region}/{name}", get(page))
        .route("/ui/app.js", get(|| asset(SCRIPT, "text/javascript; charset=utf-8")))
        .route("/ui/app.css", get(|| asset(STYLE, "text/css; charset=utf-8")))
}

fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

async fn page() -> Response {
    let mut response = secured(Html(PAGE).into_response());
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = secured(body.into_response());
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
