//! Issue 15 item 11 in a real browser: a link into tuanwu opened while logged out goes to the
//! login page, and after logging in the officer lands on the page the link named, not on 工作台.

use super::setup::{self, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_opened_while_logged_out_lands_on_its_page_after_login() {
    let w = setup::world().await;
    let b = Browser::open(&w.server.base, 1280, 900).await;
    let wanted = format!("/orgs/{}/members", w.a1);

    b.goto(&wanted).await;
    b.wait_for_path("the login page for a logged-out link", |p| {
        p.starts_with("/login")
    })
    .await;
    b.fill_form(
        "form#login-form",
        &[("login", ADMIN_LOGIN), ("password", ADMIN_PASSWORD)],
    )
    .await;
    b.click("form#login-form button[type=submit]").await;
    let target = wanted.clone();
    b.wait_for_path("the linked page after logging in", move |p| p == target)
        .await;
    let h1 = b.text("h1").await;
    assert!(
        h1.contains("团员名单"),
        "the member list, not 工作台: {h1:?}"
    );
}
