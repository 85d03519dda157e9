//! A request's view carries the actions its viewer may take (`actions`), decided by the same
//! rule the action itself runs: what a view offers works, what it withholds is refused, and the
//! page shows exactly the offered buttons.

use serde_json::{json, Value};

use crate::fixtures::upload_pdf;
use crate::fixtures::*;
use crate::harness::{id_of, TestServer};
use crate::page::{get, logged_in};

async fn view(server: &TestServer, token: &str, id: i64) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/requests/{id}"))
        .await
        .ok(200)
}

async fn step(server: &TestServer, token: &str, id: i64, action: &str) -> crate::harness::Resp {
    let path = format!("/api/v1/requests/{id}/{action}");
    match action {
        "reject" => {
            server
                .api(token)
                .post(&path, &json!({"reason": "材料不清"}))
                .await
        }
        _ => server.api(token).post_empty(&path).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_exactly_what_they_may_do() {
    let (server, fx) = school().await;
    let branch = fx.a1_admin.token.as_str();
    let college = fx.a_admin.token.as_str();
    let f = upload_pdf(&server, branch).await;
    let r = server
        .api(branch)
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_correction", "member_id": fx.m_a1.id,
                    "changes": {"joined_on": "2019-09"}, "reason": "经核对入团志愿书，原记录有误",
                    "file_ids": [f]}),
        )
        .await
        .ok(201);
    let id = id_of(&r);

    // The branch asked: it may withdraw, not decide; the college above decides.
    let mine = view(&server, branch, id).await;
    assert_eq!(offered(&mine), ["cancel"], "{mine}");
    assert_eq!(
        (&mine["can_decide"], &mine["can_cancel"]),
        (&json!(false), &json!(true))
    );
    let above = view(&server, college, id).await;
    assert_eq!(offered(&above), ["approve", "reject"], "{above}");
    assert_eq!(
        (&above["can_decide"], &above["can_cancel"]),
        (&json!(true), &json!(false))
    );
    // What each is not offered is refused.
    step(&server, branch, id, "approve")
        .await
        .err(403, "forbidden");
    step(&server, branch, id, "reject")
        .await
        .err(403, "forbidden");
    step(&server, college, id, "cancel")
        .await
        .err(403, "forbidden");

    // A delegated admin of the college without 审批申请 sees the request but is offered no
    // decision, and the decision it was not offered is refused.
    let delegated = delegate(
        &server,
        &fx,
        &fx.a_admin.token,
        &fx.m_a2,
        fx.col_a,
        &["members"],
    )
    .await;
    let seen = view(&server, &delegated, id).await;
    assert_eq!(offered(&seen), Vec::<&str>::new(), "{seen}");
    step(&server, &delegated, id, "approve")
        .await
        .err(403, "forbidden");

    // The page shows the college the decision forms and the branch only the withdrawal.
    let college_page = logged_in(&server, "a_admin", &fx.a_admin.password).await;
    let page = get(&college_page, &server, &format!("/requests/{id}")).await;
    page.status(200)
        .has("id=\"approve\"")
        .has("id=\"reject\"")
        .lacks("id=\"cancel\"");
    let branch_page = logged_in(&server, "a1_admin", &fx.a1_admin.password).await;
    let page = get(&branch_page, &server, &format!("/requests/{id}")).await;
    page.status(200)
        .has("id=\"cancel\"")
        .lacks("id=\"decide\"")
        .lacks("id=\"approve\"");

    // Approved: nothing is left to offer anyone, and every further step is refused.
    step(&server, college, id, "approve").await.ok(200);
    for token in [branch, college] {
        let done = view(&server, token, id).await;
        assert_eq!(offered(&done), Vec::<&str>::new(), "{done}");
    }
    step(&server, branch, id, "cancel")
        .await
        .err(409, "request_not_pending");
    step(&server, college, id, "reject")
        .await
        .err(409, "request_not_pending");
    let page = get(&college_page, &server, &format!("/requests/{id}")).await;
    page.status(200)
        .lacks("id=\"decide\"")
        .lacks("id=\"cancel\"");
}
