//! Helpers for the integration tests: a fresh PostgreSQL database per test.

use sea_orm::{ConnectionTrait, Database, DbErr};

/// Creates database `tuanwu_t_<random>` on the server of `base_url` and returns its URL.
pub async fn fresh_postgres_database(base_url: &str) -> Result<String, DbErr> {
    let name = format!("tuanwu_t_{:016x}", rand::random::<u64>());
    let admin = Database::connect(base_url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (server, _) = base_url.rsplit_once('/').unwrap_or((base_url, ""));
    Ok(format!("{server}/{name}"))
}
