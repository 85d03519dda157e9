//! MEM-5 / DAT-1: importing members from a spreadsheet. The file is streamed twice at most
//! (check, then write) so memory stays bounded; every row is checked against the same rules as
//! a single entry; "all or nothing" writes nothing when any row is bad; "valid rows only"
//! writes the good ones; either way in one transaction, with a row-by-row report.

mod check;
mod pass;
mod report;

use std::io::{Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tuanwu_domain::DomainError;
use utoipa::ToSchema;

use check::Branches;
use pass::Tally;
use tuanwu_sheets::members as sheet;

use crate::audit::{self, Change};
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
            Some(other) => Err(DomainError::new("invalid_mode", format!("导入方式只能是 all（全部成功才写入）或 valid（只写入正确的行），不能是“{other}”")).field("mode")),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::Valid => "valid",
        }
    }
}

/// Where the file is: re-openable, because "all or nothing" reads it twice.
#[derive(Clone)]
pub enum Source {
    Bytes(Arc<Vec<u8>>),
    Path(PathBuf),
}

/// Uploaded bytes, shared between the two passes without copying.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

impl Source {
    fn open(&self) -> Result<Box<dyn ReadSeek>, AppError> {
        Ok(match self {
            Source::Bytes(b) => Box::new(Cursor::new(Shared(b.clone()))),
            Source::Path(p) => Box::new(std::io::BufReader::with_capacity(
                256 * 1024,
                std::fs::File::open(p).map_err(|e| {
                    AppError::Domain(DomainError::new(
                        "file_unreadable",
                        format!("无法打开文件：{e}"),
                    ))
                })?,
            )),
        })
    }
}

pub struct ImportInput {
    pub file_name: String,
    pub mode: Mode,
    /// MEM-5: a school admin may accept rows whose college differs from the branch's.
    pub override_college: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemView {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
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
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ImportReport, AppError> {
    actor.require(tuanwu_domain::account::Permission::Members)?;
    let root = actor.admin_root()?;
    let may_override_college = input.override_college
        && !matches!(actor.role_name.as_str(), "branch_admin" | "college_admin");
    if input.override_college && !may_override_college {
        return Err(AppError::forbidden(
            "只有校级及以上管理员可以允许学院不一致的导入（MEM-5）",
        ));
    }
    let branches = Arc::new(check::branches(ctx.db.conn(), root.0).await?);
    let (t, written) = match input.mode {
        Mode::All => {
            let checked = pass::pass(
                ctx,
                ctx.db.conn(),
                actor,
                &source,
                &branches,
                may_override_college,
                false,
                progress,
            )
            .await?;
            if checked.error_rows > 0 || checked.fatal.is_some() || checked.added == 0 {
                (checked, false)
            } else {
                write_pass(
                    ctx,
                    actor,
                    &source,
                    &branches,
                    may_override_college,
                    progress,
                    &input,
                )
                .await?
            }
        }
        Mode::Valid => {
            write_pass(
                ctx,
                actor,
                &source,
                &branches,
                may_override_college,
                progress,
                &input,
            )
            .await?
        }
    };
    report::save(ctx, actor, &input, t, written).await
}

/// The writing pass: one transaction; in "all" mode any problem found now (the database changed
/// since the check) rolls everything back.
async fn write_pass(
    ctx: &Context,
    actor: &Actor,
    source: &Source,
    branches: &Arc<Branches>,
    may_override_college: bool,
    progress: &(dyn Fn(u64) + Send + Sync),
    input: &ImportInput,
) -> Result<(Tally, bool), AppError> {
    let tx = ctx.db.write().await?;
    let mut t = pass::pass(
        ctx,
        &*tx,
        actor,
        source,
        branches,
        may_override_college,
        true,
        progress,
    )
    .await?;
    if t.fatal.is_some() || (input.mode == Mode::All && t.error_rows > 0) || t.added == 0 {
        t.added = 0;
        return Ok((t, false));
    }
    audit::record(
        ctx,
        &*tx,
        actor,
        Change::new("import", actor.org_id.0, "import").org(actor.org_id.0).after(serde_json::json!({
            "name": input.file_name, "added": t.added, "skipped": t.skipped, "error_rows": t.error_rows, "mode": input.mode.key(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok((t, true))
}

pub fn template() -> Result<Vec<u8>, AppError> {
    sheet::template().map_err(|e| AppError::Internal(e.to_string()))
}
