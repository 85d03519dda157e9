//! Issue 15 item 13: graduation marking at a university's scale — the branch list filtered by
//! college, 年级 (read from the branch name) and keyword, "select all" marking every unmarked
//! branch the filters match (across pages), and the list coming back on the same filters after
//! marking.

use serde_json::Value;

use crate::fixtures::*;
use crate::harness::*;
use crate::page;

async fn list(server: &TestServer, token: &str, org: i64, query: &str) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/graduation?{query}"))
        .await
        .ok(200)
}

fn names(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|b| b["name"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out
}

/// Three 年级 in college A and one in college B, beside the fixture's own branches.
async fn classes(server: &TestServer, fx: &Fixture) -> Vec<i64> {
    let mut ids = Vec::new();
    for (college, name) in [
        (fx.col_a, "计算机学院2022级软件1班团支部"),
        (fx.col_a, "计算机学院2022级软件2班团支部"),
        (fx.col_a, "计算机学院2023级软件1班团支部"),
        (fx.col_b, "机械学院2022级机制1班团支部"),
    ] {
        ids.push(branch(server, &fx.root, college, name).await);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_branch_list_filters_by_college_grade_and_keyword() {
    let (server, fx) = school().await;
    classes(&server, &fx).await;
    let s1 = &fx.s1_admin.token;
    let a = fx.col_a;
    assert_eq!(
        names(&list(&server, s1, fx.s1, &format!("college={a}&grade=2022")).await),
        [
            "计算机学院2022级软件1班团支部",
            "计算机学院2022级软件2班团支部"
        ]
    );
    assert_eq!(
        names(&list(&server, s1, fx.s1, "grade=2022").await).len(),
        3,
        "both colleges' 2022级"
    );
    assert_eq!(
        names(&list(&server, s1, fx.s1, &format!("college={}&q=机制", fx.col_b)).await),
        ["机械学院2022级机制1班团支部"]
    );
    // A 年级 that is no year says what to type.
    let bad = server
        .api(s1)
        .get(&format!("/api/v1/orgs/{}/graduation?grade=22", fx.s1))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.to_string().contains("2022级"), "{}", bad.body);

    // The page offers the colleges and the 年级 the names carry.
    let browser = page::logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let p = page::get(&browser, &server, &format!("/orgs/{}/graduation", fx.s1)).await;
    p.status(200)
        .has(&format!("<option value=\"{a}\">{COLLEGE_A}</option>"))
        .has("<option value=\"2023\">2023级</option>")
        .has("<option value=\"2022\">2022级</option>");
    let filtered = page::get(
        &browser,
        &server,
        &format!("/orgs/{}/graduation?college={a}&grade=2023", fx.s1),
    )
    .await;
    filtered
        .status(200)
        .has("计算机学院2023级软件1班团支部")
        .lacks("2022级软件1班")
        .lacks(BRANCH_A1)
        .has(&format!("<option value=\"{a}\" selected>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_all_marks_every_match_and_the_list_keeps_its_filters() {
    let (server, fx) = school().await;
    classes(&server, &fx).await;
    let browser = page::logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let path = format!("/orgs/{}/graduation", fx.s1);
    let csrf = page::get(&browser, &server, &path).await.csrf();
    let grade = "2022".to_string();
    let done = page::post(
        &browser,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("grade", &grade),
            ("status", "unmarked"),
            ("all_matching", "1"),
            ("year_month", "2026-06"),
        ],
    )
    .await;
    done.status(200).has("已标记3个团支部");
    // Back on the same filter (PRG kept the query), which now matches nothing unmarked.
    assert!(done.path.contains("grade=2022"), "{}", done.path);
    assert!(done.path.contains("status=unmarked"), "{}", done.path);
    done.has("<option value=\"2022\" selected>2022级</option>")
        .has("没有符合条件的团支部");
    let s1 = &fx.s1_admin.token;
    let marked = list(&server, s1, fx.s1, "grade=2022&status=marked").await;
    assert_eq!(marked["total"], 3, "{marked}");
    assert!(marked["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["graduation"] == "2026-06"));
    // Only the match was marked: 2023级 and the fixture's branches are still unmarked.
    let rest = names(&list(&server, s1, fx.s1, "status=unmarked").await);
    assert!(
        rest.contains(&"计算机学院2023级软件1班团支部".to_string()),
        "{rest:?}"
    );
    assert!(rest.contains(&BRANCH_A1.to_string()), "{rest:?}");

    // Ticked branches keep the filters too; nothing left to match says so.
    let a = fx.col_a.to_string();
    let again = page::post(
        &browser,
        &server,
        &path,
        &[
            ("csrf", &csrf),
            ("college", &a),
            ("grade", &grade),
            ("all_matching", "1"),
            ("year_month", "2026-06"),
        ],
    )
    .await;
    again
        .status(422)
        .has("筛选出的团支部中没有未标记的")
        .has(&format!("<option value=\"{a}\" selected>"));
}
