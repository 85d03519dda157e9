//! The demo university's year of meeting records.

use super::meetings_path;
use crate::harness::TestServer;

/// The demo university: a year of records in its first colleges' branches, each passing the
/// checks of one entered by hand, and some branches behind this quarter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_a_year_of_meetings_and_some_branches_behind() {
    let server = TestServer::start().await;
    tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();
    let token = server
        .login("college01", tuanwu_app::demo::DEMO_PASSWORD)
        .await;
    let me = server.api(&token).get("/api/v1/me").await.ok(200);
    let college = me["org_id"].as_i64().unwrap();
    let all = server
        .api(&token)
        .get(&format!(
            "{}?subtree=true&from=2025-12-01&per_page=1",
            meetings_path(college)
        ))
        .await
        .ok(200);
    assert!(all["total"].as_u64().unwrap() > 29 * 12, "{}", all["total"]);
    let c = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{college}/meeting-compliance"))
        .await
        .ok(200);
    // Mid-quarter every branch still owes a month's 支委会; every third has not held its 支部大会.
    let no_assembly = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["counts"][0]["kind"] == "assembly" && b["counts"][0]["behind"] == true)
        .count();
    let total = c["branch_count"].as_u64().unwrap() as usize;
    assert!(
        no_assembly > 0 && no_assembly < total / 2,
        "{no_assembly} of {total}"
    );
    // A demo record reads like one entered by hand: counts derived, names kept.
    let one = server
        .api(&token)
        .get(&format!(
            "{}?subtree=true&kind=assembly&per_page=1",
            meetings_path(college)
        ))
        .await
        .ok(200);
    let m = &one["items"][0];
    assert_eq!(m["quorate"], true, "{m}");
    assert!(
        m["due_count"].as_u64().unwrap() >= 1
            && !m["attendees"][0]["name"].as_str().unwrap().is_empty()
    );
}
