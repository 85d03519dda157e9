//! One migration history, written once in Rust, applied to SQLite and PostgreSQL alike.

use sea_orm_migration::prelude::*;

#[path = "migration/m20261129_000001_foundation.rs"]
mod m20261129_000001_foundation;
#[path = "migration/m20261129_000002_requests.rs"]
mod m20261129_000002_requests;
#[path = "migration/m20261129_000003_imports.rs"]
mod m20261129_000003_imports;
#[path = "migration/m20261129_000004_accounts.rs"]
mod m20261129_000004_accounts;
#[path = "migration/m20261129_000005_transfers.rs"]
mod m20261129_000005_transfers;
#[path = "migration/m20261129_000006_graduation.rs"]
mod m20261129_000006_graduation;
#[path = "migration/m20261129_000007_floating.rs"]
mod m20261129_000007_floating;
#[path = "migration/m20261129_000008_data_changes.rs"]
mod m20261129_000008_data_changes;
#[path = "migration/m20261207_000001_org_versions.rs"]
mod m20261207_000001_org_versions;
#[path = "migration/m20261207_000002_code_display.rs"]
mod m20261207_000002_code_display;
#[path = "migration/m20261207_000009_member_versions.rs"]
mod m20261207_000009_member_versions;
#[path = "migration/m20261207_000013_meetings.rs"]
mod m20261207_000013_meetings;
#[path = "migration/m20261207_000014_branch_org.rs"]
mod m20261207_000014_branch_org;
#[path = "migration/m20261207_000015_change_marks.rs"]
mod m20261207_000015_change_marks;
/// Public for its `scrub`, which a test runs on rows it writes the way the old code did.
#[path = "migration/m20261208_000016_scrub_masked.rs"]
pub mod m20261208_000016_scrub_masked;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_requests::Migration),
            Box::new(m20261129_000003_imports::Migration),
            Box::new(m20261129_000004_accounts::Migration),
            Box::new(m20261129_000005_transfers::Migration),
            Box::new(m20261129_000006_graduation::Migration),
            Box::new(m20261129_000007_floating::Migration),
            Box::new(m20261129_000008_data_changes::Migration),
            Box::new(m20261207_000001_org_versions::Migration),
            Box::new(m20261207_000002_code_display::Migration),
            Box::new(m20261207_000009_member_versions::Migration),
            Box::new(m20261207_000013_meetings::Migration),
            Box::new(m20261207_000014_branch_org::Migration),
            Box::new(m20261207_000015_change_marks::Migration),
            Box::new(m20261208_000016_scrub_masked::Migration),
        ]
    }
}
