//! MEM-5 / DAT-1: importing members from a spreadsheet. The file is streamed once, so memory
//! stays bounded; every row is checked against the same rules as a single entry and written in
//! one transaction; "all or nothing" rolls back at the first bad row and only checks the rest;
//! "valid rows only" writes the good ones; either way with a row-by-row report.

mod board;
mod check;
mod pass;
mod report;
mod seen;

pub use board::{parse_key, ProgressBoard};

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tuanwu_domain::DomainError;
use utoipa::ToSchema;

use tuanwu_sheets::members as sheet;

use crate::audit::{self, AuditAction, Change};
use crate::{Actor, AppError, Context};

pub use report::{get, report_xlsx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One bad row → nothing written (the default).
    All,
    /// Write the good rows, report the bad ones.
    Valid,
}

impl Mode {
    pub fn parse(s: Option<&str>) -> Result<Self, DomainError> {
        match s.map(str::trim) {
            None | Some("") | Some("all") => Ok(Mode::All),
            Some("valid") => Ok(Mode::Valid),
            Some(other) => Err(DomainError::new(
                "invalid_mode",
                format!(
                    "导入方式只能是 all（{}）或 valid（{}），不能是“{other}”",
                    Mode::All.label(),
                    Mode::Valid.label()
                ),
            )
            .field("mode")),
        }
    }

    /// The one wording of each mode, on the page, in the CLI's help and the API's docs.
    pub fn label(self) -> &'static str {
        match self {
            Mode::All => "全部正确才导入",
            Mode::Valid => "只导入正确的行",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::Valid => "valid",
        }
    }
}

/// Where the file is.
#[derive(Clone)]
pub enum Source {
    Bytes(Arc<Vec<u8>>),
    Path(PathBuf),
    /// One of the above, read until the import is cancelled or out of time (made by [`import`]
    /// itself: callers pass `Bytes` or `Path`).
    Stoppable(Box<Source>, Stop),
}

/// Stops the reading thread of an import: set when the import is dropped (its client went
/// away) or past its deadline. The reader checks it on every chunk it reads, so a stopped import
/// costs at most one more chunk of work.
#[derive(Clone)]
pub struct Stop {
    cancelled: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Stop {
    fn new(limit: Option<Duration>) -> Self {
        Self {
            cancelled: Arc::new(AtomicBool::new(false)),
            deadline: limit.map(|l| Instant::now() + l),
        }
    }

    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn stopped(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || self.out_of_time()
    }
}

/// Cancels the reader when the import ends in any way, including being dropped mid-way.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Uploaded bytes, shared with the reading thread without copying.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// Passes reads through, publishes how far into the file the reader is, and fails once the
/// import is stopped.
struct Tracked<R> {
    inner: R,
    at: Arc<AtomicU64>,
    stop: Option<Stop>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.as_ref().is_some_and(Stop::stopped) {
            return Err(std::io::Error::other("导入已停止"));
        }
        let n = self.inner.read(buf)?;
        self.at.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Tracked<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let p = self.inner.seek(pos)?;
        self.at.store(p, Ordering::Relaxed);
        Ok(p)
    }
}

impl Source {
    fn open(&self, at: Arc<AtomicU64>) -> Result<Box<dyn ReadSeek>, AppError> {
        self.open_until(at, None)
    }

    fn open_until(
        &self,
        at: Arc<AtomicU64>,
        stop: Option<Stop>,
    ) -> Result<Box<dyn ReadSeek>, AppError> {
        Ok(match self {
            Source::Bytes(b) => Box::new(Tracked {
                inner: Cursor::new(Shared(b.clone())),
                at,
                stop,
            }),
            Source::Path(p) => Box::new(std::io::BufReader::with_capacity(
                256 * 1024,
                Tracked {
                    inner: std::fs::File::open(p).map_err(|e| {
                        AppError::Domain(DomainError::new(
                            "file_unreadable",
                            format!("无法打开文件：{e}"),
                        ))
                    })?,
                    at,
                    stop,
                },
            )),
            Source::Stoppable(inner, stop) => inner.open_until(at, Some(stop.clone()))?,
        })
    }

    /// The file's size in bytes (0 when it cannot be read; the reader then reports why).
    fn len(&self) -> u64 {
        match self {
            Source::Bytes(b) => b.len() as u64,
            Source::Path(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Stoppable(inner, _) => inner.len(),
        }
    }
}

/// How far an import has got: rows checked so far, and the reader's place in the file.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Progress {
    pub rows: u64,
    pub bytes: u64,
    pub total_bytes: u64,
}

impl Progress {
    /// 0.0…1.0 of the file read (unknown sizes count as not started).
    pub fn fraction(&self) -> f64 {
        if self.total_bytes == 0 {
            0.0
        } else {
            (self.bytes as f64 / self.total_bytes as f64).min(1.0)
        }
    }
}

pub struct ImportInput {
    pub file_name: String,
    pub mode: Mode,
    /// MEM-5: a school admin may accept rows whose college differs from the branch's.
    pub override_college: bool,
    /// Publish progress on `Context::imports` under this key (a page polls it).
    pub progress_key: Option<String>,
    /// Stop, write nothing and answer `import_timeout` past this (`[import] time_limit_secs`
    /// for uploads; none for the operator's command line).
    pub time_limit: Option<Duration>,
}

fn out_of_time(limit: Duration) -> AppError {
    AppError::Domain(DomainError::new(
        "import_timeout",
        format!(
            "导入超过了{}秒的时间限制，已经停止，没有写入任何数据：请把文件拆分成几个较小的文件分别导入，或请系统管理员用 tuanwu import 命令导入",
            limit.as_secs()
        ),
    ).field("file"))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemView {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    /// The 姓名 of that row as typed (empty when the cell is).
    pub name: String,
    pub column: String,
    pub value: String,
    /// What is wrong and what to do.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub id: i64,
    pub file_name: String,
    /// `all` | `valid`.
    pub mode: String,
    /// 全部正确才导入 | 只导入正确的行.
    pub mode_label: String,
    /// Data rows read (the header not counted).
    pub total_rows: u64,
    pub added: u64,
    /// Rows of people already in the same branch (a re-imported file adds nothing).
    pub skipped_existing: u64,
    pub error_rows: u64,
    /// Whether anything was written.
    pub written: bool,
    pub unknown_columns: Vec<String>,
    pub problems: Vec<ProblemView>,
    /// More problems than the report keeps (the first 5,000 are listed).
    pub problems_truncated: bool,
    pub message: String,
}

pub(super) const KEEP_PROBLEMS: usize = 5_000;

pub async fn import(
    ctx: &Context,
    actor: &Actor,
    source: Source,
    input: ImportInput,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<ImportReport, AppError> {
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let root = actor.admin_root()?;
    let may_override_college = input.override_college && !actor.role_name().works_branches();
    if input.override_college && !may_override_college {
        return Err(AppError::forbidden(
            "只有校级及以上管理员可以允许学院不一致的导入",
        ));
    }
    let branches = Arc::new(check::branches(ctx.db.conn(), actor.scope(), root).await?);
    let on_board = input
        .progress_key
        .as_deref()
        .map(|k| ctx.imports.enter(actor.account().0, k, source.len()));
    let publish = |p: Progress| {
        if let Some(entry) = &on_board {
            entry.update(p);
        }
        progress(p);
    };
    let stop = Stop::new(input.time_limit);
    // However this future ends — finished, failed, out of time, or dropped because the client
    // went away — the reading thread stops at its next chunk; a dropped write transaction rolls
    // back, and the report below is saved only by an import that ran to its end.
    let _cancel = CancelOnDrop(stop.cancelled.clone());
    let source = Source::Stoppable(Box::new(source), stop.clone());
    let run = pass::pass(
        ctx,
        actor,
        &source,
        &branches,
        may_override_college,
        input.mode,
        &publish,
    );
    let (t, tx) = match input.time_limit {
        Some(limit) => tokio::time::timeout(limit, run)
            .await
            .map_err(|_| out_of_time(limit))??,
        None => run.await?,
    };
    if let (true, Some(limit)) = (stop.out_of_time(), input.time_limit) {
        if let Some(tx) = tx {
            tx.rollback().await?;
        }
        return Err(out_of_time(limit));
    }
    drop(on_board);
    let written = match tx {
        Some(tx) => {
            audit::record(
                ctx,
                &*tx,
                actor,
                Change::new(AuditAction::ImportMembers, actor.org_id().0).org(actor.org_id().0).after(serde_json::json!({
                    "name": input.file_name, "added": t.added, "skipped": t.skipped, "error_rows": t.error_rows, "mode": input.mode.key(),
                })),
            )
            .await?;
            tx.commit().await?;
            true
        }
        None => false,
    };
    report::save(ctx, actor, &input, t, written).await
}

pub fn template() -> Result<Vec<u8>, AppError> {
    sheet::template().map_err(|e| AppError::Internal(e.to_string()))
}
