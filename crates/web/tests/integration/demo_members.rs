//! Issue 17 "Also found": the demo's members obey the rules of a member entered by hand, so an
//! admin editing only a demo member's phone is never refused for a rule the demo broke.

use serde_json::json;

use crate::harness::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_member_passes_the_entry_checks_and_takes_a_phone_edit() {
    let server = TestServer::start().await;
    let summary = tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .unwrap();

    // The whole demo through the entry's own checks (MEM-1, MEM-2: no one joined under 14
    // after 2016, every 2017+ join has its development number, …).
    let (checked, violations) = tuanwu_app::testing::entry_violations(&server.ctx)
        .await
        .unwrap();
    assert!(checked >= summary.members as usize, "{checked}");
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // The university admin edits the phone of a sample of members across its colleges (every
    // 25th on the first pages of its subtree): each is saved.
    let admin = server
        .login("hhu_admin", tuanwu_app::demo::DEMO_PASSWORD)
        .await;
    let org = server.api(&admin).get("/api/v1/me").await.ok(200)["org_id"]
        .as_i64()
        .unwrap();
    let mut edited = 0;
    for page in 1..=4 {
        let list = server
            .api(&admin)
            .get(&format!(
                "/api/v1/orgs/{org}/members?subtree=true&per_page=200&page={page}"
            ))
            .await
            .items();
        for (i, m) in list.iter().enumerate().filter(|(i, _)| i % 25 == 0) {
            let phone = format!("1390000{:04}", page * 1000 + i);
            let saved = server
                .api(&admin)
                .patch(
                    &format!("/api/v1/members/{}", m["id"]),
                    &json!({ "phone": phone }),
                )
                .await
                .ok(200);
            assert_eq!(saved["phone"], phone, "{saved}");
            edited += 1;
        }
    }
    assert!(edited >= 30, "{edited}");
}
