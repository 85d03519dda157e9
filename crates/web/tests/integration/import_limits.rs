//! Issue 16 items 1–3: an uploaded import is bounded. It stops and writes nothing (no members,
//! no report) when it runs past `[import] time_limit_secs` or its client goes away; at most
//! `[import] max_concurrent` run at once (the next is told 429 `busy`); a hostile csv is refused
//! in Chinese naming its line; and reports quote only a short prefix of a bad value.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::Value;
use tuanwu_store::entity::{import as import_row, member};
use tuanwu_store::WriteTx;

use crate::fixtures::*;
use crate::harness::{is_chinese, TestServer};
use crate::imports::{get_bytes, import, person, required_csv, row, upload, Row};

fn web(max_concurrent: usize, time_limit_secs: u64) -> tuanwu_web::WebSettings {
    tuanwu_web::WebSettings {
        import: tuanwu_web::ImportSettings {
            max_concurrent,
            time_limit_secs,
        },
        ..Default::default()
    }
}

/// Members and saved import reports in the database.
async fn stored(server: &TestServer) -> (u64, u64) {
    let c = server.ctx.db.conn();
    (
        member::Entity::find().count(c).await.unwrap(),
        import_row::Entity::find().count(c).await.unwrap(),
    )
}

/// Holds what an import needs to write members: the write lock on SQLite, a lock on the members
/// table on PostgreSQL (reads go on; the import's insert waits). Dropped, it rolls back.
async fn hold_members(server: &TestServer) -> WriteTx {
    let tx = server.ctx.db.write().await.unwrap();
    if server.on_postgres {
        tx.execute_unprepared("LOCK TABLE members IN EXCLUSIVE MODE")
            .await
            .unwrap();
    }
    tx
}

fn new_people(first: u16, n: u16) -> Vec<u8> {
    let rows: Vec<Row> = (first..first + n)
        .map(|seq| row(&person(seq), BRANCH_A1))
        .collect();
    required_csv(&rows)
}

/// Polls the progress board until the import under `key` is running (it enters the board once
/// it has its place among the running imports) or has left it.
async fn wait_on_board(server: &TestServer, token: &str, key: &str, running: bool) {
    let path = format!("/api/v1/imports/progress/{key}");
    for _ in 0..5_000 {
        let status = server.api(token).get(&path).await.status;
        if (status == 200) == running {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!(
        "the import under {key} never {}",
        if running { "started" } else { "ended" }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_past_its_time_limit_stops_and_writes_nothing() {
    let (server, fx) = school_with_web(web(2, 1)).await;
    let before = stored(&server).await;
    let held = hold_members(&server).await;
    let bytes = new_people(30_100, 50);
    let r = upload(
        &server,
        &fx.a_admin.token,
        "名单.csv",
        &bytes,
        &[("mode", "valid")],
    )
    .await;
    drop(held);
    r.err(422, "import_timeout");
    assert!(
        is_chinese(r.message()) && r.message().contains("没有写入"),
        "{}",
        r.text
    );
    assert_eq!(
        stored(&server).await,
        before,
        "no member and no report was saved"
    );
    // Within the limit the same file imports.
    let report = import(&server, &fx.a_admin.token, "名单.csv", &bytes, "valid").await;
    assert_eq!(report["added"], 50, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_beyond_max_concurrent_are_told_to_retry_and_a_dropped_one_writes_nothing() {
    let (server, fx) = school_with_web(web(1, 600)).await;
    let before = stored(&server).await;
    let token = fx.a_admin.token.clone();
    let held = hold_members(&server).await;
    let key = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let bytes = new_people(30_100, 50);
    let first = {
        let (server, token, bytes) = (&server, token.clone(), bytes.clone());
        async move {
            upload(
                server,
                &token,
                "一.csv",
                &bytes,
                &[("mode", "all"), ("progress_key", key)],
            )
            .await
        }
    };
    let second = async {
        wait_on_board(&server, &token, key, true).await;
        let busy = upload(&server, &token, "二.csv", &new_people(31_000, 5), &[]).await;
        busy.err(429, "busy");
        assert_eq!(busy.message(), "当前导入任务较多，请稍后再试");
    };
    // The second is answered while the first still waits; then the first's client gives up.
    // (Bounded, so a server without the gate fails here instead of hanging: both would wait.)
    let raced = tokio::time::timeout(std::time::Duration::from_secs(300), async {
        tokio::select! {
            _ = first => panic!("the first import cannot end while the members are held"),
            _ = second => {}
        }
    });
    raced
        .await
        .expect("the second upload was never turned away");
    // Its connection closed, the server drops the import: it leaves the board and its place.
    wait_on_board(&server, &token, key, false).await;
    drop(held);
    assert_eq!(
        stored(&server).await,
        before,
        "the dropped import wrote nothing"
    );
    let report = import(&server, &token, "二.csv", &new_people(31_000, 5), "all").await;
    assert_eq!(report["added"], 5, "the place came free: {report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unterminated_quote_is_refused_naming_its_line_and_writes_nothing() {
    let (server, fx) = school().await;
    let before = stored(&server).await;
    let mut bytes = new_people(30_100, 3);
    // Issue 16's file: a quote that never ends, then line after line of C.
    bytes.push(b'"');
    bytes.extend(b"C\n".repeat(100_000));
    let report = import(&server, &fx.a_admin.token, "坏.csv", &bytes, "valid").await;
    let message = report["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("第5行") && message.contains("引号"),
        "{report}"
    );
    assert_eq!(report["written"], false, "{report}");
    assert_eq!(
        stored(&server).await.0,
        before.0,
        "the good rows before it are not written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_quote_a_short_prefix_of_a_long_bad_value() {
    let (server, fx) = school().await;
    let token = &fx.a_admin.token;
    let mut people: Vec<Row> = (30_100..30_102)
        .map(|seq| row(&person(seq), BRANCH_A1))
        .collect();
    // A 姓名 of 20,000 characters (60 KB: within Excel's cell and the csv record bound).
    people[1].insert("姓名", "名".repeat(20_000));
    let report = import(&server, token, "长.csv", &required_csv(&people), "all").await;
    let id = report["id"].as_i64().expect("id");
    let quoted = |r: &Value| {
        r["problems"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["column"] == "姓名"))
            .map(|p| {
                (
                    p["value"].as_str().unwrap_or("").to_string(),
                    p["message"].to_string(),
                )
            })
            .unwrap_or_else(|| panic!("the long name is a problem: {r}"))
    };
    let (value, message) = quoted(&report);
    assert_eq!(value, format!("{}…", "名".repeat(50)));
    assert!(message.chars().count() <= 310, "{message}");
    let saved = server
        .api(token)
        .get(&format!("/api/v1/imports/{id}"))
        .await
        .ok(200);
    assert_eq!(quoted(&saved).0, value);

    // A report saved before values were cut (the 10 MiB 姓名) is cut when read, and its
    // xlsx is made instead of failing on Excel's cell limit.
    let c = server.ctx.db.conn();
    let mut old: import_row::ActiveModel = import_row::Entity::find_by_id(id)
        .one(c)
        .await
        .unwrap()
        .expect("the report")
        .into();
    let huge = "名".repeat(10 << 20);
    old.report = Set(serde_json::json!({
        "problems": [{"row": 3, "column": "姓名", "value": huge, "message": format!("姓名“{huge}”不对")}],
        "unknown_columns": [], "truncated": false, "message": "有1行存在问题",
    })
    .to_string());
    old.update(c).await.unwrap();
    let r = server
        .api(token)
        .get(&format!("/api/v1/imports/{id}"))
        .await;
    assert!(
        r.text.len() < 4_096,
        "the report is small: {} bytes",
        r.text.len()
    );
    let (value, message) = quoted(&r.ok(200));
    assert_eq!(value.chars().count(), 51);
    assert!(message.chars().count() <= 301, "{message}");
    let (status, _, _) =
        get_bytes(&server, token, &format!("/api/v1/imports/{id}/report.xlsx")).await;
    assert_eq!(status, 200);
}
