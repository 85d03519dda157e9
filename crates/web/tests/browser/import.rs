//! MEM-5 / DAT-1 in a real browser: the college admin downloads nothing but uses the import page
//! as people do — chooses a csv, starts the import, sees the progress area, then the report: one
//! bad row in "all or nothing" writes nothing and is named; the fixed file adds everyone.

use fantoccini::Locator;

use super::setup::{self, name_for, Person, ADMIN_LOGIN, ADMIN_PASSWORD, BRANCH_A1};
use super::Browser;

/// A csv of `count` people in 团支部 A1 (Excel's CRLF), row `bad` with a wrong check digit.
fn sheet(count: u16, bad: Option<u16>) -> String {
    let mut out = "姓名,身份证号,民族,入团时间,发展团员编号,学号,政治面貌,手机号码,所在团支部\r\n"
        .to_string();
    for seq in 200..200 + count {
        let p = Person::new(seq, &name_for(seq % 100));
        let rid = if Some(seq - 200) == bad {
            p.bad_resident_id()
        } else {
            p.resident_id.clone()
        };
        out.push_str(&format!(
            "{},{rid},汉族,{},{},{},共青团员,{},{BRANCH_A1}\r\n",
            p.name, p.joined_on, p.development_no, p.student_no, p.phone
        ));
    }
    out
}

async fn import_through_the_page(b: &Browser, org: i64, file: &std::path::Path) {
    b.goto(&format!("/orgs/{org}/import")).await;
    let input = b.wait_for("input#file").await;
    input
        .send_keys(file.to_str().expect("utf-8 path"))
        .await
        .expect("choose the file");
    let start = b.wait_for("button#start-import").await;
    b.click_and_load(&start).await;
    b.wait_for("#import-report").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_admin_imports_a_sheet_on_the_import_page() {
    let w = setup::world().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let bad_file = dir.path().join("新生名单.csv");
    std::fs::write(&bad_file, sheet(600, Some(17))).expect("write csv");
    let good_file = dir.path().join("新生名单-修改后.csv");
    std::fs::write(&good_file, sheet(600, None)).expect("write csv");
    let before = setup::member_total(&w.server, &w.admin_token, w.a1).await;

    let b = Browser::open(&w.server.base, 1280, 900).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;

    // The script shows the progress area and gives the upload its progress key.
    b.goto(&format!("/orgs/{}/import", w.a1)).await;
    let hidden = b
        .js("return document.getElementById('import-progress').hidden")
        .await;
    assert_eq!(
        hidden,
        serde_json::Value::Bool(true),
        "no progress before the start"
    );

    import_through_the_page(&b, w.a1, &bad_file).await;
    let message = b.text("#import-message").await;
    assert!(
        message.contains("有1行存在问题") && message.contains("没有写入"),
        "{message}"
    );
    let problem = b.text("table#import-problems tbody tr").await;
    assert!(
        problem.contains("19"),
        "row 19 (the 18th person) is named: {problem}"
    );
    assert!(problem.contains("身份证号"), "{problem}");
    assert_eq!(
        setup::member_total(&w.server, &w.admin_token, w.a1).await,
        before,
        "all or nothing: nobody added"
    );
    let report = b
        .client
        .find(Locator::Css("a#report-xlsx"))
        .await
        .expect("the report can be downloaded");
    let href = report.attr("href").await.expect("href").unwrap_or_default();
    assert!(href.ends_with("/report.xlsx"), "{href}");

    import_through_the_page(&b, w.a1, &good_file).await;
    let message = b.text("#import-message").await;
    assert!(message.contains("已导入600名团员"), "{message}");
    assert_eq!(b.text("#import-added").await, "600");
    assert_eq!(
        setup::member_total(&w.server, &w.admin_token, w.a1).await,
        before + 600
    );
}
