//! The `tuanwu` binary: serve, migrate, demo, backup and restore.

mod backup;
mod bench;
mod config;
mod transfer;

use std::net::SocketAddr;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tuanwu_app::{Clock, Context};

use config::Settings;

/// mimalloc instead of glibc's malloc: measured on `tuanwu import` of 1,000,000 rows (BENCHMARKS.md),
/// where glibc's per-thread arenas and consolidation of freed batches cost time and peak memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tuanwu", version, about = "团务：共青团组织工作系统")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Database URL: sqlite://PATH?mode=rwc (default, in the data directory) or postgres://…
    #[arg(long = "db", env = "TUANWU_DATABASE_URL")]
    db: Option<String>,
    /// Where the SQLite file, the encryption key file and uploaded files live.
    #[arg(long, env = "TUANWU_DATA_DIR")]
    data_dir: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (JSON API under /api/v1).
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on.
        #[arg(long, env = "TUANWU_LISTEN")]
        listen: Option<String>,
        /// Load the demo city and university on an empty database.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Import members from an xlsx or csv file as the server's operator (MEM-5, DAT-1).
    Import {
        #[command(flatten)]
        common: Common,
        /// The xlsx or csv file (first row: column names as in the template).
        file: std::path::PathBuf,
        /// 导入方式：all = 全部正确才导入（任何一行有问题就都不写入）；valid = 只导入正确的行（有问题的行列在报告里）.
        #[arg(long, default_value = "all")]
        mode: String,
        /// Write the row-by-row report to this xlsx file.
        #[arg(long)]
        report: Option<std::path::PathBuf>,
        /// Accept rows whose college differs from the branch's (MEM-5 override).
        #[arg(long)]
        override_college: bool,
    },
    /// Export a report sheet of an org (e.g. the member list of its whole subtree).
    Export {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        org_id: i64,
        /// `members`, `deletion-ledger` or `development-no-conflicts`.
        #[arg(long, default_value = "members")]
        sheet: String,
        /// One sheet per branch (members only).
        #[arg(long)]
        per_branch: bool,
        /// Full resident IDs and phones (audited).
        #[arg(long)]
        full: bool,
        out: std::path::PathBuf,
    },
    /// Measure import, subtree counts, the continuity rate and the member-list API against raw baselines.
    Bench {
        /// Members in the synthetic dataset.
        #[arg(long, default_value_t = 1_000_000)]
        members: usize,
        /// A database URL (default: a fresh SQLite file in a temporary folder); a PostgreSQL
        /// server URL gets a fresh database.
        #[arg(long = "db")]
        db: Option<String>,
        /// Seconds of HTTP load per endpoint.
        #[arg(long, default_value_t = 10)]
        http_secs: u64,
        /// Concurrent HTTP connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Only the import figures (rate and peak memory of `tuanwu import`), without the raw
        /// baseline and the other figures: for tuning the import.
        #[arg(long)]
        import_only: bool,
        /// Only the hostile uploads of issue 16 (60 MB csv files, a 512 MiB-cell xlsx), each
        /// sent to a fresh `tuanwu serve` child whose peak memory is read.
        #[arg(long)]
        hostile: bool,
    },
    /// Copy the database (a consistent snapshot, also while the server runs), the uploaded files
    /// and the key (a separate file: keep it elsewhere) into a new directory, with a manifest.
    Backup {
        #[command(flatten)]
        common: Common,
        /// A new or empty directory.
        dir: std::path::PathBuf,
    },
    /// Put a backup made by `tuanwu backup` back (stop the server first).
    Restore {
        #[command(flatten)]
        common: Common,
        /// The backup directory.
        dir: std::path::PathBuf,
        /// The key file of the backup (default: KEY-keep-apart.key in the backup directory).
        #[arg(long)]
        key: Option<std::path::PathBuf>,
        /// Replace the data of a database or data directory that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// Load the demo data into an empty database and exit.
    Demo {
        #[command(flatten)]
        common: Common,
        /// How many members to generate.
        #[arg(long, default_value_t = 20_000)]
        members: usize,
    },
}

fn main() -> std::process::ExitCode {
    match start() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn start() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("启动运行时失败")?;
    runtime.block_on(run(cli))
}

async fn open(common: &Common) -> anyhow::Result<(Context, Settings)> {
    let settings = Settings::resolve(common.db.clone(), common.data_dir.clone(), None)?;
    let ctx = Context::open(tuanwu_app::Config {
        database_url: settings.database_url.clone(),
        data_dir: settings.data_dir.clone(),
        encryption_key: settings.key.clone(),
        root_password: std::env::var("TUANWU_ROOT_PASSWORD").ok(),
        clock: Clock::system(),
        policy: settings.policy.clone(),
    })
    .await
    .map_err(|e| anyhow::anyhow!("打开数据库失败：{e}"))?;
    if let Some(p) = &ctx.generated_root_password {
        println!("已创建系统管理员账号 root，初始密码：{p}");
        println!("（只显示这一次，请妥善保存；也可用环境变量 TUANWU_ROOT_PASSWORD 指定）");
    }
    Ok((ctx, settings))
}

async fn demo(ctx: &Context, members: usize) -> anyhow::Result<()> {
    let bar = ProgressBar::new(20);
    bar.set_style(
        ProgressStyle::with_template("演示数据 {bar:30} {pos}/{len} 个学院")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = tuanwu_app::demo::load(ctx, members, |done| bar.set_position(done as u64))
        .await
        .map_err(|e| anyhow::anyhow!("加载演示数据失败：{e}"))?;
    bar.finish_and_clear();
    println!(
        "已加载演示数据：{} 个组织，{} 名团员。演示账号（密码均为 {}）：",
        summary.orgs,
        summary.members,
        tuanwu_app::demo::DEMO_PASSWORD
    );
    for l in summary.logins {
        println!("  {:<14} {}  {}", l.login, l.role, l.org);
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate { common } => {
            let (_, settings) = open(&common).await?;
            println!(
                "数据库已是最新结构：{}",
                settings.database_url_for_display()
            );
        }
        Command::Backup { common, dir } => {
            let settings = Settings::resolve(common.db, common.data_dir, None)?;
            backup::create(&settings, &dir).await?;
        }
        Command::Restore {
            common,
            dir,
            key,
            force,
        } => {
            let settings = Settings::resolve(common.db, common.data_dir, None)?;
            backup::restore(&settings, &dir, key, force).await?;
        }
        Command::Demo { common, members } => {
            let (ctx, _) = open(&common).await?;
            demo(&ctx, members).await?;
        }
        Command::Import {
            common,
            file,
            mode,
            report,
            override_college,
        } => {
            let (ctx, _) = open(&common).await?;
            let result = transfer::import(&ctx, file, &mode, report, override_college).await;
            bench::print_peak_rss();
            result?;
        }
        Command::Export {
            common,
            org_id,
            sheet,
            per_branch,
            full,
            out,
        } => {
            let (ctx, _) = open(&common).await?;
            transfer::export(&ctx, org_id, &sheet, per_branch, full, out).await?;
        }
        Command::Bench { hostile: true, .. } => bench::hostile::run().await?,
        Command::Bench {
            members,
            db,
            http_secs,
            connections,
            import_only,
            hostile: false,
        } => {
            bench::run(bench::Args {
                members,
                db,
                http_secs,
                connections,
                import_only,
            })
            .await?;
        }
        Command::Serve {
            common,
            listen,
            demo: with_demo,
        } => {
            let (ctx, settings) = open(&common).await?;
            if with_demo {
                match demo(&ctx, 20_000).await {
                    Ok(()) => {}
                    Err(e) if e.to_string().contains("已有组织") => {
                        println!("数据库中已有数据，跳过演示数据。")
                    }
                    Err(e) => return Err(e),
                }
            }
            let listen = Settings::resolve_listen(listen, &settings);
            let addr: SocketAddr = listen
                .parse()
                .with_context(|| format!("监听地址无效：{listen}"))?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("无法监听 {addr}（端口被占用？可用 --listen 换一个）"))?;
            println!(
                "tuanwu 已启动：http://{addr}/   数据库：{}",
                settings.database_url_for_display()
            );
            // ACC-8: re-check pending and failed identities every policy.identity_recheck_minutes.
            let _identity_job = tuanwu_app::identity::job::spawn(ctx.clone());
            tuanwu_web::serve_with(listener, ctx, settings.server.clone(), async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
