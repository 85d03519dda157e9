//! Issue 15 item 18: the import report names the person beside the row and the masked ID (JSON,
//! xlsx and page); the mode has one wording (「全部正确才导入」/「只导入正确的行」) on the page,
//! in the summary and in the API; every export freezes its header row; the org page offers the
//! member list 「按团支部分表」 as the API does.

use std::io::{Cursor, Read};

use crate::fixtures::*;
use crate::imports::{get_bytes, import, person, required_csv, row, Row};
use crate::page;

/// The `ySplit` of each worksheet's frozen pane (`None`: nothing frozen), in sheet order.
fn frozen_rows(xlsx: &[u8]) -> Vec<Option<u32>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("an xlsx is a zip");
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("xl/worksheets/sheet") && n.ends_with(".xml"))
        .collect();
    names.sort_by_key(|n| {
        n.trim_start_matches("xl/worksheets/sheet")
            .trim_end_matches(".xml")
            .parse::<u32>()
            .unwrap_or(0)
    });
    names
        .iter()
        .map(|n| {
            let mut xml = String::new();
            zip.by_name(n)
                .expect("sheet")
                .read_to_string(&mut xml)
                .expect("xml");
            let pane = xml.find("<pane ").map(|at| &xml[at..])?;
            let pane = &pane[..pane.find("/>")?];
            if !pane.contains("state=\"frozen\"") {
                return None;
            }
            let at = pane.find("ySplit=\"")? + 8;
            pane[at..].split('"').next()?.parse().ok()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_names_each_bad_row_and_the_mode_has_one_wording() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;
    let people: Vec<_> = (1400..1404).map(person).collect();
    let mut rows: Vec<Row> = people.iter().map(|p| row(p, BRANCH_A1)).collect();
    rows[1].insert("身份证号", "12010120050101123".into());
    // Row 5 repeats row 2's person: the masked ID and this row's own name.
    rows[3].insert("身份证号", people[0].resident_id.clone());
    let file = required_csv(&rows);

    let r = import(&server, token, "有误.csv", &file, "valid").await;
    assert_eq!(r["mode_label"], "只导入正确的行", "{r}");
    let problems = r["problems"].as_array().unwrap();
    let at = |row: u64| {
        problems
            .iter()
            .find(|p| p["row"] == row)
            .unwrap_or_else(|| panic!("no problem at row {row}: {r}"))
    };
    assert_eq!(at(3)["name"], people[1].name.as_str());
    let dup = at(5);
    assert_eq!(dup["name"], people[3].name.as_str(), "{dup}");
    assert!(
        dup["value"].as_str().unwrap().contains('*'),
        "masked: {dup}"
    );

    // The spreadsheet has the same name column.
    let id = r["id"].as_i64().unwrap();
    let (status, _, bytes) =
        get_bytes(&server, token, &format!("/api/v1/imports/{id}/report.xlsx")).await;
    assert_eq!(status, 200);
    let cells = crate::letters::xlsx_cells(&bytes);
    assert!(cells.iter().any(|c| c == "姓名"), "{cells:?}");
    assert!(cells.iter().any(|c| c == &people[3].name), "{cells:?}");
    // The report's title and headers stay in view.
    assert_eq!(frozen_rows(&bytes), [Some(2)]);

    // All or nothing: the summary uses the page's wording.
    let r = import(&server, token, "有误2.csv", &file, "all").await;
    assert_eq!(r["mode_label"], "全部正确才导入");
    let message = r["message"].as_str().unwrap();
    assert!(message.contains("全部正确才导入"), "{message}");
    let bad = crate::imports::upload(&server, token, "x.csv", &file, &[("mode", "some")]).await;
    assert!(
        bad.text.contains("全部正确才导入") && bad.text.contains("只导入正确的行"),
        "{}",
        bad.text
    );

    // The page shows the name beside the row, and the same two wordings.
    let browser = page::logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let path = format!("/orgs/{}/import", fx.col_a);
    let form = page::get(&browser, &server, &path).await;
    form.status(200)
        .has("全部正确才导入")
        .has("只导入正确的行")
        .lacks("全部成功才写入");
    let csrf = form.csrf();
    let body = page::upload_form(&[("csrf", &csrf), ("mode", "valid")], "有误.csv", &file);
    let shown = page::post_upload(&browser, &server, &path, body).await;
    shown
        .status(200)
        .has("<th>姓名</th>")
        .has(&format!("data-label=\"姓名\">{}</td>", people[1].name))
        .has("id=\"import-mode\">只导入正确的行");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_freeze_the_header_and_the_page_offers_one_sheet_per_branch() {
    let (server, fx) = school().await;
    let token = &fx.s1_admin.token;
    let (status, _, one) = get_bytes(
        &server,
        token,
        &format!("/api/v1/orgs/{}/reports/members.xlsx?subtree=true", fx.s1),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(frozen_rows(&one), [Some(1)]);

    let browser = page::logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let org = page::get(&browser, &server, &format!("/orgs/{}", fx.s1)).await;
    let link = format!(
        "/orgs/{}/reports/members.xlsx?subtree=true&amp;per_branch=true",
        fx.s1
    );
    org.status(200).has(&link).has("按团支部分表");
    let per_branch = browser
        .get(server.url(&link.replace("&amp;", "&")))
        .send()
        .await
        .expect("GET");
    assert_eq!(per_branch.status().as_u16(), 200);
    let bytes = per_branch.bytes().await.expect("body").to_vec();
    // One sheet per branch of the school (A1, A2, B1), each with its header frozen.
    assert_eq!(frozen_rows(&bytes), [Some(1), Some(1), Some(1)]);
    // A branch has nothing to split.
    let branch = page::get(&browser, &server, &format!("/orgs/{}", fx.a1)).await;
    branch.status(200).lacks("按团支部分表");

    // A request sheet (title and header rows) freezes both.
    let (status, _, sheet) = get_bytes(
        &server,
        token,
        &format!("/api/v1/orgs/{}/reports/graduation-changes.xlsx", fx.s1),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(frozen_rows(&sheet), [Some(2)]);
}
