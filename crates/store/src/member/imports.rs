//! DAT-1: the saved report of a member import. The importer and the admins above the importing
//! org read it back (the caller checks which).

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};
use time::OffsetDateTime;
use tuanwu_domain::{AccountId, OrgId};

use crate::entity::import;

/// One import as it is kept: its counts and its report (problems as JSON, capped).
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub account: AccountId,
    pub org: OrgId,
    pub file_name: String,
    /// The import's mode key (`all` or `valid`).
    pub mode: String,
    pub total_rows: u64,
    pub added: u64,
    pub skipped: u64,
    pub error_rows: u64,
    pub written: bool,
    pub report: String,
    pub created_at: OffsetDateTime,
}

/// Keeps the report of an import; returns its id.
pub async fn save_report<C: ConnectionTrait>(c: &C, r: &ImportRecord) -> Result<i64, DbErr> {
    let saved = import::ActiveModel {
        account_id: Set(r.account.0),
        org_id: Set(r.org.0),
        file_name: Set(r.file_name.chars().take(255).collect()),
        mode: Set(r.mode.clone()),
        total_rows: Set(r.total_rows as i64),
        added: Set(r.added as i64),
        skipped: Set(r.skipped as i64),
        error_rows: Set(r.error_rows as i64),
        written: Set(r.written),
        report: Set(r.report.clone()),
        created_at: Set(r.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(saved.id)
}

/// A saved report by id. Unscoped: the caller lets only its importer or an admin whose scope
/// reaches the importing org see it.
pub async fn report<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<ImportRecord>, DbErr> {
    Ok(import::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(|m| ImportRecord {
            account: AccountId(m.account_id),
            org: OrgId(m.org_id),
            file_name: m.file_name,
            mode: m.mode,
            total_rows: m.total_rows.max(0) as u64,
            added: m.added.max(0) as u64,
            skipped: m.skipped.max(0) as u64,
            error_rows: m.error_rows.max(0) as u64,
            written: m.written,
            report: m.report,
            created_at: m.created_at,
        }))
}
