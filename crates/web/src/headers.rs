//! Headers every answer carries: no framing by other sites, no content sniffing, no referrer
//! sent elsewhere, and nothing kept in shared or browser caches — pages and answers carry
//! personal data (full resident IDs and phones on a member's page).

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Scripts only from this site (`/static/app.js`; no page carries an inline script or handler),
/// no framing, forms and `<base>` only to this site, no plugins — for every answer.
pub const POLICY: &str = "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

pub async fn secure_headers(req: Request, next: Next) -> Response {
    let cacheable = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(POLICY));
    if !cacheable {
        h.entry(CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    resp
}
