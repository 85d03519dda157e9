//! GRD-6: helpers of the cohort queries: placeholders for each database, the school categories
//! as SQL literals, and which orgs lie in the school domain.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use tuanwu_domain::org::{UnitCategory, UNIT_CATEGORIES};

use crate::AppError;

/// The school categories (ORG-2) as an SQL list of literals (fixed strings of this program).
pub(super) fn school_categories_sql() -> String {
    UNIT_CATEGORIES
        .iter()
        .filter(|c| UnitCategory::parse(c).is_ok_and(UnitCategory::is_school))
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `?` placeholders become `$1, $2, …` on PostgreSQL: the one place the SQL differs.
pub(super) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The orgs among `ids` in the school domain: of a school category or below one. (Their
/// ancestors' categories are read and judged here: no per-row subquery for a planner to misjudge.)
pub(super) async fn school_domain<C: ConnectionTrait>(
    c: &C,
    ids: &[i64],
) -> Result<HashSet<i64>, AppError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT sc.descendant, sa.category FROM org_closure sc JOIN orgs sa ON sa.id = sc.ancestor \
             WHERE sc.descendant IN ({marks})"
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for r in c
            .query_all(statement(c.get_database_backend(), &sql, values))
            .await?
        {
            let category: String = r.try_get_by_index(1)?;
            if UnitCategory::parse(&category).is_ok_and(UnitCategory::is_school) {
                out.insert(r.try_get_by_index::<i64>(0)?);
            }
        }
    }
    Ok(out)
}
