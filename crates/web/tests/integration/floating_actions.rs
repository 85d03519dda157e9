//! A floating record's view carries the actions its viewer may take (`actions`), decided by the
//! same rule the action itself runs: what a view offers works, what it withholds is refused,
//! and the page shows exactly the offered forms.

use serde_json::{json, Value};
use time::Duration;

use crate::fixtures::*;
use crate::floating::{floating_branch, floating_fields};
use crate::harness::{id_of, TestServer};
use crate::page::{get, logged_in};
use crate::transfers::{approve, make_transferable, started, to_org};

async fn view(server: &TestServer, token: &str, id: i64) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/floating/{id}"))
        .await
        .ok(200)
}

/// The delegated admin's session, acting in that role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_exactly_what_they_may_do_with_a_floating_member() {
    let (server, fx) = school().await;
    let branch = floating_branch(
        &server,
        &fx.a_admin.token,
        fx.col_a,
        "计算机学院流动团员团支部",
        "floating",
    )
    .await;
    let m = &fx.m_a1;
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, m).await;
    let mut body = to_org(m.id, branch, "graduation");
    body["floating"] = floating_fields();
    let t = started(&server, &fx.a1_admin.token, body).await;
    let records = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/orgs/{}/floating?state=pending", fx.col_a))
        .await
        .items();
    let id = id_of(&records[0]);

    // Pending: nothing to do with the record until the transfer is approved.
    assert_eq!(offered(&records[0]), Vec::<&str>::new(), "{:?}", records[0]);
    server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/floating/{id}/contacts"),
            &json!({"contacted_on": "2026-11-29", "note": "电话联系"}),
        )
        .await
        .err(409, "floating_not_kept");
    approve(&server, &fx.a_admin.token, t, json!({}))
        .await
        .ok(200);

    // Kept: the college may extend and log contacts, and the page shows those two forms only.
    let v = view(&server, &fx.a_admin.token, id).await;
    assert_eq!(offered(&v), ["add_contact", "extend"], "{v}");
    let admin_page = logged_in(&server, "a_admin", &fx.a_admin.password).await;
    get(&admin_page, &server, &format!("/floating/{id}"))
        .await
        .status(200)
        .has("id=\"extend-form\"")
        .has("id=\"contact-form\"")
        .lacks("id=\"step-form\"");

    // A delegated admin granted member work (not 审批申请) is offered the same.
    server
        .api(&fx.a_admin.token)
        .post(
            "/api/v1/grants",
            &json!({"student_no": fx.m_a2.person.student_no, "college_id": fx.col_a,
                    "permissions": ["members"]}),
        )
        .await
        .ok(201);
    let d = acting_as_delegate(&server, member_token(&server, &fx.root, &fx.m_a2).await).await;
    assert_eq!(
        offered(&view(&server, &d, id).await),
        ["add_contact", "extend"]
    );

    // Extended once: no second extension is offered, and asking for one is refused.
    let v = server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/floating/{id}/extend"),
            &json!({"reason": "考研调剂中"}),
        )
        .await
        .ok(200);
    assert_eq!(offered(&v), ["add_contact"], "{v}");
    server
        .api(&fx.a_admin.token)
        .post(
            &format!("/api/v1/floating/{id}/extend"),
            &json!({"reason": "再延"}),
        )
        .await
        .err(409, "already_extended");
    get(&admin_page, &server, &format!("/floating/{id}"))
        .await
        .status(200)
        .lacks("id=\"extend-form\"")
        .has("id=\"contact-form\"");

    // A year without contact: the college is offered the step; the delegated admin is not,
    // and its confirmation is refused.
    server.advance(Duration::days(366));
    let college = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let v = view(&server, &college, id).await;
    assert_eq!(v["due_step"], "suspend", "{v}");
    assert_eq!(offered(&v), ["add_contact", "confirm_step"], "{v}");
    let d = server
        .login(&fx.m_a2.person.resident_id, MEMBER_PASSWORD)
        .await;
    let d = acting_as_delegate(&server, d).await;
    let seen = view(&server, &d, id).await;
    assert_eq!(offered(&seen), ["add_contact"], "{seen}");
    server
        .api(&d)
        .post(
            &format!("/api/v1/floating/{id}/steps"),
            &json!({"step": "suspend"}),
        )
        .await
        .err(403, "forbidden");
    let admin_page = logged_in(&server, "a_admin", &fx.a_admin.password).await;
    get(&admin_page, &server, &format!("/floating/{id}"))
        .await
        .status(200)
        .has("id=\"step-form\"")
        .has("id=\"contact-form\"");
    let v = server
        .api(&college)
        .post(
            &format!("/api/v1/floating/{id}/steps"),
            &json!({"step": "suspend"}),
        )
        .await
        .ok(200);
    assert_eq!(v["status"], "suspended");
    assert_eq!(offered(&v), ["add_contact"], "{v}");
}
