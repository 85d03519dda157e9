//! The OpenAPI document: the contract's routes are in it, and it does not change unnoticed.

use crate::harness::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document() {
    let server = TestServer::start().await;
    let doc = server.anon().get("/api/v1/openapi.json").await.ok(200);
    let paths = doc["paths"].as_object().expect("paths object");
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me/active-role", "post"),
        ("/api/v1/me/password", "post"),
        ("/api/v1/orgs", "get"),
        ("/api/v1/orgs", "post"),
        ("/api/v1/orgs/{id}", "get"),
        ("/api/v1/orgs/{id}", "patch"),
        ("/api/v1/orgs/{id}", "delete"),
        ("/api/v1/orgs/{id}/restore", "post"),
        ("/api/v1/orgs/{id}/children", "get"),
        ("/api/v1/orgs/{id}/admins", "get"),
        ("/api/v1/orgs/{id}/admins", "post"),
        ("/api/v1/orgs/{id}/admins/{account_id}", "delete"),
        ("/api/v1/orgs/{id}/members", "get"),
        ("/api/v1/members", "get"),
        ("/api/v1/members", "post"),
        ("/api/v1/members/{id}", "get"),
        ("/api/v1/members/{id}", "patch"),
        ("/api/v1/members/{id}/password", "post"),
        ("/api/v1/audit", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented; documented: {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
    insta::assert_json_snapshot!("openapi", doc);
}
