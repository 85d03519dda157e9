//! The demo data the README's run command loads: its logins work and its people are valid.

use crate::harness::TestServer;

#[tokio::test]
async fn demo_logins_work_and_every_level_sees_its_own_part() {
    let server = TestServer::start().await;
    let summary = tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    assert!(
        summary.members >= 1_800,
        "about the members asked for: {}",
        summary.members
    );
    assert!(summary.orgs > 600, "{}", summary.orgs);

    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let mut totals = Vec::new();
    for login in [
        "tj_admin",
        "tj_gx_admin",
        "hhu_admin",
        "college01",
        "college02",
    ] {
        let token = server.login(login, password).await;
        let me = server.api(&token).get("/api/v1/me").await.ok(200);
        let org = me["org_id"].as_i64().unwrap();
        let list = server
            .api(&token)
            .get(&format!(
                "/api/v1/orgs/{org}/members?subtree=true&per_page=5"
            ))
            .await
            .ok(200);
        totals.push((login, list["total"].as_u64().unwrap()));
    }
    // Each level sees at least as much as the one below it, and two colleges see different people.
    assert!(
        totals[0].1 >= totals[1].1 && totals[1].1 >= totals[2].1 && totals[2].1 > totals[3].1,
        "{totals:?}"
    );
    assert!(totals[3].1 > 0 && totals[4].1 > 0, "{totals:?}");

    // The printed branch secretary logs in by student number with both roles.
    let secretary = summary
        .logins
        .iter()
        .find(|l| l.role.contains("团支书"))
        .unwrap();
    let token = server.login(&secretary.login, password).await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"branch_admin") && roles.contains(&"member"),
        "{roles:?}"
    );

    // A second load refuses rather than doubling the data.
    assert!(tuanwu_app::demo::load(&server.ctx, 100, |_| {})
        .await
        .is_err());
}
