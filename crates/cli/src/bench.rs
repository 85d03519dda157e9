//! `tuanwu bench`: builds a synthetic nation of N members and measures the project's own figures
//! next to a raw baseline taken in the same run, printed as ratios.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use tuanwu_app::{Clock, Config, Context};
use tuanwu_domain::ResidentId;
use tuanwu_store::entity::org;
use tuanwu_store::{queries, Backend};

pub struct Args {
    pub members: usize,
    pub db: Option<String>,
    pub http_secs: u64,
    pub connections: usize,
}

struct Tree {
    nation: i64,
    province: i64,
    university: i64,
    college: i64,
    branches: Vec<(i64, String)>,
}

fn app(e: tuanwu_app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

async fn add(
    ctx: &Context,
    c: &impl ConnectionTrait,
    parent: &org::Model,
    name: String,
    kind: &str,
    category: &str,
    college: bool,
) -> anyhow::Result<org::Model> {
    let now = ctx.clock.now();
    let depth = parent.depth + 1;
    let o = queries::org::insert(
        c,
        org::ActiveModel {
            parent_id: Set(Some(parent.id)),
            path: Set(format!("{} / {}", parent.path, name)),
            name: Set(name),
            kind: Set(kind.into()),
            category: Set(category.into()),
            branch_type: Set((kind == "branch").then(|| "regular".into())),
            college_id: Set(parent.college_id),
            province_id: Set(parent.province_id),
            depth: Set(depth),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
        Some(parent.id),
    )
    .await?;
    if depth == 1 || college {
        let mut a: org::ActiveModel = o.clone().into();
        if depth == 1 {
            a.province_id = Set(Some(o.id));
        }
        if college {
            a.college_id = Set(Some(o.id));
        }
        return Ok(a.update(c).await?);
    }
    Ok(o)
}

/// 4 provinces × (1 city committee → 2 universities × 20 colleges), branches of ~33 members.
async fn build_tree(ctx: &Context, members: usize) -> anyhow::Result<Tree> {
    let tx = ctx.db.write().await?;
    let top = queries::org::find(&*tx, 1).await?.context("no top org")?;
    let colleges_total = 4 * 2 * 20;
    let per_college = (members / colleges_total / 33).max(1);
    let mut branches = Vec::new();
    let mut first = None;
    for p in 0..4 {
        let province = add(
            ctx,
            &*tx,
            &top,
            format!("共青团第{}省委员会", p + 1),
            "committee",
            "党政机关",
            false,
        )
        .await?;
        let city = add(
            ctx,
            &*tx,
            &province,
            format!("共青团第{}省高校工作委员会", p + 1),
            "working_committee",
            "党政机关",
            false,
        )
        .await?;
        for u in 0..2 {
            let uni = add(
                ctx,
                &*tx,
                &city,
                format!("共青团第{}省第{}大学委员会", p + 1, u + 1),
                "committee",
                "普通高等院校",
                false,
            )
            .await?;
            for c in 0..20 {
                let college = add(
                    ctx,
                    &*tx,
                    &uni,
                    format!("第{}学院团委", c + 1),
                    "committee",
                    "普通高等院校",
                    true,
                )
                .await?;
                for b in 0..per_college {
                    let branch = add(
                        ctx,
                        &*tx,
                        &college,
                        format!("第{}学院第{}团支部", c + 1, b + 1),
                        "branch",
                        "普通高等院校",
                        false,
                    )
                    .await?;
                    branches.push((branch.id, branch.path.clone()));
                }
                first.get_or_insert((province.id, uni.id, college.id));
            }
        }
    }
    tx.commit().await?;
    let (province, university, college) = first.context("empty tree")?;
    Ok(Tree {
        nation: top.id,
        province,
        university,
        college,
        branches,
    })
}

/// A valid, unique member row per index.
fn row(i: usize, branch: &str) -> [String; 9] {
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

fn write_csv(path: &Path, tree: &Tree, n: usize) -> anyhow::Result<()> {
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
async fn raw_insert(ctx: &Context, tree: &Tree, n: usize) -> anyhow::Result<f64> {
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
fn import_child(url: &str, dir: &Path, csv: &Path, n: usize) -> anyhow::Result<(f64, f64)> {
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

async fn median_ms<F, Fut>(mut f: F) -> anyhow::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        f().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[2])
}

async fn counts(ctx: &Context, root: i64) -> anyhow::Result<(f64, f64)> {
    let c = ctx.db.conn();
    let project = median_ms(|| async move {
        queries::org::counts_by_college_status(c, root).await?;
        Ok(())
    })
    .await?;
    let sql = "SELECT o.college_id, m.status, COUNT(m.id) FROM org_closure c JOIN members m ON m.org_id = c.descendant \
               JOIN orgs o ON o.id = m.org_id WHERE c.ancestor = ROOT GROUP BY o.college_id, m.status"
        .replace("ROOT", &root.to_string());
    let sql = sql.as_str();
    let raw = median_ms(|| async move {
        match ctx.db.backend() {
            Backend::Postgres => {
                sqlx::query(sql)
                    .fetch_all(c.get_postgres_connection_pool())
                    .await?;
            }
            Backend::Sqlite => {
                sqlx::query(sql)
                    .fetch_all(c.get_sqlite_connection_pool())
                    .await?;
            }
        }
        Ok(())
    })
    .await?;
    Ok((project, raw))
}

/// Requests/s and p99 (ms) of GET `url` with `connections` concurrent clients for `secs`.
async fn load(
    url: String,
    token: Option<String>,
    connections: usize,
    secs: u64,
) -> anyhow::Result<(f64, f64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut req = client.get(&url);
                if let Some(tok) = &token {
                    req = req.bearer_auth(tok);
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => {}
                }
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?);
    }
    anyhow::ensure!(!all.is_empty(), "没有成功的请求：{url}");
    all.sort_by(|a, b| a.total_cmp(b));
    let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)];
    Ok((all.len() as f64 / secs as f64, p99))
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir: PathBuf = std::env::temp_dir().join(format!("tuanwu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = match &args.db {
        Some(u) if u.starts_with("postgres") => {
            tuanwu_store::testing::fresh_postgres_database(u).await?
        }
        Some(u) => u.clone(),
        None => format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
    };
    let ctx = Context::open(Config {
        database_url: url.clone(),
        data_dir: dir.clone(),
        encryption_key: None,
        root_password: Some("Bench-root-2026".into()),
        clock: Clock::system(),
        policy: Default::default(),
    })
    .await
    .map_err(app)?;
    let n = args.members;
    println!(
        "tuanwu bench：{n} 名团员，数据库 {}",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let t = Instant::now();
    let tree = build_tree(&ctx, n).await?;
    println!(
        "  组织树：{} 个团支部（{:.1}s）",
        tree.branches.len(),
        t.elapsed().as_secs_f64()
    );
    let csv = dir.join("members.csv");
    write_csv(&csv, &tree, n)?;

    let raw_rate = raw_insert(&ctx, &tree, n).await?;
    let (import_rate, peak_mb) = import_child(&url, &dir, &csv, n)?;
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    rows.push((
        "导入吞吐（行/秒）".into(),
        format!("{import_rate:.0}"),
        format!("{raw_rate:.0}（同列同索引的预编译逐行插入）"),
        format!("{:.2}×", import_rate / raw_rate),
    ));
    rows.push((
        "导入峰值内存（MB）".into(),
        format!("{peak_mb:.0}"),
        "—".into(),
        "目标 < 300".into(),
    ));
    for (label, root) in [
        ("大学", tree.university),
        ("省", tree.province),
        ("全国", tree.nation),
    ] {
        let (project, raw) = counts(&ctx, root).await?;
        rows.push((
            format!("{label}：各学院×状态人数（毫秒）"),
            format!("{project:.1}"),
            format!("{raw:.1}（手写SQL）"),
            format!("{:.2}×", raw / project),
        ));
    }

    // HTTP: a scoped college admin reading one branch page of 50 rows, against /healthz.
    let college = tuanwu_app::org::add_admin(
        &ctx,
        &tuanwu_app::account::session::operator(&ctx)
            .await
            .map_err(app)?,
        tuanwu_domain::OrgId(tree.college),
        tuanwu_app::org::AddAdminInput {
            login: Some("bench_college".into()),
            password: Some("Bench-2026x".into()),
            name: Some("压测管理员".into()),
            member_id: None,
        },
    )
    .await
    .map_err(app)?;
    let _ = college;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server_ctx = ctx.clone();
    tokio::spawn(
        async move { tuanwu_web::serve(listener, server_ctx, std::future::pending()).await },
    );
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"login": "bench_college", "password": "Bench-2026x"}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().map(str::to_string);
    // A new admin must replace the initial password before anything else.
    http.post(format!("{base}/api/v1/me/password"))
        .bearer_auth(token.clone().unwrap_or_default())
        .json(&serde_json::json!({"old_password": "Bench-2026x", "new_password": "Bench-2026y"}))
        .send()
        .await?
        .error_for_status()?;
    let branch = tree
        .branches
        .iter()
        .find(|(_, p)| p.contains("第1学院第1团支部"))
        .map(|(id, _)| *id)
        .unwrap_or(tree.branches[0].0);
    let (h_rps, h_p99) = load(
        format!("{base}/healthz"),
        None,
        args.connections,
        args.http_secs,
    )
    .await?;
    let (m_rps, m_p99) = load(
        format!("{base}/api/v1/orgs/{branch}/members?per_page=50"),
        token,
        args.connections,
        args.http_secs,
    )
    .await?;
    rows.push((
        "团员列表接口（请求/秒）".into(),
        format!("{m_rps:.0}"),
        format!("{h_rps:.0}（/healthz）"),
        format!("{:.2}×", m_rps / h_rps),
    ));
    rows.push((
        "团员列表接口 p99（毫秒）".into(),
        format!("{m_p99:.1}"),
        format!("{h_p99:.1}（/healthz）"),
        "目标 < 25".into(),
    ));

    println!();
    println!("| 指标 | tuanwu | 基准 | 比值 |");
    println!("|---|---|---|---|");
    for (a, b, c, d) in rows {
        println!("| {a} | {b} | {c} | {d} |");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Printed by a child `tuanwu import` when the bench asks (TUANWU_PEAK_RSS).
pub fn print_peak_rss() {
    if std::env::var_os("TUANWU_PEAK_RSS").is_none() {
        return;
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(kb) = status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
            println!("peak_rss_kb={}", kb.trim().trim_end_matches("kB").trim());
        }
    }
}
