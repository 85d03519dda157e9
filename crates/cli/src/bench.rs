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

/// GRD-6 at university scale: a university of 20 colleges × 15 branches marked for `year`,
/// 10,000 graduates in them with a realistic mix of destinations, delayed graduates and
/// transfers (completed to a company or the floating branch, or pending).
async fn build_cohort(ctx: &Context, tree: &Tree, year: i32) -> anyhow::Result<(i64, usize)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    use tuanwu_store::entity::{destination, graduation_exception, member, transfer};
    const GRADUATES: usize = 10_000;
    let tx = ctx.db.write().await?;
    let now = ctx.clock.now();
    let province = queries::org::find(&*tx, tree.province)
        .await?
        .context("no province")?;
    let uni = add(
        ctx,
        &*tx,
        &province,
        "共青团学社衔接基准大学委员会".into(),
        "committee",
        "普通高等院校",
        false,
    )
    .await?;
    let floating = add(
        ctx,
        &*tx,
        &uni,
        "基准大学流动团员团支部".into(),
        "branch",
        "普通高等院校",
        false,
    )
    .await?;
    let company = add(
        ctx,
        &*tx,
        &province,
        "共青团基准集团委员会".into(),
        "committee",
        "国有企业",
        false,
    )
    .await?;
    let company_branch = add(
        ctx,
        &*tx,
        &company,
        "基准集团第一团支部".into(),
        "branch",
        "国有企业",
        false,
    )
    .await?;
    let mut branches = Vec::new();
    for c in 0..20 {
        let college = add(
            ctx,
            &*tx,
            &uni,
            format!("基准第{}学院团委", c + 1),
            "committee",
            "普通高等院校",
            true,
        )
        .await?;
        for b in 0..15 {
            let branch = add(
                ctx,
                &*tx,
                &college,
                format!("基准第{}学院{}级第{}团支部", c + 1, year - 4, b + 1),
                "branch",
                "普通高等院校",
                false,
            )
            .await?;
            let mut a: org::ActiveModel = branch.into();
            a.graduation = Set(Some(format!("{year}-06")));
            branches.push(a.update(&*tx).await?.id);
        }
    }
    let mut members = Vec::new();
    let mut plans = Vec::new();
    for i in 0..GRADUATES {
        let branch = branches[i % branches.len()];
        // 0–39 completed to the company, 40–49 pending, 50–59 kept at school, rest nothing.
        let fate = i % 100;
        let org_id = match fate {
            0..=39 => company_branch.id,
            50..=59 => floating.id,
            _ => branch,
        };
        members.push(member::ActiveModel {
            org_id: Set(org_id),
            province_id: Set(Some(tree.province)),
            name: Set(format!("毕业生{}", i % 97)),
            resident_id_enc: Set(format!("grd-{i}").into_bytes()),
            resident_id_index: Set(format!("grd-index-{i}").into_bytes()),
            gender: Set("female".into()),
            ethnicity: Set("汉族".into()),
            birth_date: Set(time::Date::from_calendar_date(2004, time::Month::March, 1)
                .unwrap_or(time::Date::MIN)),
            joined_on: Set("2019-05".into()),
            student_no: Set(Some(format!("G{i:08}"))),
            political_status: Set("league_member".into()),
            offline_managed: Set(false),
            identity_check: Set("verified_offline".into()),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        plans.push((branch, fate));
    }
    for chunk in members.chunks(500) {
        member::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    // The ids back in the order built (student numbers G00000000…).
    let mut by_no: Vec<(i64, Option<String>)> = member::Entity::find()
        .filter(member::Column::StudentNo.starts_with("G"))
        .select_only()
        .columns([member::Column::Id, member::Column::StudentNo])
        .into_tuple()
        .all(&*tx)
        .await?;
    by_no.sort_by(|a, b| a.1.cmp(&b.1));
    let ids: Vec<i64> = by_no.into_iter().map(|(id, _)| id).collect();
    anyhow::ensure!(ids.len() == GRADUATES, "毕业生插入数量不符");
    let mut transfers = Vec::new();
    let mut dests = Vec::new();
    let mut exceptions = Vec::new();
    for (id, (branch, fate)) in ids.iter().zip(&plans) {
        let (target, status) = match fate {
            0..=39 => (company_branch.id, "completed"),
            40..=49 => (company_branch.id, "pending"),
            50..=59 => (floating.id, "completed"),
            _ => (0, ""),
        };
        if target != 0 {
            transfers.push(transfer::ActiveModel {
                member_id: Set(*id),
                active_member_id: Set((status == "pending").then_some(*id)),
                kind: Set("internal".into()),
                status: Set(status.into()),
                initiator: Set("source".into()),
                initiator_name: Set("基准".into()),
                source_org_id: Set(*branch),
                target_org_id: Set(Some(target)),
                assigned_branch_id: Set((status == "completed").then_some(target)),
                reason: Set("graduation".into()),
                archives_checked: Set(status == "completed"),
                created_at: Set(now),
                decided_at: Set((status == "completed").then_some(now)),
                ..Default::default()
            });
        }
        let dest = match id % 20 {
            0..=9 => Some("employed"),
            10..=12 => Some("further_study"),
            13 => Some("abroad"),
            14 => Some("preparing_job"),
            _ => None,
        };
        if let Some(d) = dest {
            dests.push(destination::ActiveModel {
                member_id: Set(*id),
                destination: Set(d.into()),
                note: Set(None),
                updated_by: Set(1),
                updated_at: Set(now),
            });
        }
        if id % 33 == 0 {
            exceptions.push(graduation_exception::ActiveModel {
                member_id: Set(*id),
                kind: Set("delayed".into()),
                expected: Set(format!("{}-06", year + 1)),
                reason: Set("基准".into()),
                created_by: Set(1),
                created_at: Set(now),
                ..Default::default()
            });
        }
    }
    for chunk in transfers.chunks(500) {
        transfer::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    for chunk in dests.chunks(500) {
        destination::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    for chunk in exceptions.chunks(500) {
        graduation_exception::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    tx.commit().await?;
    Ok((uni.id, GRADUATES))
}

/// The use case (`continuity`, as the root admin) against the same per-state counts written by
/// hand as two aggregate queries on the closure table. Returns (project ms, raw ms).
async fn continuity(ctx: &Context, uni: i64, year: i32) -> anyhow::Result<(f64, f64)> {
    let actor = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(app)?;
    let query = tuanwu_app::graduation::continuity::ContinuityQuery {
        year: Some(year),
        ..Default::default()
    };
    let view = tuanwu_app::graduation::continuity::continuity(
        ctx,
        &actor,
        tuanwu_domain::OrgId(uni),
        query.clone(),
    )
    .await
    .map_err(app)?;
    let (actor, q) = (&actor, &query);
    let project = median_ms(|| async move {
        tuanwu_app::graduation::continuity::continuity(
            ctx,
            actor,
            tuanwu_domain::OrgId(uni),
            q.clone(),
        )
        .await
        .map_err(app)?;
        Ok(())
    })
    .await?;

    let pg = ctx.db.backend() == Backend::Postgres;
    let schools = "'普通高等院校','高等职业（专科）院校','普通高中','中等职业院校','完全中学','初级中学','小学','九年一贯制学校','十二年一贯制学校'";
    let excluded = "EXISTS (SELECT 1 FROM graduation_exceptions e WHERE e.member_id = m.id AND e.revoked_at IS NULL) \
                    OR d.destination IN ('further_study', 'abroad')";
    let marked = format!(
        "FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         JOIN_HERE WHERE c.ancestor = {uni} AND o.kind = 'branch' AND o.graduation LIKE '{year}-%'"
    );
    let stayers = format!(
        "SELECT CASE WHEN {excluded} THEN 'excluded' WHEN t.id IS NOT NULL THEN 'in_progress' ELSE 'not_started' END AS s, COUNT(*) {}",
        marked.replace(
            "JOIN_HERE",
            "JOIN members m ON m.org_id = o.id AND m.status = 'active' \
             LEFT JOIN destinations d ON d.member_id = m.id \
             LEFT JOIN transfers t ON t.active_member_id = m.id"
        )
    ) + " GROUP BY 1";
    let leavers = format!(
        "SELECT CASE WHEN {excluded} THEN 'excluded' WHEN t.kind = 'internal' AND EXISTS (SELECT 1 FROM org_closure sc \
         JOIN orgs sa ON sa.id = sc.ancestor WHERE sc.descendant = t.assigned_branch_id AND sa.category IN ({schools})) \
         THEN 'kept_at_school' ELSE 'complete' END AS s, COUNT(*) {}",
        marked.replace(
            "JOIN_HERE",
            &format!(
                "JOIN transfers t ON t.source_org_id = o.id AND t.status = 'completed' AND t.decided_at >= {} \
                 JOIN members m ON m.id = t.member_id LEFT JOIN destinations d ON d.member_id = m.id",
                if pg { "$1" } else { "?" }
            )
        )
    ) + " GROUP BY 1";
    let start = time::Date::from_calendar_date(year, time::Month::January, 1)?
        .with_time(time::Time::MIDNIGHT)
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0)?)
        .to_offset(time::UtcOffset::UTC);
    let c = ctx.db.conn();
    let (stayers, leavers) = (stayers.as_str(), leavers.as_str());
    let counts = std::sync::Mutex::new(std::collections::BTreeMap::<String, i64>::new());
    let counts_ref = &counts;
    let raw = median_ms(|| async move {
        let mut got = std::collections::BTreeMap::new();
        macro_rules! run {
            ($pool:expr) => {{
                for r in sqlx::query_as::<_, (String, i64)>(stayers)
                    .fetch_all($pool)
                    .await?
                {
                    *got.entry(r.0).or_insert(0) += r.1;
                }
                for r in sqlx::query_as::<_, (String, i64)>(leavers)
                    .bind(start)
                    .fetch_all($pool)
                    .await?
                {
                    *got.entry(r.0).or_insert(0) += r.1;
                }
            }};
        }
        match ctx.db.backend() {
            Backend::Postgres => run!(c.get_postgres_connection_pool()),
            Backend::Sqlite => run!(c.get_sqlite_connection_pool()),
        }
        *counts_ref.lock().unwrap_or_else(|e| e.into_inner()) = got;
        Ok(())
    })
    .await?;
    let counts = counts.into_inner().unwrap_or_else(|e| e.into_inner());
    let get = |k: &str| counts.get(k).copied().unwrap_or(0) as u64;
    let v = &view.counts;
    anyhow::ensure!(
        (
            v.not_started,
            v.in_progress,
            v.complete,
            v.kept_at_school,
            v.excluded
        ) == (
            get("not_started"),
            get("in_progress"),
            get("complete"),
            get("kept_at_school"),
            get("excluded")
        ),
        "学社衔接：用例与手写SQL的计数不一致：{:?} / {counts:?}",
        view.counts
    );
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

    // GRD-6: the continuity rate of a university with 10,000 graduates.
    let year = time::OffsetDateTime::now_utc().year();
    let (uni, graduates) = build_cohort(&ctx, &tree, year).await?;
    if ctx.db.backend() == Backend::Postgres {
        // What autovacuum would do after a bulk load: without statistics the planner guesses
        // one row per table and the hand-written baseline's subqueries turn into scans.
        ctx.db.conn().execute_unprepared("ANALYZE").await?;
    }
    let (project, raw) = continuity(&ctx, uni, year).await?;
    rows.push((
        format!("大学学社衔接率（{graduates}名毕业生，毫秒）"),
        format!("{project:.1}"),
        format!("{raw:.1}（手写SQL，闭包表上两条聚合查询）"),
        format!("{:.2}×（目标 < 100 毫秒）", raw / project),
    ));

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
