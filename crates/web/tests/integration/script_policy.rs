//! Issue 15 item 23: `script-src 'self'` — every answer's Content-Security-Policy allows scripts
//! from this site only (no 'unsafe-inline'), no template carries an inline script or event
//! handler, the pages that need behaviour load `/static/app.js`, and the script is served.

use std::path::PathBuf;

use crate::fixtures::*;
use crate::harness::*;
use crate::page;

fn policy_of(h: &reqwest::header::HeaderMap) -> String {
    h["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_string()
}

#[track_caller]
fn scripts_are_external(what: &str, html: &str) {
    let lower = html.to_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let start = at + i;
        let tag_end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..tag_end];
        assert!(
            tag.contains(" src=\"/static/"),
            "{what}: inline script {tag}"
        );
        let body_end = lower[tag_end..]
            .find("</script>")
            .map_or(tag_end, |e| tag_end + e);
        assert_eq!(body_end, tag_end + 1, "{what}: a script with a body");
        at = body_end;
    }
    for handler in [
        " onclick=",
        " onchange=",
        " onsubmit=",
        " onload=",
        "javascript:",
    ] {
        assert!(!lower.contains(handler), "{what}: {handler}");
    }
}

#[test]
fn no_template_has_an_inline_script_or_handler() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("templates dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let html = std::fs::read_to_string(&p).expect("template");
                scripts_are_external(&p.display().to_string(), &html);
                seen += 1;
            }
        }
    }
    assert!(seen > 30, "read {seen} templates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_allow_only_this_sites_scripts_and_load_the_one_script() {
    let (server, fx) = school().await;
    let browser = page::logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let login = new_client(false)
        .get(server.url("/login"))
        .send()
        .await
        .unwrap();
    let policy = policy_of(login.headers());
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(!policy.contains("unsafe-eval"), "{policy}");
    scripts_are_external("login", &login.text().await.unwrap());

    for path in [
        "/".to_string(),
        format!("/orgs/{}", fx.col_a),
        format!("/orgs/{}/members", fx.a1),
        format!("/orgs/{}/import", fx.col_a),
        format!("/orgs/{}/graduation", fx.col_a),
        format!("/orgs/{}/meetings/new", fx.a1),
        format!("/members/{}", fx.m_a1.id),
    ] {
        let r = browser.get(server.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let policy = policy_of(r.headers());
        assert!(
            policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
            "{path}: {policy}"
        );
        let html = r.text().await.unwrap();
        scripts_are_external(&path, &html);
        assert!(
            html.contains("<script src=\"/static/app.js\" defer></script>"),
            "{path}"
        );
    }
    // The script is served, as JavaScript, and holds the behaviours the inline ones had.
    let js = browser
        .get(server.url("/static/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = js.text().await.unwrap();
    for hook in [
        "print-button",
        "all-present",
        "copy-code",
        "import-form",
        "data-ticks",
    ] {
        assert!(js.contains(hook), "app.js handles {hook}");
    }
}
