//! Issue 15 item 13 in a real browser: the college admin narrows the branch list to one 年级,
//! ticks the whole page with 「全选本页」, marks it, and comes back on the same filter. Saves
//! `docs/screenshots/graduation.png` (1280 px) for the README.

use serde_json::json;

use super::screenshots::screenshot_dir;
use super::setup::{self, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_marks_one_grade_with_select_all_and_keeps_its_filter() {
    let w = setup::world().await;
    let root = w.server.root_token().await;
    for name in [
        "计算机学院2022级软件1班团支部",
        "计算机学院2022级软件2班团支部",
        "计算机学院2022级网络1班团支部",
        "计算机学院2023级软件1班团支部",
    ] {
        w.server
            .api(&root)
            .post(
                "/api/v1/orgs",
                &json!({"parent_id": w.col_a, "name": name, "kind": "branch",
                        "category": "普通高等院校", "branch_type": "regular"}),
            )
            .await
            .ok(201);
    }
    let b = Browser::open(&w.server.base, 1280, 900).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    b.goto(&format!("/orgs/{}/graduation", w.col_a)).await;
    assert_eq!(
        b.all("tr.branch-row").await.len(),
        5,
        "every branch at first"
    );

    b.fill_form("form#graduation-filters", &[("grade", "2022")])
        .await;
    b.click("form#graduation-filters button#filter").await;
    assert_eq!(b.all("tr.branch-row").await.len(), 3, "only 2022级");
    let body = b.body_text().await;
    assert!(!body.contains("2023级软件1班"), "{body}");

    // 「全选本页」 ticks every row of the filtered page.
    b.wait_for("#tick-page").await.click().await.expect("click");
    let ticked = b
        .js("return document.querySelectorAll('input[name=org_ids]:checked').length")
        .await;
    assert_eq!(ticked, json!(3), "the three rows are ticked");
    b.screenshot_page(&screenshot_dir().join("graduation.png"))
        .await;
    b.js("document.getElementById('year_month').value = '2026-06'; return null")
        .await;
    b.click("#mark-submit").await;

    let path = b.path().await;
    assert!(
        path.contains("grade=2022"),
        "back on the same filter: {path}"
    );
    let notice = b.text("p.notice").await;
    assert!(notice.contains("已标记3个团支部"), "{notice}");
    assert_eq!(
        b.field_value("form#graduation-filters", "grade").await,
        "2022"
    );
    let rows = b.all("tr.branch-row td.graduation").await;
    assert_eq!(rows.len(), 3);
    for r in rows {
        assert_eq!(r.text().await.expect("text"), "2026年6月毕业");
    }
    b.close().await;
}
