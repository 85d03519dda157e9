//! Issue 15 item 16: the member edit page shows what the view's actions allow — a verified
//! member's identity fields read-only, with the way to change them (提交更正申请).

use crate::fixtures::*;
use crate::page::{get, logged_in, Page};

/// The `<input …>` tag of the field named `name`.
fn input_tag(page: &Page, name: &str) -> String {
    let at = page
        .html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let start = page.html[..at].rfind('<').expect("tag start");
    let end = at + page.html[at..].find('>').expect("tag end");
    page.html[start..end].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_members_identity_is_read_only_with_a_link_to_a_correction() {
    let (server, fx) = school().await;
    let verified = fx.m_a1.id;
    let pending = fx.m_a2.id;
    tuanwu_app::testing::mark_identity_verified(&server.ctx, verified)
        .await
        .expect("verified");
    let api = server.api(&fx.a_admin.token);
    let v = api
        .get(&format!("/api/v1/members/{verified}"))
        .await
        .ok(200);
    assert_eq!(v["actions"]["edit_identity"], false, "{v}");
    assert_eq!(v["actions"]["request_correction"], true, "{v}");
    let p = api.get(&format!("/api/v1/members/{pending}")).await.ok(200);
    assert_eq!(p["actions"]["edit_identity"], true, "{p}");
    assert_eq!(p["actions"]["request_correction"], false, "{p}");

    let browser = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let page = get(&browser, &server, &format!("/members/{verified}/edit")).await;
    page.status(200).has("提交更正申请").has(&format!(
        "href=\"/members/{verified}/requests/new?kind=member_correction\""
    ));
    for locked in ["name", "resident_id", "joined_on", "development_no"] {
        assert!(
            input_tag(&page, locked).contains(" readonly"),
            "{locked} is read-only"
        );
    }
    for open in ["phone", "email", "actual_major"] {
        assert!(
            !input_tag(&page, open).contains(" readonly"),
            "{open} stays editable"
        );
    }
    // The link leads to the correction form.
    let form = get(
        &browser,
        &server,
        &format!("/members/{verified}/requests/new?kind=member_correction"),
    )
    .await;
    form.status(200);

    let page = get(&browser, &server, &format!("/members/{pending}/edit")).await;
    page.status(200).lacks("identity-locked");
    assert!(!input_tag(&page, "resident_id").contains(" readonly"));
}
