//! Issue 15 item 3: a code issued from a page is shown by the page the POST redirects to, once.
//! A refresh says it was shown and never issues a new code, so the code already handed over
//! stays valid; no other session can open it.

use crate::account_pages::code_on;
use crate::fixtures::{member_token, school};
use crate::page::{get, logged_in, post};

const RESET_SHOWN: &str = "该重置码已显示过，如遗失请重新生成";

#[tokio::test]
async fn refreshing_the_reset_code_page_shows_no_code_and_keeps_the_first_one_valid() {
    let (server, f) = school().await;
    let m = f.m_a1.clone();
    member_token(&server, &f.root, &m).await;
    let admin = logged_in(&server, &f.a1_admin.login, &f.a1_admin.password).await;
    let member_page = get(&admin, &server, &format!("/members/{}", m.id)).await;

    // POST issues, then the browser lands on a GET page showing the code.
    let issued = post(
        &admin,
        &server,
        &format!("/members/{}/reset-code", m.id),
        &[("csrf", &member_page.csrf())],
    )
    .await;
    issued.status(200).has(&m.person.name);
    let prefix = format!("/members/{}/reset-code/", m.id);
    assert!(
        issued.path.starts_with(&prefix),
        "redirected: {}",
        issued.path
    );
    let code = code_on(&issued);
    assert!(
        !issued.path.contains(&code),
        "the code is never in the address"
    );

    // A refresh of that page: the code is not shown again and no new code is issued.
    let again = get(&admin, &server, &issued.path).await;
    again
        .status(200)
        .has(RESET_SHOWN)
        .lacks(&code)
        .lacks("id=\"code-value\"");

    // Another admin's session cannot open it.
    let other = logged_in(&server, &f.s1_admin.login, &f.s1_admin.password).await;
    get(&other, &server, &issued.path)
        .await
        .status(404)
        .lacks(&code);

    // The code handed over still resets the password.
    let anon = crate::harness::new_client(true);
    let new_password = "Fresh-Pass7";
    let done = post(
        &anon,
        &server,
        "/forgot-password",
        &[
            ("name", m.person.name.as_str()),
            ("resident_id", m.person.resident_id.as_str()),
            ("code", code.as_str()),
            ("new_password", new_password),
            ("new_password_again", new_password),
        ],
    )
    .await;
    done.status(200).has("密码已重置");
    logged_in(&server, &m.person.resident_id, new_password).await;
}

#[tokio::test]
async fn refreshing_the_registration_code_page_shows_no_code() {
    let (server, f) = school().await;
    let school = logged_in(&server, &f.s1_admin.login, &f.s1_admin.password).await;
    let org_page = get(&school, &server, &format!("/orgs/{}", f.a1)).await;
    let issued = post(
        &school,
        &server,
        &format!("/orgs/{}/registration-code", f.a1),
        &[("csrf", &org_page.csrf())],
    )
    .await;
    issued.status(200);
    let code = code_on(&issued);
    assert!(issued
        .path
        .starts_with(&format!("/orgs/{}/registration-code/", f.a1)));
    get(&school, &server, &issued.path)
        .await
        .status(200)
        .has("该注册码已显示过，如遗失请重新生成")
        .lacks(&code);
}
