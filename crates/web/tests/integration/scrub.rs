//! Issue 16 item 10 for rows written before it: masked resident IDs and phones that the old code
//! stored in the audit log, request summaries and import reports are rewritten by the migration
//! `m20261208_000016_scrub_masked`, and the stolen-dump scan then finds none.

use sea_orm::{ConnectionTrait, Statement, Value as SqlValue};
use serde_json::{json, Value};
use tuanwu_domain::mask::{mask_phone, mask_resident_id, SCRUBBED};
use tuanwu_store::migration::m20261208_000016_scrub_masked::scrub;

use crate::fixtures::school;
use crate::harness::{id_of, TestServer};
use crate::readable::{dump, masked_number};

async fn exec(server: &TestServer, sql: &str, values: Vec<SqlValue>) {
    let c = server.ctx.db.conn();
    let sql = if server.on_postgres {
        let mut n = 0;
        sql.chars()
            .map(|ch| {
                if ch == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    ch.to_string()
                }
            })
            .collect()
    } else {
        sql.to_string()
    };
    c.execute(Statement::from_sql_and_values(
        c.get_database_backend(),
        sql,
        values,
    ))
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn masked_numbers_written_before_the_privacy_change_are_scrubbed_on_upgrade() {
    let (server, fx) = school().await;
    let p = &fx.m_a1.person;
    let (rid, phone) = (mask_resident_id(&p.resident_id), mask_phone(&p.phone));

    // The audit entry of an edit, as the old code wrote it: masked numbers before and after.
    let old_audit = json!({"resident_id": rid, "phone": phone, "name": p.name}).to_string();
    let new_audit =
        json!({"resident_id": mask_resident_id("120101200501019990"), "phone": phone}).to_string();
    exec(
        &server,
        "UPDATE audit_log SET before = ?, after = ? WHERE id = (SELECT max(id) FROM audit_log)",
        vec![old_audit.into(), new_audit.into()],
    )
    .await;
    // A deletion request whose summary holds the masked ID in clear, as before the sealing.
    let request = server
        .api(&fx.a1_admin.token)
        .post(
            "/api/v1/requests",
            &json!({"kind": "member_deletion", "member_id": fx.m_a1.id,
                    "changes": {"deletion_reason": "entered_in_error"}, "reason": "重复录入",
                    "file_ids": []}),
        )
        .await
        .ok(201);
    let summary = json!({"member_name": p.name, "resident_id": rid,
                         "deletion_reason": "entered_in_error", "deletion_reason_label": "录入错误"});
    exec(
        &server,
        "UPDATE requests SET summary = ? WHERE id = ?",
        vec![summary.to_string().into(), id_of(&request).into()],
    )
    .await;
    // An import report quoting a masked number in a cell and in its message.
    let report = json!({"problems": [{"row": 3, "column": "身份证号", "value": rid,
                         "message": format!("身份证号 {rid} 已被登记，手机 {phone}")}],
                        "unknown_columns": [], "truncated": false, "message": null});
    exec(
        &server,
        "INSERT INTO imports (account_id, org_id, file_name, mode, total_rows, added, skipped, \
         error_rows, written, report, created_at) VALUES (?, ?, 'old.csv', 'all', 1, 0, 0, 1, ?, ?, ?)",
        vec![
            fx.a1_admin.account_id.into(),
            fx.a1.into(),
            false.into(),
            report.to_string().into(),
            time::OffsetDateTime::now_utc().into(),
        ],
    )
    .await;
    let before: Vec<String> = dump(&server)
        .await
        .into_iter()
        .filter_map(|(t, c, v)| masked_number(&v).map(|m| format!("{t}.{c}: {m}")))
        .collect();
    assert!(
        before.len() >= 4,
        "the old-format rows are there: {before:?}"
    );

    let changed = scrub(server.ctx.db.conn()).await.unwrap();
    assert_eq!(
        changed, 3,
        "one audit entry, one request, one import report"
    );
    for (t, col, v) in dump(&server).await {
        assert!(masked_number(&v).is_none(), "{t}.{col} still holds {v}");
    }
    // A second run finds nothing left.
    assert_eq!(scrub(server.ctx.db.conn()).await.unwrap(), 0);

    // Officers still read the request and the audit entry: a number was there, and it changed.
    let read = server
        .api(&fx.a1_admin.token)
        .get(&format!("/api/v1/requests/{}", id_of(&request)))
        .await
        .ok(200);
    assert_eq!(read["summary"]["resident_id"], SCRUBBED, "{read}");
    let log = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=500")
        .await
        .ok(200);
    let scrubbed_entry = log["items"]
        .as_array()
        .and_then(|items| {
            items.iter().find(|e| {
                e["after"]["resident_id"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("〔号码已隐去"))
            })
        })
        .cloned()
        .unwrap_or(Value::Null);
    let changes = scrubbed_entry["changes"].to_string();
    assert!(
        changes.contains("身份证号") && changes.contains("已更改") && !changes.contains("手机号码"),
        "the ID changed, the phone did not: {scrubbed_entry}"
    );
}
