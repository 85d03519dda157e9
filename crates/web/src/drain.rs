//! Unread request bodies are drained before the answer goes out.
//!
//! An answer can be ready before its request's body was read: 413 over the body limit, 400 on a
//! bad query, 401 before the handler ran. hyper then closes the connection after the answer
//! without saying so, and with unread bytes in the socket the kernel resets it: the client
//! either loses the answer or reuses a connection that is gone and its next request fails.
//! So the rest of the body is read and thrown away, up to a bound; past the bound the answer
//! says `Connection: close` and no client reuses the connection.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONNECTION;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;

/// The most of an unread body read after the answer is ready (a body just over the 2 MB
/// limit, or a refused upload of a few MB, is drained; a huge one costs its connection).
const DRAIN_BYTES: usize = 8 * 1024 * 1024;
/// How long a slow client may take to send the rest of a refused body.
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// Middleware: the handler reads the body through a shared handle; whatever it left is
/// drained here once its answer is ready.
pub async fn unread_bodies(req: Request, next: Next) -> Response {
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let shared = Shared(Arc::new(Mutex::new(Some(body))));
    let req = Request::from_parts(parts, Body::new(shared.clone()));
    let mut resp = next.run(req).await;
    if !shared.drain().await {
        resp.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

/// The request body, read by the handler through one clone and drained through the other.
/// `None` once the body ended or broke.
#[derive(Clone)]
struct Shared(Arc<Mutex<Option<Body>>>);

impl Shared {
    fn take(&self) -> Option<Body> {
        self.0.lock().map(|mut body| body.take()).unwrap_or(None)
    }

    /// Reads what the handler left. True when the body ended within the bounds, so the
    /// connection can serve the next request.
    async fn drain(&self) -> bool {
        let Some(mut body) = self.take() else {
            return true;
        };
        if body.is_end_stream() {
            return true;
        }
        let read_rest = async {
            let mut read = 0usize;
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else {
                    return false;
                };
                read += frame.data_ref().map_or(0, Bytes::len);
                if read > DRAIN_BYTES {
                    return false;
                }
            }
            true
        };
        tokio::time::timeout(DRAIN_TIME, read_rest)
            .await
            .unwrap_or(false)
    }
}

impl HttpBody for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let Ok(mut slot) = self.0.lock() else {
            return Poll::Ready(None);
        };
        let Some(body) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            *slot = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.0
            .lock()
            .map(|slot| slot.as_ref().is_none_or(Body::is_end_stream))
            .unwrap_or(true)
    }

    fn size_hint(&self) -> SizeHint {
        self.0
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(Body::size_hint))
            .unwrap_or_else(|| SizeHint::with_exact(0))
    }
}
