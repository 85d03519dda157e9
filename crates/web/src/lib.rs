//! HTTP for tuanwu: the JSON API under /api/v1 (documented with utoipa) over the `app` use cases.
//! Handlers parse and render only.

pub mod api;
mod drain;
pub mod error;
pub mod extract;
mod header_limit;
mod headers;
mod listen;
pub mod pages;
pub mod settings;

use std::future::Future;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use tuanwu_app::Context;

pub use settings::{ImportSettings, WebSettings};

/// Every route of the system, with the shared layers and the default `[server]` settings.
pub fn router(ctx: Context) -> Router {
    router_with(ctx, WebSettings::default())
}

/// Every route of the system, with the shared layers.
pub fn router_with(ctx: Context, settings: WebSettings) -> Router {
    let gate = std::sync::Arc::new(api::import::ImportGate::new(&settings.import));
    let (api, openapi) = api::router().split_for_parts();
    let mut openapi_json = serde_json::to_value(&openapi).unwrap_or_default();
    api::doc::finish(&mut openapi_json);
    Router::new()
        .route("/healthz", get(|| async { (StatusCode::OK, "ok") }))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = openapi_json.clone();
                async move { axum::Json(doc) }
            }),
        )
        .merge(api)
        .merge(pages::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(header_limit::limit))
        .layer(axum::middleware::from_fn(headers::secure_headers))
        .layer(axum::middleware::from_fn(drain::unread_bodies))
        .layer(axum::Extension(std::sync::Arc::new(settings)))
        .layer(axum::Extension(gate))
        .layer(TraceLayer::new_for_http())
        .with_state(ctx)
}

/// Serves until `shutdown` resolves. Takes a bound listener so tests can bind port 0.
pub async fn serve(
    listener: TcpListener,
    ctx: Context,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, ctx, WebSettings::default(), shutdown).await
}

/// [`serve`] with the `[server]` settings of `tuanwu.toml`.
pub async fn serve_with(
    listener: TcpListener,
    ctx: Context,
    settings: WebSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::serve(listener, router_with(ctx, settings), shutdown).await
}
