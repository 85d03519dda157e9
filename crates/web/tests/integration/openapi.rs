//! The OpenAPI document: the contract's routes are in it, it does not change unnoticed, a
//! maintained validator finds no error in it, and a client generated from it by a standard
//! generator drives a real journey.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixtures::*;
use crate::harness::TestServer;
use crate::transfers::ready_member;

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

/// The Python that `scripts/test` prepares with the tools of `tests/python/requirements.txt`.
fn python() -> PathBuf {
    let python = std::env::var_os("TUANWU_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/py/bin/python"),
        PathBuf::from,
    );
    assert!(
        python.exists(),
        "{} is missing: run scripts/test (it installs the OpenAPI validator and client \
         generator of crates/web/tests/python/requirements.txt), or set TUANWU_PYTHON",
        python.display()
    );
    python
}

fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

/// Runs a command to its end; panics with everything it printed unless it succeeded.
fn run(what: &str, cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

async fn served_document(server: &TestServer, dir: &Path) -> PathBuf {
    let doc = server.anon().get("/api/v1/openapi.json").await.ok(200);
    let path = dir.join("openapi.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_maintained_validator_finds_no_error_in_the_document() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let doc = served_document(&server, dir.path()).await;
    let printed = run(
        "openapi-spec-validator",
        Command::new(python())
            .arg(python_dir().join("validate.py"))
            .arg(&doc),
    );
    assert!(printed.contains("0 errors"), "{printed}");
}

/// An integrator's journey through a client that `openapi-python-client` generates from the
/// served document (warnings fail the generation): log in, list a branch's members, start a
/// transfer, read it back, and get the documented 404 body for a member out of scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_client_drives_a_journey() {
    let (server, fx) = school().await;
    let mover = ready_member(&server, &fx, 60, fx.a1).await;
    let dir = tempfile::tempdir().unwrap();
    let doc = served_document(&server, dir.path()).await;
    let python = python();
    let generator = python.with_file_name("openapi-python-client");
    // The generator formats its output with the ruff installed beside it.
    let path = std::env::join_paths(std::iter::once(python.with_file_name("")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    run(
        "openapi-python-client generate",
        Command::new(&generator)
            .env("PATH", path)
            .arg("generate")
            .arg("--path")
            .arg(&doc)
            .arg("--config")
            .arg(python_dir().join("client-config.yaml"))
            .arg("--meta")
            .arg("none")
            .arg("--fail-on-warning")
            .arg("--output-path")
            .arg(dir.path().join("tuanwu_client")),
    );
    let base = server.base.clone();
    let (login, password) = (fx.a_admin.login.clone(), fx.a_admin.password.clone());
    let env = [
        ("TUANWU_BASE_URL", base),
        ("TUANWU_LOGIN", login),
        ("TUANWU_PASSWORD", password),
        ("TUANWU_BRANCH", fx.a1.to_string()),
        ("TUANWU_MEMBER", mover.id.to_string()),
        ("TUANWU_TARGET", fx.b1.to_string()),
        ("TUANWU_OUT_OF_SCOPE_MEMBER", fx.m_s2.id.to_string()),
    ];
    let journey = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(python);
        cmd.arg(python_dir().join("journey.py"))
            .env("PYTHONPATH", dir.path())
            .envs(env);
        run("the generated client's journey", &mut cmd)
    })
    .await
    .unwrap();
    assert!(journey.contains("journey ok"), "{journey}");
}
