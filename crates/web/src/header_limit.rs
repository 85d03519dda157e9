//! 431 with words. Hyper refuses a request whose head outgrows its buffer or carries more
//! headers than its limit with a bare 431 and no body, before any of our code runs, and has no
//! hook to add one; `listen` raises those limits (1 MiB, 1,000 headers) far above ours. So the server draws its own, smaller line here: a request head past
//! it — in practice a browser sending piles of stale cookies — is answered 431 in the API's
//! error format under /api/ and as the Chinese error page elsewhere. Only heads past hyper's
//! own limits (raised to 1 MiB and 1,000 headers in `listen`) still get hyper's empty answer.

use axum::extract::Request;
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::pages::shell::PageError;

/// The head's size: names, values and their separators (as on the wire, near enough).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Below hyper's 100, so ours answers first.
pub const MAX_HEADERS: usize = 80;

pub async fn limit(req: Request, next: Next) -> Response {
    let h = req.headers();
    let bytes: usize = h.iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if h.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return too_large(req.uri());
    }
    next.run(req).await
}

fn too_large(uri: &Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::Http {
            status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            code: "headers_too_large",
            message: "请求头过大（请求头过多，或 Cookie 过大）：请精简请求头；在浏览器中请清除本站的 Cookie 后重新登录".into(),
            rule: None,
        }
        .into_response()
    } else {
        PageError::HeadersTooLarge.into_response()
    }
}
