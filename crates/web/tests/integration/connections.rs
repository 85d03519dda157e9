//! Kept-alive connections survive refused requests: an answer sent before the body was read
//! (413 over the limit, 400 on a bad body, 401 before the handler) never leaves a connection
//! that the client will reuse and find closed.

use std::time::Duration;

use reqwest::StatusCode;

use crate::fixtures::*;
use crate::harness::TestServer;

/// Each of 8 clients keeps one connection and sends, 200 times over: a body over the 2 MB
/// limit, a malformed body, then a normal request. Every answer must arrive, the normal ones
/// included; a dropped connection would show as a send error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_bodies_never_break_the_next_request_on_a_kept_alive_connection() {
    let (server, fx) = school().await;
    let members = server.url(&format!("/api/v1/orgs/{}/members?subtree=true", fx.col_a));
    let create = server.url("/api/v1/members");
    let oversized = format!("{{\"name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let (token, members, create, oversized) = (
            fx.root.clone(),
            members.clone(),
            create.clone(),
            oversized.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for round in 0..200 {
                let steps = [
                    client
                        .post(&create)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(oversized.clone()),
                    client
                        .post(&create)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body("{\"name\": "),
                    client.get(&members).bearer_auth(&token),
                ];
                let expected = [
                    StatusCode::PAYLOAD_TOO_LARGE,
                    StatusCode::BAD_REQUEST,
                    StatusCode::OK,
                ];
                for (step, (request, want)) in steps.into_iter().zip(expected).enumerate() {
                    match request.send().await {
                        Ok(resp) => {
                            let status = resp.status();
                            if let Err(e) = resp.bytes().await {
                                failures.push(format!("round {round} step {step}: body: {e}"));
                            } else if status != want {
                                failures.push(format!("round {round} step {step}: {status}"));
                            }
                        }
                        Err(e) => failures.push(format!("round {round} step {step}: {e:?}")),
                    }
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} of 4,800 requests failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}

/// A refusal before the handler reads anything (no session) drains a small body too, so the
/// same connection serves the next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_body_of_a_refused_request_does_not_cost_the_connection() {
    let server = TestServer::start().await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let body = format!("{{\"login\": \"{}\"}}", "y".repeat(512 * 1024));
    for round in 0..100 {
        let refused = client
            .post(server.url("/api/v1/members"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e:?}"));
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert_ne!(
            refused
                .headers()
                .get("connection")
                .and_then(|v| v.to_str().ok()),
            Some("close"),
            "a drained body keeps the connection"
        );
        refused.bytes().await.unwrap();
        client
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("round {round}: next request: {e:?}"));
    }
}
