//! MEM-5, DAT-1, DAT-2, SYS-5: importing members from csv and xlsx (two modes, a row-by-row
//! report, scope), and the member-list export (masking, subtree, audit, formula-safe cells).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use time::macros::date;
use tuanwu_domain::mask::{mask_phone, mask_resident_id};

use crate::fixtures::*;
use crate::harness::{id_of, is_chinese, Resp, TestServer};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const REQUIRED: [&str; 9] = [
    "姓名",
    "身份证号",
    "民族",
    "入团时间",
    "发展团员编号",
    "学号",
    "政治面貌",
    "手机号码",
    "所在团支部",
];
const OPTIONAL: [&str; 5] = ["专业", "籍贯", "文化程度", "电子邮箱", "所在学院"];
const EXPORT_HEADERS: [&str; 16] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号",
    "出生日期",
    "入团时间",
    "发展团员编号",
    "学号",
    "政治面貌",
    "手机号码",
    "电子邮箱",
    "专业",
    "籍贯",
    "文化程度",
    "所在团支部（全称）",
];
const MEM5: &str = "导入的团员所在学院必须跟此团支部所属分团委一致";

// ---------------------------------------------------------------------------------------------
// Building files

/// One row of an import sheet: header → cell text.
pub(crate) type Row = BTreeMap<&'static str, String>;

pub(crate) fn person(seq: u16) -> Person {
    Person::new(seq, &name_for(seq))
}

/// A valid row for `p` in the branch written as `branch` (full name or full path).
pub(crate) fn row(p: &Person, branch: &str) -> Row {
    BTreeMap::from([
        ("姓名", p.name.clone()),
        ("身份证号", p.resident_id.clone()),
        ("民族", "汉族".to_string()),
        ("入团时间", p.joined_on.clone()),
        ("发展团员编号", p.development_no.clone()),
        ("学号", p.student_no.clone()),
        ("政治面貌", "共青团员".to_string()),
        ("手机号码", p.phone.clone()),
        ("所在团支部", branch.to_string()),
    ])
}

fn quote(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// A csv (CRLF line ends, as Excel writes them) with `headers` as the first line.
fn csv(headers: &[&str], rows: &[Row]) -> String {
    let mut out = headers.join(",");
    out.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = headers
            .iter()
            .map(|h| quote(r.get(h).map(String::as_str).unwrap_or("")))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn required_csv(rows: &[Row]) -> Vec<u8> {
    csv(&REQUIRED, rows).into_bytes()
}

fn all_columns() -> Vec<&'static str> {
    REQUIRED.iter().chain(OPTIONAL.iter()).copied().collect()
}

/// The branch's full path, as the org tree shows it.
fn full_path(branch_path: &[&str]) -> String {
    let mut parts = vec!["共青团中央委员会", PROVINCE];
    parts.extend_from_slice(branch_path);
    parts.join(" / ")
}

/// `s` encoded as GBK, as Excel on Chinese Windows saves csv.
fn gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "{s} is all GBK");
    bytes.into_owned()
}

// ---------------------------------------------------------------------------------------------
// Talking to the server

const BOUNDARY: &str = "----tuanwu-import-boundary-5b1e0c";

/// A multipart/form-data body: an optional `file` part and text fields.
fn form(file: Option<(&str, &[u8])>, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

async fn post_form(
    server: &TestServer,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> Resp {
    server
        .post_raw("/api/v1/imports", token, content_type, body)
        .await
}

/// `POST /api/v1/imports` with `bytes` as the file and the given text fields.
pub(crate) async fn upload(
    server: &TestServer,
    token: &str,
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Resp {
    let (ct, body) = form(Some((file_name, bytes)), fields);
    post_form(server, Some(token), &ct, body).await
}

/// Imports in `mode` and returns the report (panics unless 200).
pub(crate) async fn import(
    server: &TestServer,
    token: &str,
    file_name: &str,
    bytes: &[u8],
    mode: &str,
) -> Value {
    let report = upload(server, token, file_name, bytes, &[("mode", mode)])
        .await
        .ok(200);
    check_report_shape(&report);
    report
}

/// Every report has the documented fields and Chinese messages.
#[track_caller]
fn check_report_shape(r: &Value) {
    for key in [
        "id",
        "file_name",
        "mode",
        "total_rows",
        "added",
        "skipped_existing",
        "error_rows",
        "written",
        "unknown_columns",
        "problems",
        "problems_truncated",
        "message",
    ] {
        assert!(r.get(key).is_some(), "report lacks {key}: {r}");
    }
    assert!(
        is_chinese(r["message"].as_str().unwrap_or("")),
        "the summary is Chinese: {r}"
    );
    for p in problems(r) {
        assert!(p["row"].as_u64().is_some_and(|n| n >= 2), "{p}");
        let column = p["column"].as_str().unwrap_or("");
        assert!(
            REQUIRED.contains(&column) || OPTIONAL.contains(&column),
            "the column is a Chinese header: {p}"
        );
        assert!(is_chinese(p["message"].as_str().unwrap_or("")), "{p}");
    }
}

fn problems(r: &Value) -> Vec<Value> {
    r["problems"].as_array().cloned().unwrap_or_default()
}

fn problem_rows(r: &Value) -> BTreeSet<u64> {
    problems(r)
        .iter()
        .filter_map(|p| p["row"].as_u64())
        .collect()
}

/// The problems of one spreadsheet row.
fn at_row(r: &Value, row: u64) -> Vec<Value> {
    problems(r)
        .into_iter()
        .filter(|p| p["row"].as_u64() == Some(row))
        .collect()
}

/// The problem of `row` in `column` (panics if there is none).
#[track_caller]
fn problem(r: &Value, row: u64, column: &str) -> Value {
    at_row(r, row)
        .into_iter()
        .find(|p| p["column"] == column)
        .unwrap_or_else(|| panic!("no problem in row {row}, column {column}: {r}"))
}

#[track_caller]
fn counts(r: &Value, total: u64, added: u64, skipped: u64, errors: u64, written: bool) {
    assert_eq!(
        (
            r["total_rows"].as_u64(),
            r["added"].as_u64(),
            r["skipped_existing"].as_u64(),
            r["error_rows"].as_u64(),
            r["written"].as_bool(),
        ),
        (
            Some(total),
            Some(added),
            Some(skipped),
            Some(errors),
            Some(written)
        ),
        "(total, added, skipped, errors, written): {r}"
    );
}

/// `GET path` as raw bytes: status, content type, body.
pub(crate) async fn get_bytes(
    server: &TestServer,
    token: &str,
    path: &str,
) -> (u16, String, Vec<u8>) {
    let response = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response.bytes().await.expect("body").to_vec();
    (status, ct, bytes)
}

/// Downloads an xlsx (asserting 200, the content type and the zip magic) and reads it.
async fn get_xlsx(server: &TestServer, token: &str, path: &str) -> Vec<xlsx::Sheet> {
    let (status, ct, bytes) = get_bytes(server, token, path).await;
    assert_eq!(
        status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(ct.starts_with(XLSX), "GET {path}: content type {ct}");
    assert!(bytes.starts_with(b"PK\x03\x04"), "GET {path}: not a zip");
    xlsx::read(&bytes)
}

/// The first member found by a search for `q` (as `token`).
pub(crate) async fn find_member(server: &TestServer, token: &str, q: &str) -> Option<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/members?q={q}"))
        .await
        .items()
        .into_iter()
        .next()
}

/// Audit entries (whole log, as `token`) of `entity` / `action`.
async fn audit_entries(server: &TestServer, token: &str, entity: &str, action: &str) -> Vec<Value> {
    let body = server
        .api(token)
        .get("/api/v1/audit?per_page=500")
        .await
        .ok(200);
    body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["entity"] == entity && e["action"] == action)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Template and the first xlsx import

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn template_has_the_columns_and_a_filled_in_copy_imports() {
    let (server, fx) = school().await;
    server
        .anon()
        .get("/api/v1/imports/template.xlsx")
        .await
        .fails(401);
    let book = get_xlsx(&server, &fx.a_admin.token, "/api/v1/imports/template.xlsx").await;
    let first = book.first().expect("the template has a sheet");
    let headers = first.row(0);
    for h in all_columns() {
        assert!(
            headers.iter().any(|x| x.trim_end_matches('*') == h),
            "template header {h} missing: {headers:?}"
        );
    }
    assert!(
        first.row(1).iter().any(|c| !c.is_empty()),
        "an example row follows the headers"
    );

    // Uploading the template untouched: the example row is reported (its branch is not ours),
    // nothing is written.
    let (_, _, template) =
        get_bytes(&server, &fx.a_admin.token, "/api/v1/imports/template.xlsx").await;
    let before = member_total(&server, &fx.root, fx.s1).await;
    let r = import(
        &server,
        &fx.a_admin.token,
        "团员导入模板.xlsx",
        &template,
        "all",
    )
    .await;
    assert_eq!(r["written"], false, "{r}");
    assert_eq!(r["added"], 0, "{r}");
    assert_eq!(problem_rows(&r), BTreeSet::from([2]), "{r}");
    problem(&r, 2, "所在团支部");
    assert_eq!(member_total(&server, &fx.root, fx.s1).await, before);

    // Filled in, in the template's column order: three people are added.
    let people: Vec<Person> = (1001..1004).map(person).collect();
    let branches = [BRANCH_A1, BRANCH_A2, BRANCH_A1];
    let mut rows = vec![headers
        .iter()
        .map(|h| xlsx::Cell::Text(h.clone()))
        .collect::<Vec<_>>()];
    for (p, b) in people.iter().zip(branches) {
        let mut data = row(p, b);
        data.insert("籍贯", "天津市河西区".into());
        data.insert("专业", "软件工程".into());
        data.insert("所在学院", "计算机学院".into());
        rows.push(
            headers
                .iter()
                .map(|h| {
                    let key = h.trim_end_matches('*');
                    xlsx::Cell::Text(data.get(key).cloned().unwrap_or_default())
                })
                .collect(),
        );
    }
    let r = import(
        &server,
        &fx.a_admin.token,
        "新生.xlsx",
        &xlsx::write(&rows),
        "all",
    )
    .await;
    counts(&r, 3, 3, 0, 0, true);
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2 + 3);
    let m = find_member(&server, &fx.a_admin.token, &people[1].student_no)
        .await
        .expect("imported member is found");
    assert_eq!(m["org_id"], fx.a2, "{m}");
    let detail = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{}", id_of(&m)))
        .await
        .ok(200);
    assert_eq!(detail["name"], people[1].name.as_str(), "{detail}");
    assert_eq!(detail["resident_id"], people[1].resident_id.as_str());
    assert_eq!(detail["native_place"], "天津市河西区", "{detail}");
    assert_eq!(detail["joined_on"], "2020-05");
}

// ---------------------------------------------------------------------------------------------
// The Done-means journey, scaled down

/// What is wrong with a bad row of the journey file, and in which column.
struct Bad {
    index: usize,
    column: &'static str,
    /// Text the message must contain ("" = any).
    says: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_all_or_nothing_then_fixed_then_reimported() {
    let (server, fx) = school().await;
    let token = fx.s1_admin.token.clone();
    let a2_path = full_path(&[SCHOOL1, COLLEGE_A, BRANCH_A2]);
    // The issue's own journey: 3,000 freshmen, 20 bad rows.
    let n = 3_000usize;
    let seq = |i: usize| 1000 + u16::try_from(i).expect("small");
    // Born in 2004 (the fixture's members in 2005), so no resident ID repeats theirs.
    let applicant = |seq: u16| {
        Person::born(
            seq,
            &name_for(seq),
            date!(2004 - 01 - 01) + time::Duration::days(i64::from(seq % 300)),
        )
    };
    let branch_of = |i: usize| match i % 3 {
        0 => BRANCH_A1.to_string(),
        1 => a2_path.clone(),
        _ => BRANCH_B1.to_string(),
    };
    let good_row = |i: usize| {
        let p = applicant(seq(i));
        let mut r = row(&p, &branch_of(i));
        // The join date in the forms people type; all mean 2020-05.
        let joined = [
            "2020-05",
            "2020.5",
            "2020年5月",
            "202005",
            "2020/05",
            "2020-5",
        ][i % 6];
        r.insert("入团时间", joined.into());
        if i.is_multiple_of(10) {
            let college = if i % 3 == 2 {
                "机械工程学院"
            } else {
                "计算机学院"
            };
            r.insert("所在学院", college.into());
        }
        r
    };
    let good: Vec<Row> = (0..n).map(good_row).collect();

    let mut bad_rows = good.clone();
    let mut bad: Vec<Bad> = Vec::new();
    let mut spoil = |index: usize, column: &'static str, value: String, says: &str| {
        bad_rows[index].insert(column, value);
        bad.push(Bad {
            index,
            column,
            says: says.to_string(),
        });
    };
    // A wrong check character.
    let rid = applicant(seq(7)).resident_id;
    let (head, last) = rid.split_at(17);
    let wrong = if last == "0" { "1" } else { "0" };
    spoil(7, "身份证号", format!("{head}{wrong}"), "");
    spoil(31, "入团时间", "五月".into(), "");
    spoil(90, "发展团员编号", "无".into(), "");
    spoil(121, "发展团员编号", "12345678901".into(), "");
    spoil(
        150,
        "所在团支部",
        "计算机2399团支部".into(),
        "计算机2399团支部",
    );
    // The same person as row 14 (index 12).
    spoil(177, "身份证号", good[12]["身份证号"].clone(), "第14行");
    // Someone registered in another school, outside the importer's scope.
    spoil(203, "身份证号", fx.m_s2.person.resident_id.clone(), "");
    // The development number of row 22 (index 20).
    spoil(
        222,
        "发展团员编号",
        good[20]["发展团员编号"].clone(),
        "第22行",
    );
    spoil(240, "民族", "火星族".into(), "");
    spoil(266, "手机号码", "1381234567".into(), "");
    spoil(289, "政治面貌", "无党派".into(), "");
    // Further down the file, the mistakes people make in a long sheet.
    spoil(1000, "入团时间", "2019年13月".into(), "");
    spoil(1234, "电子邮箱", "zhang@".into(), "");
    spoil(1501, "姓名", String::new(), "");
    spoil(2002, "所在团支部", String::new(), "全称");
    spoil(2503, "手机号码", "1391234abcd".into(), "");
    spoil(2777, "身份证号", "1.20101200405E+17".into(), "");
    spoil(2999, "学号", "2023 00 01".into(), "");
    // A2 is in college A, the row says college B.
    assert_eq!(295 % 3, 1);
    spoil(295, "所在学院", "机械工程学院".into(), MEM5);
    // MEM-2: joined at 13 in 2023.
    let young = Person::born(seq(58), &name_for(58), date!(2010 - 03 - 01));
    let mut young_row = row(&young, &branch_of(58));
    young_row.insert("入团时间", "2023-06".into());
    bad_rows[58] = young_row;
    bad.push(Bad {
        index: 58,
        column: "入团时间",
        says: "十四周岁".into(),
    });
    let columns = all_columns();
    let bad_file = csv(&columns, &bad_rows).into_bytes();
    let before = member_total(&server, &fx.root, fx.s1).await;
    assert_eq!(before, 3);

    // All or nothing: nothing is written and the report names exactly the bad rows.
    let r = import(&server, &token, "新生名单.csv", &bad_file, "all").await;
    counts(&r, n as u64, 0, 0, bad.len() as u64, false);
    assert_eq!(r["mode"], "all");
    assert_eq!(r["file_name"], "新生名单.csv");
    assert_eq!(r["problems_truncated"], false);
    let expected: BTreeSet<u64> = bad.iter().map(|b| b.index as u64 + 2).collect();
    assert_eq!(problem_rows(&r), expected, "{r}");
    for b in &bad {
        let p = problem(&r, b.index as u64 + 2, b.column);
        let message = p["message"].as_str().unwrap_or("");
        assert!(
            message.contains(&b.says),
            "row {} ({}): the message should say {:?}: {p}",
            b.index + 2,
            b.column,
            b.says
        );
    }
    let out_of_scope = at_row(&r, 205);
    for secret in [
        SCHOOL2,
        BRANCH_S2,
        fx.m_s2.person.name.as_str(),
        fx.m_s2.person.resident_id.as_str(),
    ] {
        assert!(
            !serde_json::to_string(&out_of_scope)
                .expect("json")
                .contains(secret),
            "the holder outside the scope is not revealed ({secret}): {out_of_scope:?}"
        );
    }
    assert_eq!(
        member_total(&server, &fx.root, fx.s1).await,
        before,
        "the member lists are unchanged"
    );

    // The saved report answers the same, and as a spreadsheet.
    let id = id_of(&r);
    let again = server
        .api(&token)
        .get(&format!("/api/v1/imports/{id}"))
        .await
        .ok(200);
    assert_eq!(again, r, "GET /imports/{{id}} is the same report");
    let sheets = get_xlsx(
        &server,
        &token,
        &format!("/api/v1/imports/{id}/report.xlsx"),
    )
    .await;
    let text = sheets
        .iter()
        .map(xlsx::Sheet::text)
        .collect::<Vec<_>>()
        .join("\n");
    for b in &bad {
        let row_no = (b.index + 2).to_string();
        assert!(
            sheets.iter().any(|s| s
                .rows()
                .iter()
                .any(|r| r.contains(&row_no) && r.iter().any(|c| c == b.column))),
            "report.xlsx lists row {row_no} ({}): {text}",
            b.column
        );
    }
    assert!(text.contains(MEM5), "{text}");

    // Fixed: every row is added, in the right branches.
    let fixed = csv(&columns, &good).into_bytes();
    let r = import(&server, &token, "新生名单-修改后.csv", &fixed, "all").await;
    counts(&r, n as u64, n as u64, 0, 0, true);
    assert!(problems(&r).is_empty(), "{r}");
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2 + 2_000);
    assert_eq!(member_total(&server, &fx.root, fx.col_b).await, 1 + 1_000);
    assert_eq!(member_total(&server, &fx.root, fx.a2).await, 1 + 1_000);
    assert_eq!(member_total(&server, &fx.root, fx.s1).await, 3 + 3_000);
    for i in [0usize, 1, 2, 3, 4, 5, 20] {
        let p = applicant(seq(i));
        let m = find_member(&server, &token, &p.student_no)
            .await
            .unwrap_or_else(|| panic!("row {} was imported", i + 2));
        let branch = [fx.a1, fx.a2, fx.b1][i % 3];
        assert_eq!(m["org_id"], branch, "row {}: {m}", i + 2);
        assert_eq!(m["joined_on"], "2020-05", "row {}: {m}", i + 2);
        assert_eq!(m["name"], p.name.as_str());
        assert_eq!(m["development_no"], p.development_no.as_str());
    }
    let imports = audit_entries(&server, &fx.root, "import", "import").await;
    assert!(
        imports
            .iter()
            .any(|e| e["account_id"] == fx.s1_admin.account_id
                && e["after"].to_string().contains("3000")),
        "the written import is in the audit log: {imports:?}"
    );

    // The same file again adds nobody: everyone is skipped as already there.
    let r = import(&server, &token, "新生名单-修改后.csv", &fixed, "all").await;
    counts(&r, n as u64, 0, n as u64, 0, false);
    assert!(problems(&r).is_empty(), "{r}");
    assert_eq!(member_total(&server, &fx.root, fx.s1).await, 3 + 3_000);
    let r = import(&server, &token, "新生名单-修改后.csv", &fixed, "valid").await;
    counts(&r, n as u64, 0, n as u64, 0, false);
    assert_eq!(member_total(&server, &fx.root, fx.s1).await, 3 + 3_000);

    // The college exported in one file: its 2,000 new members and 2 earlier ones, IDs masked.
    let sheets = get_xlsx(
        &server,
        &token,
        &format!(
            "/api/v1/orgs/{}/reports/members.xlsx?subtree=true",
            fx.col_a
        ),
    )
    .await;
    let rows = sheets[0].rows();
    let ids_column = rows[0]
        .iter()
        .position(|h| h == "身份证号")
        .expect("身份证号 column");
    let data: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| !r.iter().all(String::is_empty))
        .collect();
    assert_eq!(data.len(), 2 + 2_000, "one row per member of the college");
    let first = applicant(seq(0));
    let shown = data
        .iter()
        .find(|r| r.contains(&first.name) && r.contains(&first.student_no))
        .expect("row 2's person is exported");
    assert_eq!(shown[ids_column], mask_resident_id(&first.resident_id));
    assert!(
        !sheets[0].text().contains(&first.resident_id),
        "no full resident ID in a masked export"
    );
}

// ---------------------------------------------------------------------------------------------
// Modes, encodings, headers

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_mode_writes_only_the_good_rows() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;
    let people: Vec<Person> = (1100..1120).map(person).collect();
    let mut rows: Vec<Row> = people
        .iter()
        .enumerate()
        .map(|(i, p)| row(p, if i % 2 == 0 { BRANCH_A1 } else { BRANCH_A2 }))
        .collect();
    rows[3].insert("身份证号", "12010120050101123".into());
    rows[8].insert("所在团支部", "不存在的团支部".into());
    // Row 14 repeats row 3's person.
    rows[12].insert("身份证号", people[1].resident_id.clone());
    // Row 18 holds the development number of the member already in A1 (MEM-10).
    rows[16].insert("发展团员编号", fx.m_a1.person.development_no.clone());
    let file = required_csv(&rows);

    let r = import(&server, token, "部分有误.csv", &file, "valid").await;
    counts(&r, 20, 16, 0, 4, true);
    assert_eq!(r["mode"], "valid");
    assert_eq!(problem_rows(&r), BTreeSet::from([5, 10, 14, 18]), "{r}");
    problem(&r, 5, "身份证号");
    problem(&r, 10, "所在团支部");
    let dup = problem(&r, 14, "身份证号");
    assert!(
        dup["message"].as_str().unwrap_or("").contains("第3行"),
        "{dup}"
    );
    problem(&r, 18, "发展团员编号");
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2 + 16);
    for i in [3usize, 8, 12, 16] {
        let found = find_member(&server, &fx.root, &people[i].student_no).await;
        assert!(found.is_none(), "bad row {} was written: {found:?}", i + 2);
    }
    assert!(find_member(&server, &fx.root, &people[1].student_no)
        .await
        .is_some());

    // A mode that is neither: refused in Chinese, nothing written.
    let resp = upload(&server, token, "x.csv", &file, &[("mode", "some")]).await;
    resp.client_error();
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2 + 16);

    // No mode means all-or-nothing.
    let more: Vec<Row> = vec![row(&person(1130), BRANCH_A1), {
        let mut r = row(&person(1131), BRANCH_A1);
        r.insert("民族", "火星族".into());
        r
    }];
    let r = upload(&server, token, "默认.csv", &required_csv(&more), &[])
        .await
        .ok(200);
    assert_eq!(r["mode"], "all", "{r}");
    counts(&r, 2, 0, 0, 1, false);
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2 + 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gbk_and_bom_csv_files_are_read() {
    let (server, fx) = school().await;
    let token = &fx.a1_admin.token;

    // GBK, as Excel on Chinese Windows saves csv.
    let p1 = Person::new(1201, "钱雨轩");
    let p2 = Person::new(1202, "孙浩然");
    let mut r1 = row(&p1, BRANCH_A1);
    r1.insert("入团时间", "2020-05".into());
    let mut r2 = row(&p2, BRANCH_A1);
    r2.insert("籍贯", "天津市南开区".into());
    let mut headers = REQUIRED.to_vec();
    headers.push("籍贯");
    let text = csv(&headers, &[r1, r2]);
    let bytes = gbk(&text);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file really is GBK"
    );
    let r = import(&server, token, "gbk.csv", &bytes, "all").await;
    counts(&r, 2, 2, 0, 0, true);
    assert_eq!(r["unknown_columns"], serde_json::json!([]), "{r}");
    let m = find_member(&server, token, &p1.student_no)
        .await
        .expect("GBK row imported");
    assert_eq!(m["name"], "钱雨轩", "{m}");
    let m2 = find_member(&server, token, &p2.student_no)
        .await
        .expect("GBK row imported");
    let detail = server
        .api(token)
        .get(&format!("/api/v1/members/{}", id_of(&m2)))
        .await
        .ok(200);
    assert_eq!(detail["name"], "孙浩然");
    assert_eq!(detail["native_place"], "天津市南开区", "{detail}");

    // UTF-8 with a BOM: the first header is still 姓名.
    let p3 = person(1203);
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend_from_slice(&required_csv(&[row(&p3, BRANCH_A1)]));
    let r = import(&server, token, "bom.csv", &bom, "all").await;
    counts(&r, 1, 1, 0, 0, true);
    assert_eq!(r["unknown_columns"], serde_json::json!([]), "{r}");
    let m = find_member(&server, token, &p3.student_no)
        .await
        .expect("BOM row imported");
    assert_eq!(m["name"], p3.name.as_str());

    // Plain UTF-8 without BOM, LF line ends.
    let p4 = person(1204);
    let plain = csv(&REQUIRED, &[row(&p4, BRANCH_A1)]).replace("\r\n", "\n");
    let r = import(&server, token, "plain.csv", plain.as_bytes(), "all").await;
    counts(&r, 1, 1, 0, 0, true);
    assert_eq!(member_total(&server, &fx.root, fx.a1).await, 1 + 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_columns_are_listed_and_missing_ones_stop_the_import() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;

    // Any order, two columns the system does not know.
    let headers = [
        "学号",
        "备注",
        "所在团支部",
        "姓名",
        "手机号码",
        "政治面貌",
        "班主任",
        "发展团员编号",
        "入团时间",
        "民族",
        "身份证号",
    ];
    let p = person(1301);
    let mut r1 = row(&p, BRANCH_A2);
    r1.insert("备注", "转专业".into());
    r1.insert("班主任", "王老师".into());
    let r = import(
        &server,
        token,
        "多列.csv",
        csv(&headers, &[r1]).as_bytes(),
        "all",
    )
    .await;
    counts(&r, 1, 1, 0, 0, true);
    let unknown: BTreeSet<String> = r["unknown_columns"]
        .as_array()
        .expect("unknown_columns")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert_eq!(
        unknown,
        BTreeSet::from(["备注".to_string(), "班主任".to_string()]),
        "{r}"
    );
    let m = find_member(&server, token, &p.student_no)
        .await
        .expect("imported");
    assert_eq!(m["org_id"], fx.a2);
    assert_eq!(m["name"], p.name.as_str());

    // Missing required columns: nothing is read, the message names them.
    let before = member_total(&server, &fx.root, fx.col_a).await;
    let short: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|h| *h != "民族" && *h != "学号")
        .collect();
    let r = import(
        &server,
        token,
        "缺列.csv",
        csv(&short, &[row(&person(1302), BRANCH_A1)]).as_bytes(),
        "all",
    )
    .await;
    assert_eq!(r["written"], false, "{r}");
    assert_eq!(r["added"], 0, "{r}");
    let message = r["message"].as_str().unwrap_or("");
    assert!(
        message.contains("民族") && message.contains("学号"),
        "the message names the missing columns: {r}"
    );
    assert!(!message.contains("姓名"), "only the missing ones: {r}");
    let r = import(
        &server,
        token,
        "缺列.csv",
        csv(&short, &[row(&person(1302), BRANCH_A1)]).as_bytes(),
        "valid",
    )
    .await;
    assert_eq!(r["written"], false, "{r}");
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, before);

    // No file at all.
    let (ct, body) = form(None, &[("mode", "all")]);
    let resp = post_form(&server, Some(token), &ct, body).await;
    resp.err(422, "file_unreadable");
    let (ct, body) = form(Some(("empty.csv", b"")), &[]);
    post_form(&server, Some(token), &ct, body)
        .await
        .err(422, "file_unreadable");
    // Not signed in.
    let (ct, body) = form(Some(("a.csv", &required_csv(&[]))), &[]);
    post_form(&server, None, &ct, body.clone()).await.fails(401);
    // A member who is not an admin may not import.
    let member = member_token(&server, &fx.a_admin.token, &fx.m_a1).await;
    let resp = post_form(&server, Some(&member), &ct, body).await;
    resp.client_error();
    assert!(
        [403, 404].contains(&resp.status),
        "a member cannot import: {resp:?}"
    );
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_row_numbers_follow_the_sheet_across_blank_lines() {
    let (server, fx) = school().await;
    let mut bad = row(&person(1402), BRANCH_A1);
    bad.insert("民族", "火星族".into());
    // Excel shows the blank line as row 3, so the bad row is row 4.
    let text = format!(
        "{}\r\n\r\n{}",
        csv(&REQUIRED, &[row(&person(1401), BRANCH_A1)]).trim_end(),
        csv(&REQUIRED, &[bad]).split_once("\r\n").expect("lines").1
    );
    assert_eq!(text.lines().nth(2), Some(""), "{text}");
    let r = import(
        &server,
        &fx.a_admin.token,
        "空行.csv",
        text.as_bytes(),
        "all",
    )
    .await;
    assert_eq!(r["error_rows"], 1, "{r}");
    assert_eq!(
        problem_rows(&r),
        BTreeSet::from([4]),
        "the row number is the one Excel shows: {r}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xlsx_number_and_date_cells_are_read_as_people_type_them() {
    let (server, fx) = school().await;
    use xlsx::Cell::{Date, Number, Text};
    let header: Vec<xlsx::Cell> = REQUIRED.iter().map(|h| Text(h.to_string())).collect();
    let p = person(1501);
    let q = person(1502);
    let cells = |p: &Person, rid: xlsx::Cell| -> Vec<xlsx::Cell> {
        vec![
            Text(p.name.clone()),
            rid,
            Text("汉族".into()),
            // 2020-05-01 as a date cell.
            Date(43952.0),
            Text(p.development_no.clone()),
            // A student number typed as a number.
            Number(p.student_no.parse().expect("digits")),
            Text("团员".into()),
            Number(p.phone.parse().expect("digits")),
            Text(BRANCH_A1.into()),
        ]
    };
    let rows = vec![
        header,
        cells(&p, Text(p.resident_id.clone())),
        // An ID number Excel has turned into a number has lost digits: refused with a hint.
        cells(
            &q,
            Number(q.resident_id[..17].parse::<f64>().expect("digits") * 10.0),
        ),
    ];
    let r = import(
        &server,
        &fx.a_admin.token,
        "数字格式.xlsx",
        &xlsx::write(&rows),
        "valid",
    )
    .await;
    counts(&r, 2, 1, 0, 1, true);
    let rid = problem(&r, 3, "身份证号");
    assert!(
        rid["message"].as_str().unwrap_or("").contains("文本"),
        "the message says to format the column as text: {rid}"
    );
    let m = find_member(&server, &fx.a_admin.token, &p.student_no)
        .await
        .expect("row 2 imported");
    assert_eq!(m["joined_on"], "2020-05", "{m}");
    assert_eq!(m["student_no"], p.student_no.as_str(), "{m}");
    assert_eq!(m["political_status"], "league_member", "{m}");
    let detail = server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/members/{}", id_of(&m)))
        .await
        .ok(200);
    assert_eq!(detail["phone"], p.phone.as_str(), "{detail}");
}

// ---------------------------------------------------------------------------------------------
// People already registered, scope, MEM-5

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_already_registered_are_skipped_or_refused_without_revealing_other_colleges() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;
    let new = person(1601);
    let rows = vec![
        // Row 2: already in A1 → skipped.
        row(&fx.m_a1.person, BRANCH_A1),
        // Row 3: in A2 (in scope) → a problem.
        row(&fx.m_a2.person, BRANCH_A1),
        // Row 4: in B1 (another college) → a problem that does not name it.
        {
            let mut r = row(&person(1602), BRANCH_A1);
            r.insert("身份证号", fx.m_b1.person.resident_id.clone());
            r.insert("姓名", fx.m_b1.person.name.clone());
            r
        },
        // Row 5: new.
        row(&new, BRANCH_A2),
    ];
    let file = required_csv(&rows);
    let r = import(&server, token, "已有.csv", &file, "all").await;
    counts(&r, 4, 0, 1, 2, false);
    assert_eq!(problem_rows(&r), BTreeSet::from([3, 4]), "{r}");
    problem(&r, 3, "身份证号");
    let other = problem(&r, 4, "身份证号");
    let other_text = other.to_string();
    for secret in [
        COLLEGE_B,
        BRANCH_B1,
        "机械",
        fx.m_b1.person.resident_id.as_str(),
    ] {
        assert!(
            !other_text.contains(secret),
            "an org outside the scope is not revealed ({secret}): {other}"
        );
    }
    let id = id_of(&r);
    let sheets = get_xlsx(&server, token, &format!("/api/v1/imports/{id}/report.xlsx")).await;
    let text: String = sheets.iter().map(xlsx::Sheet::text).collect();
    assert!(
        !text.contains(COLLEGE_B) && !text.contains(BRANCH_B1),
        "nor in the report sheet: {text}"
    );
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 2);

    // Valid rows only: the new person is added, the existing one skipped.
    let r = import(&server, token, "已有.csv", &file, "valid").await;
    counts(&r, 4, 1, 1, 2, true);
    assert_eq!(member_total(&server, &fx.root, fx.col_a).await, 3);
    assert_eq!(
        member_total(&server, &fx.root, fx.col_b).await,
        1,
        "the member in B1 stays where they are"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branches_outside_the_importers_scope_are_problems() {
    let (server, fx) = school().await;
    let b1_path = full_path(&[SCHOOL1, COLLEGE_B, BRANCH_B1]);
    let rows = vec![
        row(&person(1701), BRANCH_A1),
        row(&person(1702), BRANCH_B1),
        row(&person(1703), &b1_path),
        row(&person(1704), BRANCH_S2),
        row(&person(1705), ""),
        // A college is not a branch.
        row(&person(1706), COLLEGE_A),
    ];
    let r = import(
        &server,
        &fx.a_admin.token,
        "越权.csv",
        &required_csv(&rows),
        "valid",
    )
    .await;
    counts(&r, 6, 1, 0, 5, true);
    for n in 3..=7 {
        problem(&r, n, "所在团支部");
    }
    assert_eq!(member_total(&server, &fx.root, fx.col_b).await, 1);
    assert_eq!(member_total(&server, &fx.root, fx.s2).await, 1);

    // A branch admin can import into their own branch only.
    let rows = vec![row(&person(1711), BRANCH_A1), row(&person(1712), BRANCH_A2)];
    let r = import(
        &server,
        &fx.a1_admin.token,
        "团支部.csv",
        &required_csv(&rows),
        "all",
    )
    .await;
    counts(&r, 2, 0, 0, 1, false);
    problem(&r, 3, "所在团支部");
    let r = import(
        &server,
        &fx.a1_admin.token,
        "团支部.csv",
        &required_csv(&rows[..1]),
        "all",
    )
    .await;
    counts(&r, 1, 1, 0, 0, true);
    assert_eq!(member_total(&server, &fx.root, fx.a1).await, 1 + 1 + 1);
    assert_eq!(member_total(&server, &fx.root, fx.a2).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn college_mismatch_is_reported_and_only_a_school_admin_may_override_it() {
    let (server, fx) = school().await;
    let p = person(1801);
    let mut mismatch = row(&p, BRANCH_A1);
    mismatch.insert("所在学院", "机械工程学院".into());
    let mut matching = row(&person(1802), BRANCH_A2);
    matching.insert("所在学院", "计算机学院".into());
    let mut headers = REQUIRED.to_vec();
    headers.push("所在学院");
    let file = csv(&headers, &[matching, mismatch]).into_bytes();

    for token in [&fx.a_admin.token, &fx.s1_admin.token] {
        let before = member_total(&server, &fx.root, fx.s1).await;
        let r = import(&server, token, "跨学院.csv", &file, "all").await;
        counts(&r, 2, 0, 0, 1, false);
        let p3 = problem(&r, 3, "所在学院");
        assert!(
            p3["message"].as_str().unwrap_or("").contains(MEM5),
            "MEM-5 wording: {p3}"
        );
        assert_eq!(member_total(&server, &fx.root, fx.s1).await, before);
    }

    // College and branch admins may not override.
    for token in [&fx.a_admin.token, &fx.a1_admin.token] {
        let resp = upload(
            &server,
            token,
            "跨学院.csv",
            &file,
            &[("mode", "all"), ("override_college", "true")],
        )
        .await;
        resp.fails(403);
        assert_eq!(member_total(&server, &fx.root, fx.s1).await, 3);
    }

    // The school admin may.
    let r = upload(
        &server,
        &fx.s1_admin.token,
        "跨学院.csv",
        &file,
        &[("mode", "all"), ("override_college", "true")],
    )
    .await
    .ok(200);
    check_report_shape(&r);
    counts(&r, 2, 2, 0, 0, true);
    let m = find_member(&server, &fx.root, &p.student_no)
        .await
        .expect("imported with override");
    assert_eq!(m["org_id"], fx.a1, "{m}");
    // override_college=false is the same as not asking.
    let q = person(1803);
    let mut r2 = row(&q, BRANCH_A2);
    r2.insert("所在学院", "机械工程学院".into());
    let r = upload(
        &server,
        &fx.s1_admin.token,
        "跨学院2.csv",
        csv(&headers, &[r2]).as_bytes(),
        &[("override_college", "false")],
    )
    .await
    .ok(200);
    counts(&r, 1, 0, 0, 1, false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_report_is_seen_by_the_importer_and_admins_above_only() {
    let (server, fx) = school().await;
    let mut bad = row(&person(1902), BRANCH_A1);
    bad.insert("民族", "火星族".into());
    let rows = vec![row(&person(1901), BRANCH_A2), bad];
    let r = import(
        &server,
        &fx.a_admin.token,
        "报告.csv",
        &required_csv(&rows),
        "valid",
    )
    .await;
    counts(&r, 2, 1, 0, 1, true);
    let id = id_of(&r);
    let path = format!("/api/v1/imports/{id}");
    let xlsx_path = format!("{path}/report.xlsx");

    for (who, token) in [
        ("importer", &fx.a_admin.token),
        ("school", &fx.s1_admin.token),
        ("province", &fx.province_admin.token),
    ] {
        let got = server.api(token).get(&path).await;
        assert_eq!(got.status, 200, "{who}: {got:?}");
        assert_eq!(got.body, r, "{who}");
        let sheets = get_xlsx(&server, token, &xlsx_path).await;
        let text: String = sheets.iter().map(xlsx::Sheet::text).collect();
        assert!(
            text.contains("火星族") || text.contains("民族"),
            "{who}: {text}"
        );
    }
    for (who, token) in [
        ("other college", &fx.b_admin.token),
        ("other school", &fx.s2_admin.token),
        ("branch below", &fx.a1_admin.token),
    ] {
        server.api(token).get(&path).await.fails(404);
        let (status, _, bytes) = get_bytes(&server, token, &xlsx_path).await;
        assert_eq!(
            status,
            404,
            "{who}: report.xlsx {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    server
        .api(&fx.a_admin.token)
        .get(&format!("/api/v1/imports/{}", id + 1000))
        .await
        .fails(404);
}

// ---------------------------------------------------------------------------------------------
// Export (DAT-2, SYS-5)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_list_export_masks_counts_the_subtree_is_audited_and_never_makes_formulas() {
    let (server, fx) = school().await;
    let mut headers = REQUIRED.to_vec();
    headers.extend(["籍贯", "专业", "电子邮箱"]);
    let tricky = person(2001);
    let mut r1 = row(&tricky, BRANCH_A1);
    r1.insert("籍贯", "=1+1".into());
    r1.insert("专业", "@SUM(A1:A2)".into());
    let plain = person(2002);
    let mut r2 = row(&plain, BRANCH_A2);
    r2.insert("专业", "+软件工程".into());
    r2.insert("籍贯", "-天津".into());
    r2.insert("电子邮箱", "s2002@example.cn".into());
    let r3 = row(&person(2003), BRANCH_B1);
    let r = import(
        &server,
        &fx.s1_admin.token,
        "导出用.csv",
        csv(&headers, &[r1, r2, r3]).as_bytes(),
        "all",
    )
    .await;
    counts(&r, 3, 3, 0, 0, true);
    let exports_before = audit_entries(&server, &fx.root, "report", "export")
        .await
        .len();

    // College A, masked (the default).
    let a_people = [&fx.m_a1.person, &fx.m_a2.person, &tricky, &plain];
    let book = get_xlsx(
        &server,
        &fx.a_admin.token,
        &format!("/api/v1/orgs/{}/reports/members.xlsx", fx.col_a),
    )
    .await;
    assert_eq!(book.len(), 1, "one sheet");
    let sheet = &book[0];
    assert_eq!(sheet.name, "团员名单");
    assert_eq!(sheet.formulas, 0, "no formulas at all");
    let rows = sheet.rows();
    assert_eq!(rows[0], EXPORT_HEADERS.to_vec(), "headers");
    let data = &rows[1..];
    assert_eq!(data.len(), a_people.len(), "{rows:?}");
    let col = |h: &str| EXPORT_HEADERS.iter().position(|x| *x == h).expect("header");
    let by_student = |no: &str| {
        data.iter()
            .find(|r| r.get(col("学号")).map(String::as_str) == Some(no))
            .cloned()
            .unwrap_or_else(|| panic!("student {no} not exported: {rows:?}"))
    };
    let serials: Vec<&str> = data.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(serials, ["1", "2", "3", "4"]);
    for p in a_people {
        let line = by_student(&p.student_no);
        assert_eq!(line[col("姓名")], p.name);
        assert_eq!(line[col("身份证号")], mask_resident_id(&p.resident_id));
        assert_eq!(line[col("手机号码")], mask_phone(&p.phone));
        assert_eq!(line[col("出生日期")], p.birth.to_string());
        assert_eq!(line[col("入团时间")], "2020-05");
        assert_eq!(line[col("发展团员编号")], p.development_no);
        assert_eq!(line[col("政治面貌")], "共青团员");
    }
    let t = by_student(&tricky.student_no);
    assert_eq!(t[col("籍贯")], "=1+1", "kept as literal text");
    assert_eq!(t[col("专业")], "@SUM(A1:A2)");
    assert!(t[col("所在团支部（全称）")].contains(BRANCH_A1), "{t:?}");
    let pl = by_student(&plain.student_no);
    assert_eq!(pl[col("专业")], "+软件工程");
    assert_eq!(pl[col("籍贯")], "-天津");
    assert_eq!(pl[col("电子邮箱")], "s2002@example.cn");
    assert!(pl[col("所在团支部（全称）")].contains(BRANCH_A2));
    let all_text = sheet.text();
    for p in a_people {
        assert!(
            !all_text.contains(&p.resident_id) && !all_text.contains(&p.phone),
            "masked export holds no full number of {}",
            p.name
        );
    }
    assert!(
        !all_text.contains(&fx.m_b1.person.name),
        "college B is not in A's list"
    );

    // Full numbers on request.
    let book = get_xlsx(
        &server,
        &fx.a_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/members.xlsx?subtree=true&per_branch=false&full=true",
            fx.col_a
        ),
    )
    .await;
    let rows = book[0].rows();
    for p in a_people {
        let line = rows
            .iter()
            .find(|r| r.get(col("学号")) == Some(&p.student_no))
            .unwrap_or_else(|| panic!("{} exported", p.name));
        assert_eq!(line[col("身份证号")], p.resident_id);
        assert_eq!(line[col("手机号码")], p.phone);
    }

    // Subtree sizes: school 6 (3 + 3 imported), branch A1 2, college B 2.
    for (org, token, expect) in [
        (fx.s1, &fx.s1_admin.token, 6usize),
        (fx.a1, &fx.a_admin.token, 2),
        (fx.col_b, &fx.b_admin.token, 2),
        (fx.a2, &fx.a2_admin.token, 2),
    ] {
        let book = get_xlsx(
            &server,
            token,
            &format!("/api/v1/orgs/{org}/reports/members.xlsx?subtree=true"),
        )
        .await;
        assert_eq!(book[0].rows().len(), 1 + expect, "org {org}");
    }

    // One sheet per branch.
    let book = get_xlsx(
        &server,
        &fx.a_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/members.xlsx?per_branch=true",
            fx.col_a
        ),
    )
    .await;
    let names: BTreeSet<String> = book.iter().map(|s| s.name.clone()).collect();
    assert_eq!(
        names,
        BTreeSet::from([BRANCH_A1.to_string(), BRANCH_A2.to_string()]),
        "one sheet per branch"
    );
    for s in &book {
        assert_eq!(s.rows().len(), 1 + 2, "sheet {}", s.name);
    }

    // Outside the scope: 404, and nothing is logged for them.
    for (org, token) in [
        (fx.col_b, &fx.a_admin.token),
        (fx.s1, &fx.s2_admin.token),
        (fx.col_a, &fx.a1_admin.token),
        (fx.a2, &fx.a1_admin.token),
    ] {
        let (status, _, bytes) = get_bytes(
            &server,
            token,
            &format!("/api/v1/orgs/{org}/reports/members.xlsx"),
        )
        .await;
        assert_eq!(
            status,
            404,
            "org {org}: {}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(!bytes.starts_with(b"PK"), "no sheet is sent");
    }

    // Every export above (7) is in the audit log; none of the refused ones.
    let exports = audit_entries(&server, &fx.root, "report", "export").await;
    assert_eq!(
        exports.len() - exports_before,
        7,
        "one entry per export: {exports:?}"
    );
    let by_a = exports
        .iter()
        .filter(|e| e["account_id"] == fx.a_admin.account_id)
        .count();
    assert_eq!(
        by_a, 4,
        "masked, full, per branch and A1 by the college admin: {exports:?}"
    );
    let s2_sees = audit_entries(&server, &fx.s2_admin.token, "report", "export").await;
    assert!(
        s2_sees.is_empty(),
        "another school's exports are not in its log: {s2_sees:?}"
    );
    let log = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=500")
        .await
        .ok(200)
        .to_string();
    assert!(
        !log.contains(&tricky.resident_id) && !log.contains(&tricky.phone),
        "the log holds no full numbers"
    );
}

// ---------------------------------------------------------------------------------------------
// Reading and writing xlsx

mod xlsx {
    use std::collections::BTreeMap;
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};
    use rust_xlsxwriter::{Format, Workbook};

    /// One worksheet: cell texts by (row, column), both from 0, and how many formulas it has.
    pub struct Sheet {
        pub name: String,
        pub cells: BTreeMap<(u32, u32), String>,
        pub formulas: usize,
    }

    impl Sheet {
        /// One row as texts, up to its last non-empty cell.
        pub fn row(&self, r: u32) -> Vec<String> {
            let last = self
                .cells
                .keys()
                .filter(|(row, _)| *row == r)
                .map(|(_, c)| *c)
                .max();
            match last {
                None => Vec::new(),
                Some(last) => (0..=last)
                    .map(|c| self.cells.get(&(r, c)).cloned().unwrap_or_default())
                    .collect(),
            }
        }

        /// All rows from the first to the last one that has a cell.
        pub fn rows(&self) -> Vec<Vec<String>> {
            let last = self.cells.keys().map(|(r, _)| *r).max();
            match last {
                None => Vec::new(),
                Some(last) => (0..=last).map(|r| self.row(r)).collect(),
            }
        }

        pub fn text(&self) -> String {
            self.cells.values().cloned().collect::<Vec<_>>().join("\n")
        }
    }

    pub enum Cell {
        Text(String),
        Number(f64),
        /// An Excel date serial, formatted as a date.
        Date(f64),
    }

    pub fn read(bytes: &[u8]) -> Vec<Sheet> {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable xlsx");
        let mut out = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .filter(|(_, _, v)| **v != Data::Empty)
                .map(|(r, c, v)| {
                    let at = (
                        r0 + u32::try_from(r).expect("row"),
                        c0 + u32::try_from(c).expect("column"),
                    );
                    (at, v.to_string())
                })
                .collect();
            let formulas = book
                .worksheet_formula(&name)
                .map(|f| f.used_cells().filter(|(_, _, f)| !f.is_empty()).count())
                .unwrap_or(0);
            out.push(Sheet {
                name,
                cells,
                formulas,
            });
        }
        out
    }

    /// A one-sheet workbook with `rows` from A1.
    pub fn write(rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (r, cells) in rows.iter().enumerate() {
            let r = u32::try_from(r).expect("row");
            for (c, cell) in cells.iter().enumerate() {
                let c = u16::try_from(c).expect("column");
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).expect("cell");
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n).expect("cell");
                    }
                    Cell::Date(n) => {
                        ws.write_number_with_format(r, c, *n, &date).expect("cell");
                    }
                }
            }
        }
        book.save_to_buffer().expect("xlsx")
    }
}

/// The import page polls how far a long import has got; only the importer can read it, and it
/// is gone once the report is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_import_shows_its_progress_to_its_importer_only() {
    let (server, fx) = school().await;
    // Resident IDs of `person` repeat every 3,000 numbers; these clash with no fixture member.
    let rows: Vec<Row> = (30_100u16..33_000)
        .map(|seq| row(&person(seq), BRANCH_A1))
        .collect();
    let bytes = required_csv(&rows);
    let key = "5f0c1e2d3b4a69788796a5b4c3d2e1f0";
    let progress = format!("/api/v1/imports/progress/{key}");
    let refused = server.api(&fx.a_admin.token).get(&progress).await;
    assert_eq!(refused.status, 404, "nothing runs yet: {}", refused.text);

    let fields = [("mode", "all"), ("progress_key", key)];
    let running = upload(&server, &fx.a_admin.token, "大名单.csv", &bytes, &fields);
    let watch = async {
        for _ in 0..4000 {
            let seen = server.api(&fx.a_admin.token).get(&progress).await;
            if seen.status == 200 {
                let other = server.api(&fx.b_admin.token).get(&progress).await;
                return Some((seen.body, other.status));
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        None
    };
    let (report, watched) = tokio::join!(running, watch);
    let report = report.ok(200);
    assert_eq!(report["added"], 2_900, "{report}");
    let (seen, other) = watched.expect("progress was never shown while the import ran");
    assert_eq!(other, 404, "another admin must not see someone's import");
    assert_eq!(seen["total_bytes"], bytes.len() as u64, "{seen}");
    let fraction = seen["fraction"].as_f64().expect("fraction");
    assert!((0.0..=1.0).contains(&fraction), "{seen}");
    assert!(seen["rows"].as_u64().expect("rows") <= 2_900, "{seen}");

    let after = server.api(&fx.a_admin.token).get(&progress).await;
    assert_eq!(after.status, 404, "an ended import leaves the board");
    let bad = upload(
        &server,
        &fx.a_admin.token,
        "x.csv",
        &bytes,
        &[("progress_key", "../../etc")],
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.code(), "invalid_progress_key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_refuses_the_majors_and_native_places_the_entry_form_refuses() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;
    let bad_major = "软件工程🎉";
    let bad_place = "天津市\u{200B}南开区";
    // The form refuses them, naming the field.
    let mut body = person(1200).body(fx.a1);
    body["admission_major"] = serde_json::json!(bad_major);
    let r = server.api(token).post("/api/v1/members", &body).await;
    r.fails(422).with_field("admission_major");
    let mut body = person(1200).body(fx.a1);
    body["native_place"] = serde_json::json!(bad_place);
    let r = server.api(token).post("/api/v1/members", &body).await;
    r.fails(422).with_field("native_place");

    // The import refuses the same values, and takes what the form takes.
    let mut columns: Vec<&str> = REQUIRED.to_vec();
    columns.extend(["专业", "籍贯"]);
    let with = |seq: u16, major: &str, place: &str| {
        let mut r = row(&person(seq), BRANCH_A1);
        r.insert("专业", major.to_string());
        r.insert("籍贯", place.to_string());
        r
    };
    let rows = vec![
        with(1201, "计算机科学与技术", "天津市南开区"),
        with(1202, bad_major, "天津市南开区"),
        with(1203, "计算机科学与技术", bad_place),
    ];
    let r = import(
        &server,
        token,
        "专业籍贯.csv",
        csv(&columns, &rows).as_bytes(),
        "valid",
    )
    .await;
    counts(&r, 3, 1, 0, 2, true);
    problem(&r, 3, "专业");
    problem(&r, 4, "籍贯");
    let good = find_member(&server, &fx.root, &person(1201).student_no)
        .await
        .expect("the good row is imported");
    let m = server
        .api(&fx.root)
        .get(&format!("/api/v1/members/{}", id_of(&good)))
        .await
        .ok(200);
    assert_eq!(m["admission_major"], "计算机科学与技术");
    assert_eq!(m["native_place"], "天津市南开区");
}
