//! The import figures of `tuanwu bench`: the generated csv, the raw insert baseline and the real
//! import run as a child process.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use sea_orm::ConnectionTrait;
use tuanwu_app::Context;
use tuanwu_domain::ResidentId;
use tuanwu_store::Backend;

use super::Tree;

/// A valid, unique member row per index.
pub(super) fn row(i: usize, branch: &str) -> [String; 9] {
    let birth = time::Date::from_calendar_date(2004, time::Month::January, 1)
        .unwrap_or(time::Date::MIN)
        + time::Duration::days((i % 900) as i64);
    let block = (i / 1000) as u32;
    // (region, sequence) is unique for every i below 90 million.
    let region = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32][(block / 8000 % 10) as usize] * 10_000
        + 101
        + block % 8000;
    let rid = ResidentId::compose(region, birth, (i % 1000) as u16);
    [
        format!(
            "团员{}",
            ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"][i % 8]
        ),
        rid.as_str().to_string(),
        "汉族".into(),
        "2021-05".into(),
        format!("{:012}", 300_000_000_000u64 + i as u64),
        format!("B{i:09}"),
        "共青团员".into(),
        format!("13{:09}", i),
        branch.to_string(),
    ]
}

pub(super) fn write_csv(path: &Path, tree: &Tree, n: usize) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        f,
        "姓名,身份证号,民族,入团时间,发展团员编号,学号,政治面貌,手机号码,所在团支部"
    )?;
    for i in 0..n {
        let (_, path) = &tree.branches[i % tree.branches.len()];
        writeln!(f, "{}", row(i, path).join(","))?;
    }
    Ok(f.flush()?)
}

/// The baseline: the same rows, as plain values, into a table with the members table's columns
/// and indexes, by one prepared statement in one transaction.
pub(super) async fn raw_insert(ctx: &Context, tree: &Tree, n: usize) -> anyhow::Result<f64> {
    let pg = ctx.db.backend() == Backend::Postgres;
    let blob = if pg { "BYTEA" } else { "BLOB" };
    let c = ctx.db.conn();
    c.execute_unprepared(&format!(
        "CREATE TABLE bench_raw (id {} PRIMARY KEY, org_id BIGINT NOT NULL, province_id BIGINT, name VARCHAR(50) NOT NULL, \
         resident_id_enc {blob} NOT NULL, resident_id_index {blob} NOT NULL, gender VARCHAR(8) NOT NULL, ethnicity VARCHAR(16) NOT NULL, \
         birth_date DATE NOT NULL, joined_on VARCHAR(7) NOT NULL, development_no VARCHAR(12), student_no VARCHAR(32), \
         political_status VARCHAR(32) NOT NULL, phone_enc {blob}, offline_managed BOOLEAN NOT NULL, identity_check VARCHAR(16) NOT NULL, \
         status VARCHAR(16) NOT NULL)",
        if pg { "BIGSERIAL" } else { "INTEGER" }
    ))
    .await?;
    for ddl in [
        "CREATE UNIQUE INDEX ux_raw_rid ON bench_raw (resident_id_index)",
        "CREATE UNIQUE INDEX ux_raw_dev ON bench_raw (development_no)",
        "CREATE INDEX ix_raw_org ON bench_raw (org_id, status)",
        "CREATE INDEX ix_raw_sno ON bench_raw (student_no)",
        "CREATE INDEX ix_raw_pn ON bench_raw (province_id, name)",
    ] {
        c.execute_unprepared(ddl).await?;
    }
    let sql = if pg {
        "INSERT INTO bench_raw (org_id, province_id, name, resident_id_enc, resident_id_index, gender, ethnicity, birth_date, joined_on, development_no, student_no, political_status, phone_enc, offline_managed, identity_check, status) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)"
    } else {
        "INSERT INTO bench_raw (org_id, province_id, name, resident_id_enc, resident_id_index, gender, ethnicity, birth_date, joined_on, development_no, student_no, political_status, phone_enc, offline_managed, identity_check, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    };
    macro_rules! insert_all {
        ($tx:expr) => {{
            for i in 0..n {
                let (branch, path) = &tree.branches[i % tree.branches.len()];
                let r = row(i, path);
                let birth = time::Date::from_calendar_date(2005, time::Month::January, 1)
                    .unwrap_or(time::Date::MIN);
                sqlx::query(sql)
                    .bind(*branch)
                    .bind(Some(tree.province))
                    .bind(&r[0])
                    .bind(r[1].as_bytes())
                    .bind(r[1].as_bytes())
                    .bind("male")
                    .bind(&r[2])
                    .bind(birth)
                    .bind(&r[3])
                    .bind(&r[4])
                    .bind(&r[5])
                    .bind("league_member")
                    .bind(r[7].as_bytes())
                    .bind(false)
                    .bind("pending")
                    .bind("active")
                    .execute(&mut *$tx)
                    .await?;
            }
        }};
    }
    let started = Instant::now();
    if pg {
        let mut tx = c.get_postgres_connection_pool().begin().await?;
        insert_all!(tx);
        tx.commit().await?;
    } else {
        let mut tx = c.get_sqlite_connection_pool().begin().await?;
        insert_all!(tx);
        tx.commit().await?;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// Runs `tuanwu import` as a child process (so its peak memory is its own) and returns rows/s
/// and peak RSS in MB.
pub(super) fn import_child(
    url: &str,
    dir: &Path,
    csv: &Path,
    n: usize,
) -> anyhow::Result<(f64, f64)> {
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let out = std::process::Command::new(exe)
        .args(["import", "--db", url, "--data-dir"])
        .arg(dir)
        .arg(csv)
        .env("TUANWU_PEAK_RSS", "1")
        .env("RUST_LOG", "warn")
        .output()?;
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "导入失败：{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kb: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    Ok((n as f64 / secs, kb / 1024.0))
}

/// Tops the branch at `path` up to `at_least` members through the real import, with rows
/// numbered from `first` (past the generated ones, so they are new people).
pub(super) async fn fill_branch(
    ctx: &Context,
    dir: &Path,
    path: &str,
    first: usize,
    at_least: usize,
) -> anyhow::Result<()> {
    use tuanwu_app::member::import::{self, ImportInput, Mode, Source};
    let operator = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(super::app)?;
    let have = {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use tuanwu_store::entity::member;
        let branch = tuanwu_store::org::by_path(ctx.db.conn(), path)
            .await?
            .ok_or_else(|| anyhow::anyhow!("找不到团支部 {path}"))?;
        member::Entity::find()
            .filter(member::Column::OrgId.eq(branch.id.0))
            .filter(member::Column::Status.eq("active"))
            .count(ctx.db.conn())
            .await?
    };
    let missing = at_least.saturating_sub(have as usize);
    if missing == 0 {
        return Ok(());
    }
    let csv = dir.join("fill.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    writeln!(
        f,
        "姓名,身份证号,民族,入团时间,发展团员编号,学号,政治面貌,手机号码,所在团支部"
    )?;
    for i in first..first + missing {
        writeln!(f, "{}", row(i, path).join(","))?;
    }
    f.flush()?;
    drop(f);
    let input = ImportInput {
        file_name: "fill.csv".into(),
        mode: Mode::All,
        override_college: false,
        progress_key: None,
    };
    let r = import::import(ctx, &operator, Source::Path(csv), input, &|_| {})
        .await
        .map_err(super::app)?;
    anyhow::ensure!(r.added as usize == missing, "补足团支部失败：{}", r.message);
    Ok(())
}
