//! ACC-8 identity verification: offline confirmation by admins in scope, the figures per status
//! and the lists behind them, the periodic re-check with an external verifier (a small HTTP
//! server inside the test) and with the built-in check, and the pages.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use tuanwu_store::ConnectionTrait;

use crate::fixtures::*;
use crate::harness::{ids, TestServer};

fn identity_path(id: i64) -> String {
    format!("/api/v1/members/{id}/identity")
}

fn stats_path(org: i64) -> String {
    format!("/api/v1/orgs/{org}/identity-stats")
}

async fn filtered(server: &TestServer, token: &str, org: i64, status: &str) -> Vec<i64> {
    ids(&server
        .api(token)
        .get(&format!(
            "/api/v1/orgs/{org}/members?subtree=true&identity={status}"
        ))
        .await
        .items())
}

/// `counts` of the stats answer as (pending, verified, verified_offline, failed).
fn counts(stats: &Value) -> (i64, i64, i64, i64) {
    let c = &stats["counts"];
    let n = |k: &str| c[k].as_i64().unwrap_or_else(|| panic!("no {k} in {stats}"));
    (
        n("pending"),
        n("verified"),
        n("verified_offline"),
        n("failed"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_in_scope_confirm_offline_or_mark_failed_with_a_reason() {
    let (server, fx) = school().await;

    // The branch admin saw the ID card.
    let m = server
        .api(&fx.a1_admin.token)
        .post(
            &identity_path(fx.m_a1.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);
    assert_eq!(m["identity_check"], "verified_offline", "{m}");
    assert_eq!(m["identity_check_label"], "线下通过");
    let note = m["identity_note"].as_str().unwrap();
    assert!(
        note.contains(&fx.a1_admin.name) && note.contains("2026年11月29日10:00"),
        "the note names who confirmed and when: {note}"
    );
    assert!(m["identity_checked_at"].as_str().is_some(), "{m}");
    // Verified records are locked (ACC-9) and not confirmed twice.
    server
        .api(&fx.a1_admin.token)
        .post(
            &identity_path(fx.m_a1.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .err(409, "identity_already_verified");
    server
        .api(&fx.a_admin.token)
        .post(
            &identity_path(fx.m_a1.id),
            &json!({"status": "failed", "reason": "照片不符"}),
        )
        .await
        .err(409, "identity_already_verified");
    server
        .api(&fx.a_admin.token)
        .patch(
            &format!("/api/v1/members/{}", fx.m_a1.id),
            &json!({"name": "赵若汐"}),
        )
        .await
        .err(422, "identity_locked")
        .with_rule("ACC-9");

    // 未通过 needs a reason; the college admin is in scope of A2.
    let path = identity_path(fx.m_a2.id);
    let a = server.api(&fx.a_admin.token);
    a.post(&path, &json!({"status": "failed"}))
        .await
        .err(422, "identity_reason_required")
        .with_field("reason")
        .with_rule("ACC-8");
    a.post(&path, &json!({"status": "failed", "reason": "   "}))
        .await
        .err(422, "identity_reason_required");
    a.post(
        &path,
        &json!({"status": "failed", "reason": "字".repeat(201)}),
    )
    .await
    .err(422, "identity_reason_too_long");
    for status in ["verified", "pending", "bogus"] {
        let r = a.post(&path, &json!({"status": status})).await;
        r.fails(422).with_field("status");
    }
    assert_eq!(
        server
            .api(&fx.root)
            .get(&format!("/api/v1/members/{}", fx.m_a2.id))
            .await
            .ok(200)["identity_check"],
        "pending",
        "refused input changes nothing"
    );
    let failed = a
        .post(
            &path,
            &json!({"status": "未通过", "reason": "姓名与身份证不一致"}),
        )
        .await
        .ok(200);
    assert_eq!(failed["identity_check"], "failed");
    assert_eq!(failed["identity_check_label"], "未通过");
    assert_eq!(failed["identity_note"], "姓名与身份证不一致");
    // A failed record can still be confirmed after the card was seen.
    let fixed = a
        .post(
            &path,
            &json!({"status": "verified_offline", "reason": "已核对户口本"}),
        )
        .await
        .ok(200);
    assert_eq!(fixed["identity_check"], "verified_offline");
    assert!(fixed["identity_note"]
        .as_str()
        .unwrap()
        .ends_with("备注：已核对户口本"));

    // Out of scope: another college, another school, a sibling branch — all 404.
    for (token, member) in [
        (&fx.b_admin.token, fx.m_a1.id),
        (&fx.s2_admin.token, fx.m_b1.id),
        (&fx.a1_admin.token, fx.m_b1.id),
        (&fx.a2_admin.token, fx.m_s2.id),
    ] {
        server
            .api(token)
            .post(
                &identity_path(member),
                &json!({"status": "failed", "reason": "照片不符"}),
            )
            .await
            .err(404, "not_found");
    }
    server
        .api(&fx.a_admin.token)
        .post(
            &identity_path(999_999),
            &json!({"status": "verified_offline"}),
        )
        .await
        .err(404, "not_found");
    // A member acting as a member is refused, even on their own record; anonymous is 401.
    let member = member_token(&server, &fx.root, &fx.m_b1).await;
    server
        .api(&member)
        .post(
            &identity_path(fx.m_b1.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .err(403, "forbidden");
    server
        .anon()
        .post(
            &identity_path(fx.m_b1.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .fails(401);
    let b1 = server
        .api(&fx.root)
        .get(&format!("/api/v1/members/{}", fx.m_b1.id))
        .await
        .ok(200);
    assert_eq!(b1["identity_check"], "pending", "{b1}");
    assert_eq!(b1["identity_check_label"], "待核验");
    assert_eq!(b1["identity_note"], Value::Null);

    // Audited, visible to the admins above.
    let log = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/audit?org_id={}", fx.a2))
        .await
        .items();
    let entry = log
        .iter()
        .find(|e| e["action"] == "identity_check" && e["after"]["identity_check"] == "failed")
        .unwrap_or_else(|| panic!("no identity_check entry in {log:?}"));
    assert_eq!(entry["entity_id"], fx.m_a2.id);
    assert_eq!(entry["before"]["identity_check"], "pending");
    assert_eq!(entry["actor_name"], fx.a_admin.name.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegated_admins_need_the_identity_permission() {
    let (server, fx) = school().await;
    let set_permissions = |keys: &'static str| {
        let server = &server;
        let role_id = fx.a_admin.role_id;
        let account_id = fx.a_admin.account_id;
        async move {
            server
                .ctx
                .db
                .conn()
                .execute_unprepared(&format!(
                    "UPDATE role_assignments SET permissions = '{keys}' WHERE id = {role_id}"
                ))
                .await
                .unwrap();
            server
                .ctx
                .actors
                .forget_account(tuanwu_domain::AccountId(account_id));
        }
    };
    set_permissions(r#"["members"]"#).await;
    let r = server
        .api(&fx.a_admin.token)
        .post(
            &identity_path(fx.m_a1.id),
            &json!({"status": "verified_offline"}),
        )
        .await;
    r.err(403, "forbidden");
    assert!(r.message().contains("身份线下核验"), "{r:?}");
    // Reading the figures needs no permission.
    server
        .api(&fx.a_admin.token)
        .get(&stats_path(fx.col_a))
        .await
        .ok(200);

    set_permissions(r#"["members","identity"]"#).await;
    let m = server
        .api(&fx.a_admin.token)
        .post(
            &identity_path(fx.m_a1.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);
    assert_eq!(m["identity_check"], "verified_offline");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_each_status_and_the_filtered_lists_match() {
    let (server, fx) = school().await;
    let extra = member(&server, &fx.root, Person::new(51, "周思远"), fx.a1).await;
    let empty = (0, 0, 0, 0);

    let s1 = server
        .api(&fx.s1_admin.token)
        .get(&stats_path(fx.s1))
        .await
        .ok(200);
    assert_eq!(s1["org_id"], fx.s1);
    assert_eq!(s1["total"], 4, "{s1}");
    assert_eq!(counts(&s1), (4, 0, 0, 0));
    let items = s1["items"].as_array().unwrap();
    let order: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["status"].as_str().unwrap(), i["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            ("pending", "待核验"),
            ("verified", "已认证"),
            ("verified_offline", "线下通过"),
            ("failed", "未通过")
        ]
    );

    let a = server.api(&fx.a_admin.token);
    a.post(
        &identity_path(fx.m_a1.id),
        &json!({"status": "verified_offline"}),
    )
    .await
    .ok(200);
    a.post(
        &identity_path(fx.m_a2.id),
        &json!({"status": "failed", "reason": "身份证号与本人不符"}),
    )
    .await
    .ok(200);
    server
        .api(&fx.s2_admin.token)
        .post(
            &identity_path(fx.m_s2.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);

    let s1 = server
        .api(&fx.s1_admin.token)
        .get(&stats_path(fx.s1))
        .await
        .ok(200);
    assert_eq!(counts(&s1), (2, 0, 1, 1), "{s1}");
    assert_eq!(s1["total"], 4);
    assert_eq!(s1["verified_total"], 1);
    let items = s1["items"].as_array().unwrap();
    assert_eq!(items[2]["count"], 1);
    assert_eq!(items[3]["count"], 1);
    let col_a = server
        .api(&fx.a_admin.token)
        .get(&stats_path(fx.col_a))
        .await
        .ok(200);
    assert_eq!(counts(&col_a), (1, 0, 1, 1), "{col_a}");
    let a1 = server
        .api(&fx.a1_admin.token)
        .get(&stats_path(fx.a1))
        .await
        .ok(200);
    assert_eq!(counts(&a1), (1, 0, 1, 0), "{a1}");
    let b = server
        .api(&fx.b_admin.token)
        .get(&stats_path(fx.col_b))
        .await
        .ok(200);
    assert_eq!(counts(&b), (1, 0, 0, 0));
    let province = server
        .api(&fx.province_admin.token)
        .get(&stats_path(fx.province))
        .await
        .ok(200);
    assert_eq!(counts(&province), (2, 0, 2, 1), "{province}");
    assert_eq!(province["total"], 5);
    let top = server.api(&fx.root).get(&stats_path(fx.s2b)).await.ok(200);
    assert_eq!(counts(&top), (0, 0, 1, 0));
    let branch_without_members = branch(&server, &fx.root, fx.col_b, "机械工程2302团支部").await;
    let none = server
        .api(&fx.root)
        .get(&stats_path(branch_without_members))
        .await
        .ok(200);
    assert_eq!(counts(&none), empty);
    assert_eq!(none["total"], 0);

    // Out of scope (or a member role): 404, like a missing org.
    server
        .api(&fx.a_admin.token)
        .get(&stats_path(fx.s1))
        .await
        .err(404, "not_found");
    server
        .api(&fx.s2_admin.token)
        .get(&stats_path(fx.a1))
        .await
        .err(404, "not_found");
    let member = member_token(&server, &fx.root, &fx.m_b1).await;
    server
        .api(&member)
        .get(&stats_path(fx.b1))
        .await
        .err(404, "not_found");

    // The list behind each figure.
    let t = &fx.s1_admin.token;
    let mut pending = filtered(&server, t, fx.s1, "pending").await;
    pending.sort_unstable();
    let mut want = vec![fx.m_b1.id, extra.id];
    want.sort_unstable();
    assert_eq!(pending, want);
    assert_eq!(
        filtered(&server, t, fx.s1, "verified_offline").await,
        [fx.m_a1.id]
    );
    assert_eq!(filtered(&server, t, fx.s1, "failed").await, [fx.m_a2.id]);
    assert!(filtered(&server, t, fx.s1, "verified").await.is_empty());
    assert_eq!(
        filtered(&server, t, fx.s1, "线下通过").await,
        [fx.m_a1.id],
        "the Chinese label works too"
    );
    let list = server
        .api(t)
        .get(&format!(
            "/api/v1/orgs/{}/members?subtree=true&identity=failed",
            fx.s1
        ))
        .await
        .ok(200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["identity_check"], "failed");
    // Without a filter, everyone; a wrong filter names the field.
    assert_eq!(member_total(&server, t, fx.s1).await, 4);
    server
        .api(t)
        .get(&format!("/api/v1/orgs/{}/members?identity=bogus", fx.s1))
        .await
        .err(422, "invalid_identity_check")
        .with_field("identity");
}

/// Answers like an identity service: match for 周嘉怡 (and the fixture's people), mismatch for
/// 吴欣怡, 500 for 陈俊杰, and too slow for 冯雨轩. Records what it was asked.
async fn fake_verifier(asked: Arc<Mutex<Vec<Value>>>) -> String {
    let app = axum::Router::new().route(
        "/verify",
        axum::routing::post(move |axum::Json(q): axum::Json<Value>| {
            let asked = asked.clone();
            async move {
                asked.lock().unwrap().push(q.clone());
                match q["name"].as_str().unwrap_or("") {
                    "吴欣怡" => axum::Json(
                        json!({"match": false, "reason": "公安户籍信息中姓名与身份证号不一致"}),
                    )
                    .into_response(),
                    "陈俊杰" => (StatusCode::INTERNAL_SERVER_ERROR, "internal").into_response(),
                    "冯雨轩" => {
                        tokio::time::sleep(Duration::from_secs(12)).await;
                        axum::Json(json!({"match": true})).into_response()
                    }
                    _ => axum::Json(json!({"match": true})).into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/verify")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_rechecks_with_an_http_verifier_and_leaves_errors_pending() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let url = fake_verifier(asked.clone()).await;
    let server = TestServer::start_with_policy(tuanwu_app::Policy {
        identity_verifier_url: Some(url),
        ..Default::default()
    })
    .await;
    let fx = build_school(&server).await;
    let good = member(&server, &fx.root, Person::new(61, "周嘉怡"), fx.a1).await;
    let bad = member(&server, &fx.root, Person::new(62, "吴欣怡"), fx.a1).await;
    let error = member(&server, &fx.root, Person::new(63, "陈俊杰"), fx.a1).await;
    let slow = member(&server, &fx.root, Person::new(64, "冯雨轩"), fx.a1).await;
    // Confirmed offline already: not asked again.
    server
        .api(&fx.root)
        .post(
            &identity_path(fx.m_s2.id),
            &json!({"status": "verified_offline"}),
        )
        .await
        .ok(200);
    // Failed by an admin who saw the person: the job does not overrule them.
    server
        .api(&fx.root)
        .post(
            &identity_path(fx.m_b1.id),
            &json!({"status": "failed", "reason": "本人持证与登记姓名不符"}),
        )
        .await
        .ok(200);

    let started = std::time::Instant::now();
    let summary = tuanwu_app::identity::recheck(&server.ctx, 100)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(11),
        "the slow answer is cut off after 5 s: {:?}",
        started.elapsed()
    );
    assert_eq!(summary.checked, 6, "{summary:?}");
    assert_eq!(
        summary.verified, 3,
        "two fixture members and 周嘉怡: {summary:?}"
    );
    assert_eq!(summary.failed, 1, "{summary:?}");
    assert_eq!(summary.unavailable, 2, "{summary:?}");
    assert_eq!(summary.next_after, None);
    assert!(!summary.stopped_early);

    {
        let asked = asked.lock().unwrap();
        let q = asked
            .iter()
            .find(|q| q["name"] == "周嘉怡")
            .expect("asked about 周嘉怡");
        assert_eq!(
            q["resident_id"],
            good.person.resident_id.as_str(),
            "the full number is sent"
        );
        assert!(
            !asked.iter().any(|q| q["name"] == "李梓萱"),
            "a record confirmed offline is not asked about"
        );
    }

    let get = |id: i64| {
        let server = &server;
        let root = fx.root.clone();
        async move {
            server
                .api(&root)
                .get(&format!("/api/v1/members/{id}"))
                .await
                .ok(200)
        }
    };
    let g = get(good.id).await;
    assert_eq!(g["identity_check"], "verified", "{g}");
    assert_eq!(g["identity_check_label"], "已认证");
    assert!(g["identity_checked_at"].as_str().is_some());
    let b = get(bad.id).await;
    assert_eq!(b["identity_check"], "failed", "{b}");
    assert_eq!(
        b["identity_note"],
        "核验服务：公安户籍信息中姓名与身份证号不一致"
    );
    for id in [error.id, slow.id] {
        let m = get(id).await;
        assert_eq!(
            m["identity_check"], "pending",
            "errors and timeouts leave it pending: {m}"
        );
        assert_eq!(m["identity_checked_at"], Value::Null);
    }
    assert_eq!(get(fx.m_s2.id).await["identity_check"], "verified_offline");
    let kept = get(fx.m_b1.id).await;
    assert_eq!(kept["identity_check"], "failed", "{kept}");
    assert_eq!(kept["identity_note"], "本人持证与登记姓名不符");

    let stats = server
        .api(&fx.root)
        .get(&stats_path(fx.province))
        .await
        .ok(200);
    assert_eq!(counts(&stats), (2, 3, 1, 2), "{stats}");
    assert_eq!(stats["verified_total"], 4);
    assert_eq!(filtered(&server, &fx.root, fx.a1, "failed").await, [bad.id]);
    assert_eq!(
        filtered(&server, &fx.root, fx.b1, "failed").await,
        [fx.m_b1.id]
    );

    // The job's changes are audited under the system's name.
    let log = server
        .api(&fx.a1_admin.token)
        .get(&format!("/api/v1/audit?org_id={}", fx.a1))
        .await
        .items();
    let entry = log
        .iter()
        .find(|e| e["entity_id"] == bad.id && e["action"] == "identity_check")
        .unwrap_or_else(|| panic!("no job entry in {log:?}"));
    assert_eq!(
        entry["actor_name"],
        tuanwu_app::identity::job::SYSTEM_ACTOR_NAME
    );
    assert_eq!(entry["account_id"], Value::Null);
    assert_eq!(entry["after"]["identity_check"], "failed");

    // A second run asks only about what is still open; a failed record with the same answer
    // stays as it is.
    asked.lock().unwrap().clear();
    let again = tuanwu_app::identity::recheck_after(&server.ctx, error.id - 1, 1)
        .await
        .unwrap();
    assert_eq!(again.checked, 1, "only 陈俊杰: {again:?}");
    assert_eq!(again.unavailable, 1);
    assert_eq!(again.next_after, Some(error.id));
    assert_eq!(asked.lock().unwrap().len(), 1);
    let limited = tuanwu_app::identity::recheck(&server.ctx, 1).await.unwrap();
    assert_eq!(limited.checked, 1, "{limited:?}");
    assert_eq!(
        limited.unchanged, 1,
        "吴欣怡 is failed for the same reason: {limited:?}"
    );
    assert_eq!(limited.next_after, Some(bad.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_built_in_verifier_leaves_valid_numbers_pending() {
    let (server, fx) = school().await;
    let summary = tuanwu_app::identity::recheck(&server.ctx, 100)
        .await
        .unwrap();
    assert_eq!(summary.checked, 4, "{summary:?}");
    assert_eq!(summary.undecided, 4, "{summary:?}");
    assert_eq!(summary.verified + summary.failed, 0);
    let stats = server
        .api(&fx.root)
        .get(&stats_path(fx.province))
        .await
        .ok(200);
    assert_eq!(counts(&stats), (4, 0, 0, 0), "{stats}");
    let m = server
        .api(&fx.root)
        .get(&format!("/api/v1/members/{}", fx.m_a1.id))
        .await
        .ok(200);
    assert_eq!(m["identity_check"], "pending");
    assert_eq!(m["identity_checked_at"], Value::Null);
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field on the page")
        .to_string()
}

async fn page(server: &TestServer, token: &str, path: &str) -> (u16, String) {
    let r = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post_form(
    server: &TestServer,
    token: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let r = server
        .client
        .post(server.url(path))
        .bearer_auth(token)
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_show_the_figures_and_confirm_offline_with_csrf() {
    let (server, fx) = school().await;
    let t = &fx.a_admin.token;

    let (status, html) = page(&server, t, &format!("/members/{}", fx.m_a1.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("待核验"), "status label shown");
    assert!(html.contains("线下核验通过"), "the confirm form is offered");
    let csrf = csrf_of(&html);
    let path = format!("/members/{}/identity", fx.m_a1.id);

    // Without the session's token nothing changes.
    let (status, _) = post_form(&server, t, &path, &[("status", "verified_offline")]).await;
    assert_eq!(status, 403);
    // 未通过 without a reason: the page again, with the message next to the field.
    let (status, html) = post_form(
        &server,
        t,
        &path,
        &[("csrf", &csrf), ("status", "failed"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("须写明原因"), "{html}");
    let (status, html) = post_form(
        &server,
        t,
        &path,
        &[
            ("csrf", &csrf),
            ("status", "verified_offline"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "redirected to the member page");
    assert!(html.contains("身份核验结果已保存"), "{html}");
    assert!(html.contains("线下通过") && html.contains(&fx.a_admin.name));
    assert!(
        !html.contains("线下核验通过</button>"),
        "no form once verified"
    );

    // A member sees their own status but no form.
    let member = member_token(&server, &fx.root, &fx.m_a2).await;
    let (status, html) = page(&server, &member, &format!("/members/{}", fx.m_a2.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("待核验"));
    assert!(!html.contains("identity-offline-form"));

    // The org's page of figures links each to its list.
    let (status, html) = page(&server, t, &format!("/orgs/{}/identity", fx.col_a)).await;
    assert_eq!(status, 200);
    for (status, label) in [
        ("pending", "待核验"),
        ("verified", "已认证"),
        ("verified_offline", "线下通过"),
        ("failed", "未通过"),
    ] {
        assert!(
            html.contains(&format!(
                "/orgs/{}/members?subtree=true&amp;identity={status}",
                fx.col_a
            )) || html.contains(&format!(
                "/orgs/{}/members?subtree=true&identity={status}",
                fx.col_a
            )),
            "link to the {label} list: {html}"
        );
        assert!(html.contains(label));
    }
    let (status, html) = page(
        &server,
        t,
        &format!(
            "/orgs/{}/members?subtree=true&identity=verified_offline",
            fx.col_a
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("身份核验：线下通过"), "{html}");
    assert!(html.contains(&fx.m_a1.person.name));
    assert!(
        !html.contains(&fx.m_a2.person.name),
        "only the verified one"
    );
    let (status, _) = page(&server, t, &format!("/orgs/{}/identity", fx.s2)).await;
    assert_eq!(status, 404, "out of scope");
}
