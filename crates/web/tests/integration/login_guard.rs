//! Logging in under attack: nobody can lock a victim out by hammering their name, the address
//! behind a reverse proxy is the client's (and only a trusted proxy may say so), the answer
//! tells nobody who exists, another site cannot post our login form, and a deep link survives
//! the login.

use std::net::IpAddr;

use reqwest::Client;
use serde_json::json;
use time::macros::date;
use tuanwu_domain::ResidentId;

use crate::fixtures::*;
use crate::harness::{new_client, Resp, TestServer, ROOT_PASSWORD};
use crate::page::{post, pre_session};

const PROXY: &str = "127.0.0.1";

fn behind_proxy() -> tuanwu_web::WebSettings {
    tuanwu_web::WebSettings {
        trusted_proxies: vec![PROXY.parse::<IpAddr>().unwrap()],
        ..Default::default()
    }
}

/// A login through the API from `client_address` as the proxy reports it.
async fn login_from(server: &TestServer, from: &str, login: &str, password: &str) -> Resp {
    let resp = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    Resp::read_for_test("POST /api/v1/auth/login", resp).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_victim_logs_in_while_an_attacker_hammers_their_name() {
    let server = TestServer::start_with_web(behind_proxy()).await;
    // The victim's usual network is known from an earlier login.
    login_from(&server, "198.51.100.7", "root", ROOT_PASSWORD)
        .await
        .ok(200);
    // One attacker: stopped after 5 guesses, on its own address only.
    for i in 0..20 {
        let r = login_from(&server, "203.0.113.66", "root", "Wrong-Passw0rd").await;
        assert_eq!(r.status, if i < 5 { 401 } else { 429 }, "guess {i}: {r:?}");
    }
    login_from(&server, "203.0.113.66", "root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
    login_from(&server, "198.51.100.7", "root", ROOT_PASSWORD)
        .await
        .ok(200);
    // Many attackers (with the first, 50 guesses from 10 addresses): new addresses are stopped,
    // the victim's usual one still logs in.
    for a in 0..9 {
        for _ in 0..5 {
            login_from(
                &server,
                &format!("203.0.113.{}", 100 + a),
                "root",
                "Wrong-1x",
            )
            .await
            .fails(401);
        }
    }
    login_from(&server, "192.0.2.50", "root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
    login_from(&server, "198.51.100.7", "root", ROOT_PASSWORD)
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let server = TestServer::start().await;
    // A client rotating the header is still one address: it cannot escape the limit.
    for i in 0..5 {
        login_from(&server, &format!("203.0.113.{i}"), "root", "Wrong-Passw0rd")
            .await
            .fails(401);
    }
    login_from(&server, "198.51.100.99", "root", ROOT_PASSWORD)
        .await
        .err(429, "too_many_attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_wrong_and_unset_get_one_answer() {
    let (server, fx) = school().await;
    // A member who has no password yet (no account until one is needed).
    let p = Person::new(90, &name_for(90));
    member(&server, &fx.root, p.clone(), fx.a1).await;
    let nobody = ResidentId::compose(120101, date!(2004 - 03 - 08), 555);
    let answers = [
        server.login_resp("no_such_login", "Wrong-Passw0rd").await,
        server.login_resp("a_admin", "Wrong-Passw0rd").await,
        server.login_resp(&p.resident_id, "Wrong-Passw0rd").await,
        server.login_resp(&p.student_no, "Wrong-Passw0rd").await,
        server.login_resp(nobody.as_str(), "Wrong-Passw0rd").await,
    ];
    for a in &answers {
        a.err(401, "invalid_credentials");
        assert_eq!(a.text, answers[0].text, "{a:?}");
    }
}

async fn login_page_post(
    client: &Client,
    server: &TestServer,
    fields: &[(&str, &str)],
    cookie: &str,
) -> reqwest::Response {
    let mut req = client.post(server.url("/login")).form(fields);
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    req.send().await.unwrap()
}

fn not_following() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_cannot_post_the_login_form() {
    let server = TestServer::start().await;
    let client = not_following();
    let creds = [("login", "root"), ("password", ROOT_PASSWORD)];
    // No token at all (a form on another site).
    let forged = login_page_post(&client, &server, &creds, "").await;
    assert_eq!(forged.status(), 403);
    assert!(forged.headers().get("set-cookie").is_none());
    // The attacker's own token with the victim's (absent or other) cookie.
    let (attacker_token, _) = pre_session(&client, &server, "/login").await;
    let (_, victim_cookie) = pre_session(&client, &server, "/login").await;
    let mut fields = creds.to_vec();
    fields.push(("csrf", attacker_token.as_str()));
    let mixed = login_page_post(&client, &server, &fields, &victim_cookie).await;
    assert_eq!(mixed.status(), 403);
    // The visitor's own page and cookie: logged in.
    let (token, cookie) = pre_session(&client, &server, "/login").await;
    let mut fields = creds.to_vec();
    fields.push(("csrf", token.as_str()));
    let ok = login_page_post(&client, &server, &fields, &cookie).await;
    assert_eq!(ok.status(), 303);
    assert!(ok.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("tuanwu_session="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_link_survives_the_login_and_never_leaves_the_site() {
    let (server, fx) = school().await;
    let browser = new_client(true);
    let target = format!("/members/{}?tab=transfers", fx.m_a1.id);
    let asked = browser.get(server.url(&target)).send().await.unwrap();
    assert_eq!(asked.url().path(), "/login");
    let next = asked
        .url()
        .query_pairs()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned());
    assert_eq!(next.as_deref(), Some(target.as_str()));
    let landed = post(
        &browser,
        &server,
        "/login",
        &[
            ("login", "a_admin"),
            ("password", fx.a_admin.password.as_str()),
            ("next", target.as_str()),
        ],
    )
    .await;
    assert_eq!(landed.status, 200);
    assert_eq!(landed.path, target);
    // Another site as the return address lands on the 工作台 instead.
    let other = new_client(true);
    for evil in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let home = post(
            &other,
            &server,
            "/login",
            &[
                ("login", "a_admin"),
                ("password", fx.a_admin.password.as_str()),
                ("next", evil),
            ],
        )
        .await;
        assert_eq!(home.path, "/", "{evil}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_behind_tls() {
    let server = TestServer::start_with_web(tuanwu_web::WebSettings {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let client = not_following();
    let (token, cookie) = pre_session(&client, &server, "/login").await;
    let fields = [
        ("login", "root"),
        ("password", ROOT_PASSWORD),
        ("csrf", token.as_str()),
    ];
    let ok = login_page_post(&client, &server, &fields, &cookie).await;
    assert_eq!(ok.status(), 303);
    let set = ok.headers()["set-cookie"].to_str().unwrap();
    assert!(set.contains("; Secure"), "{set}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_cannot_write_through_the_api_with_the_session_cookie() {
    let (server, fx) = school().await;
    let jar = new_client(true);
    let login = server
        .anon()
        .with_client(&jar)
        .post(
            "/api/v1/auth/login",
            &json!({"login": "a_admin", "password": fx.a_admin.password}),
        )
        .await;
    login.ok(200);
    let host = server.base.trim_start_matches("http://").to_string();
    let before = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=1")
        .await
        .ok(200)["total"]
        .clone();
    let write = |origin: Option<String>, fetch_site: Option<&'static str>| {
        let mut req = jar
            .patch(server.url(&format!("/api/v1/orgs/{}", fx.a1)))
            .json(&json!({"contact_person": "跨站修改"}));
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(s) = fetch_site {
            req = req.header("sec-fetch-site", s);
        }
        req.send()
    };
    let evil = || Some("http://evil.example".to_string());
    for (origin, site) in [(evil(), None), (evil(), Some("cross-site")), (None, None)] {
        let r = write(origin.clone(), site).await.unwrap();
        assert_eq!(r.status(), 403, "{origin:?} {site:?}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
    }
    // A multipart upload from another site is refused the same way.
    let upload = jar
        .post(server.url("/api/v1/files"))
        .header("origin", "http://evil.example")
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 403);
    let after = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=1")
        .await
        .ok(200)["total"]
        .clone();
    assert_eq!(before, after, "nothing was written");
    // From this site's own pages, and with a bearer token from anywhere, the write goes through.
    let own = Some(format!("http://{host}"));
    assert_eq!(write(own, None).await.unwrap().status(), 200);
    assert_eq!(
        write(None, Some("same-origin")).await.unwrap().status(),
        200
    );
    let bearer = server
        .client
        .patch(server.url(&format!("/api/v1/orgs/{}", fx.a1)))
        .bearer_auth(&fx.a_admin.token)
        .header("origin", "http://evil.example")
        .json(&json!({"contact_person": "另一系统"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);
}
