//! TRF-1, TRF-4 in a real browser: the college A admin starts the transfer of a member to
//! college B's branch from the member page (ORG-5 search on the form), college B's admin opens
//! it from the progress list, ticks 已核对团员档案 and approves, and the member is on B's list.

use serde_json::json;

use super::setup::{self, Person, ADMIN_LOGIN, ADMIN_NAME, ADMIN_PASSWORD, BRANCH_B1, COLLEGE_B};
use super::Browser;
use crate::fixtures::first_login;
use crate::fixtures::make_transferable_by_id;

const B_LOGIN: &str = "jx_admin";
const B_NAME: &str = "机械工程学院团委书记";
const B_FIRST_PASSWORD: &str = "Browser-Init3";
const B_PASSWORD: &str = "Browser-Pass4";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_transfers_a_member_and_the_target_college_approves_it() {
    let w = setup::world().await;
    let root = w.server.root_token().await;
    let p = Person::new(41, "周雨轩");
    let member = setup::add_member(&w.server, &w.admin_token, w.a1, &p).await;
    // TRF-7: identity verified and the 入团志愿书 in force (the top body's upload needs no review).
    make_transferable_by_id(&w.server, &root, None, member).await;
    let b1 = w
        .server
        .api(&root)
        .get(&format!("/api/v1/members/{}", w.b_member))
        .await
        .ok(200)["org_id"]
        .as_i64()
        .expect("B1's id");
    w.server
        .api(&root)
        .post(
            &format!("/api/v1/orgs/{}/admins", w.col_b),
            &json!({"login": B_LOGIN, "password": B_FIRST_PASSWORD, "name": B_NAME}),
        )
        .await
        .ok(201);
    first_login(&w.server, B_LOGIN, B_FIRST_PASSWORD, B_PASSWORD).await;

    let b = Browser::open(&w.server.base, 1280, 900).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;

    // The member page → 发起转接.
    b.goto(&format!("/members/{member}")).await;
    b.click("a#start-transfer").await;
    assert_eq!(b.path().await, format!("/transfers/new?member_id={member}"));
    let prerequisites = b.text("ul#prerequisites").await;
    assert!(
        prerequisites.contains("线下通过") && prerequisites.contains("已认证"),
        "both prerequisites met: {prerequisites:?}"
    );
    let guidance = b.text("aside#transfer-guidance").await;
    assert!(
        guidance.contains("户籍所在地") && guidance.contains("党组织"),
        "TRF-11 guidance next to the target: {guidance:?}"
    );

    // Step two typed before step one's search survives the search (issue 15 item 20).
    b.fill_form(
        "form#transfer-form",
        &[("reason", "further_study"), ("note", "随导师课题组转学")],
    )
    .await;
    // ORG-5: search the branch; the single match is chosen, its full path shown.
    b.fill_form("form#transfer-form", &[("q", "机械工程2301")])
        .await;
    b.click("form#transfer-form button#org-search").await;
    assert_eq!(
        (
            b.field_value("form#transfer-form", "reason").await,
            b.field_value("form#transfer-form", "note").await,
            b.field_value("form#transfer-form", "q").await,
        ),
        (
            "further_study".to_string(),
            "随导师课题组转学".to_string(),
            "机械工程2301".to_string()
        ),
        "what was typed is kept"
    );
    let choice = b.text("#org-choices label.choice").await;
    assert!(
        choice.contains(BRANCH_B1) && choice.contains(COLLEGE_B),
        "the result shows the full path: {choice:?}"
    );
    let radio = b
        .wait_for(&format!("input[name=target_org_id][value=\"{b1}\"]"))
        .await;
    assert!(
        radio.is_selected().await.expect("selected?"),
        "the single match is chosen"
    );
    b.click("form#transfer-form button#start-transfer-submit")
        .await;
    let path = b
        .wait_for_path("the new transfer's page", |p| {
            p.starts_with("/transfers/") && p.contains("saved=started")
        })
        .await;
    let id: i64 = path
        .trim_start_matches("/transfers/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("transfer id");
    let status = b.text("#transfer-status").await;
    assert!(status.contains("待审批"), "{status:?}");
    let pending = b.text("#transfer-pending").await;
    assert!(
        pending.contains("待转入组织审批") && pending.contains(BRANCH_B1),
        "{pending:?}"
    );
    assert!(
        b.all("form#approve-form").await.is_empty(),
        "the source side does not approve"
    );

    // College B's admin: 组织关系转接 → the transfer → tick the box → 审批通过.
    b.click("form#logout button").await;
    b.wait_for_path("/login", |p| p.starts_with("/login")).await;
    b.login(B_LOGIN, B_PASSWORD).await;
    b.click("a#nav-transfers").await;
    assert_eq!(b.path().await, "/transfers");
    let row = b.text(&format!("tr#transfer-{id}")).await;
    assert!(
        row.contains(&p.name) && row.contains("待转入组织审批") && row.contains(ADMIN_NAME),
        "the row: {row:?}"
    );
    b.click(&format!("tr#transfer-{id} a[href=\"/transfers/{id}\"]"))
        .await;
    assert_eq!(b.path().await, format!("/transfers/{id}"));
    let checkbox = b.wait_for("form#approve-form input#archives_checked").await;
    assert!(!checkbox.is_selected().await.expect("selected?"));
    checkbox.click().await.expect("tick 已核对团员档案");
    assert!(checkbox.is_selected().await.expect("selected?"));
    b.click("form#approve-form button#approve").await;
    b.wait_for_path("the transfer after approval", |p| {
        p == format!("/transfers/{id}?saved=approved")
    })
    .await;
    let status = b.text("#transfer-status").await;
    assert!(status.contains("已完成"), "{status:?}");
    let history = b.text("ol#transfer-history").await;
    assert!(
        history.contains("审批通过") && history.contains(B_NAME),
        "{history:?}"
    );

    // The member is on B1's list now.
    b.goto(&format!("/orgs/{b1}/members")).await;
    let names = b.text("table#members").await;
    assert!(names.contains(&p.name), "B1's members: {names:?}");
    assert_eq!(
        setup::member_total(&w.server, &w.admin_token, w.a1).await,
        0
    );

    b.close().await;
}
