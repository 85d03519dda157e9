//! A meeting record's view carries the actions its viewer may take (`actions`), decided by the
//! same rules the actions run: what a view offers works, what it withholds is refused, and the
//! page shows exactly the offered buttons.

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::meetings::{lecture, meeting_path};
use crate::page::{get, logged_in};

fn offered(v: &Value) -> Vec<&str> {
    ["edit", "delete", "restore"]
        .into_iter()
        .filter(|a| v["actions"][*a] == true)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_exactly_what_they_may_do() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let id = lecture(&server, a1, fx.a1, fx.m_a1.id, "主题团课").await;

    let v = server.api(a1).get(&meeting_path(id)).await.ok(200);
    assert_eq!(offered(&v), ["edit", "delete"], "{v}");
    let v = server
        .api(&fx.a_admin.token)
        .get(&meeting_path(id))
        .await
        .ok(200);
    assert_eq!(
        offered(&v),
        ["edit", "delete"],
        "the level above may correct too: {v}"
    );

    // A delegated admin of the college sees the record and is offered nothing; what it was not
    // offered is refused.
    let delegated = delegate(
        &server,
        &fx,
        &fx.a_admin.token,
        &fx.m_a2,
        fx.col_a,
        &["members"],
    )
    .await;
    let v = server.api(&delegated).get(&meeting_path(id)).await.ok(200);
    assert!(offered(&v).is_empty(), "{v}");
    assert_eq!(
        server
            .api(&delegated)
            .delete(&meeting_path(id))
            .await
            .status,
        403
    );
    assert_eq!(
        server
            .api(&delegated)
            .patch(&meeting_path(id), &json!({"topic": "改"}))
            .await
            .status,
        403
    );

    // Deleted: the branch is offered nothing (restore is the level above's), the college restore.
    server.api(a1).delete(&meeting_path(id)).await.ok(200);
    let v = server.api(a1).get(&meeting_path(id)).await.ok(200);
    assert!(offered(&v).is_empty(), "{v}");
    assert_eq!(
        server
            .api(a1)
            .post_empty(&format!("{}/restore", meeting_path(id)))
            .await
            .status,
        403
    );
    let v = server
        .api(&fx.a_admin.token)
        .get(&meeting_path(id))
        .await
        .ok(200);
    assert_eq!(offered(&v), ["restore"], "{v}");
    server
        .api(&fx.a_admin.token)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_exactly_the_offered_buttons() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let id = lecture(&server, a1, fx.a1, fx.m_a1.id, "页面团课").await;
    let show = format!("/meetings/{id}");
    let (edit, delete, restore) = (
        format!("action=\"/meetings/{id}/edit\""),
        format!("action=\"/meetings/{id}/delete\""),
        format!("action=\"/meetings/{id}/restore\""),
    );
    let branch = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    get(&branch, &server, &show)
        .await
        .status(200)
        .has("页面团课")
        .has(fx.m_a1.person.name.as_str())
        .has(&format!("href=\"/meetings/{id}/edit\""))
        .has(&delete)
        .lacks(&restore);

    server.api(a1).delete(&meeting_path(id)).await.ok(200);
    get(&branch, &server, &show)
        .await
        .status(200)
        .lacks(&edit)
        .lacks(&format!("href=\"/meetings/{id}/edit\""))
        .lacks(&delete)
        .lacks(&restore);
    let college = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    get(&college, &server, &show)
        .await
        .status(200)
        .has(&restore);

    // The branch's 组织生活 tab lists the record by quarter and offers 新建记录 with the roster
    // as tick boxes.
    server
        .api(&fx.a_admin.token)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await
        .ok(200);
    get(&branch, &server, &format!("/orgs/{}/meetings", fx.a1))
        .await
        .status(200)
        .has("2026年第4季度")
        .has("页面团课")
        .has("新建记录");
    get(&branch, &server, &format!("/orgs/{}/meetings/new", fx.a1))
        .await
        .status(200)
        .has("全部出席")
        .has(fx.m_a1.person.name.as_str())
        .has(&format!("value=\"{}\"", fx.m_a1.id));
}
