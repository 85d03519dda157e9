//! Refreshes `docs/screenshots/home.png` and `docs/screenshots/members.png` (1280 px wide) on
//! every run, so the pictures follow the pages.

use std::path::PathBuf;

use super::setup::{self, name_for, Person, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;

/// Where the README's pictures are kept.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_home_and_member_list() {
    let w = setup::world().await;
    for seq in 0..10u16 {
        let p = Person::new(100 + seq, &name_for(seq * 11));
        setup::add_member(&w.server, &w.admin_token, w.a1, &p).await;
    }
    let b = Browser::open(&w.server.base, 1280, 900).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    b.wait_for("#counts").await;
    let dir = screenshot_dir();

    let home = b.screenshot_page(&dir.join("home.png")).await;
    let (width, height) = png_size(&home);
    assert_eq!(width, 1280, "home.png width");
    assert!(height >= 300, "home.png height {height}");

    b.goto(&format!("/orgs/{}/members", w.a1)).await;
    let rows = b.all("table#members tbody tr").await;
    assert_eq!(rows.len(), 10, "the list shows the 10 members");
    let members = b.screenshot_page(&dir.join("members.png")).await;
    let (width, _) = png_size(&members);
    assert_eq!(width, 1280, "members.png width");

    // The 学号 sort link orders the rows by student number.
    b.click("a.sort-student_no").await;
    let mut numbers = Vec::new();
    for cell in b.all("table#members td.student-no").await {
        numbers.push(cell.text().await.expect("text"));
    }
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers.len(), 10, "all 10 rows after sorting");
    assert_eq!(
        numbers, sorted,
        "rows sorted by 学号 after a.sort-student_no"
    );

    b.close().await;
}

/// Issue 15 items 7 and 14: each level's 工作台 — the school (学社衔接率 and the branches not yet
/// marked), the college (transfers waiting, members 待核验) and the branch secretary (roster,
/// this quarter's meetings) — saved as `docs/screenshots/workbench-{school,college,branch}.png`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_each_levels_workbench() {
    use serde_json::json;

    let w = setup::world().await;
    let root = w.server.root_token().await;
    for seq in 0..6u16 {
        let p = Person::new(200 + seq, &name_for(seq * 7));
        setup::add_member(&w.server, &w.admin_token, w.a1, &p).await;
    }
    let year = w
        .server
        .api(&root)
        .get(&format!("/api/v1/orgs/{}/continuity", w.school))
        .await
        .ok(200)["year"]
        .as_i64()
        .expect("year");
    w.server
        .api(&root)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/graduation", w.a1),
            Some(&json!({"year_month": format!("{year}-06")})),
        )
        .await
        .ok(200);
    let mut logins = Vec::new();
    for (org, login, name) in [
        (w.school, "xtw_admin", "校团委管理员"),
        (w.a1, "jsj2301_sec", "计算机2301团支书"),
    ] {
        w.server
            .api(&root)
            .post(
                &format!("/api/v1/orgs/{org}/admins"),
                &json!({"login": login, "password": "Shot-Init1", "name": name}),
            )
            .await
            .ok(201);
        crate::fixtures::first_login(&w.server, login, "Shot-Init1", "Shot-Pass2").await;
        logins.push(login);
    }
    let dir = screenshot_dir();
    for (login, password, file, tile) in [
        (
            logins[0],
            "Shot-Pass2",
            "workbench-school.png",
            "#continuity-tile",
        ),
        (
            ADMIN_LOGIN,
            ADMIN_PASSWORD,
            "workbench-college.png",
            "#transfers-tile",
        ),
        (
            logins[1],
            "Shot-Pass2",
            "workbench-branch.png",
            "#roster-tile",
        ),
    ] {
        let b = Browser::open(&w.server.base, 1280, 900).await;
        b.login(login, password).await;
        b.wait_for(tile).await;
        let png = b.screenshot_page(&dir.join(file)).await;
        assert_eq!(png_size(&png).0, 1280, "{file} width");
        b.close().await;
    }
}
