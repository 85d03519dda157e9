//! TRF-1 … TRF-12: organisation relationship transfers (组织关系转接) — who starts them, who
//! decides, what is refused, the member moving on approval, races, progress lists, to-dos and
//! the lost-member lookup.

use serde_json::{json, Value};
use time::macros::date;

use crate::fixtures::upload_pdf;
use crate::fixtures::*;
use crate::harness::*;

pub const TRANSFERS: &str = "/api/v1/transfers";

pub fn tr_path(id: i64) -> String {
    format!("{TRANSFERS}/{id}")
}

/// ACC-8: an admin in scope saw the ID card.
pub async fn confirm_identity(server: &TestServer, token: &str, member: i64) {
    server
        .api(token)
        .post(
            &format!("/api/v1/members/{member}/identity"),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);
}

/// ARC-4: `uploader` (an admin in scope) uploads the 入团志愿书 and `reviewer` (the level above
/// the uploader) approves it.
pub async fn certify(server: &TestServer, uploader: &str, reviewer: &str, m: &MemberFx) {
    let file_id = upload_pdf(server, uploader).await;
    server
        .api(uploader)
        .post(
            &format!("/api/v1/members/{}/archives", m.id),
            &json!({"kind": "admission_form", "file_id": file_id}),
        )
        .await
        .ok(201);
    let items = server
        .api(reviewer)
        .get("/api/v1/requests?role=decider&status=pending&per_page=100")
        .await
        .items();
    let review = items
        .iter()
        .find(|r| r["kind"] == "archive_review" && r["member_name"] == m.person.name.as_str())
        .map(id_of)
        .unwrap_or_else(|| panic!("no archive review for {} in {items:?}", m.person.name));
    server
        .api(reviewer)
        .post_empty(&format!("/api/v1/requests/{review}/approve"))
        .await
        .ok(200);
}

/// TRF-7: identity confirmed and (joined 2020 or later) the 入团志愿书 approved.
pub async fn make_transferable(server: &TestServer, uploader: &str, reviewer: &str, m: &MemberFx) {
    confirm_identity(server, uploader, m.id).await;
    if m.person.joined_on.as_str() >= "2020" {
        certify(server, uploader, reviewer, m).await;
    }
}

/// The fixture's four members, each made transferable by its own chain.
pub async fn all_transferable(server: &TestServer, fx: &Fixture) {
    make_transferable(server, &fx.a1_admin.token, &fx.a_admin.token, &fx.m_a1).await;
    make_transferable(server, &fx.a2_admin.token, &fx.a_admin.token, &fx.m_a2).await;
    make_transferable(server, &fx.b_admin.token, &fx.s1_admin.token, &fx.m_b1).await;
    make_transferable(
        server,
        &fx.s2_admin.token,
        &fx.province_admin.token,
        &fx.m_s2,
    )
    .await;
}

/// A person who joined in 2019 (no 入团志愿书 needed, ARC-4): only the identity is confirmed.
pub async fn ready_member(server: &TestServer, fx: &Fixture, seq: u16, branch: i64) -> MemberFx {
    let mut p = Person::new(seq, &name_for(seq));
    p.joined_on = "2019-05".into();
    let m = member(server, &fx.root, p, branch).await;
    confirm_identity(server, &fx.root, m.id).await;
    m
}

pub async fn start(server: &TestServer, token: &str, body: Value) -> Resp {
    server.api(token).post(TRANSFERS, &body).await
}

/// Body of a transfer of a known member into `target`.
pub fn to_org(member: i64, target: i64, reason: &str) -> Value {
    json!({"member_id": member, "target_org_id": target, "reason": reason})
}

/// Starts a transfer and returns its id (panics unless 201).
pub async fn started(server: &TestServer, token: &str, body: Value) -> i64 {
    id_of(&start(server, token, body).await.ok(201))
}

pub async fn approve(server: &TestServer, token: &str, id: i64, body: Value) -> Resp {
    server
        .api(token)
        .post(&format!("{}/approve", tr_path(id)), &body)
        .await
}

pub async fn reject(server: &TestServer, token: &str, id: i64, reason: &str) -> Resp {
    server
        .api(token)
        .post(
            &format!("{}/reject", tr_path(id)),
            &json!({ "reason": reason }),
        )
        .await
}

pub async fn cancel(server: &TestServer, token: &str, id: i64) -> Resp {
    server
        .api(token)
        .post_empty(&format!("{}/cancel", tr_path(id)))
        .await
}

pub async fn view(server: &TestServer, token: &str, id: i64) -> Value {
    server.api(token).get(&tr_path(id)).await.ok(200)
}

/// The ids of `GET /api/v1/transfers?{query}` (sorted), checking `total`.
async fn listed(server: &TestServer, token: &str, query: &str) -> Vec<i64> {
    let body = server
        .api(token)
        .get(&format!("{TRANSFERS}?per_page=100&{query}"))
        .await
        .ok(200);
    let items = body["items"].as_array().expect("items");
    assert_eq!(body["total"], items.len(), "{query}: {body}");
    let mut got = ids(items);
    got.sort();
    got
}

fn actions(v: &Value) -> Vec<String> {
    v["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn member_ids_in(server: &TestServer, token: &str, org: i64) -> Vec<i64> {
    ids(&server
        .api(token)
        .get(&format!(
            "/api/v1/orgs/{org}/members?subtree=true&per_page=100"
        ))
        .await
        .items())
}

// ---------------------------------------------------------------------------------------------
// Who starts, who decides, and the member moving

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_started_transfer_is_decided_by_the_target_and_moves_the_member_at_once() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let me = member_token(&server, &fx.root, m).await;

    // The member starts it; `member_id` may be left out or name themself, nobody else.
    start(&server, &me, to_org(fx.m_a2.id, fx.b1, "school_change"))
        .await
        .fails(404);
    let t = start(
        &server,
        &me,
        json!({"target_org_id": fx.b1, "reason": "school_change"}),
    )
    .await
    .ok(201);
    let id = id_of(&t);
    assert_eq!(t["status"], "pending", "{t}");
    assert_eq!(t["initiator"], "member");
    assert_eq!(t["initiator_name"], m.person.name.as_str());
    assert_eq!(t["kind"], "internal");
    assert_eq!(t["pending_party"], "target");
    assert_eq!(t["pending_org"]["id"], fx.b1);
    assert_eq!(t["source_org"]["id"], fx.a1);
    assert_eq!(t["target_org"]["id"], fx.b1);
    assert_eq!(t["reason_label"], "转学");
    assert_eq!(t["can_cancel"], true);
    assert_eq!(t["can_decide"], false);
    assert_ne!(
        t["resident_id"],
        m.person.resident_id.as_str(),
        "masked: {t}"
    );
    assert_eq!(actions(&t), ["start"]);

    // The source side sees it but cannot decide; the target side (and anyone above it) can.
    let src = view(&server, &fx.a_admin.token, id).await;
    assert_eq!(
        (src["can_decide"].clone(), src["can_cancel"].clone()),
        (json!(false), json!(false))
    );
    approve(&server, &fx.a_admin.token, id, json!({}))
        .await
        .err(403, "forbidden");
    approve(&server, &fx.a1_admin.token, id, json!({}))
        .await
        .err(403, "forbidden");
    approve(&server, &me, id, json!({})).await.fails(403);
    for token in [
        &fx.b_admin.token,
        &fx.s1_admin.token,
        &fx.province_admin.token,
    ] {
        assert_eq!(view(&server, token, id).await["can_decide"], true);
    }
    // Unrelated admins do not even see it.
    for token in [&fx.a2_admin.token, &fx.s2_admin.token] {
        server
            .api(token)
            .get(&tr_path(id))
            .await
            .err(404, "not_found");
        approve(&server, token, id, json!({}))
            .await
            .err(404, "not_found");
    }

    // TRF-4: an approver who has not checked the archives is refused.
    approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"archives_checked": false}),
    )
    .await
    .err(422, "archives_not_checked")
    .with_field("archives_checked");
    let done = approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"archives_checked": true}),
    )
    .await
    .ok(200);
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["assigned_branch"]["id"], fx.b1);
    assert_eq!(done["archives_checked"], true);
    assert_eq!(done["pending_party"], Value::Null);
    assert_eq!(done["can_decide"], false);
    assert_eq!(actions(&done), ["start", "approve"]);

    // The member moved in the same step: the old college lost them, the new one has them.
    server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .err(404, "not_found");
    let rec = server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(rec["org_id"], fx.b1, "{rec}");
    assert!(!member_ids_in(&server, &fx.a_admin.token, fx.col_a)
        .await
        .contains(&m.id));
    assert!(member_ids_in(&server, &fx.b_admin.token, fx.col_b)
        .await
        .contains(&m.id));
    // The member's session follows at once.
    let who = server.api(&me).get("/api/v1/me").await.ok(200);
    assert_eq!(who["org_id"], fx.b1, "{who}");
    // Both sides keep seeing the finished transfer.
    view(&server, &fx.a_admin.token, id).await;
    view(&server, &me, id).await;

    // Any second decision is a conflict.
    approve(&server, &fx.b_admin.token, id, json!({}))
        .await
        .err(409, "transfer_not_pending");
    reject(&server, &fx.b_admin.token, id, "重复")
        .await
        .err(409, "transfer_not_pending");
    cancel(&server, &me, id)
        .await
        .err(409, "transfer_not_pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_started_transfer_can_be_rejected_with_a_reason_and_started_again() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;

    // Out of scope: the member is not found.
    start(
        &server,
        &fx.a2_admin.token,
        to_org(m.id, fx.s2b, "graduation"),
    )
    .await
    .err(404, "not_found");
    let t = start(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.s2b, "graduation"),
    )
    .await
    .ok(201);
    let id = id_of(&t);
    assert_eq!(t["initiator"], "source");
    assert_eq!(t["initiator_name"], fx.a1_admin.name.as_str());
    assert_eq!(t["pending_party"], "target");

    // The source's own school sees it but the other school decides.
    assert_eq!(
        view(&server, &fx.s1_admin.token, id).await["can_decide"],
        false
    );
    reject(&server, &fx.s1_admin.token, id, "不同意")
        .await
        .err(403, "forbidden");
    assert_eq!(
        view(&server, &fx.s2_admin.token, id).await["can_decide"],
        true
    );
    reject(&server, &fx.s2_admin.token, id, "  ")
        .await
        .err(422, "required")
        .with_field("reason");
    let r = reject(&server, &fx.s2_admin.token, id, "该生未被我校录取")
        .await
        .ok(200);
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(r["decision_reason"], "该生未被我校录取");
    assert_eq!(actions(&r), ["start", "reject"]);
    let h = &r["history"][1];
    assert_eq!(h["actor_name"], fx.s2_admin.name.as_str(), "{r}");
    assert_eq!(h["note"], "该生未被我校录取");

    // Nothing moved; a fresh transfer may start.
    let rec = server
        .api(&fx.a1_admin.token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(rec["org_id"], fx.a1);
    approve(&server, &fx.s2_admin.token, id, json!({}))
        .await
        .err(409, "transfer_not_pending");
    started(
        &server,
        &fx.a_admin.token,
        to_org(m.id, fx.a2, "job_change"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_side_admin_finds_the_member_by_name_and_id_and_the_source_releases_them() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let by_target = |target: i64, name: &str| {
        json!({"name": name, "resident_id": m.person.resident_id, "target_org_id": target,
               "reason": "further_study"})
    };

    // The name must match the ID number; the target must be one of the actor's branches.
    start(&server, &fx.b_admin.token, by_target(fx.b1, "赵若"))
        .await
        .err(422, "member_not_found")
        .with_field("resident_id");
    start(
        &server,
        &fx.b_admin.token,
        by_target(fx.col_b, &m.person.name),
    )
    .await
    .err(422, "target_branch_required");
    start(
        &server,
        &fx.b_admin.token,
        by_target(fx.s2b, &m.person.name),
    )
    .await
    .err(404, "not_found");
    start(
        &server,
        &fx.b_admin.token,
        json!({"target_org_id": fx.b1, "reason": "further_study"}),
    )
    .await
    .err(422, "member_required");

    let t = start(&server, &fx.b_admin.token, by_target(fx.b1, &m.person.name))
        .await
        .ok(201);
    let id = id_of(&t);
    assert_eq!(t["initiator"], "target", "{t}");
    assert_eq!(t["pending_party"], "source");
    assert_eq!(t["pending_org"]["id"], fx.a1);
    assert!(
        !t.to_string().contains(&m.person.resident_id),
        "the target side does not get the full ID number back: {t}"
    );

    // The target side waits; the source side (branch or above) releases.
    assert_eq!(t["can_decide"], false);
    approve(&server, &fx.b_admin.token, id, json!({}))
        .await
        .err(403, "forbidden");
    assert_eq!(
        view(&server, &fx.a1_admin.token, id).await["can_decide"],
        true
    );
    let done = approve(&server, &fx.a_admin.token, id, json!({}))
        .await
        .ok(200);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["assigned_branch"]["id"], fx.b1);
    let rec = server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(rec["org_id"], fx.b1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_above_branches_assigns_the_member_to_one_of_its_branches() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let graduates = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(fx.col_b, "机械工程2022届毕业生团支部", "branch", UNIVERSITY),
                json!({"branch_type": "graduate"}),
            ),
        )
        .await,
    );
    let id = started(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.col_b, "school_change"),
    )
    .await;
    assert_eq!(
        view(&server, &fx.b_admin.token, id).await["pending_org"]["id"],
        fx.col_b
    );

    approve(&server, &fx.b_admin.token, id, json!({}))
        .await
        .err(422, "branch_required")
        .with_field("branch_id");
    approve(&server, &fx.b_admin.token, id, json!({"branch_id": fx.a2}))
        .await
        .err(422, "branch_outside_target");
    approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"branch_id": fx.col_b}),
    )
    .await
    .err(422, "invalid_branch");
    approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"branch_id": graduates}),
    )
    .await
    .err(422, "invalid_branch");
    approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"branch_id": 999_999}),
    )
    .await
    .err(422, "invalid_branch");
    // Refusals left it pending.
    assert_eq!(
        view(&server, &fx.b_admin.token, id).await["status"],
        "pending"
    );
    let done = approve(&server, &fx.b_admin.token, id, json!({"branch_id": fx.b1}))
        .await
        .ok(200);
    assert_eq!(done["assigned_branch"]["id"], fx.b1, "{done}");
    assert_eq!(done["target_org"]["id"], fx.col_b);
    let rec = server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(rec["org_id"], fx.b1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn special_unit_transfers_are_decided_by_the_province_and_the_member_leaves() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let me = member_token(&server, &fx.root, m).await;
    let special = json!({"member_id": m.id, "special_unit": {"destination": "某部队"},
                         "reason": "military"});

    start(&server, &me, special.clone())
        .await
        .err(422, "special_unit_by_admin");
    start(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": m.id, "special_unit": {"destination": " "}, "reason": "military"}),
    )
    .await
    .fails(422)
    .with_field("special_unit");
    start(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": m.id, "special_unit": {"destination": "某部队"},
               "target_org_id": fx.b1, "reason": "military"}),
    )
    .await
    .err(422, "target_conflict");

    let t = start(&server, &fx.a1_admin.token, special).await.ok(201);
    let id = id_of(&t);
    assert_eq!(t["kind"], "special_unit", "{t}");
    assert_eq!(t["pending_party"], "province");
    assert_eq!(t["pending_org"]["id"], fx.province);
    assert_eq!(t["special_destination"], "某部队");
    assert_eq!(t["target_org"], Value::Null);

    // Only the province level (or above) decides.
    for token in [&fx.a_admin.token, &fx.s1_admin.token] {
        assert_eq!(view(&server, token, id).await["can_decide"], false);
        approve(&server, token, id, json!({}))
            .await
            .err(403, "forbidden");
    }
    approve(&server, &fx.s2_admin.token, id, json!({}))
        .await
        .err(404, "not_found");
    assert_eq!(
        view(&server, &fx.province_admin.token, id).await["can_decide"],
        true
    );
    let done = approve(&server, &fx.province_admin.token, id, json!({}))
        .await
        .ok(200);
    assert_eq!(done["status"], "completed", "{done}");

    // The member left the tree: no longer listed and cannot log in.
    assert!(!member_ids_in(&server, &fx.root, fx.top)
        .await
        .contains(&m.id));
    server.api(&me).get("/api/v1/me").await.fails(401);
    server
        .login_resp(&m.person.resident_id, MEMBER_PASSWORD)
        .await
        .fails(401);
    // The school still sees the finished transfer.
    assert_eq!(
        view(&server, &fx.s1_admin.token, id).await["status"],
        "completed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_system_transfers_complete_when_the_report_is_recorded() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let me = member_token(&server, &fx.root, m).await;

    start(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": m.id, "external_system": "shanghai", "reason": "job_change"}),
    )
    .await
    .fails(422)
    .with_field("external_system");
    let t = start(
        &server,
        &me,
        json!({"external_system": "beijing", "reason": "job_change"}),
    )
    .await
    .ok(201);
    let id = id_of(&t);
    assert_eq!(t["kind"], "external", "{t}");
    assert_eq!(t["status"], "awaiting_report");
    assert_eq!(t["external_system"], "beijing");
    assert_eq!(t["pending_party"], "external_report");
    assert_eq!(t["pending_org"]["id"], fx.a1);
    // Still active: a second one is refused.
    start(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.a2, "job_change"),
    )
    .await
    .err(409, "transfer_in_progress");

    // No approval step; the member cannot record the report; other colleges see nothing.
    approve(&server, &fx.a1_admin.token, id, json!({}))
        .await
        .err(409, "external_needs_report");
    let report = |file_id: i64| json!({ "file_id": file_id });
    let mine = upload_pdf(&server, &me).await;
    server
        .api(&me)
        .post(&format!("{}/external-report", tr_path(id)), &report(mine))
        .await
        .fails(403);
    let proof_b = upload_pdf(&server, &fx.b_admin.token).await;
    server
        .api(&fx.b_admin.token)
        .post(
            &format!("{}/external-report", tr_path(id)),
            &report(proof_b),
        )
        .await
        .err(404, "not_found");
    // Someone else's file is not proof.
    let foreign = upload_pdf(&server, &fx.a2_admin.token).await;
    server
        .api(&fx.a1_admin.token)
        .post(
            &format!("{}/external-report", tr_path(id)),
            &report(foreign),
        )
        .await
        .fails(422);

    let proof = upload_pdf(&server, &fx.a1_admin.token).await;
    let done = server
        .api(&fx.a1_admin.token)
        .post(&format!("{}/external-report", tr_path(id)), &report(proof))
        .await
        .ok(200);
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["proof_file_id"], proof);
    assert_eq!(actions(&done), ["start", "report"]);
    let again = upload_pdf(&server, &fx.a1_admin.token).await;
    server
        .api(&fx.a1_admin.token)
        .post(&format!("{}/external-report", tr_path(id)), &report(again))
        .await
        .err(409, "transfer_not_pending");

    // The member left: not listed, cannot log in.
    assert!(!member_ids_in(&server, &fx.a_admin.token, fx.col_a)
        .await
        .contains(&m.id));
    server.api(&me).get("/api/v1/me").await.fails(401);
    server
        .login_resp(&m.person.resident_id, MEMBER_PASSWORD)
        .await
        .fails(401);
}

// ---------------------------------------------------------------------------------------------
// Refusals

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_that_cannot_receive_a_transfer_are_refused() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let t = &fx.a1_admin.token;

    let graduates = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(fx.col_a, "计算机2022届毕业生团支部", "branch", UNIVERSITY),
                json!({"branch_type": "graduate"}),
            ),
        )
        .await,
    );
    let gone = branch(&server, &fx.root, fx.col_b, "已撤销的团支部").await;
    server
        .api(&fx.b_admin.token)
        .delete_with(
            &format!("/api/v1/orgs/{gone}"),
            &json!({"reason": "班级合并"}),
        )
        .await
        .ok(204);
    let beijing = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(fx.top, "共青团北京市委员会", "committee", "党政机关"),
                json!({"external_system": "beijing"}),
            ),
        )
        .await,
    );
    let bj_branch = branch(&server, &fx.root, beijing, "北京某单位团支部").await;

    start(&server, t, to_org(m.id, graduates, "graduation"))
        .await
        .err(422, "target_graduate_org")
        .with_field("target_org_id");
    start(&server, t, to_org(m.id, gone, "school_change"))
        .await
        .err(422, "target_deleted");
    start(&server, t, to_org(m.id, fx.a1, "school_change"))
        .await
        .err(422, "target_is_current");
    for target in [beijing, bj_branch] {
        start(&server, t, to_org(m.id, target, "job_change"))
            .await
            .err(422, "target_external");
    }
    start(&server, t, to_org(m.id, 999_999, "job_change"))
        .await
        .err(422, "target_not_found");
    start(
        &server,
        t,
        json!({"member_id": m.id, "reason": "job_change"}),
    )
    .await
    .err(422, "target_required");
    // TRF-3: reasons.
    start(&server, t, to_org(m.id, fx.a2, "bored"))
        .await
        .fails(422)
        .with_field("reason");
    start(&server, t, to_org(m.id, fx.a2, "other"))
        .await
        .err(422, "note_required")
        .with_field("note");
    let ok = start(
        &server,
        t,
        json!({"member_id": m.id, "target_org_id": fx.a2, "reason": "other", "note": "家庭原因"}),
    )
    .await
    .ok(201);
    assert_eq!(ok["note"], "家庭原因");
    assert_eq!(ok["reason"], "other");
    assert!(
        listed(&server, &fx.root, "").await == vec![id_of(&ok)],
        "nothing else was saved"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_prerequisites_are_all_listed_in_one_refusal() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let t = &fx.a1_admin.token;

    // Nothing done yet: identity and league identity both missing.
    let r = start(&server, t, to_org(m.id, fx.a2, "school_change")).await;
    r.err(422, "transfer_prerequisites").with_rule("TRF-7");
    let msg = r.message().to_string();
    assert!(msg.contains(&m.person.name), "{msg}");
    assert!(
        msg.contains("身份未核验") && msg.contains("入团志愿书"),
        "{msg}"
    );
    assert!(!msg.contains("更正"), "{msg}");
    // The member is told the same.
    let me = member_token(&server, &fx.root, m).await;
    start(
        &server,
        &me,
        json!({"target_org_id": fx.a2, "reason": "school_change"}),
    )
    .await
    .err(422, "transfer_prerequisites");

    // Identity confirmed: only the admission form is missing.
    confirm_identity(&server, t, m.id).await;
    let r = start(&server, t, to_org(m.id, fx.a2, "school_change")).await;
    r.err(422, "transfer_prerequisites");
    assert!(
        !r.message().contains("身份未核验") && r.message().contains("入团志愿书"),
        "{r:?}"
    );

    // A pending correction blocks too, listed alongside.
    let f = upload_pdf(&server, t).await;
    let correction = server
        .api(t)
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_correction", "member_id": m.id,
                    "changes": {"joined_on": "2019-09"}, "reason": "经核对入团志愿书，原记录有误",
                    "file_ids": [f]}),
        )
        .await
        .ok(201);
    let r = start(&server, t, to_org(m.id, fx.a2, "school_change")).await;
    r.err(422, "transfer_prerequisites");
    assert!(
        r.message().contains("入团志愿书") && r.message().contains("更正"),
        "{r:?}"
    );

    certify(&server, t, &fx.a_admin.token, m).await;
    let r = start(&server, t, to_org(m.id, fx.a2, "school_change")).await;
    r.err(422, "transfer_prerequisites");
    assert!(
        !r.message().contains("入团志愿书") && r.message().contains("更正"),
        "{r:?}"
    );

    server
        .api(t)
        .post_empty(&format!("/api/v1/requests/{}/cancel", id_of(&correction)))
        .await
        .ok(200);
    start(&server, t, to_org(m.id, fx.a2, "school_change"))
        .await
        .ok(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_of_a_branch_hands_over_before_leaving() {
    let (server, fx) = school().await;
    let a3 = branch(&server, &fx.root, fx.col_a, "计算机2303团支部").await;
    let x = ready_member(&server, &fx, 60, a3).await;
    let y = ready_member(&server, &fx, 61, a3).await;
    let appoint = |m: i64| {
        let server = &server;
        let token = fx.a_admin.token.clone();
        async move {
            server
                .api(&token)
                .post(
                    &format!("/api/v1/orgs/{a3}/admins"),
                    &json!({"member_id": m}),
                )
                .await
                .ok(201);
        }
    };
    appoint(x.id).await;

    let r = start(
        &server,
        &fx.a_admin.token,
        to_org(x.id, fx.a1, "school_change"),
    )
    .await;
    r.err(422, "last_branch_admin").with_rule("TRF-12");
    assert!(r.message().contains(&x.person.name), "{r:?}");
    // The other member is not an admin: no handover needed for them.
    let yt = started(
        &server,
        &fx.a_admin.token,
        to_org(y.id, fx.a1, "school_change"),
    )
    .await;
    cancel(&server, &fx.a_admin.token, yt).await.ok(200);

    appoint(y.id).await;
    let id = started(
        &server,
        &fx.a_admin.token,
        to_org(x.id, fx.a1, "school_change"),
    )
    .await;
    approve(&server, &fx.a1_admin.token, id, json!({}))
        .await
        .ok(200);
    let admins = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/orgs/{a3}/admins"))
        .await
        .items();
    let members: Vec<Value> = admins.iter().map(|a| a["member_id"].clone()).collect();
    assert_eq!(
        members,
        [json!(y.id)],
        "x handed over and is no admin of A3 any more: {admins:?}"
    );

    // Alone in the branch, the last admin may leave.
    let id = started(
        &server,
        &fx.a_admin.token,
        to_org(y.id, fx.a2, "school_change"),
    )
    .await;
    approve(&server, &fx.a2_admin.token, id, json!({}))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_leaving_admins_cannot_leave_a_branch_without_any_admin() {
    let (server, fx) = school().await;
    let a3 = branch(&server, &fx.root, fx.col_a, "计算机2303团支部").await;
    let x = ready_member(&server, &fx, 60, a3).await;
    let y = ready_member(&server, &fx, 61, a3).await;
    let z = ready_member(&server, &fx, 62, a3).await;
    for m in [&x, &y] {
        server
            .api(&fx.a_admin.token)
            .post(
                &format!("/api/v1/orgs/{a3}/admins"),
                &json!({"member_id": m.id}),
            )
            .await
            .ok(201);
    }
    // Both admins start leaving while each still has the other as co-admin.
    let tx = started(
        &server,
        &fx.a_admin.token,
        to_org(x.id, fx.a1, "school_change"),
    )
    .await;
    let ty = started(
        &server,
        &fx.a_admin.token,
        to_org(y.id, fx.a2, "school_change"),
    )
    .await;
    approve(&server, &fx.a1_admin.token, tx, json!({}))
        .await
        .ok(200);
    // Approving the second would leave z's branch with no admin (TRF-12).
    approve(&server, &fx.a2_admin.token, ty, json!({}))
        .await
        .err(422, "last_branch_admin");
    let admins = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/orgs/{a3}/admins"))
        .await
        .items();
    assert_eq!(admins.len(), 1, "{admins:?}");
    assert!(member_ids_in(&server, &fx.a_admin.token, a3)
        .await
        .contains(&z.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_transfers_from_an_external_system_refuse_members_who_joined_under_13() {
    let (server, fx) = school().await;
    let beijing = id_of(
        &create_org(
            &server,
            &fx.root,
            with(
                org_body(fx.top, "共青团北京市委员会", "committee", "党政机关"),
                json!({"external_system": "beijing"}),
            ),
        )
        .await,
    );
    let bj_school = id_of(
        &create_org(
            &server,
            &fx.root,
            org_body(beijing, "共青团北京某中学委员会", "committee", "完全中学"),
        )
        .await,
    );
    let bj_branch = branch(&server, &fx.root, bj_school, "北京某中学初三团支部").await;
    // Both joined before 2017 under 14 (kept as offline-managed records, MEM-2): one at 12,
    // one at 13.
    let add = |seq: u16, joined: &str| {
        let mut p = Person::born(seq, &name_for(seq), date!(2001 - 01 - 10));
        p.joined_on = joined.into();
        let server = &server;
        let root = fx.root.clone();
        async move {
            let mut body = p.body(bj_branch);
            body["development_no"] = Value::Null;
            let id = id_of(
                &server
                    .api(&root)
                    .post("/api/v1/members", &body)
                    .await
                    .ok(201),
            );
            confirm_identity(server, &root, id).await;
            (id, p)
        }
    };
    let (young_id, young) = add(70, "2013-05").await;
    let (_, thirteen) = add(71, "2014-05").await;

    // The Tianjin branch's college asks for them by name and ID number.
    let ask = |p: &Person| {
        json!({"name": p.name, "resident_id": p.resident_id, "target_org_id": fx.a1,
               "reason": "residence_change"})
    };
    let r = start(&server, &fx.a_admin.token, ask(&young)).await;
    r.err(422, "joined_under_13").with_rule("TRF-9");
    assert!(r.message().contains("北京"), "{r:?}");
    // The same from the Beijing side.
    start(
        &server,
        &fx.root,
        to_org(young_id, fx.a1, "residence_change"),
    )
    .await
    .err(422, "joined_under_13");
    // Joined at 13: accepted.
    let ok = start(&server, &fx.a_admin.token, ask(&thirteen))
        .await
        .ok(201);
    assert_eq!(ok["pending_party"], "source");
    assert_eq!(ok["source_org"]["id"], bj_branch);
}

// ---------------------------------------------------------------------------------------------
// One at a time, cancelling, history

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_transfer_at_a_time_and_the_refusal_names_who_started_it() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let me = member_token(&server, &fx.root, m).await;

    let first = started(
        &server,
        &me,
        json!({"target_org_id": fx.b1, "reason": "school_change"}),
    )
    .await;
    server.advance(time::Duration::minutes(5));
    for (token, body) in [
        (&fx.a1_admin.token, to_org(m.id, fx.a2, "school_change")),
        (
            &fx.b_admin.token,
            json!({"name": m.person.name, "resident_id": m.person.resident_id,
                   "target_org_id": fx.b1, "reason": "school_change"}),
        ),
        (
            &me,
            json!({"target_org_id": fx.s2b, "reason": "school_change"}),
        ),
    ] {
        let r = start(&server, token, body).await;
        r.err(409, "transfer_in_progress").with_rule("TRF-2");
        let msg = r.message();
        assert!(msg.contains("已有业务正在办理，不能重复发起"), "{msg}");
        assert!(msg.contains(&m.person.name), "names the initiator: {msg}");
        assert!(msg.contains("团员本人"), "{msg}");
        assert!(msg.contains("2026-11-29 10:00"), "says when: {msg}");
    }

    // Cancelling: the initiator or the member; the target side may not, others see nothing.
    cancel(&server, &fx.b_admin.token, first)
        .await
        .err(403, "forbidden");
    cancel(&server, &fx.a2_admin.token, first)
        .await
        .err(404, "not_found");
    cancel(&server, &fx.a1_admin.token, first)
        .await
        .err(403, "forbidden");
    let c = cancel(&server, &me, first).await.ok(200);
    assert_eq!(c["status"], "cancelled", "{c}");
    assert_eq!(actions(&c), ["start", "cancel"]);
    cancel(&server, &me, first)
        .await
        .err(409, "transfer_not_pending");
    approve(&server, &fx.b_admin.token, first, json!({}))
        .await
        .err(409, "transfer_not_pending");

    // The branch starts one; the member may withdraw it too.
    let second = started(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.a2, "job_change"),
    )
    .await;
    assert_eq!(view(&server, &me, second).await["can_cancel"], true);
    cancel(&server, &me, second).await.ok(200);
    // And the initiator withdraws their own.
    let third = started(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.a2, "job_change"),
    )
    .await;
    assert_eq!(
        view(&server, &fx.a1_admin.token, third).await["can_cancel"],
        true
    );
    assert_eq!(
        view(&server, &fx.a_admin.token, third).await["can_cancel"],
        false
    );
    cancel(&server, &fx.a1_admin.token, third).await.ok(200);

    // The member's history lists all three with who started them.
    let history = server
        .api(&me)
        .get(&format!("/api/v1/members/{}/transfers", m.id))
        .await
        .items();
    assert_eq!(ids(&history), [third, second, first], "{history:?}");
    let who: Vec<&str> = history
        .iter()
        .map(|t| t["initiator_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        who,
        [
            fx.a1_admin.name.as_str(),
            fx.a1_admin.name.as_str(),
            m.person.name.as_str()
        ]
    );
    assert!(history.iter().all(|t| t["status"] == "cancelled"));
    // Admins in scope see the same; other colleges don't.
    let h = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{}/transfers", m.id))
        .await
        .items();
    assert_eq!(h.len(), 3);
    server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/members/{}/transfers", m.id))
        .await
        .err(404, "not_found");
    let other = member_token(&server, &fx.root, &fx.m_a2).await;
    server
        .api(&other)
        .get(&format!("/api/v1/members/{}/transfers", m.id))
        .await
        .err(404, "not_found");
    server
        .api(&other)
        .get(&tr_path(first))
        .await
        .err(404, "not_found");
    assert!(listed(&server, &other, "").await.is_empty());
    assert_eq!(listed(&server, &me, "").await, [first, second, third]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_member_withdraws_their_active_transfer() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let id = started(
        &server,
        &fx.a1_admin.token,
        to_org(m.id, fx.b1, "school_change"),
    )
    .await;
    let del = server
        .api(&fx.a1_admin.token)
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_deletion", "member_id": m.id,
                    "changes": {"deletion_reason": "entered_in_error"},
                    "reason": "重复录入", "file_ids": []}),
        )
        .await
        .ok(201);
    // Decided at city level: 天津 is a municipality, so its 团市委.
    server
        .api(&fx.province_admin.token)
        .post_empty(&format!("/api/v1/requests/{}/approve", id_of(&del)))
        .await
        .ok(200);
    // The deletion withdrew the transfer with it: nothing is left to approve.
    let v = server
        .api(&fx.b_admin.token)
        .get(&tr_path(id))
        .await
        .ok(200);
    assert_eq!(v["status"], "cancelled", "{v}");
    assert!(v["history"].to_string().contains("团员记录已被删除"), "{v}");
    approve(&server, &fx.b_admin.token, id, json!({}))
        .await
        .err(409, "transfer_not_pending");
}

// ---------------------------------------------------------------------------------------------
// Races

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approve_and_reject_at_once_one_wins() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    for (m, target) in [(&fx.m_a1, fx.b1), (&fx.m_a2, fx.col_b)] {
        let id = started(
            &server,
            &fx.a_admin.token,
            to_org(m.id, target, "school_change"),
        )
        .await;
        let (x, y) = tokio::join!(
            approve(&server, &fx.b_admin.token, id, json!({"branch_id": fx.b1})),
            reject(&server, &fx.s1_admin.token, id, "材料不足")
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{x:?} / {y:?}");
        let (loser, winner) = if x.status == 409 {
            (&x, "rejected")
        } else {
            (&y, "completed")
        };
        loser.err(409, "transfer_not_pending");
        let v = view(&server, &fx.root, id).await;
        assert_eq!(v["status"], winner, "{v}");
        assert_eq!(v["history"].as_array().map(Vec::len), Some(2), "{v}");
        let rec = server
            .api(&fx.root)
            .get(&format!("/api/v1/members/{}", m.id))
            .await
            .ok(200);
        let expected = if winner == "completed" {
            fx.b1
        } else {
            m_branch(&fx, m.id)
        };
        assert_eq!(rec["org_id"], expected, "{rec}");
    }
}

fn m_branch(fx: &Fixture, member: i64) -> i64 {
    if member == fx.m_a1.id {
        fx.a1
    } else {
        fx.a2
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_starts_at_once_for_one_member_admit_exactly_one() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    for m in [&fx.m_a1, &fx.m_a2] {
        let (x, y) = tokio::join!(
            start(
                &server,
                &fx.a_admin.token,
                to_org(m.id, fx.b1, "school_change")
            ),
            start(
                &server,
                &fx.s1_admin.token,
                to_org(m.id, fx.s2b, "graduation")
            )
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{x:?} / {y:?}");
        let loser = if x.status == 409 { &x } else { &y };
        loser.err(409, "transfer_in_progress");
        let history = server
            .api(&fx.root)
            .get(&format!("/api/v1/members/{}/transfers", m.id))
            .await
            .items();
        assert_eq!(history.len(), 1, "{history:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Progress lists, overdue, to-dos

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_lists_show_both_sides_filter_and_flag_overdue_transfers() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    // Sets the member's password; the session itself expires while the clock moves.
    member_token(&server, &fx.root, &fx.m_b1).await;

    // t1: A1 → B1 by the member's branch (day 0); t2: B1 → A2 by the member (day 3);
    // t3: S2 → A1 asked by college A (day 12), rejected.
    let t1 = started(
        &server,
        &fx.a1_admin.token,
        to_org(fx.m_a1.id, fx.b1, "school_change"),
    )
    .await;
    server.advance(time::Duration::days(3));
    let me = server
        .login(&fx.m_b1.person.resident_id, MEMBER_PASSWORD)
        .await;
    let t2 = started(
        &server,
        &me,
        json!({"target_org_id": fx.a2, "reason": "other", "note": "转专业"}),
    )
    .await;
    server.advance(time::Duration::days(9));
    let a = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let b = server.login(&fx.b_admin.login, &fx.b_admin.password).await;
    let s1 = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    let s2 = server
        .login(&fx.s2_admin.login, &fx.s2_admin.password)
        .await;
    let a2 = server
        .login(&fx.a2_admin.login, &fx.a2_admin.password)
        .await;
    let t3 = started(
        &server,
        &a,
        json!({"name": fx.m_s2.person.name, "resident_id": fx.m_s2.person.resident_id,
               "target_org_id": fx.a1, "reason": "further_study"}),
    )
    .await;
    reject(&server, &s2, t3, "尚未毕业").await.ok(200);

    // Both sides see what touches them; others don't.
    assert_eq!(listed(&server, &a, "").await, [t1, t2, t3]);
    assert_eq!(listed(&server, &a, "direction=out").await, [t1]);
    assert_eq!(listed(&server, &a, "direction=in").await, [t2, t3]);
    assert_eq!(listed(&server, &b, "").await, [t1, t2]);
    assert_eq!(listed(&server, &b, "direction=in").await, [t1]);
    assert_eq!(listed(&server, &s2, "").await, [t3]);
    assert_eq!(listed(&server, &a2, "").await, [t2]);
    assert_eq!(listed(&server, &s1, "").await, [t1, t2, t3]);
    server
        .api(&s2)
        .get(&tr_path(t1))
        .await
        .err(404, "not_found");
    server
        .api(&a)
        .get(&format!("{TRANSFERS}?direction=sideways"))
        .await
        .fails(422)
        .with_field("direction");

    // Filters.
    assert_eq!(listed(&server, &s1, "status=pending").await, [t1, t2]);
    assert_eq!(listed(&server, &s1, "status=active").await, [t1, t2]);
    assert_eq!(listed(&server, &s1, "status=rejected").await, [t3]);
    assert_eq!(listed(&server, &s1, "initiator=member").await, [t2]);
    assert_eq!(listed(&server, &s1, "initiator=source").await, [t1]);
    assert_eq!(listed(&server, &s1, "initiator=target").await, [t3]);
    assert_eq!(listed(&server, &s1, "reason=other").await, [t2]);
    assert_eq!(listed(&server, &s1, "kind=internal").await, [t1, t2, t3]);
    assert!(listed(&server, &s1, "kind=special_unit").await.is_empty());
    assert_eq!(listed(&server, &s1, "from=2026-12-02").await, [t2, t3]);
    assert_eq!(listed(&server, &s1, "to=2026-12-02").await, [t1, t2]);
    assert_eq!(
        listed(&server, &s1, "from=2026-12-02&to=2026-12-02").await,
        [t2]
    );
    server
        .api(&s1)
        .get(&format!("{TRANSFERS}?from=2026-13-01"))
        .await
        .err(422, "invalid_date")
        .with_field("from");
    server
        .api(&s1)
        .get(&format!("{TRANSFERS}?status=lost"))
        .await
        .fails(422)
        .with_field("status");
    // Search by part of the name, the student number or the full ID number.
    let surname: String = fx.m_a1.person.name.chars().skip(1).collect();
    assert_eq!(listed(&server, &s1, &format!("q={surname}")).await, [t1]);
    assert_eq!(
        listed(&server, &s1, &format!("q={}", fx.m_b1.person.student_no)).await,
        [t2]
    );
    assert_eq!(
        listed(&server, &s1, &format!("q={}", fx.m_s2.person.resident_id)).await,
        [t3]
    );
    assert!(listed(&server, &s1, "q=查无此人").await.is_empty());

    // Overdue: active and waiting more than 10 days.
    let v1 = view(&server, &a, t1).await;
    assert_eq!(v1["days_waiting"], 12, "{v1}");
    assert_eq!(v1["overdue"], true);
    assert_eq!(v1["pending_party"], "target");
    let v2 = view(&server, &a, t2).await;
    assert_eq!(
        (v2["days_waiting"].clone(), v2["overdue"].clone()),
        (json!(9), json!(false))
    );
    let v3 = view(&server, &a, t3).await;
    assert_eq!(
        v3["overdue"], false,
        "finished ones are never overdue: {v3}"
    );
    assert_eq!(v3["pending_party"], Value::Null);
    assert_eq!(listed(&server, &s1, "overdue=true").await, [t1]);
    // Every item carries the progress fields.
    let body = server.api(&b).get(TRANSFERS).await.ok(200);
    for item in body["items"].as_array().expect("items") {
        for k in [
            "pending_party",
            "days_waiting",
            "overdue",
            "can_decide",
            "can_cancel",
            "history",
        ] {
            assert!(
                item.as_object().expect("object").contains_key(k),
                "{k}: {item}"
            );
        }
    }
    let as_b = body["items"].as_array().expect("items");
    let t1_b = as_b.iter().find(|t| id_of(t) == t1).expect("t1");
    assert_eq!(t1_b["can_decide"], true);

    // Two more days: t2 becomes overdue too (11 days).
    server.advance(time::Duration::days(2));
    let s1 = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    assert_eq!(listed(&server, &s1, "overdue=true").await, [t1, t2]);
    let v2 = view(&server, &s1, t2).await;
    assert_eq!(
        (v2["days_waiting"].clone(), v2["overdue"].clone()),
        (json!(11), json!(true))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overdue_flag_and_the_overdue_filter_agree() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let id = started(
        &server,
        &fx.a1_admin.token,
        to_org(fx.m_a1.id, fx.a2, "school_change"),
    )
    .await;
    // Started 2026-11-29 10:00. On 2026-12-09 at 09:00 it has waited 10 calendar days: neither
    // the flag nor the filter says overdue.
    server.advance(time::Duration::days(10) - time::Duration::hours(1));
    let a = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let v = view(&server, &a, id).await;
    assert_eq!(
        (v["days_waiting"].clone(), v["overdue"].clone()),
        (json!(10), json!(false)),
        "{v}"
    );
    assert!(listed(&server, &a, "overdue=true").await.is_empty());
    // On 2026-12-10 at 09:00 (11 calendar days, not yet 11 × 24 hours) both do.
    server.advance(time::Duration::days(1));
    let a = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let v = view(&server, &a, id).await;
    assert_eq!(
        (v["days_waiting"].clone(), v["overdue"].clone()),
        (json!(11), json!(true)),
        "{v}"
    );
    assert_eq!(listed(&server, &a, "overdue=true").await, [id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deciding_org_has_the_transfer_on_its_todo_list() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let todo_ids = |token: String| {
        let server = &server;
        async move {
            let items = server.api(&token).get("/api/v1/todos").await.items();
            items
                .iter()
                .filter(|t| t["kind"] == "transfer")
                .map(id_of)
                .collect::<Vec<_>>()
        }
    };
    let id = started(
        &server,
        &fx.a1_admin.token,
        to_org(fx.m_a1.id, fx.col_b, "school_change"),
    )
    .await;
    let special = started(
        &server,
        &fx.a2_admin.token,
        json!({"member_id": fx.m_a2.id, "special_unit": {"destination": "某涉密单位"},
               "reason": "job_change"}),
    )
    .await;
    assert_eq!(todo_ids(fx.b_admin.token.clone()).await, [id]);
    assert_eq!(todo_ids(fx.province_admin.token.clone()).await, [special]);
    // Not for the starter, not for the levels above or elsewhere.
    for t in [
        &fx.a1_admin,
        &fx.a_admin,
        &fx.s1_admin,
        &fx.s2_admin,
        &fx.a2_admin,
    ] {
        assert!(todo_ids(t.token.clone()).await.is_empty(), "{}", t.login);
    }
    let body = server
        .api(&fx.b_admin.token)
        .get("/api/v1/todos")
        .await
        .ok(200);
    let item = body["items"]
        .as_array()
        .and_then(|i| i.iter().find(|t| t["kind"] == "transfer"))
        .cloned()
        .expect("transfer to-do");
    assert!(
        item["title"]
            .as_str()
            .unwrap_or_default()
            .contains(&fx.m_a1.person.name),
        "{item}"
    );
    assert_eq!(item["link"], format!("/transfers/{id}"));
    // Once decided it is gone.
    approve(&server, &fx.b_admin.token, id, json!({"branch_id": fx.b1}))
        .await
        .ok(200);
    assert!(todo_ids(fx.b_admin.token.clone()).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Lookup (TRF-10)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lookup_shows_only_the_org_and_its_contact_even_outside_scope() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let path = |name: &str, rid: &str| {
        format!(
            "/api/v1/transfer-lookup?name={}&resident_id={rid}",
            url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        )
    };
    for admin in [&fx.s2_admin, &fx.b_admin, &fx.a2_admin] {
        let r = server
            .api(&admin.token)
            .get(&path(&m.person.name, &m.person.resident_id))
            .await;
        let text = r.text.clone();
        let body = r.ok(200);
        let obj = body.as_object().expect("object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["admin_contact", "org_name"], "{body}");
        assert!(
            body["org_name"]
                .as_str()
                .unwrap_or_default()
                .contains(BRANCH_A1),
            "{body}"
        );
        assert!(
            body["admin_contact"]
                .as_str()
                .unwrap_or_default()
                .contains(&fx.a1_admin.name),
            "{body}"
        );
        for secret in [&m.person.resident_id, &m.person.phone, &m.person.student_no] {
            assert!(!text.contains(secret.as_str()), "{secret} in {text}");
        }
        assert!(!text.contains(&m.person.resident_id[..14]), "{text}");
    }
    // Wrong name: refused, nothing revealed.
    let r = server
        .api(&fx.s2_admin.token)
        .get(&path("王某某", &m.person.resident_id))
        .await;
    r.err(422, "member_not_found");
    assert!(!r.text.contains(BRANCH_A1), "{r:?}");
    // Members may not look people up.
    let me = member_token(&server, &fx.root, &fx.m_a2).await;
    server
        .api(&me)
        .get(&path(&m.person.name, &m.person.resident_id))
        .await
        .fails(403);
}
