//! ARC-5: uploads are typed by content and size-limited, refusals store nothing, and every
//! download is permission-checked.

use std::path::PathBuf;

use serde_json::json;

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};

/// A minimal JPEG and PNG (and `fixtures::PDF`): only the leading bytes decide the type.
pub const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
];
pub const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, b'I', b'H', b'D', b'R',
];

/// `GET /api/v1/files/{id}`: status, content type and the raw bytes.
pub async fn download(server: &TestServer, token: &str, id: i64) -> (u16, String, Vec<u8>) {
    let response = server
        .client
        .get(server.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /api/v1/files/{id}");
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response.bytes().await.expect("body").to_vec();
    (status, ct, bytes)
}

/// The stored blobs (everything under `<data_dir>/files`).
fn blobs(server: &TestServer) -> Vec<PathBuf> {
    let root = server.data_path().join("files");
    let mut out: Vec<PathBuf> = server
        .data_files()
        .into_iter()
        .filter(|p| p.starts_with(&root))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_jpeg_and_png_are_accepted_by_content_and_read_back() {
    let (server, fx) = school().await;
    let token = &fx.a1_admin.token;
    for (name, bytes, mime) in [
        ("志愿书.pdf", PDF, "application/pdf"),
        ("照片.jpg", JPEG, "image/jpeg"),
        // The name does not decide the type: a PNG called .pdf is a PNG.
        ("扫描件.pdf", PNG, "image/png"),
    ] {
        let f = upload(&server, token, name, bytes).await.ok(201);
        assert_eq!(f["name"], name, "{f}");
        assert_eq!(f["content_type"], mime, "{f}");
        assert_eq!(f["size"], bytes.len(), "{f}");
        assert!(f["created_at"].is_string(), "{f}");
        let (status, ct, got) = download(&server, token, id_of(&f)).await;
        assert_eq!(status, 200);
        assert!(ct.starts_with(mime), "{name}: {ct}");
        assert_eq!(got, bytes, "{name}: the bytes come back unchanged");
    }
    // Content-addressed: the same bytes again make a second file record, not a second blob.
    let before = blobs(&server).len();
    assert_eq!(before, 3, "{:?}", blobs(&server));
    let again = upload(&server, token, "再传一次.pdf", PDF).await.ok(201);
    assert_eq!(blobs(&server).len(), before);
    let (status, _, got) = download(&server, token, id_of(&again)).await;
    assert_eq!((status, got.as_slice()), (200, PDF));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_say_why_and_store_nothing() {
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    upload_pdf(&server, token).await;
    let stored = blobs(&server);
    assert_eq!(stored.len(), 1);

    let exe: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
    let refusals: Vec<(&str, Vec<u8>, &str)> = vec![
        ("程序.exe", exe.to_vec(), "unsupported_file_type"),
        ("伪装.pdf", exe.to_vec(), "unsupported_file_type"),
        (
            "说明.txt",
            "这不是PDF".as_bytes().to_vec(),
            "unsupported_file_type",
        ),
        ("空文件.pdf", Vec::new(), "empty_file"),
    ];
    for (name, bytes, code) in &refusals {
        let resp = upload(&server, token, name, bytes).await;
        resp.err(422, code);
        if *code == "unsupported_file_type" {
            resp.with_rule("ARC-5");
        }
        assert_eq!(blobs(&server), stored, "{name}: nothing may be stored");
    }

    // One byte over 20 MB (whichever way a megabyte is counted).
    let mut big = PDF.to_vec();
    big.resize(20 * 1024 * 1024 + 1, b'0');
    let resp = upload(&server, token, "太大.pdf", &big).await;
    if resp.status == 413 {
        resp.client_error();
    } else {
        resp.err(422, "file_too_large");
    }
    assert_eq!(blobs(&server), stored, "an oversized file is not stored");

    // No `file` field at all.
    let (ct, body) = multipart("attachment", "志愿书.pdf", PDF);
    send_upload(&server, Some(token), &ct, body)
        .await
        .err(422, "file_unreadable");
    assert_eq!(blobs(&server), stored);

    // Not logged in.
    let (ct, body) = multipart("file", "志愿书.pdf", PDF);
    send_upload(&server, None, &ct, body).await.fails(401);
    assert_eq!(blobs(&server), stored);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_twenty_megabytes_is_accepted() {
    let (server, fx) = school().await;
    let mut bytes = PDF.to_vec();
    bytes.resize(20_000_000, b' ');
    let f = upload(&server, &fx.a1_admin.token, "大扫描件.pdf", &bytes)
        .await
        .ok(201);
    assert_eq!(f["size"], 20_000_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_multipart_is_refused_in_the_error_format() {
    let (server, fx) = school().await;
    let resp = server
        .api(&fx.a1_admin.token)
        .post("/api/v1/files", &json!({"file": "JVBERi0xLjQ="}))
        .await;
    resp.client_error();
    assert!(blobs(&server).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_follow_the_uploaders_scope_and_the_requests_it_is_attached_to() {
    let (server, fx) = school().await;
    let f = upload_pdf(&server, &fx.a_admin.token).await;
    let status = |token: String| {
        let server = &server;
        async move { download(server, &token, f).await.0 }
    };

    // The uploader and admins whose scope holds the uploader's org (college A).
    for (who, token) in [
        ("uploader", &fx.a_admin.token),
        ("school", &fx.s1_admin.token),
        ("province", &fx.province_admin.token),
        ("root", &fx.root),
    ] {
        assert_eq!(status(token.clone()).await, 200, "{who}");
    }
    // Nobody else: a sibling college, another school, a branch below, a member.
    let member = member_token(&server, &fx.root, &fx.m_a1).await;
    for (who, token) in [
        ("sibling college", &fx.b_admin.token),
        ("other school", &fx.s2_admin.token),
        ("branch A1 below", &fx.a1_admin.token),
        ("member", &member),
    ] {
        assert_eq!(status(token.clone()).await, 404, "{who}");
    }
    assert_eq!(download(&server, &fx.root, f + 1000).await.0, 404);
    let anon = server.anon().get(&format!("/api/v1/files/{f}")).await;
    anon.fails(401);

    // Attached to a request about a member of A1, the file becomes readable for A1's admin,
    // who can see that request; A2's admin and college B still cannot.
    server
        .api(&fx.a_admin.token)
        .post(
            "/api/v1/requests",
            &json!({
                "kind": "member_correction",
                "member_id": fx.m_a1.id,
                "changes": {"joined_on": "2019-09"},
                "reason": "入团志愿书上的入团时间为2019年9月",
                "file_ids": [f],
            }),
        )
        .await
        .ok(201);
    let (code, ct, bytes) = download(&server, &fx.a1_admin.token, f).await;
    assert_eq!((code, bytes.as_slice()), (200, PDF));
    assert!(ct.starts_with("application/pdf"), "{ct}");
    assert_eq!(status(fx.a2_admin.token.clone()).await, 404);
    assert_eq!(status(fx.b_admin.token.clone()).await, 404);
}
