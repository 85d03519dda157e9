//! The accept loop: what `axum::serve` does, with hyper's own limits on a request head raised
//! above ours. hyper refuses a head that outgrows its read buffer (about 400 KB by default) or
//! carries more than 100 headers with a bare 431 and no body, before any of our code runs; with
//! its limits at 1 MiB and 1,000 headers, `header_limit` (32 KiB, 80 headers) sees every head up
//! to there and answers in Chinese. Memory stays bounded: a connection's read buffer never grows
//! past `HYPER_MAX_HEAD_BYTES`, and only while a head is being read.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt as _;

/// hyper's limit on one request head; `header_limit::MAX_HEADER_BYTES` is far below it.
pub const HYPER_MAX_HEAD_BYTES: usize = 1024 * 1024;
/// hyper's limit on the number of headers; `header_limit::MAX_HEADERS` is far below it.
pub const HYPER_MAX_HEADERS: usize = 1000;

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(());
    let (done_tx, done_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, as axum does.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(addr));
                router.clone().oneshot(req.map(axum::body::Body::new))
            });
        let (mut stop, done) = (stop_rx.clone(), done_rx.clone());
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .max_buf_size(HYPER_MAX_HEAD_BYTES)
                .max_headers(HYPER_MAX_HEADERS);
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(done);
        });
    }
    drop(listener);
    let _ = stop_tx.send(());
    drop(done_rx);
    // Every connection task holds a receiver; `closed` resolves when the last one is gone.
    done_tx.closed().await;
    Ok(())
}
