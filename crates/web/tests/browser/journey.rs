//! A college admin's day at 1280 px: find the branch, enter a member (first with a wrong
//! resident ID), check the list, edit the phone number, read the audit log, and fail to open a
//! member of another college.

use super::setup::{self, Person, ADMIN_LOGIN, ADMIN_NAME, ADMIN_PASSWORD, BRANCH_A1, COLLEGE_A};
use super::Browser;
use crate::harness::is_chinese;

/// `1201**********1234`: the first 4 and last 4 characters, 10 stars between.
pub fn masked_resident_id(id: &str) -> String {
    format!("{}{}{}", &id[..4], "*".repeat(10), &id[14..])
}

/// The member id at the end of `/members/{id}` (with or without a query).
pub fn member_id_in(path: &str) -> Option<i64> {
    let rest = path.strip_prefix("/members/")?;
    let id = rest.split('?').next()?;
    id.parse().ok()
}

/// The values typed into the member form, the resident ID last so a test can swap it.
pub fn member_fields<'a>(p: &'a Person, resident_id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", p.name.as_str()),
        ("ethnicity", "汉族"),
        ("joined_on", p.joined_on.as_str()),
        ("development_no", p.development_no.as_str()),
        ("political_status", "league_member"),
        ("student_no", p.student_no.as_str()),
        ("phone", p.phone.as_str()),
        ("email", "zhou.yuxuan@example.com"),
        ("admission_major", "计算机科学与技术"),
        ("native_place", "天津市南开区"),
        ("education", "大学本科"),
        ("resident_id", resident_id),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn college_admin_enters_and_edits_a_member() {
    let w = setup::world().await;
    let b = Browser::open(&w.server.base, 1280, 900).await;

    // A wrong password: the login form again, with a Chinese error.
    b.goto("/login").await;
    b.fill_form(
        "form#login-form",
        &[("login", ADMIN_LOGIN), ("password", "Wrong-Pass9")],
    )
    .await;
    b.click("form#login-form button[type=submit]").await;
    let error = b.text(".form-error").await;
    assert!(
        is_chinese(&error),
        "login error should be Chinese: {error:?}"
    );
    assert!(b.path().await.starts_with("/login"));

    // 工作台
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    let h1 = b.text("h1").await;
    assert!(h1.contains("工作台"), "home h1: {h1:?}");
    let role = b.text("#active-role").await;
    assert!(
        role.contains(COLLEGE_A) && is_chinese(&role.replace(COLLEGE_A, "")),
        "#active-role should show the role's Chinese label and {COLLEGE_A}: {role:?}"
    );
    b.wait_for("#counts").await;
    b.wait_for("#todo").await;
    b.wait_for("a#nav-home").await;
    b.wait_for("a#nav-search").await;
    b.wait_for("form#logout button").await;
    assert!(
        b.all("form#role-switch").await.is_empty(),
        "an account with one role gets no role switch"
    );

    // 组织 → college A
    b.click("a#nav-orgs").await;
    let path = b.path().await;
    assert_eq!(
        path,
        format!("/orgs/{}", w.col_a),
        "组织 should open the admin's org"
    );
    assert_eq!(b.text("h1").await, COLLEGE_A);
    b.wait_for("a#new-child").await;
    b.wait_for("a#edit-org").await;
    b.wait_for("a#org-audit").await;
    let rows = b.all("table#children tbody tr").await;
    assert_eq!(rows.len(), 1, "college A has one child branch");

    // → the branch
    let a1_link = format!("table#children a.org-link[href=\"/orgs/{}\"]", w.a1);
    assert_eq!(b.text(&a1_link).await, BRANCH_A1);
    assert_eq!(
        b.text("table#children td.member-count").await,
        "0",
        "A1's member count"
    );
    b.click(&a1_link).await;
    assert_eq!(b.path().await, format!("/orgs/{}", w.a1));
    assert_eq!(b.text("h1").await, BRANCH_A1);
    b.wait_for(&format!("nav.breadcrumbs a[href=\"/orgs/{}\"]", w.col_a))
        .await;
    assert!(
        b.all(&format!("nav.breadcrumbs a[href=\"/orgs/{}\"]", w.school))
            .await
            .is_empty(),
        "the breadcrumbs must not link to the school (out of the college admin's scope)"
    );
    b.wait_for(&format!(
        "a#add-member[href=\"/members/new?branch_id={}\"]",
        w.a1
    ))
    .await;

    // → 团员名单 → 录入团员
    b.click("a#org-members").await;
    assert_eq!(b.path().await, format!("/orgs/{}/members", w.a1));
    b.click("a#add-member").await;
    assert_eq!(b.path().await, format!("/members/new?branch_id={}", w.a1));

    // A wrong check digit: the form comes back with the error and the typed values.
    let p = Person::new(17, "周雨轩");
    let bad_id = p.bad_resident_id();
    let typed = member_fields(&p, &bad_id);
    b.fill_form("form#member-form", &typed).await;
    b.click("form#member-form button#save").await;
    let error = b.text("p.field-error#error-resident_id").await;
    assert!(
        is_chinese(&error),
        "#error-resident_id should be Chinese: {error:?}"
    );
    for (name, value) in &typed {
        assert_eq!(
            &b.field_value("form#member-form", name).await,
            value,
            "the form should keep `{name}` after the error"
        );
    }
    assert_eq!(
        setup::member_total(&w.server, &w.admin_token, w.a1).await,
        0,
        "nothing may be saved when the resident ID is wrong"
    );

    // Corrected: saved, and the member page shows the full ID to the admin.
    b.fill_form("form#member-form", &[("resident_id", &p.resident_id)])
        .await;
    b.click("form#member-form button#save").await;
    let path = b
        .wait_for_path("the new member's page /members/{id}", |p| {
            member_id_in(p).is_some()
        })
        .await;
    let member = member_id_in(&path).expect("member id");
    assert_eq!(b.text("h1").await, p.name);
    assert_eq!(
        b.text("dl#member-details dd#resident-id").await,
        p.resident_id
    );
    assert_eq!(
        setup::member_total(&w.server, &w.admin_token, w.a1).await,
        1
    );

    // Back on the list: one row, resident ID and phone masked.
    b.goto(&format!("/orgs/{}/members", w.a1)).await;
    let rows = b.all("table#members tbody tr").await;
    assert_eq!(rows.len(), 1, "one member in the list");
    let name_link = format!("table#members td.name a[href=\"/members/{member}\"]");
    assert_eq!(b.text(&name_link).await, p.name);
    assert_eq!(
        b.text("table#members td.resident-id").await,
        masked_resident_id(&p.resident_id)
    );
    assert_eq!(b.text("table#members td.student-no").await, p.student_no);
    let joined = b.text("table#members td.joined-on").await;
    assert!(
        joined.contains("2020") && joined.contains('5'),
        "td.joined-on: {joined:?}"
    );
    let phone = b.text("table#members td.phone").await;
    assert!(
        phone.contains('*') && phone != p.phone,
        "td.phone should be masked: {phone:?}"
    );
    assert!(
        !b.body_text().await.contains(&p.resident_id),
        "the list must not show the full resident ID"
    );

    // Edit the phone number.
    b.click(&name_link).await;
    assert_eq!(member_id_in(&b.path().await), Some(member));
    b.click("a#edit-member").await;
    assert_eq!(b.path().await, format!("/members/{member}/edit"));
    assert_eq!(b.field_value("form#member-form", "name").await, p.name);
    assert_eq!(b.field_value("form#member-form", "phone").await, p.phone);
    let new_phone = "13822223333";
    b.fill_form("form#member-form", &[("phone", new_phone)])
        .await;
    b.click("form#member-form button#save").await;
    b.wait_for_path("the member page after saving", |p| {
        member_id_in(p) == Some(member)
    })
    .await;
    assert_eq!(b.text("dl#member-details dd#phone").await, new_phone);

    // 操作记录: the edit is the newest entry.
    b.click("a#nav-audit").await;
    assert_eq!(b.path().await, "/audit");
    let first = b.text("table#audit tbody tr").await;
    assert!(
        first.contains("修改团员") && first.contains(&p.name) && first.contains(ADMIN_NAME),
        "the newest audit entry should be 修改团员 {} by {ADMIN_NAME}: {first:?}",
        p.name
    );
    let all = b.all("table#audit tbody tr").await;
    let mut texts = Vec::new();
    for row in &all {
        texts.push(row.text().await.unwrap_or_default());
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("录入团员") && t.contains(&p.name)),
        "the audit log should also list 录入团员 {}: {texts:?}",
        p.name
    );

    // College B's member, by URL: not found.
    b.goto(&format!("/members/{}", w.b_member)).await;
    let text = b.body_text().await;
    assert!(
        text.contains("不存在或无权访问"),
        "/members/{} (college B) should say 不存在或无权访问; {}",
        w.b_member,
        b.where_am_i().await
    );
    assert_eq!(b.status().await, 404);
    assert!(!text.contains("孙浩然"), "the page must not leak the name");
    b.goto(&format!("/orgs/{}", w.col_b)).await;
    assert!(
        b.body_text().await.contains("不存在或无权访问"),
        "/orgs/{} (college B); {}",
        w.col_b,
        b.where_am_i().await
    );
    assert_eq!(b.status().await, 404);

    b.close().await;
}
