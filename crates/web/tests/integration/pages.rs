//! The HTML pages' protections, checked over plain HTTP (the browser tests cover the journeys).

use crate::harness::{new_client, TestServer};

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_change_nothing() {
    let server = TestServer::start().await;
    let browser = new_client(true);
    let login = crate::page::post(
        &browser,
        &server,
        "/login",
        &[("login", "root"), ("password", "Root-Passw0rd")],
    )
    .await;
    assert_eq!(login.status, 200);
    let home = browser
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("工作台"), "logged in");

    // A forged logout (no token, then a wrong one) is refused and the session survives.
    for form in [vec![], vec![("csrf", "0000")]] {
        let forged = browser
            .post(server.url("/logout"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status().as_u16(), 403);
        assert!(forged.text().await.unwrap().contains("页面已失效"));
        let still = browser
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(still.contains("工作台"), "session still open");
    }

    // The real token from the page works.
    let token = home
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let out = browser
        .post(server.url("/logout"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success());
    let after = browser.get(server.url("/")).send().await.unwrap();
    assert!(
        after.url().path().starts_with("/login"),
        "back at the login page: {}",
        after.url()
    );
}
