//! FLT-1 … FLT-5: a graduate kept at school in a floating branch — entered by a transfer that
//! carries the 汇总表 fields, reviewed in a batch, with a deadline, one extension, a contact log,
//! and the obligation steps proposed by the system and confirmed by an admin.

use serde_json::{json, Value};
use time::Duration;

use crate::fixtures::*;
use crate::harness::*;
use crate::letters::{get_bytes, xlsx_cells};
use crate::transfers::{make_transferable, start, started, to_org};

/// The 汇总表 fields of a floating entry.
pub fn floating_fields() -> Value {
    json!({
        "destination": "preparing_study",
        "reason": "二战考研",
        "contact": "13912345678",
        "responsible": "王老师",
        "responsible_contact": "022-23500000",
        "remarks": "预计明年三月出成绩",
    })
}

pub async fn floating_branch(
    server: &TestServer,
    token: &str,
    parent: i64,
    name: &str,
    kind: &str,
) -> i64 {
    id_of(
        &create_org(
            server,
            token,
            with(
                org_body(parent, name, "branch", UNIVERSITY),
                json!({ "branch_type": kind }),
            ),
        )
        .await,
    )
}

fn into_floating(member: i64, branch: i64, floating: Option<Value>) -> Value {
    let mut body = to_org(member, branch, "graduation");
    if let Some(f) = floating {
        body["floating"] = f;
    }
    body
}

async fn kept(server: &TestServer, token: &str, org: i64, state: &str) -> Vec<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/floating?state={state}"))
        .await
        .items()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduate_is_kept_at_school_with_a_deadline_one_extension_and_confirmed_steps() {
    let (server, fx) = school().await;
    let school = &fx.s1_admin.token;
    let f = floating_branch(
        &server,
        school,
        fx.s1,
        "某大学校级流动团员团支部",
        "floating",
    )
    .await;
    let m = &fx.m_a1;
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, m).await;
    let college = &fx.a_admin.token;

    // FLT-2: the sheet's fields are required, and only the floating destinations are allowed.
    start(&server, college, into_floating(m.id, f, None))
        .await
        .err(422, "floating_fields_required")
        .with_rule("FLT-2");
    let mut employed = floating_fields();
    employed["destination"] = json!("employed");
    start(&server, college, into_floating(m.id, f, Some(employed)))
        .await
        .err(422, "floating_destination");
    let mut no_contact = floating_fields();
    no_contact["responsible_contact"] = json!(" ");
    start(&server, college, into_floating(m.id, f, Some(no_contact)))
        .await
        .client_error()
        .with_field("floating");
    start(
        &server,
        college,
        into_floating(m.id, fx.b1, Some(floating_fields())),
    )
    .await
    .err(422, "not_a_floating_branch");
    let id = started(
        &server,
        college,
        into_floating(m.id, f, Some(floating_fields())),
    )
    .await;
    let pending = kept(&server, school, fx.s1, "pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["status"], "pending");

    // The school reviews its floating-branch requests in a batch.
    let batch = server
        .api(school)
        .post(
            "/api/v1/transfers/batch-decide",
            &json!({"ids": [id, 999_999], "action": "approve"}),
        )
        .await
        .ok(200);
    assert_eq!(
        (batch["decided"].as_u64(), batch["failed"].as_u64()),
        (Some(1), Some(1)),
        "{batch}"
    );
    assert_eq!(batch["items"][1]["error"]["code"], "not_found");

    let rows = kept(&server, school, fx.s1, "kept").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    let rid = id_of(r);
    assert_eq!(r["status"], "active");
    assert_eq!(r["entered_on"], "2026-11-29");
    assert_eq!(r["deadline"], "2027-05-29", "six months (FLT-3)");
    assert_eq!(r["deadline_state"], "ok");
    assert_eq!(r["source_branch"], BRANCH_A1);
    assert_eq!(r["college"], COLLEGE_A);
    assert_eq!(r["destination_label"], "继续准备升学");

    // The 毕业生流动团员信息汇总表 from the college's side.
    let (status, _, bytes) = get_bytes(
        &server,
        college,
        &format!("/api/v1/orgs/{}/reports/floating-members.xlsx", fx.col_a),
    )
    .await;
    assert_eq!(status, 200);
    let cells = xlsx_cells(&bytes);
    for want in [
        "学社衔接工作负责人姓名",
        m.person.name.as_str(),
        "王老师",
        "13912345678",
        "二战考研",
        "继续准备升学",
        BRANCH_A1,
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }

    // Approaching (within 30 days) shows in the school's to-do list; then overdue.
    server.advance(Duration::days(160));
    let school = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    assert_eq!(
        ids(&kept(&server, &school, fx.s1, "approaching").await),
        vec![rid]
    );
    let todos = server.api(&school).get("/api/v1/todos").await.items();
    assert!(
        todos.iter().any(|t| t["kind"] == "floating"
            && t["title"].as_str().is_some_and(|s| s.contains("即将到期"))),
        "{todos:?}"
    );
    server.advance(Duration::days(22));
    let school = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    assert_eq!(
        ids(&kept(&server, &school, fx.s1, "overdue").await),
        vec![rid]
    );

    // One extension, to a year from entry, with a reason.
    let path = format!("/api/v1/floating/{rid}");
    server
        .api(&school)
        .post(&format!("{path}/extend"), &json!({"reason": " "}))
        .await
        .err(422, "required")
        .with_field("reason");
    let v = server
        .api(&school)
        .post(&format!("{path}/extend"), &json!({"reason": "考研调剂中"}))
        .await
        .ok(200);
    assert_eq!(v["deadline"], "2027-11-29");
    assert_eq!(v["deadline_state"], "ok");
    server
        .api(&school)
        .post(&format!("{path}/extend"), &json!({"reason": "再延"}))
        .await
        .err(409, "already_extended");

    // FLT-4: nothing is applied before it is due, and a contact restarts the year.
    server
        .api(&school)
        .post(&format!("{path}/steps"), &json!({"step": "suspend"}))
        .await
        .err(409, "step_not_due");
    let v = server
        .api(&school)
        .post(
            &format!("{path}/contacts"),
            &json!({"contacted_on": "2027-05-20", "note": "电话联系，在准备复试"}),
        )
        .await
        .ok(200);
    assert_eq!(v["last_contact_on"], "2027-05-20");
    assert_eq!(v["contacts"][0]["note"], "电话联系，在准备复试");
    server.advance(Duration::days(365));
    let school = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    let v = server.api(&school).get(&path).await.ok(200);
    assert_eq!(v["due_step"], "suspend", "a year without contact: {v}");
    let v = server
        .api(&school)
        .post(&format!("{path}/steps"), &json!({"step": "suspend"}))
        .await
        .ok(200);
    assert_eq!(v["status"], "suspended");
    server
        .api(&school)
        .post(&format!("{path}/steps"), &json!({"step": "remove"}))
        .await
        .err(409, "step_not_due");
    server.advance(Duration::days(731));
    let school = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    let v = server
        .api(&school)
        .post(&format!("{path}/steps"), &json!({"step": "remove"}))
        .await
        .ok(200);
    assert_eq!(v["status"], "removed");
    // 除名: the record stays, marked, but leaves the lists; the person cannot log in.
    let record = server
        .api(&school)
        .get(&format!("/api/v1/members/{}", m.id))
        .await
        .ok(200);
    assert_eq!(record["status"], "removed");
    assert_eq!(member_total(&server, &school, f).await, 0);
    server
        .login_resp(&m.person.resident_id, MEMBER_PASSWORD)
        .await
        .fails(401);
    // Other schools see none of it.
    let other = server
        .login(&fx.s2_admin.login, &fx.s2_admin.password)
        .await;
    server.api(&other).get(&path).await.err(404, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_abroad_branch_needs_the_retention_application_and_leaving_closes_the_stay() {
    let (server, fx) = school().await;
    let abroad = floating_branch(
        &server,
        &fx.a_admin.token,
        fx.col_a,
        "计算机学院出国出境学习研究流动团员团支部",
        "floating_abroad",
    )
    .await;
    let m = &fx.m_a1;
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, m).await;
    let mut f = floating_fields();
    f["destination"] = json!("other");
    start(
        &server,
        &fx.a1_admin.token,
        into_floating(m.id, abroad, Some(f.clone())),
    )
    .await
    .err(422, "retention_application_required")
    .with_rule("FLT-5");
    f["abroad"] = json!({
        "country": "新加坡", "university": "新加坡国立大学", "degree": "硕士",
        "period": "2026-08 至 2027-12", "domestic_contact": "赵父", "relation": "父女", "phone": "13800001111",
    });
    let id = started(
        &server,
        &fx.a1_admin.token,
        into_floating(m.id, abroad, Some(f)),
    )
    .await;
    crate::transfers::approve(&server, &fx.a_admin.token, id, json!({}))
        .await
        .ok(200);
    let rows = kept(&server, &fx.a_admin.token, fx.col_a, "kept").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["abroad"]["university"], "新加坡国立大学");

    // Back home, the member moves on: the stay is closed.
    let back = started(
        &server,
        &fx.a_admin.token,
        to_org(m.id, fx.b1, "further_study"),
    )
    .await;
    crate::transfers::approve(&server, &fx.b_admin.token, back, json!({}))
        .await
        .ok(200);
    assert!(kept(&server, &fx.a_admin.token, fx.col_a, "kept")
        .await
        .is_empty());
    let all = kept(&server, &fx.a_admin.token, fx.col_a, "all").await;
    assert_eq!(all[0]["status"], "left", "{all:?}");
}
