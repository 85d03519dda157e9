//! Issue 15 item 2 in a real browser: a member's edit page open in two windows; the phone is
//! saved in the first, then 籍贯 in the second — the second is told the record changed (409,
//! 「该记录已被他人修改」) and saves nothing, so the first window's phone is kept.

use super::setup::{self, Person, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;

const STALE: &str = "该记录已被他人修改：请刷新后重新填写";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_from_an_older_window_does_not_undo_the_newer_one() {
    let w = setup::world().await;
    let p = Person::new(71, "郑明哲");
    let id = setup::add_member(&w.server, &w.admin_token, w.a1, &p).await;
    let edit = format!("/members/{id}/edit");

    let b = Browser::open(&w.server.base, 1280, 900).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    b.goto(&edit).await;
    b.wait_for("form#member-form").await;
    let first = b.client.window().await.expect("first window");
    let second = b
        .client
        .new_window(false)
        .await
        .expect("a second window")
        .handle;
    b.client
        .switch_to_window(second.clone())
        .await
        .expect("to the second window");
    b.goto(&edit).await;
    b.wait_for("form#member-form").await;

    // The first window saves a new phone.
    b.client
        .switch_to_window(first)
        .await
        .expect("to the first window");
    b.fill_form("form#member-form", &[("phone", "13900001111")])
        .await;
    b.click("#save").await;
    b.wait_for_path("the member page", |path| {
        path.starts_with(&format!("/members/{id}?"))
    })
    .await;
    assert!(b.text("#phone").await.contains("13900001111"));

    // The second window, opened before that save, changes 籍贯.
    b.client
        .switch_to_window(second)
        .await
        .expect("back to the second window");
    b.fill_form("form#member-form", &[("native_place", "天津市河西区")])
        .await;
    b.click("#save").await;
    let body = b.body_text().await;
    assert!(body.contains(STALE), "the stale save is refused: {body}");
    // The form now shows what is stored: the first window's phone.
    assert_eq!(
        b.field_value("form#member-form", "phone").await,
        "13900001111"
    );

    let m = w
        .server
        .api(&w.admin_token)
        .get(&format!("/api/v1/members/{id}"))
        .await
        .ok(200);
    assert_eq!(m["phone"], "13900001111", "the phone is kept: {m}");
    assert_ne!(
        m["native_place"], "天津市河西区",
        "nothing of the stale save: {m}"
    );
    b.close().await;
}
