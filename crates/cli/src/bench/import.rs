//! The import figures of `tuanwu bench`: the generated csv, the raw insert baseline and the real
//! import run as a child process.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

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

/// The csv's columns, as the baselines' tables name them.
const CSV_COLUMNS: [&str; 9] = [
    "name",
    "resident_id",
    "ethnicity",
    "joined_on",
    "development_no",
    "student_no",
    "political_status",
    "phone",
    "branch",
];

/// The baseline a user would pick to load the same csv by hand: the database's own bulk path
/// into a table with the csv's columns, a unique index (the resident ID) and a plain one (the
/// branch), in one transaction. SQLite: the `sqlite3` shell's `.import` (WAL,
/// `synchronous=FULL`, as tuanwu runs), a separate process like `tuanwu import`. PostgreSQL:
/// `COPY … FROM STDIN (FORMAT csv)`. Returns rows/s.
pub(super) async fn bulk_baseline(
    ctx: &Context,
    dir: &Path,
    csv: &Path,
    n: usize,
) -> anyhow::Result<f64> {
    let columns = CSV_COLUMNS
        .iter()
        .map(|c| format!("{c} TEXT"))
        .collect::<Vec<_>>()
        .join(", ");
    let create = format!(
        "CREATE TABLE bench_bulk ({columns}); \
         CREATE UNIQUE INDEX ux_bulk_rid ON bench_bulk (resident_id); \
         CREATE INDEX ix_bulk_branch ON bench_bulk (branch);"
    );
    if ctx.db.backend() == Backend::Postgres {
        let pool = ctx.db.conn().get_postgres_connection_pool();
        sqlx::raw_sql(&create).execute(pool).await?;
        let data = std::fs::read(csv)?;
        let started = Instant::now();
        let mut conn = pool.acquire().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let mut copy = tx
            .copy_in_raw("COPY bench_bulk FROM STDIN WITH (FORMAT csv, HEADER true)")
            .await?;
        // In chunks as psql sends them: one 50 MB message never came back from sqlx.
        for chunk in data.chunks(64 * 1024) {
            copy.send(chunk).await?;
        }
        let copied = copy.finish().await?;
        tx.commit().await?;
        anyhow::ensure!(copied as usize == n, "COPY 只写入了 {copied} 行");
        return Ok(n as f64 / started.elapsed().as_secs_f64());
    }
    let db = dir.join("baseline.db");
    let script = format!(
        "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n{create}\nBEGIN;\n.import --csv --skip 1 '{}' bench_bulk\nCOMMIT;\nSELECT COUNT(*) FROM bench_bulk;\n",
        csv.display()
    );
    let started = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(script.as_bytes())?;
            }
            child.wait_with_output()
        })
        .map_err(|e| {
            anyhow::anyhow!(
                "无法运行 sqlite3（基准需要 SQLite 命令行：apt-get install sqlite3）：{e}"
            )
        })?;
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let count = stdout
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<usize>().ok());
    anyhow::ensure!(
        out.status.success() && count == Some(n),
        "sqlite3 .import 未写入全部 {n} 行：{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_file(&db);
    Ok(n as f64 / secs)
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
        time_limit: None,
    };
    let r = import::import(ctx, &operator, Source::Path(csv), input, &|_| {})
        .await
        .map_err(super::app)?;
    anyhow::ensure!(r.added as usize == missing, "补足团支部失败：{}", r.message);
    Ok(())
}
