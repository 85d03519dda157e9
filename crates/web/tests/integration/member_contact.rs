//! Issue 15 item 17: on 我的信息 a member edits their own phone and e-mail, nothing else, through
//! the same edit (its checks, its version guard, its audit).

use crate::fixtures::*;
use crate::page::{get, logged_in, post};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_changes_their_own_phone_and_email_on_their_page() {
    let (server, fx) = school().await;
    let id = fx.m_a1.id;
    member_token(&server, &fx.a1_admin.token, &fx.m_a1).await;
    let me = logged_in(&server, &fx.m_a1.person.resident_id, MEMBER_PASSWORD).await;
    let page = get(&me, &server, &format!("/members/{id}")).await;
    page.status(200).has("id=\"contact-form\"");
    let csrf = page.csrf();
    let version = page
        .input_value("version")
        .expect("the form carries the version");
    let path = format!("/members/{id}/contact");

    // A bad phone is refused next to the field and changes nothing.
    let bad = post(
        &me,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("phone", "12"),
            ("email", ""),
        ],
    )
    .await;
    bad.status(422)
        .has("不是有效的电话号码")
        .has("value=\"12\"");

    let saved = post(
        &me,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("phone", "13911112222"),
            ("email", "self@example.cn"),
        ],
    )
    .await;
    saved.status(200).has("联系方式已保存");
    let m = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{id}"))
        .await
        .ok(200);
    assert_eq!(m["phone"], "13911112222");
    assert_eq!(m["email"], "self@example.cn");
    let audit = server
        .api(&fx.a_admin.token)
        .get("/api/v1/audit?per_page=500")
        .await
        .ok(200);
    let audited = audit["items"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["entity"] == "member" && e["entity_id"] == id && e["action"] == "update");
    assert!(audited, "the member's own change is audited: {audit}");

    // The same form posted again from the old version is refused; the first change stays.
    let stale = post(
        &me,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("phone", "13800000000"),
            ("email", "other@example.cn"),
        ],
    )
    .await;
    stale
        .status(409)
        .has("该记录已被他人修改：请刷新后重新填写")
        .has("13911112222");
    let m = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{id}"))
        .await
        .ok(200);
    assert_eq!(m["phone"], "13911112222");

    // An admin's view of the page has no such form: they use the edit page.
    let admin = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    get(&admin, &server, &format!("/members/{id}"))
        .await
        .status(200)
        .lacks("id=\"contact-form\"");
}
