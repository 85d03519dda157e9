//! A transfer's view carries the actions its viewer may take (`actions`), decided by the same
//! rule the action itself runs: what a view offers works, what it withholds is refused, and the
//! page shows exactly the offered buttons.

use serde_json::json;

use crate::fixtures::*;
use crate::page::{get, logged_in};
use crate::transfers::{approve, ready_member, started, to_org, tr_path, view};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_exactly_what_they_may_do() {
    let (server, fx) = school().await;
    let m = ready_member(&server, &fx, 70, fx.a1).await;
    let id = started(
        &server,
        &fx.a_admin.token,
        to_org(m.id, fx.b1, "job_change"),
    )
    .await;

    // The source side started it: it may withdraw, not decide; the target side decides.
    let src = view(&server, &fx.a_admin.token, id).await;
    assert_eq!(offered(&src), ["cancel"], "{src}");
    let target = view(&server, &fx.b_admin.token, id).await;
    assert_eq!(offered(&target), ["approve", "reject"], "{target}");
    assert_eq!(target["can_decide"], true);

    // A delegated admin of the target college without 审批申请 is offered no decision, and
    // the decision it was not offered is refused.
    let delegated = delegate(
        &server,
        &fx,
        &fx.b_admin.token,
        &fx.m_b1,
        fx.col_b,
        &["members"],
    )
    .await;
    let seen = view(&server, &delegated, id).await;
    assert_eq!(offered(&seen), Vec::<&str>::new(), "{seen}");
    assert_eq!(seen["can_decide"], false);
    approve(&server, &delegated, id, json!({}))
        .await
        .err(403, "forbidden");

    // The page shows the target admin the decision forms and the source admin only the
    // withdrawal.
    let target_page = logged_in(&server, "b_admin", &fx.b_admin.password).await;
    let page = get(&target_page, &server, &format!("/transfers/{id}")).await;
    page.status(200).has("id=\"approve-form\"");
    let source_page = logged_in(&server, "a_admin", &fx.a_admin.password).await;
    let page = get(&source_page, &server, &format!("/transfers/{id}")).await;
    page.status(200)
        .lacks("id=\"approve-form\"")
        .lacks("id=\"decide\"");

    // Approved: nothing is left to decide; the school over the source may issue the letter,
    // and once it has, nobody is offered a second one.
    approve(
        &server,
        &fx.b_admin.token,
        id,
        json!({"archives_checked": true}),
    )
    .await
    .ok(200);
    let done = view(&server, &fx.b_admin.token, id).await;
    assert_eq!(offered(&done), Vec::<&str>::new(), "{done}");
    let school = view(&server, &fx.s1_admin.token, id).await;
    assert_eq!(offered(&school), ["issue_letter"], "{school}");
    server
        .api(&fx.s1_admin.token)
        .post(&format!("{}/letter", tr_path(id)), &json!({}))
        .await
        .ok(201);
    let after = view(&server, &fx.s1_admin.token, id).await;
    assert_eq!(offered(&after), Vec::<&str>::new(), "{after}");
}
