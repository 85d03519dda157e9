//! Issue 16 item 10, for rows written before it: the audit log's before/after, requests'
//! summaries and import reports kept personal numbers masked (`1201**********1234`,
//! `138****5678`), which with the plaintext birth date leaves a handful of candidates per
//! resident ID. The current code writes a keyed fingerprint or a sealed value; a migration has
//! no key, so each masked number becomes a marker that says only that a number was there
//! (`tuanwu_domain::mask::scrub_masked_numbers`: equal values get equal markers within a row, so
//! the audit page still tells 已更改 from unchanged). Rows are read in pages of ids, so the memory
//! used does not grow with the table.

use sea_orm::{ConnectionTrait, Statement, Value};
use sea_orm_migration::prelude::*;
use tuanwu_domain::mask::scrub_masked_numbers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, text columns) that item 10 changed the writers of.
const TABLES: &[(&str, &[&str])] = &[
    ("audit_log", &["before", "after"]),
    ("requests", &["summary"]),
    ("imports", &["report"]),
];

const PAGE: i64 = 500;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        scrub(m.get_connection()).await.map(|_| ())
    }

    /// Nothing to undo: the masked digits are gone on purpose.
    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// Rewrites every stored masked number in the tables above; returns how many rows changed.
pub async fn scrub<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    let mut changed = 0;
    for (table, columns) in TABLES {
        changed += scrub_table(c, table, columns).await?;
    }
    Ok(changed)
}

async fn scrub_table<C: ConnectionTrait>(
    c: &C,
    table: &str,
    columns: &[&str],
) -> Result<u64, DbErr> {
    let backend = c.get_database_backend();
    let param = |i: usize| match backend {
        sea_orm::DatabaseBackend::Postgres => format!("${i}"),
        _ => "?".to_string(),
    };
    let list = columns
        .iter()
        .map(|col| format!("\"{col}\""))
        .collect::<Vec<_>>()
        .join(", ");
    // Only rows with a `*` somewhere can hold a masked number.
    let star = columns
        .iter()
        .map(|col| format!("\"{col}\" LIKE '%*%'"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let select = format!(
        "SELECT id, {list} FROM \"{table}\" WHERE id > {} AND ({star}) ORDER BY id LIMIT {PAGE}",
        param(1)
    );
    let set = columns
        .iter()
        .enumerate()
        .map(|(i, col)| format!("\"{col}\" = {}", param(i + 1)))
        .collect::<Vec<_>>()
        .join(", ");
    let update = format!(
        "UPDATE \"{table}\" SET {set} WHERE id = {}",
        param(columns.len() + 1)
    );
    let mut last = 0i64;
    let mut changed = 0;
    loop {
        let rows = c
            .query_all(Statement::from_sql_and_values(
                backend,
                &select,
                [last.into()],
            ))
            .await?;
        let Some(tail) = rows.last() else { break };
        last = tail.try_get::<i64>("", "id")?;
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let mut texts = Vec::with_capacity(columns.len());
            for col in columns {
                texts.push(row.try_get::<Option<String>>("", col)?);
            }
            let refs: Vec<Option<&str>> = texts.iter().map(Option::as_deref).collect();
            let Some(scrubbed) = scrub_masked_numbers(&refs) else {
                continue;
            };
            let mut values: Vec<Value> = scrubbed.into_iter().map(Value::from).collect();
            values.push(id.into());
            c.execute(Statement::from_sql_and_values(backend, &update, values))
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
