//! ARC-1 … ARC-4: e-archives are uploaded by the branch, reviewed by the level above, replaced
//! only from above with the original in force until the replacement is approved, and certify
//! league identity.

use serde_json::{json, Value};

use crate::files::download;
use crate::fixtures::upload_pdf;
use crate::fixtures::*;
use crate::harness::*;

async fn upload(server: &TestServer, token: &str, member: i64, kind: &str) -> Resp {
    let file_id = upload_pdf(server, token).await;
    server
        .api(token)
        .post(
            &format!("/api/v1/members/{member}/archives"),
            &json!({"kind": kind, "file_id": file_id}),
        )
        .await
}

fn kind_status(v: &Value, kind: &str) -> String {
    v["kinds"]
        .as_array()
        .and_then(|ks| ks.iter().find(|k| k["kind"] == kind))
        .map(|k| k["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("no {kind} in {v}"))
}

/// The pending archive review the decider sees, by member name.
async fn review_for(server: &TestServer, token: &str, member_name: &str) -> i64 {
    let items = server
        .api(token)
        .get("/api/v1/requests?role=decider&status=pending")
        .await
        .items();
    items
        .iter()
        .find(|r| r["kind"] == "archive_review" && r["member_name"] == member_name)
        .map(id_of)
        .unwrap_or_else(|| panic!("no pending archive review for {member_name}: {items:?}"))
}

#[tokio::test]
async fn an_upload_is_reviewed_by_the_level_above_and_certifies_league_identity() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let branch = &fx.a1_admin.token;
    let path = format!("/api/v1/members/{}/archives", m.id);

    let v = server.api(branch).get(&path).await.ok(200);
    assert_eq!(kind_status(&v, "admission_form"), "missing");
    assert_eq!(v["league_identity"], "uncertified", "joined 2020-05: {v}");

    let v = upload(&server, branch, m.id, "admission_form")
        .await
        .ok(201);
    assert_eq!(kind_status(&v, "admission_form"), "pending");
    assert_eq!(v["league_identity"], "uncertified");
    // A second upload while one waits is refused.
    upload(&server, branch, m.id, "admission_form")
        .await
        .err(409, "archive_review_pending");
    // Unknown kinds and foreign files are refused with the field named.
    server
        .api(branch)
        .post(&path, &json!({"kind": "photo", "file_id": 1}))
        .await
        .err(422, "invalid_archive_kind")
        .with_field("kind");
    let foreign = upload_pdf(&server, &fx.a2_admin.token).await;
    server
        .api(branch)
        .post(
            &path,
            &json!({"kind": "application_letter", "file_id": foreign}),
        )
        .await
        .err(422, "unknown_file");

    // The branch cannot review its own upload; the college does, and can open the file first.
    let review = review_for(&server, &fx.a_admin.token, &m.person.name).await;
    server
        .api(branch)
        .post_empty(&format!("/api/v1/requests/{review}/approve"))
        .await
        .fails(403);
    let r = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/requests/{review}"))
        .await
        .ok(200);
    let file_id = r["files"][0]["id"].as_i64().expect("attached file");
    let (status, _, bytes) = download(&server, &fx.a_admin.token, file_id).await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    server
        .api(&fx.a_admin.token)
        .post_empty(&format!("/api/v1/requests/{review}/approve"))
        .await
        .ok(200);
    let v = server.api(branch).get(&path).await.ok(200);
    assert_eq!(kind_status(&v, "admission_form"), "approved");
    assert_eq!(v["league_identity"], "certified", "{v}");

    // Lists show 档案是否上传 and each status.
    let rows = server
        .api(branch)
        .get(&format!("/api/v1/orgs/{}/members", fx.a1))
        .await
        .items();
    let row = rows.iter().find(|r| id_of(r) == m.id).expect("row");
    assert_eq!(row["archives"]["admission_form"], "approved", "{row}");
    assert_eq!(row["archives"]["application_letter"], "missing");
    assert_eq!(row["archives"]["uploaded"], false);

    // The member sees their own archives; other colleges see nothing.
    let me = member_token(&server, &fx.root, m).await;
    server.api(&me).get(&path).await.ok(200);
    server
        .api(&fx.b_admin.token)
        .get(&path)
        .await
        .err(404, "not_found");
    server
        .api(&fx.b_admin.token)
        .post(
            &path,
            &json!({"kind": "application_letter", "file_id": foreign}),
        )
        .await
        .fails(404);
}

#[tokio::test]
async fn a_replacement_leaves_the_original_in_force_until_it_is_approved() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let path = format!("/api/v1/members/{}/archives", m.id);
    upload(&server, &fx.a1_admin.token, m.id, "admission_form")
        .await
        .ok(201);
    let first = review_for(&server, &fx.a_admin.token, &m.person.name).await;
    server
        .api(&fx.a_admin.token)
        .post_empty(&format!("/api/v1/requests/{first}/approve"))
        .await
        .ok(200);

    // ARC-3: the branch cannot replace an approved archive; the level above can.
    upload(&server, &fx.a1_admin.token, m.id, "admission_form")
        .await
        .err(403, "forbidden");
    let v = upload(&server, &fx.a_admin.token, m.id, "admission_form")
        .await
        .ok(201);
    assert_eq!(
        kind_status(&v, "admission_form"),
        "approved",
        "original in force: {v}"
    );
    assert_eq!(v["league_identity"], "certified");
    let in_force: Vec<i64> = v["uploads"]
        .as_array()
        .expect("uploads")
        .iter()
        .filter(|u| u["in_force"] == true)
        .map(id_of)
        .collect();
    assert_eq!(in_force.len(), 1, "{v}");
    let original = in_force[0];

    // The college's upload is reviewed by the school; a rejection keeps the original.
    let review = review_for(&server, &fx.s1_admin.token, &m.person.name).await;
    server
        .api(&fx.s1_admin.token)
        .post(
            &format!("/api/v1/requests/{review}/reject"),
            &json!({"reason": "扫描件不清晰"}),
        )
        .await
        .ok(200);
    let v = server.api(&fx.a_admin.token).get(&path).await.ok(200);
    assert_eq!(kind_status(&v, "admission_form"), "approved");
    assert!(
        v["uploads"]
            .as_array()
            .expect("uploads")
            .iter()
            .any(|u| id_of(u) == original && u["in_force"] == true),
        "{v}"
    );

    // A second replacement, approved: it is now the one in force and the original is kept.
    upload(&server, &fx.a_admin.token, m.id, "admission_form")
        .await
        .ok(201);
    let review = review_for(&server, &fx.s1_admin.token, &m.person.name).await;
    server
        .api(&fx.s1_admin.token)
        .post_empty(&format!("/api/v1/requests/{review}/approve"))
        .await
        .ok(200);
    let v = server.api(&fx.a_admin.token).get(&path).await.ok(200);
    let uploads = v["uploads"].as_array().expect("uploads");
    assert_eq!(uploads.len(), 3, "{v}");
    let newest = &uploads[0];
    assert_eq!(newest["in_force"], true, "{v}");
    let old = uploads
        .iter()
        .find(|u| id_of(u) == original)
        .expect("original kept");
    assert_eq!(old["status"], "superseded");
    assert_eq!(old["in_force"], false);
}

/// The archives view carries what its viewer may do (`actions`), decided by the rule the upload
/// runs: the branch may upload, the member and a delegate without 上传和审核电子档案 may not and
/// are refused, and the page shows the form and the review links exactly when offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archives_view_offers_exactly_what_its_viewer_may_do() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let path = format!("/api/v1/members/{}/archives", m.id);

    let v = server.api(&fx.a1_admin.token).get(&path).await.ok(200);
    assert_eq!(v["actions"], json!({"upload": true, "see_reviews": true}));
    upload(&server, &fx.a1_admin.token, m.id, "admission_form")
        .await
        .ok(201);
    let admin = crate::page::logged_in(&server, "a1_admin", &fx.a1_admin.password).await;
    crate::page::get(&admin, &server, &format!("/members/{}/archives", m.id))
        .await
        .status(200)
        .has("id=\"archive-form\"")
        .has("查看审核");

    // The member reads their own archives but is offered nothing, and an upload is refused.
    let own = member_token(&server, &fx.root, m).await;
    let v = server.api(&own).get(&path).await.ok(200);
    assert_eq!(v["actions"], json!({"upload": false, "see_reviews": false}));
    server
        .api(&own)
        .post(&path, &json!({"kind": "application_letter", "file_id": 1}))
        .await
        .err(403, "forbidden");
    let member_page = crate::page::logged_in(&server, &m.person.resident_id, MEMBER_PASSWORD).await;
    crate::page::get(
        &member_page,
        &server,
        &format!("/members/{}/archives", m.id),
    )
    .await
    .status(200)
    .lacks("id=\"archive-form\"")
    .lacks("查看审核");

    // A delegate of the college granted member work only sees the reviews, not the upload.
    let d = delegate(
        &server,
        &fx,
        &fx.a_admin.token,
        &fx.m_a2,
        fx.col_a,
        &["members"],
    )
    .await;
    let v = server.api(&d).get(&path).await.ok(200);
    assert_eq!(v["actions"], json!({"upload": false, "see_reviews": true}));
    server
        .api(&d)
        .post(&path, &json!({"kind": "application_letter", "file_id": 1}))
        .await
        .err(403, "forbidden");
}
