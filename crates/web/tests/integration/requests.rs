//! SYS-2, SYS-3, MEM-6, MEM-7, MEM-10, DAT-2: requests up the tree (corrections, deletions,
//! development-number cases), the to-do list, and the report sheets they produce.

use serde_json::{json, Value};
use time::macros::date;
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::ResidentId;

use crate::files::download;
use crate::fixtures::upload_pdf;
use crate::fixtures::*;
use crate::harness::{id_of, ids, is_chinese, Resp, TestServer};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const REASON: &str = "经核对入团志愿书，原记录有误";

fn req_path(id: i64) -> String {
    format!("/api/v1/requests/{id}")
}

async fn submit(
    server: &TestServer,
    token: &str,
    kind: &str,
    member: i64,
    changes: Value,
    files: Vec<i64>,
) -> Resp {
    server
        .api(token)
        .post(
            "/api/v1/requests",
            &json!({"kind": kind, "member_id": member, "changes": changes,
                    "reason": REASON, "file_ids": files}),
        )
        .await
}

/// A correction with a freshly uploaded PDF as evidence (panics unless 201).
async fn correction(server: &TestServer, token: &str, member: i64, changes: Value) -> Value {
    let f = upload_pdf(server, token).await;
    submit(server, token, "member_correction", member, changes, vec![f])
        .await
        .ok(201)
}

async fn deletion(server: &TestServer, token: &str, member: i64, why: &str) -> Resp {
    submit(
        server,
        token,
        "member_deletion",
        member,
        json!({"deletion_reason": why}),
        vec![],
    )
    .await
}

async fn approve(server: &TestServer, token: &str, id: i64) -> Resp {
    server
        .api(token)
        .post_empty(&format!("{}/approve", req_path(id)))
        .await
}

async fn reject(server: &TestServer, token: &str, id: i64, reason: &str) -> Resp {
    server
        .api(token)
        .post(
            &format!("{}/reject", req_path(id)),
            &json!({ "reason": reason }),
        )
        .await
}

async fn cancel(server: &TestServer, token: &str, id: i64) -> Resp {
    server
        .api(token)
        .post_empty(&format!("{}/cancel", req_path(id)))
        .await
}

async fn get_request(server: &TestServer, token: &str, id: i64) -> Resp {
    server.api(token).get(&req_path(id)).await
}

/// The ids on the caller's to-do list (checking the shape of every item).
async fn todo_ids(server: &TestServer, token: &str) -> Vec<i64> {
    let body = server.api(token).get("/api/v1/todos").await.ok(200);
    let items = body["items"].as_array().expect("items").clone();
    assert_eq!(body["total"], items.len(), "{body}");
    for t in &items {
        assert_eq!(t["kind"], "request", "{t}");
        for key in ["title", "org_path", "created_at", "link"] {
            assert!(t[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {t}");
        }
    }
    ids(&items)
}

/// The ids of `GET /api/v1/requests?{query}` (sorted), checking `total` against a big page.
async fn listed(server: &TestServer, token: &str, query: &str) -> Vec<i64> {
    let body = server
        .api(token)
        .get(&format!("/api/v1/requests?per_page=100&{query}"))
        .await
        .ok(200);
    let items = body["items"].as_array().expect("items");
    assert_eq!(body["total"], items.len(), "{query}: {body}");
    let mut got = ids(items);
    got.sort();
    got
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort();
    v
}

/// A member's record as root sees it.
async fn record(server: &TestServer, root: &str, id: i64) -> Value {
    server
        .api(root)
        .get(&format!("/api/v1/members/{id}"))
        .await
        .ok(200)
}

/// Audit entries (the whole log, as root) matching entity and action, optionally one entity id.
async fn audit_entries(
    server: &TestServer,
    root: &str,
    entity: &str,
    action: &str,
    entity_id: Option<i64>,
) -> Vec<Value> {
    let body = server
        .api(root)
        .get("/api/v1/audit?per_page=500")
        .await
        .ok(200);
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["entity"] == entity && e["action"] == action)
        .filter(|e| entity_id.is_none_or(|id| e["entity_id"] == id))
        .cloned()
        .collect()
}

fn actions(view: &Value) -> Vec<String> {
    view["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn report(server: &TestServer, token: &str, org: i64, file: &str) -> Resp {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/reports/{file}"))
        .await
}

/// An xlsx answer. (The rows cannot be read here: `calamine` is not a dependency of this crate.)
#[track_caller]
fn assert_xlsx(resp: &Resp) {
    assert_eq!(resp.status, 200, "{resp:?}");
    assert_eq!(resp.content_type, XLSX, "{}", resp.what);
    assert!(
        resp.text.starts_with("PK\u{3}\u{4}"),
        "{}: not a zip/xlsx body",
        resp.what
    );
}

/// The first sheet of an xlsx report as text rows.
async fn sheet_rows(server: &TestServer, token: &str, org: i64, file: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let bytes = server
        .client
        .get(server.url(&format!("/api/v1/orgs/{org}/reports/{file}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn a_new_resident_id() -> ResidentId {
    ResidentId::compose(120102, date!(2005 - 03 - 03), 468)
}

// ---------------------------------------------------------------------------------------------
// Corrections (MEM-6)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_asks_to_correct_a_join_date_and_the_college_approves() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let branch = fx.a1_admin.token.as_str();
    let college = fx.a_admin.token.as_str();
    tuanwu_app::testing::mark_identity_verified(&server.ctx, m.id)
        .await
        .expect("mark verified");
    server
        .api(branch)
        .patch(
            &format!("/api/v1/members/{}", m.id),
            &json!({"joined_on": "2019-09"}),
        )
        .await
        .fails(422)
        .with_rule("MEM-6");

    let f = upload_pdf(&server, branch).await;
    let r = submit(
        &server,
        branch,
        "member_correction",
        m.id,
        json!({"joined_on": "2019-09"}),
        vec![f],
    )
    .await
    .ok(201);
    let id = id_of(&r);
    assert_eq!(r["kind"], "member_correction");
    assert!(r["kind_label"].as_str().is_some_and(is_chinese), "{r}");
    assert_eq!(r["status"], "pending");
    assert_eq!(r["status_label"], "待审批");
    assert_eq!(r["member_id"], m.id);
    assert_eq!(r["member_name"], m.person.name.as_str());
    assert_eq!(r["org_id"], fx.a1);
    assert!(
        r["org_path"]
            .as_str()
            .is_some_and(|p| p.ends_with(BRANCH_A1)),
        "{r}"
    );
    assert_eq!(r["requester_name"], fx.a1_admin.name.as_str());
    assert_eq!(r["requester_org_id"], fx.a1);
    assert_eq!(r["decider_org_id"], fx.col_a, "the level above the branch");
    assert_eq!(r["decider_org_name"], COLLEGE_A);
    let changes = r["summary"]["changes"].as_array().expect("summary.changes");
    assert_eq!(changes.len(), 1, "{r}");
    assert_eq!(changes[0]["field"], "joined_on");
    assert_eq!(changes[0]["old"], "2020-05");
    assert_eq!(changes[0]["new"], "2019-09");
    assert!(changes[0]["label"].as_str().is_some_and(is_chinese), "{r}");
    assert_eq!(r["reason"], REASON);
    assert!(
        r["decision_reason"].is_null() && r["decided_at"].is_null(),
        "{r}"
    );
    assert_eq!(ids(r["files"].as_array().expect("files")), vec![f]);
    assert_eq!(actions(&r), ["submit"]);
    assert_eq!(r["history"][0]["actor_name"], fx.a1_admin.name.as_str());
    assert!(r["history"][0]["action_label"]
        .as_str()
        .is_some_and(is_chinese));
    assert_eq!(
        (&r["can_decide"], &r["can_cancel"]),
        (&json!(false), &json!(true))
    );

    // Waiting for the college: not for the branch that asked, nor for the school above.
    assert_eq!(todo_ids(&server, college).await, vec![id]);
    assert!(todo_ids(&server, branch).await.is_empty());
    assert!(todo_ids(&server, &fx.s1_admin.token).await.is_empty());
    let seen = get_request(&server, college, id).await.ok(200);
    assert_eq!(
        (&seen["can_decide"], &seen["can_cancel"]),
        (&json!(true), &json!(false))
    );

    let done = approve(&server, college, id).await.ok(200);
    assert_eq!(done["status"], "approved");
    assert_eq!(done["status_label"], "已通过");
    assert!(done["decided_at"].is_string(), "{done}");
    assert_eq!(actions(&done), ["submit", "approve"]);
    assert_eq!(done["history"][1]["actor_name"], fx.a_admin.name.as_str());
    assert_eq!(done["can_decide"], false);

    assert_eq!(
        record(&server, &fx.root, m.id).await["joined_on"],
        "2019-09"
    );
    assert!(todo_ids(&server, college).await.is_empty());
    let updates = audit_entries(&server, &fx.root, "member", "update", Some(m.id)).await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(
        updates[0]["before"]["joined_on"], "2020-05",
        "{}",
        updates[0]
    );
    assert!(
        updates[0]["after"].to_string().contains("2019-09"),
        "{}",
        updates[0]
    );
    assert_eq!(updates[0]["actor_name"], fx.a_admin.name.as_str());
    assert_eq!(
        listed(&server, branch, "role=requester&status=approved").await,
        vec![id]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_name_changes_through_an_approved_correction_and_needs_verifying_again() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    tuanwu_app::testing::mark_identity_verified(&server.ctx, m.id)
        .await
        .expect("mark verified");
    server
        .api(&fx.a1_admin.token)
        .patch(
            &format!("/api/v1/members/{}", m.id),
            &json!({"name": "赵若汐"}),
        )
        .await
        .fails(422)
        .with_rule("ACC-9");

    let r = correction(&server, &fx.a1_admin.token, m.id, json!({"name": "赵若汐"})).await;
    let change = &r["summary"]["changes"][0];
    assert_eq!(change["field"], "name", "{r}");
    assert_eq!(change["old"], m.person.name.as_str());
    assert_eq!(change["new"], "赵若汐");
    approve(&server, &fx.a_admin.token, id_of(&r)).await.ok(200);

    let after = record(&server, &fx.root, m.id).await;
    assert_eq!(after["name"], "赵若汐");
    assert_eq!(after["identity_check"], "pending", "{after}");
    let found = server
        .api(&fx.a_admin.token)
        .get("/api/v1/members?q=若汐")
        .await
        .items();
    assert_eq!(ids(&found), vec![m.id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_id_correction_shows_only_masked_numbers_and_applies_on_approval() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let old = m.person.resident_id.as_str();
    let new = a_new_resident_id();
    tuanwu_app::testing::mark_identity_verified(&server.ctx, m.id)
        .await
        .expect("mark verified");

    let r = correction(
        &server,
        &fx.a1_admin.token,
        m.id,
        json!({"resident_id": new.as_str()}),
    )
    .await;
    let id = id_of(&r);
    let change = &r["summary"]["changes"][0];
    assert_eq!(change["field"], "resident_id", "{r}");
    assert_eq!(change["old"], mask_resident_id(old));
    assert_eq!(change["new"], mask_resident_id(new.as_str()));
    let texts = [
        r.to_string(),
        get_request(&server, &fx.a_admin.token, id).await.text,
        server
            .api(&fx.s1_admin.token)
            .get("/api/v1/requests?role=decider")
            .await
            .text,
    ];
    for text in &texts {
        assert!(
            !text.contains(old) && !text.contains(new.as_str()),
            "{text}"
        );
    }

    approve(&server, &fx.a_admin.token, id).await.ok(200);
    let after = record(&server, &fx.root, m.id).await;
    assert_eq!(after["resident_id"], new.as_str());
    assert_eq!(after["identity_check"], "pending");
    let log = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=500")
        .await
        .text;
    assert!(!log.contains(old) && !log.contains(new.as_str()), "SYS-5");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correction_requests_are_checked_and_refusals_save_nothing() {
    let (server, fx) = school().await;
    let token = fx.a1_admin.token.as_str();
    let m = &fx.m_a1;
    let f = upload_pdf(&server, token).await;
    let send = |changes: Value, files: Vec<i64>| {
        let server = &server;
        async move { submit(server, token, "member_correction", m.id, changes, files).await }
    };

    let rid = a_new_resident_id();
    send(
        json!({"name": "赵若汐", "resident_id": rid.as_str()}),
        vec![f],
    )
    .await
    .fails(422)
    .with_rule("ACC-9");
    send(json!({"phone": "13700001111"}), vec![f])
        .await
        .err(422, "field_not_correctable");
    send(
        json!({"joined_on": "2019-09", "student_no": "2023999999"}),
        vec![f],
    )
    .await
    .err(422, "field_not_correctable");
    send(json!({"joined_on": m.person.joined_on}), vec![f])
        .await
        .err(422, "no_change");
    send(json!({"name": m.person.name}), vec![f])
        .await
        .err(422, "no_change");
    send(json!({"joined_on": "2019-09"}), vec![])
        .await
        .err(422, "evidence_required")
        .with_field("file_ids");
    server
        .api(token)
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_correction", "member_id": m.id,
                    "changes": {"joined_on": "2019-09"}, "reason": REASON}),
        )
        .await
        .err(422, "evidence_required");
    let someone_elses = upload_pdf(&server, &fx.a_admin.token).await;
    send(json!({"joined_on": "2019-09"}), vec![someone_elses])
        .await
        .err(422, "unknown_file");
    send(json!({"joined_on": "2019-09"}), vec![f + 1000])
        .await
        .err(422, "unknown_file");
    submit(&server, token, "no_such_kind", m.id, json!({}), vec![f])
        .await
        .fails(422);
    // A record outside the caller's scope is "not found".
    submit(
        &server,
        token,
        "member_correction",
        fx.m_b1.id,
        json!({"joined_on": "2019-09"}),
        vec![f],
    )
    .await
    .fails(404);

    assert!(listed(&server, &fx.root, "role=requester").await.is_empty());
    assert!(listed(&server, &fx.root, "role=decider").await.is_empty());
    assert_eq!(
        record(&server, &fx.root, m.id).await["joined_on"],
        "2020-05"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_pending_request_of_a_kind_per_member() {
    let (server, fx) = school().await;
    let m = fx.m_a1.id;
    let first = correction(
        &server,
        &fx.a1_admin.token,
        m,
        json!({"joined_on": "2019-09"}),
    )
    .await;
    let f = upload_pdf(&server, &fx.a_admin.token).await;
    let again = submit(
        &server,
        &fx.a_admin.token,
        "member_correction",
        m,
        json!({"joined_on": "2019-10"}),
        vec![f],
    )
    .await;
    again.err(409, "request_already_pending");

    // Another kind is independent.
    let del = deletion(&server, &fx.a1_admin.token, m, "entered_in_error")
        .await
        .ok(201);
    deletion(&server, &fx.a1_admin.token, m, "death")
        .await
        .err(409, "request_already_pending");
    cancel(&server, &fx.a1_admin.token, id_of(&del))
        .await
        .ok(200);

    // Once the first is no longer pending, a new one may be asked.
    cancel(&server, &fx.a1_admin.token, id_of(&first))
        .await
        .ok(200);
    submit(
        &server,
        &fx.a_admin.token,
        "member_correction",
        m,
        json!({"joined_on": "2019-10"}),
        vec![f],
    )
    .await
    .ok(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_admins_correction_is_decided_by_the_school_and_by_nobody_below() {
    let (server, fx) = school().await;
    let r = correction(
        &server,
        &fx.a_admin.token,
        fx.m_a1.id,
        json!({"development_no": "120199990001"}),
    )
    .await;
    let id = id_of(&r);
    assert_eq!(r["decider_org_id"], fx.s1, "{r}");
    assert_eq!(r["decider_org_name"], SCHOOL1);
    assert_eq!(todo_ids(&server, &fx.s1_admin.token).await, vec![id]);
    for t in [
        &fx.a_admin.token,
        &fx.province_admin.token,
        &fx.a1_admin.token,
    ] {
        assert!(todo_ids(&server, t).await.is_empty());
    }

    // The branch can follow the request about its member, but not decide it.
    let below = get_request(&server, &fx.a1_admin.token, id).await.ok(200);
    assert_eq!(below["can_decide"], false);
    approve(&server, &fx.a1_admin.token, id).await.fails(404);
    reject(&server, &fx.a1_admin.token, id, "不同意")
        .await
        .fails(404);
    // Outside both sides: not found at all.
    get_request(&server, &fx.a2_admin.token, id)
        .await
        .fails(404);
    approve(&server, &fx.a2_admin.token, id).await.fails(404);
    // The requester may not decide their own request.
    approve(&server, &fx.a_admin.token, id).await.fails(403);
    reject(&server, &fx.a_admin.token, id, "撤回")
        .await
        .fails(403);
    assert_eq!(
        get_request(&server, &fx.root, id).await.ok(200)["status"],
        "pending"
    );

    approve(&server, &fx.s1_admin.token, id).await.ok(200);
    assert_eq!(
        record(&server, &fx.root, fx.m_a1.id).await["development_no"],
        "120199990001"
    );
}

// ---------------------------------------------------------------------------------------------
// Transitions (SYS-3)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_needs_a_reason_and_changes_nothing() {
    let (server, fx) = school().await;
    let r = correction(
        &server,
        &fx.a1_admin.token,
        fx.m_a1.id,
        json!({"joined_on": "2019-09"}),
    )
    .await;
    let id = id_of(&r);
    let college = fx.a_admin.token.as_str();

    reject(&server, college, id, "   ")
        .await
        .fails(422)
        .with_field("reason");
    server
        .api(college)
        .post(&format!("{}/reject", req_path(id)), &json!({}))
        .await
        .client_error();
    assert_eq!(
        get_request(&server, college, id).await.ok(200)["status"],
        "pending"
    );

    let done = reject(&server, college, id, "志愿书上的日期不清晰，请重新扫描")
        .await
        .ok(200);
    assert_eq!(done["status"], "rejected");
    assert_eq!(done["status_label"], "已驳回");
    assert_eq!(done["decision_reason"], "志愿书上的日期不清晰，请重新扫描");
    assert!(done["decided_at"].is_string());
    assert_eq!(actions(&done), ["submit", "reject"]);
    assert_eq!(
        done["history"][1]["note"],
        "志愿书上的日期不清晰，请重新扫描"
    );
    assert_eq!(
        record(&server, &fx.root, fx.m_a1.id).await["joined_on"],
        "2020-05"
    );
    assert!(
        audit_entries(&server, &fx.root, "member", "update", Some(fx.m_a1.id))
            .await
            .is_empty()
    );
    assert!(todo_ids(&server, college).await.is_empty());
    // The requester sees why.
    let seen = get_request(&server, &fx.a1_admin.token, id).await.ok(200);
    assert_eq!(seen["decision_reason"], "志愿书上的日期不清晰，请重新扫描");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_requester_cancels() {
    let (server, fx) = school().await;
    let r = correction(
        &server,
        &fx.a1_admin.token,
        fx.m_a1.id,
        json!({"joined_on": "2019-09"}),
    )
    .await;
    let id = id_of(&r);
    // Others who can see it: 403; others who cannot: 404.
    cancel(&server, &fx.a_admin.token, id).await.fails(403);
    cancel(&server, &fx.s1_admin.token, id).await.fails(403);
    cancel(&server, &fx.b_admin.token, id).await.fails(404);
    cancel(&server, &fx.a2_admin.token, id).await.fails(404);

    let done = cancel(&server, &fx.a1_admin.token, id).await.ok(200);
    assert_eq!(done["status"], "cancelled");
    assert_eq!(done["status_label"], "已撤销");
    assert_eq!(actions(&done), ["submit", "cancel"]);
    assert_eq!(done["can_cancel"], false);
    assert!(todo_ids(&server, &fx.a_admin.token).await.is_empty());
    assert_eq!(
        record(&server, &fx.root, fx.m_a1.id).await["joined_on"],
        "2020-05"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settled_requests_answer_409_to_every_further_step() {
    let (server, fx) = school().await;
    let (branch, college) = (fx.a1_admin.token.as_str(), fx.a_admin.token.as_str());
    let mut settled = Vec::new();
    for (i, m) in [&fx.m_a1, &fx.m_a2].into_iter().enumerate() {
        let token = if i == 0 {
            branch
        } else {
            fx.a2_admin.token.as_str()
        };
        let approved = correction(&server, token, m.id, json!({"joined_on": "2019-09"})).await;
        approve(&server, college, id_of(&approved)).await.ok(200);
        settled.push(("approved", id_of(&approved), token));
        let rejected = correction(&server, token, m.id, json!({"joined_on": "2019-08"})).await;
        reject(&server, college, id_of(&rejected), "不同意")
            .await
            .ok(200);
        settled.push(("rejected", id_of(&rejected), token));
        let cancelled = correction(&server, token, m.id, json!({"joined_on": "2019-07"})).await;
        cancel(&server, token, id_of(&cancelled)).await.ok(200);
        settled.push(("cancelled", id_of(&cancelled), token));
    }
    for (state, id, requester) in settled {
        for resp in [
            approve(&server, college, id).await,
            approve(&server, &fx.s1_admin.token, id).await,
            reject(&server, college, id, "再驳回一次").await,
            cancel(&server, requester, id).await,
        ] {
            resp.err(409, "request_not_pending");
        }
        let now = get_request(&server, college, id).await.ok(200);
        assert_eq!(now["status"], state);
        assert_eq!(now["history"].as_array().map(Vec::len), Some(2), "{now}");
        assert_eq!(
            (&now["can_decide"], &now["can_cancel"]),
            (&json!(false), &json!(false))
        );
    }
    for m in [&fx.m_a1, &fx.m_a2] {
        let updates = audit_entries(&server, &fx.root, "member", "update", Some(m.id)).await;
        assert_eq!(
            updates.len(),
            1,
            "only the approval changed the record: {updates:?}"
        );
        assert_eq!(
            record(&server, &fx.root, m.id).await["joined_on"],
            "2019-09"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_approvals_at_once_apply_the_change_once() {
    let (server, fx) = school().await;
    for (token, m) in [
        (&fx.a1_admin.token, &fx.m_a1),
        (&fx.a2_admin.token, &fx.m_a2),
    ] {
        let id = id_of(&correction(&server, token, m.id, json!({"joined_on": "2019-09"})).await);
        let (x, y) = tokio::join!(
            approve(&server, &fx.a_admin.token, id),
            approve(&server, &fx.s1_admin.token, id)
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{x:?} / {y:?}");
        let loser = if x.status == 409 { &x } else { &y };
        loser.err(409, "request_not_pending");
        let updates = audit_entries(&server, &fx.root, "member", "update", Some(m.id)).await;
        assert_eq!(updates.len(), 1, "{updates:?}");
        let view = get_request(&server, &fx.root, id).await.ok(200);
        assert_eq!(actions(&view), ["submit", "approve"]);
        assert_eq!(
            record(&server, &fx.root, m.id).await["joined_on"],
            "2019-09"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approve_and_reject_at_once_one_wins() {
    let (server, fx) = school().await;
    for (token, m) in [
        (&fx.a1_admin.token, &fx.m_a1),
        (&fx.a2_admin.token, &fx.m_a2),
    ] {
        let id = id_of(&correction(&server, token, m.id, json!({"joined_on": "2019-09"})).await);
        let (x, y) = tokio::join!(
            approve(&server, &fx.a_admin.token, id),
            reject(&server, &fx.s1_admin.token, id, "材料不足")
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{x:?} / {y:?}");
        let (loser, winner) = if x.status == 409 {
            (&x, "rejected")
        } else {
            (&y, "approved")
        };
        loser.err(409, "request_not_pending");
        let view = get_request(&server, &fx.root, id).await.ok(200);
        assert_eq!(view["status"], winner, "{view}");
        assert_eq!(view["history"].as_array().map(Vec::len), Some(2), "{view}");
        let updates = audit_entries(&server, &fx.root, "member", "update", Some(m.id)).await;
        let joined = record(&server, &fx.root, m.id).await["joined_on"].clone();
        if winner == "approved" {
            assert_eq!((updates.len(), joined), (1, json!("2019-09")));
        } else {
            assert_eq!((updates.len(), joined), (0, json!("2020-05")));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scope and lists

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_college_or_school_cannot_see_or_touch_a_request_or_its_files() {
    let (server, fx) = school().await;
    let f = upload_pdf(&server, &fx.a1_admin.token).await;
    let id = id_of(
        &submit(
            &server,
            &fx.a1_admin.token,
            "member_correction",
            fx.m_a1.id,
            json!({"joined_on": "2019-09"}),
            vec![f],
        )
        .await
        .ok(201),
    );
    for (who, token) in [
        ("college B", &fx.b_admin.token),
        ("school 2", &fx.s2_admin.token),
    ] {
        get_request(&server, token, id).await.fails(404);
        approve(&server, token, id).await.fails(404);
        reject(&server, token, id, "越权").await.fails(404);
        cancel(&server, token, id).await.fails(404);
        assert_eq!(download(&server, token, f).await.0, 404, "{who}");
        for role in ["requester", "decider"] {
            let got = listed(&server, token, &format!("role={role}")).await;
            assert!(got.is_empty(), "{who} {role}: {got:?}");
        }
        assert!(todo_ids(&server, token).await.is_empty(), "{who}");
        let mut probe = json!({"kind": "member_correction", "member_id": fx.m_a1.id,
            "changes": {"joined_on": "2019-10"}, "reason": REASON});
        probe["file_ids"] = json!([upload_pdf(&server, token).await]);
        server
            .api(token)
            .post("/api/v1/requests", &probe)
            .await
            .fails(404);
    }
    let view = get_request(&server, &fx.root, id).await.ok(200);
    assert_eq!(view["status"], "pending");
    assert_eq!(actions(&view), ["submit"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_show_each_side_and_filter_by_status_kind_and_name() {
    let (server, fx) = school().await;
    let j = json!({"joined_on": "2019-09"});
    // Decided by college A, the province (天津 is a municipality: its 团市委 is the city level,
    // never a school), the school, and the province.
    let c1 = id_of(&correction(&server, &fx.a1_admin.token, fx.m_a1.id, j.clone()).await);
    let d2 = id_of(
        &deletion(&server, &fx.a2_admin.token, fx.m_a2.id, "entered_in_error")
            .await
            .ok(201),
    );
    let c3 = id_of(&correction(&server, &fx.b_admin.token, fx.m_b1.id, j.clone()).await);
    let c4 = id_of(&correction(&server, &fx.s2_admin.token, fx.m_s2.id, j.clone()).await);

    let a = fx.a_admin.token.as_str();
    let s1 = fx.s1_admin.token.as_str();
    assert_eq!(
        listed(&server, a, "role=requester").await,
        sorted(vec![c1, d2])
    );
    assert_eq!(
        listed(&server, a, "").await,
        sorted(vec![c1, d2]),
        "requester is the default"
    );
    assert_eq!(listed(&server, a, "role=decider").await, vec![c1]);
    // "mine": what I submitted myself, wherever it went.
    assert_eq!(
        listed(&server, &fx.a1_admin.token, "role=mine").await,
        vec![c1]
    );
    assert_eq!(
        listed(&server, &fx.a2_admin.token, "role=mine").await,
        vec![d2]
    );
    assert!(listed(&server, a, "role=mine").await.is_empty());
    assert_eq!(
        listed(&server, s1, "role=requester").await,
        sorted(vec![c1, d2, c3])
    );
    assert_eq!(
        listed(&server, s1, "role=decider").await,
        sorted(vec![c1, c3])
    );
    assert_eq!(
        listed(&server, &fx.b_admin.token, "role=requester").await,
        vec![c3]
    );
    assert!(listed(&server, &fx.b_admin.token, "role=decider")
        .await
        .is_empty());
    assert_eq!(
        listed(&server, &fx.province_admin.token, "role=decider").await,
        sorted(vec![c1, d2, c3, c4])
    );
    assert_eq!(
        listed(&server, &fx.a1_admin.token, "role=requester").await,
        vec![c1]
    );

    assert_eq!(
        listed(
            &server,
            &fx.province_admin.token,
            "role=decider&kind=member_deletion"
        )
        .await,
        vec![d2]
    );
    assert!(listed(&server, s1, "role=decider&kind=member_deletion")
        .await
        .is_empty());
    assert_eq!(
        listed(&server, s1, "role=decider&kind=member_correction").await,
        sorted(vec![c1, c3])
    );
    assert_eq!(listed(&server, s1, "role=decider&q=若曦").await, vec![c1]);
    assert_eq!(
        listed(
            &server,
            s1,
            &format!("role=decider&q={}", fx.m_b1.person.name)
        )
        .await,
        vec![c3]
    );
    assert!(listed(&server, s1, "role=decider&status=approved")
        .await
        .is_empty());
    approve(&server, a, c1).await.ok(200);
    assert_eq!(
        listed(&server, s1, "role=decider&status=approved").await,
        vec![c1]
    );
    assert_eq!(
        listed(&server, s1, "role=decider&status=pending").await,
        vec![c3]
    );

    // Pages of two.
    let mut paged = Vec::new();
    for (page, expect) in [(1, 2), (2, 1)] {
        let body = server
            .api(s1)
            .get(&format!(
                "/api/v1/requests?role=requester&per_page=2&page={page}"
            ))
            .await
            .ok(200);
        assert_eq!(body["total"], 3, "{body}");
        let items = body["items"].as_array().expect("items");
        assert_eq!(items.len(), expect, "page {page}: {body}");
        paged.extend(ids(items));
    }
    assert_eq!(sorted(paged), sorted(vec![c1, d2, c3]));
}

// ---------------------------------------------------------------------------------------------
// Deletions (MEM-7) and the deletion ledger (DAT-2)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_reasons_follow_the_rules() {
    let (server, fx) = school().await;
    let m = fx.m_a1.id;
    let resp = deletion(&server, &fx.a1_admin.token, m, "dropout").await;
    resp.err(422, "dropout_not_deletable");
    assert!(
        resp.message().contains("转"),
        "dropouts are transferred: {resp:?}"
    );
    for token in [&fx.a1_admin.token, &fx.a_admin.token] {
        deletion(&server, token, m, "other")
            .await
            .err(422, "school_confirmation_required");
    }
    deletion(&server, &fx.a1_admin.token, m, "moved_to_beijing")
        .await
        .fails(422);
    assert!(
        listed(&server, &fx.root, "").await.is_empty(),
        "nothing was saved"
    );

    // Entered in error: allowed for the branch; the city level is the depth-2 ancestor unless
    // that is a school — here (团中央 → 天津 → school) the municipality 天津 decides.
    let r = deletion(&server, &fx.a1_admin.token, m, "entered_in_error")
        .await
        .ok(201);
    assert_eq!(r["kind"], "member_deletion");
    assert_eq!(r["decider_org_id"], fx.province, "{r}");
    assert!(
        !r.to_string().contains(&fx.m_a1.person.resident_id),
        "the summary masks the ID number: {r}"
    );
    // "Other" is allowed once the school asks; the school then cannot approve its own request.
    let other = deletion(&server, &fx.s1_admin.token, fx.m_a2.id, "other")
        .await
        .ok(201);
    assert_eq!(other["decider_org_id"], fx.province);
    let other = id_of(&other);
    // The school cannot decide its own deletion request.
    approve(&server, &fx.s1_admin.token, other).await.fails(403);
    assert!(todo_ids(&server, &fx.s1_admin.token).await.is_empty());
    assert_eq!(
        todo_ids(&server, &fx.province_admin.token).await,
        sorted(vec![id_of(&r), other])
    );
    approve(&server, &fx.province_admin.token, other)
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_with_no_city_level_above_goes_to_the_province() {
    let (server, fx) = school().await;
    // A branch directly under the province: nothing at depth 2 above it.
    let lone = branch(&server, &fx.root, fx.province, "天津团市委机关团支部").await;
    let boss = admin(&server, &fx.root, lone, "tj_branch", "机关团支部书记").await;
    let m = member(&server, &fx.root, Person::new(70, "郑欣怡"), lone).await;
    let r = deletion(&server, &boss.token, m.id, "death").await.ok(201);
    assert_eq!(r["decider_org_id"], fx.province, "{r}");
    assert_eq!(r["decider_org_name"], PROVINCE);
    assert_eq!(
        todo_ids(&server, &fx.province_admin.token).await,
        vec![id_of(&r)]
    );
    approve(&server, &fx.province_admin.token, id_of(&r))
        .await
        .ok(200);
    assert_eq!(member_total(&server, &fx.root, lone).await, 0);
}

/// 团中央 → 天津 → a city-level org → school → college → branch, admins at every level and
/// one member.
struct CityTree {
    city: i64,
    branch: i64,
    city_admin: Admin,
    school_admin: Admin,
    college_admin: Admin,
    branch_admin: Admin,
    member: MemberFx,
}

async fn city_tree(server: &TestServer, fx: &Fixture) -> CityTree {
    let root = fx.root.as_str();
    let city = id_of(
        &create_org(
            server,
            root,
            org_body(fx.province, "共青团滨海市委员会", "committee", "党政机关"),
        )
        .await,
    );
    let school = id_of(
        &create_org(
            server,
            root,
            org_body(city, "共青团滨海学院委员会", "committee", UNIVERSITY),
        )
        .await,
    );
    let college = college(
        server,
        root,
        school,
        "滨海学院信息学院团总支",
        "general_branch",
    )
    .await;
    let branch = branch(server, root, college, "信息2301团支部").await;
    CityTree {
        city,
        branch,
        city_admin: admin(server, root, city, "bh_city", "滨海团市委管理员").await,
        school_admin: admin(server, root, school, "bh_school", "滨海学院校团委管理员").await,
        college_admin: admin(server, root, college, "bh_college", "信息学院管理员").await,
        branch_admin: admin(server, root, branch, "bh_branch", "信息一班团支书").await,
        member: member(server, root, Person::new(50, "周明哲"), branch).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_death_goes_to_the_city_level_and_the_member_leaves_every_list() {
    let (server, fx) = school().await;
    let t = city_tree(&server, &fx).await;
    let p = &t.member.person;
    let member_session = member_token(&server, &t.branch_admin.token, &t.member).await;

    let r = deletion(&server, &t.branch_admin.token, t.member.id, "death")
        .await
        .ok(201);
    let id = id_of(&r);
    assert_eq!(r["decider_org_id"], t.city, "{r}");
    assert_eq!(r["decider_org_name"], "共青团滨海市委员会");
    assert!(!r.to_string().contains(&p.resident_id), "{r}");
    assert_eq!(todo_ids(&server, &t.city_admin.token).await, vec![id]);
    for token in [
        &t.school_admin.token,
        &t.college_admin.token,
        &fx.province_admin.token,
    ] {
        assert!(todo_ids(&server, token).await.is_empty());
    }
    // Levels below the city, and other trees, cannot decide it.
    for token in [
        &t.school_admin.token,
        &t.college_admin.token,
        &fx.s1_admin.token,
    ] {
        approve(&server, token, id).await.fails(404);
    }

    let done = approve(&server, &t.city_admin.token, id).await.ok(200);
    assert_eq!(done["status"], "approved");

    // Out of every list and search…
    for token in [
        &t.city_admin.token,
        &t.school_admin.token,
        &t.branch_admin.token,
        &fx.root,
    ] {
        let body = server
            .api(token)
            .get(&format!("/api/v1/orgs/{}/members?subtree=true", t.branch))
            .await
            .ok(200);
        assert_eq!(body["total"], 0, "{body}");
        for q in [
            p.name.as_str(),
            p.resident_id.as_str(),
            p.student_no.as_str(),
        ] {
            let found = server
                .api(token)
                .get(&format!("/api/v1/members?q={q}"))
                .await
                .items();
            assert!(found.is_empty(), "search {q}: {found:?}");
        }
    }
    assert_eq!(member_total(&server, &t.city_admin.token, t.city).await, 0);
    // …and the person can no longer log in.
    server
        .api(&member_session)
        .get("/api/v1/me")
        .await
        .fails(401);
    let login = server.login_resp(&p.resident_id, MEMBER_PASSWORD).await;
    assert_ne!(login.status, 200, "{login:?}");
    login.client_error();
    // Nothing more can be asked about the record.
    let again = correction_attempt(&server, &t.branch_admin.token, t.member.id).await;
    again.client_error();

    // The ledger lists it (xlsx, with the columns of the form) and the export is audited.
    assert_xlsx(&report(&server, &t.city_admin.token, t.city, "deletion-ledger.xlsx").await);
    let rows = sheet_rows(&server, &t.city_admin.token, t.city, "deletion-ledger.xlsx").await;
    assert_eq!(
        rows[1],
        ["序号", "姓名", "所在团支部名称全称", "身份证号", "删除原因"],
        "{rows:?}"
    );
    assert_eq!(rows.len(), 3, "one deleted member: {rows:?}");
    assert_eq!(rows[2][0], "1");
    assert_eq!(rows[2][1], p.name);
    assert_eq!(
        rows[2][3], p.resident_id,
        "the city admin sees the full number"
    );
    assert!(rows[2][4].starts_with("死亡"), "{rows:?}");
    let exports = audit_entries(&server, &fx.root, "report", "export", None).await;
    assert_eq!(
        exports.len(),
        2,
        "each of the two downloads is audited: {exports:?}"
    );
    assert!(exports
        .iter()
        .all(|e| e["account_id"] == t.city_admin.account_id));
}

async fn correction_attempt(server: &TestServer, token: &str, member: i64) -> Resp {
    let f = upload_pdf(server, token).await;
    submit(
        server,
        token,
        "member_correction",
        member,
        json!({"joined_on": "2019-09"}),
        vec![f],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_are_xlsx_for_orgs_in_scope_and_each_export_is_audited() {
    let (server, fx) = school().await;
    let del = deletion(&server, &fx.a1_admin.token, fx.m_a1.id, "entered_in_error")
        .await
        .ok(201);
    approve(&server, &fx.province_admin.token, id_of(&del))
        .await
        .ok(200);

    let a = fx.a_admin.token.as_str();
    for sheet in ["deletion-ledger.xlsx", "development-no-conflicts.xlsx"] {
        assert_xlsx(&report(&server, a, fx.col_a, sheet).await);
        report(&server, a, fx.col_b, sheet).await.fails(404);
        report(&server, &fx.s2_admin.token, fx.s1, sheet)
            .await
            .fails(404);
    }
    report(&server, a, fx.col_a, "members-secret.xlsx")
        .await
        .err(422, "unknown_sheet");

    let exports = audit_entries(&server, &fx.root, "report", "export", None).await;
    assert_eq!(exports.len(), 2, "{exports:?}");
    for e in &exports {
        assert_eq!(e["account_id"], fx.a_admin.account_id, "{e}");
        assert_eq!(e["org_id"], fx.col_a, "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Development-number conflicts (MEM-10)

/// College A enters a new member in A1 with the development number college B's member holds.
/// Returns (the creation answer, the new member's id, the case id).
async fn claim_held_number(server: &TestServer, fx: &Fixture) -> (Resp, i64, i64) {
    let mut p = Person::new(60, "吴俊杰");
    p.development_no = fx.m_b1.person.development_no.clone();
    let resp = server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", &p.body(fx.a1))
        .await;
    assert_eq!(resp.status, 201, "{resp:?}");
    let created = &resp.body;
    assert!(created["development_no"].is_null(), "{created}");
    let case = created["development_no_conflict_request_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no conflict case in {created}"));
    let id = id_of(created);
    (resp, id, case)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_development_number_goes_to_the_province_and_approval_moves_it() {
    let (server, fx) = school().await;
    let number = fx.m_b1.person.development_no.as_str();
    let (_, new, case) = claim_held_number(&server, &fx).await;
    let province = fx.province_admin.token.as_str();

    let r = get_request(&server, province, case).await.ok(200);
    assert_eq!(r["kind"], "development_no_conflict");
    assert_eq!(r["status"], "pending");
    assert_eq!(r["member_id"], new);
    assert_eq!(r["decider_org_id"], fx.province, "{r}");
    let summary = r["summary"].to_string();
    assert!(
        summary.contains(&fx.m_b1.person.name),
        "names the holder: {summary}"
    );
    assert!(
        summary.contains(BRANCH_B1),
        "and the holder's branch: {summary}"
    );
    assert!(!summary.contains(&fx.m_b1.person.resident_id), "{summary}");
    assert_eq!(todo_ids(&server, province).await, vec![case]);
    for token in [&fx.s1_admin.token, &fx.a_admin.token, &fx.b_admin.token] {
        assert!(todo_ids(&server, token).await.is_empty());
    }
    // Only the province (or above) decides.
    for token in [&fx.s1_admin.token, &fx.a1_admin.token, &fx.b_admin.token] {
        approve(&server, token, case).await.fails(404);
    }

    approve(&server, province, case).await.ok(200);
    let claimant = record(&server, &fx.root, new).await;
    assert_eq!(claimant["development_no"], number);
    assert!(
        claimant["development_no_conflict_request_id"].is_null(),
        "{claimant}"
    );
    assert!(record(&server, &fx.root, fx.m_b1.id).await["development_no"].is_null());
    assert_xlsx(
        &report(
            &server,
            province,
            fx.province,
            "development-no-conflicts.xlsx",
        )
        .await,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejecting_a_development_number_case_leaves_both_records_as_they_were() {
    let (server, fx) = school().await;
    let number = fx.m_b1.person.development_no.as_str();
    let (_, new, case) = claim_held_number(&server, &fx).await;
    reject(
        &server,
        &fx.province_admin.token,
        case,
        "编号经核实属于原持有人",
    )
    .await
    .ok(200);
    let claimant = record(&server, &fx.root, new).await;
    assert!(claimant["development_no"].is_null(), "{claimant}");
    assert!(
        claimant["development_no_conflict_request_id"].is_null(),
        "{claimant}"
    );
    assert_eq!(
        record(&server, &fx.root, fx.m_b1.id).await["development_no"],
        number
    );
    assert!(audit_entries(&server, &fx.root, "member", "update", None)
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_never_shows_the_holders_numbers_to_admins_outside_the_holders_scope() {
    let (server, fx) = school().await;
    let (created, new, case) = claim_held_number(&server, &fx).await;
    let holder = &fx.m_b1.person;
    let mut texts = vec![("creation", created.text)];
    for token in [&fx.a_admin.token, &fx.a1_admin.token] {
        let api = server.api(token);
        let view = api.get(&req_path(case)).await;
        assert_eq!(
            view.status, 200,
            "the claimant's side follows the case: {view:?}"
        );
        texts.push(("case", view.text));
        texts.push((
            "list",
            api.get("/api/v1/requests?role=requester").await.text,
        ));
        texts.push(("todos", api.get("/api/v1/todos").await.text));
        texts.push((
            "record",
            api.get(&format!("/api/v1/members/{new}")).await.text,
        ));
        texts.push(("audit", api.get("/api/v1/audit?per_page=500").await.text));
    }
    for (what, text) in &texts {
        assert!(
            !text.contains(&holder.resident_id) && !text.contains(&holder.phone),
            "{what} reveals the holder's numbers: {text}"
        );
    }
    // The holder's record itself stays out of reach.
    server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{}", fx.m_b1.id))
        .await
        .fails(404);
}
