//! Helpers for the integration tests and the benchmark: fresh PostgreSQL databases.

use sea_orm::{ConnectionTrait, Database, DbErr};

/// Creates database `tuanwu_t_<random>` on the server of `base_url` and returns its URL.
pub async fn fresh_postgres_database(base_url: &str) -> Result<String, DbErr> {
    create(base_url, None).await
}

/// Like [`fresh_postgres_database`], as a copy of database `template` on the same server
/// (`CREATE DATABASE … TEMPLATE`, which needs `template` to have no open sessions).
#[cfg(feature = "testing")]
pub async fn postgres_database_from(base_url: &str, template: &str) -> Result<String, DbErr> {
    create(base_url, Some(template)).await
}

async fn create(base_url: &str, template: Option<&str>) -> Result<String, DbErr> {
    // The prefix lets scripts/test drop what earlier runs left behind.
    let name = format!("tuanwu_t_{:016x}", rand::random::<u64>());
    let admin = Database::connect(base_url).await?;
    let sql = match template {
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE \"{template}\""),
        None => format!("CREATE DATABASE {name}"),
    };
    let created = admin.execute_unprepared(&sql).await;
    admin.close().await?;
    created?;
    let (server, _) = base_url.rsplit_once('/').unwrap_or((base_url, ""));
    Ok(format!("{server}/{name}"))
}
