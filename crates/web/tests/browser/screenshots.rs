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
