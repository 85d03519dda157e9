//! MTG-1 compliance: the branches behind their targets this quarter with counts per kind,
//! targets set per org for its subtree, the register and compliance sheets, and the to-do of a
//! branch behind.

use serde_json::{json, Value};
use time::Duration;

use super::{body, branch_with, lecture, meeting_path, record, HELD};
use crate::fixtures::*;
use crate::letters::{get_bytes, xlsx_cells};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compliance_lists_the_branches_behind_with_counts_and_the_targets_apply_downwards() {
    let (server, fx) = school().await;
    let college = &fx.a_admin.token;
    let (good, g) = branch_with(&server, &fx, "达标2301团支部", 650, 1).await;
    let (behind, h) = branch_with(&server, &fx, "落后2301团支部", 660, 1).await;
    for (kind, n) in [("assembly", 1), ("committee", 3), ("lecture", 1)] {
        for i in 0..n {
            record(
                &server,
                college,
                good,
                &body(kind, HELD, &format!("{kind}{i}"), &[g[0].id], &[]),
            )
            .await
            .ok(201);
        }
    }
    record(
        &server,
        college,
        behind,
        &body("assembly", HELD, "唯一一次", &[h[0].id], &[]),
    )
    .await
    .ok(201);
    // A deleted record does not count.
    let d = lecture(&server, college, behind, h[0].id, "已删除的团课").await;
    server.api(college).delete(&meeting_path(d)).await.ok(200);

    let c = server
        .api(college)
        .get(&format!(
            "/api/v1/orgs/{}/meeting-compliance?year=2026&quarter=4",
            fx.col_a
        ))
        .await
        .ok(200);
    assert_eq!(c["quarter_label"], "2026年第4季度");
    let ids: Vec<i64> = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["org_id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&behind) && !ids.contains(&good), "{c}");
    let row = c["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["org_id"] == behind)
        .unwrap();
    let count = |k: &str| {
        row["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            count("assembly")["held"].clone(),
            count("assembly")["behind"].clone()
        ),
        (json!(1), json!(false))
    );
    assert_eq!(
        (
            count("committee")["held"].clone(),
            count("committee")["target"].clone()
        ),
        (json!(0), json!(3))
    );
    assert_eq!(count("lecture")["held"], 0);

    // The college lowers its targets; the branches below inherit them.
    let t = server
        .api(college)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/meeting-targets", fx.col_a),
            Some(&json!({"targets": [{"kind": "assembly", "per_quarter": 1}]})),
        )
        .await
        .ok(200);
    assert_eq!(t["set_here"], true);
    let t = server
        .api(college)
        .get(&format!("/api/v1/orgs/{behind}/meeting-targets"))
        .await
        .ok(200);
    assert_eq!(t["source_org_id"], fx.col_a);
    assert_eq!(t["set_here"], false);
    let c = server
        .api(college)
        .get(&format!(
            "/api/v1/orgs/{}/meeting-compliance?year=2026&quarter=4",
            fx.col_a
        ))
        .await
        .ok(200);
    assert!(
        c["branches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["org_id"] != behind),
        "{c}"
    );

    // A bad target is refused in Chinese.
    let r = server
        .api(college)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/meeting-targets", fx.col_a),
            Some(&json!({"targets": [{"kind": "lecture", "per_quarter": 500}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(r.message().contains("团课"), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_and_the_compliance_sheet_open_as_xlsx() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    lecture(&server, a1, fx.a1, fx.m_a1.id, "学习二十大精神").await;
    let (status, _, bytes) = get_bytes(
        &server,
        a1,
        &format!("/api/v1/orgs/{}/reports/meetings.xlsx?year=2026", fx.a1),
    )
    .await;
    assert_eq!(status, 200);
    let cells = xlsx_cells(&bytes);
    assert!(cells.iter().any(|c| c == "学习二十大精神"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "团课"), "{cells:?}");

    let (status, _, bytes) = get_bytes(
        &server,
        &fx.a_admin.token,
        &format!(
            "/api/v1/orgs/{}/reports/meeting-compliance.xlsx?year=2026&quarter=4",
            fx.col_a
        ),
    )
    .await;
    assert_eq!(status, 200);
    let cells = xlsx_cells(&bytes);
    assert!(cells.iter().any(|c| c.contains(BRANCH_A1)), "{cells:?}");
    assert!(
        cells.iter().any(|c| c == "0/3"),
        "支委会 held against target: {cells:?}"
    );
    let (status, _, _) = get_bytes(
        &server,
        &fx.b_admin.token,
        &format!("/api/v1/orgs/{}/reports/meetings.xlsx?year=2026", fx.a1),
    )
    .await;
    assert_eq!(status, 404, "out of scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_behind_gets_a_todo_in_the_quarters_last_two_weeks() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let has_todo = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "meeting_compliance")
    };
    let todos = server.api(a1).get("/api/v1/todos").await.ok(200);
    assert!(
        !has_todo(&todos),
        "a month before the quarter ends: none yet"
    );
    server.advance(Duration::days(21));
    let a1 = &server
        .login(&fx.a1_admin.login, &fx.a1_admin.password)
        .await;
    let todos = server.api(a1).get("/api/v1/todos").await.ok(200);
    assert!(has_todo(&todos), "{todos}");
    let t = todos["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "meeting_compliance")
        .unwrap();
    assert!(
        t["title"].as_str().unwrap().contains("支部大会0/1次"),
        "{t}"
    );
    // The college sees its branches in the compliance view, not as its own to-do.
    let college = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let todos = server.api(&college).get("/api/v1/todos").await.ok(200);
    assert!(!has_todo(&todos), "{todos}");
}
