//! MEM-5 / DAT-1: importing members from a spreadsheet. The file is streamed twice at most
//! (check, then write) so memory stays bounded; every row is checked against the same rules as
//! a single entry; "all or nothing" writes nothing when any row is bad; "valid rows only"
//! writes the good ones; either way in one transaction, with a row-by-row report.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::Serialize;
use tuanwu_domain::age::{joining_status, JoiningStatus};
use tuanwu_domain::member::{
    parse_education, parse_email, parse_ethnicity, parse_person_name, parse_phone,
    parse_student_no, DevelopmentNo,
};
use tuanwu_domain::{DomainError, ResidentId};
use tuanwu_sheets::members::{self as sheet, Column, Header, Problem};
use tuanwu_sheets::read::{self, CellValue};
use tuanwu_store::entity::{import, member, org};
use tuanwu_store::queries::in_subtree;
use utoipa::ToSchema;

use super::bulk::{self, NewMember, BATCH};
use super::fields::DEFAULT_OFFLINE_NOTE;
use crate::audit::{self, Change};
use crate::{Actor, AppError, Context};

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

const KEEP_PROBLEMS: usize = 5_000;

#[derive(Clone)]
struct BranchInfo {
    id: i64,
    province_id: Option<i64>,
    college: Option<(String, Option<String>)>,
}

/// The importer's branches, by full name and by full path.
struct Branches {
    by_name: HashMap<String, Vec<BranchInfo>>,
    by_path: HashMap<String, BranchInfo>,
}

async fn branches<C: ConnectionTrait>(c: &C, root: i64) -> Result<Branches, AppError> {
    let all = org::Entity::find()
        .filter(in_subtree(org::Column::Id, root))
        .filter(org::Column::DeletedAt.is_null())
        .all(c)
        .await?;
    let colleges: HashMap<i64, (String, Option<String>)> = all
        .iter()
        .filter(|o| o.college_id == Some(o.id))
        .map(|o| (o.id, (o.name.clone(), o.short_name.clone())))
        .collect();
    let mut by_name: HashMap<String, Vec<BranchInfo>> = HashMap::new();
    let mut by_path = HashMap::new();
    for o in all.into_iter().filter(|o| o.kind == "branch") {
        let info = BranchInfo {
            id: o.id,
            province_id: o.province_id,
            college: o.college_id.and_then(|c| colleges.get(&c).cloned()),
        };
        by_path.insert(o.path.clone(), info.clone());
        by_name.entry(o.name).or_default().push(info);
    }
    Ok(Branches { by_name, by_path })
}

/// A row checked on its own (before duplicates are looked for).
struct Checked {
    row: usize,
    member: NewMember,
    index: [u8; 32],
}

/// A problem of one cell. Personal numbers are kept masked in the report (SYS-5): it is stored.
fn problem(row: usize, column: Column, cell: &CellValue, message: impl Into<String>) -> Problem {
    let text = sheet::text(cell);
    let value = match column {
        Column::ResidentId if text.chars().count() >= 8 => {
            tuanwu_domain::mask::mask_resident_id(&text)
        }
        Column::Phone if text.chars().count() >= 7 => tuanwu_domain::mask::mask_phone(&text),
        _ => text,
    };
    Problem {
        row,
        column: column.header().into(),
        value,
        message: message.into(),
    }
}

/// MEM-1/2/5 on one row: every problem of the row, not just the first.
fn check_row(
    header: &Header,
    row: usize,
    cells: &[CellValue],
    branches: &Branches,
    today: time::Date,
    may_override_college: bool,
) -> Result<NewMember, Vec<Problem>> {
    let mut problems = Vec::new();
    let cell = |c: Column| header.cell(cells, c);
    let mut take = |c: Column, r: Result<Option<String>, DomainError>| -> Option<String> {
        match r {
            Ok(v) => v,
            Err(e) => {
                problems.push(problem(row, c, cell(c), e.message));
                None
            }
        }
    };
    let name = take(
        Column::Name,
        parse_person_name(&sheet::text(cell(Column::Name))).map(Some),
    );
    let rid = take(
        Column::ResidentId,
        sheet::exact_text(cell(Column::ResidentId), Column::ResidentId)
            .and_then(|t| ResidentId::parse(&t, today).map(|r| Some(r.as_str().to_string()))),
    )
    .and_then(|r| ResidentId::parse(&r, today).ok());
    let ethnicity = take(
        Column::Ethnicity,
        parse_ethnicity(&sheet::text(cell(Column::Ethnicity))).map(Some),
    );
    let student_no = take(
        Column::StudentNo,
        sheet::exact_text(cell(Column::StudentNo), Column::StudentNo)
            .and_then(|t| parse_student_no(&t)),
    );
    let phone_text = sheet::exact_text(cell(Column::Phone), Column::Phone);
    let phone = take(
        Column::Phone,
        phone_text.and_then(|t| {
            if t.is_empty() {
                Ok(None)
            } else {
                parse_phone(&t, "phone").map(Some)
            }
        }),
    );
    let email_text = sheet::text(cell(Column::Email));
    let email = take(
        Column::Email,
        if email_text.is_empty() {
            Ok(None)
        } else {
            parse_email(&email_text).map(Some)
        },
    );
    let education_text = sheet::text(cell(Column::Education));
    let education = take(
        Column::Education,
        if education_text.is_empty() {
            Ok(None)
        } else {
            parse_education(&education_text).map(Some)
        },
    );
    let political_status = sheet::political_status(cell(Column::PoliticalStatus));
    if political_status == "invalid" {
        problems.push(problem(
            row,
            Column::PoliticalStatus,
            cell(Column::PoliticalStatus),
            "政治面貌只能填：共青团员、群众、中共预备党员、中共党员",
        ));
    }
    let joined_on = match sheet::year_month(cell(Column::JoinedOn)) {
        Ok(j) => Some(j),
        Err(e) => {
            problems.push(problem(
                row,
                Column::JoinedOn,
                cell(Column::JoinedOn),
                e.message,
            ));
            None
        }
    };
    let mut offline = false;
    let mut development_no = None;
    if let (Some(rid), Some(joined_on)) = (&rid, joined_on) {
        match joining_status(rid.birth_date(), joined_on, today) {
            Ok(s) => offline = s == JoiningStatus::OfflineManaged,
            Err(e) => problems.push(problem(
                row,
                Column::JoinedOn,
                cell(Column::JoinedOn),
                e.message,
            )),
        }
        let dev_text = sheet::exact_text(cell(Column::DevelopmentNo), Column::DevelopmentNo);
        match dev_text.and_then(|t| DevelopmentNo::for_join_date(Some(&t), joined_on)) {
            Ok(d) => development_no = d.map(|d| d.as_str().to_string()),
            Err(e) => problems.push(problem(
                row,
                Column::DevelopmentNo,
                cell(Column::DevelopmentNo),
                e.message,
            )),
        }
    }
    let branch_text = sheet::text(cell(Column::Branch));
    let branch = match branches.by_path.get(&branch_text) {
        Some(b) => Some(b.clone()),
        None => match branches.by_name.get(&branch_text).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some([_, _, ..]) => {
                problems.push(problem(row, Column::Branch, cell(Column::Branch), "您的管理范围内有多个同名团支部：请填写团支部的完整路径（如“某学院 / 某团支部”前的全部名称）"));
                None
            }
            _ => {
                let msg = if branch_text.is_empty() {
                    "请填写所在团支部的全称".to_string()
                } else {
                    format!("在您的管理范围内找不到团支部“{branch_text}”：请核对全称，或先在系统中建立该团支部")
                };
                problems.push(problem(row, Column::Branch, cell(Column::Branch), msg));
                None
            }
        },
    };
    let college_text = sheet::text(cell(Column::College));
    if let (Some(b), false) = (&branch, college_text.is_empty()) {
        let matches = b.college.as_ref().is_some_and(|(name, short)| {
            *name == college_text
                || short.as_deref() == Some(college_text.as_str())
                || (college_text.chars().count() >= 4 && name.contains(&college_text))
        });
        if !matches && !may_override_college {
            problems.push(problem(
                row,
                Column::College,
                cell(Column::College),
                "导入的团员所在学院必须跟此团支部所属分团委一致：请核对学院或团支部；确需跨学院导入的，请由校级管理员勾选“允许学院不一致”后导入（MEM-5）",
            ));
        }
    }
    let major = sheet::text(cell(Column::Major));
    let native_place = sheet::text(cell(Column::NativePlace));
    match (problems.is_empty(), name, rid, ethnicity, joined_on, branch) {
        (true, Some(name), Some(rid), Some(ethnicity), Some(joined_on), Some(b)) => Ok(NewMember {
            branch_id: b.id,
            province_id: b.province_id,
            name,
            resident_id: rid,
            ethnicity,
            joined_on,
            development_no,
            student_no,
            political_status,
            phone,
            email,
            admission_major: Some(major).filter(|m| !m.is_empty()),
            native_place: Some(native_place).filter(|n| !n.is_empty()),
            education,
            offline_managed: offline,
            offline_note: offline.then(|| DEFAULT_OFFLINE_NOTE.to_string()),
            identity_check: "pending",
        }),
        _ => Err(problems),
    }
}

enum Batch {
    Header(Result<Vec<String>, Vec<&'static str>>),
    Rows(Vec<Result<Checked, Vec<Problem>>>),
    Failed(String),
}

/// Reads and checks rows on a blocking thread, handing batches over a bounded channel.
fn spawn_reader(
    source: Source,
    branches: Arc<Branches>,
    cipher: tuanwu_store::Cipher,
    today: time::Date,
    may_override_college: bool,
) -> tokio::sync::mpsc::Receiver<Batch> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let reader = match source.open() {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.blocking_send(Batch::Failed(e.to_string()));
                return;
            }
        };
        let mut header: Option<Header> = None;
        let mut batch = Vec::with_capacity(BATCH);
        let result = read::rows(reader, |n, cells| {
            let Some(h) = &header else {
                if cells.iter().all(|c| *c == CellValue::Empty) {
                    return true;
                }
                return match Header::parse(&cells) {
                    Ok(h) => {
                        let unknown = h.unknown.clone();
                        header = Some(h);
                        tx.blocking_send(Batch::Header(Ok(unknown))).is_ok()
                    }
                    Err(missing) => {
                        let _ = tx.blocking_send(Batch::Header(Err(missing)));
                        false
                    }
                };
            };
            if cells.iter().all(|c| {
                matches!(c, CellValue::Empty)
                    || matches!(c, CellValue::Text(t) if t.trim().is_empty())
            }) {
                return true;
            }
            let checked =
                check_row(h, n, &cells, &branches, today, may_override_college).map(|member| {
                    let mut index = [0u8; 32];
                    index.copy_from_slice(&cipher.blind_index(member.resident_id.as_str())[..32]);
                    Checked {
                        row: n,
                        member,
                        index,
                    }
                });
            batch.push(checked);
            if batch.len() >= BATCH {
                return tx
                    .blocking_send(Batch::Rows(std::mem::take(&mut batch)))
                    .is_ok();
            }
            true
        });
        if !batch.is_empty() {
            let _ = tx.blocking_send(Batch::Rows(batch));
        }
        if let Err(e) = result {
            let _ = tx.blocking_send(Batch::Failed(e.to_string()));
        }
        if header.is_none() {
            let _ = tx.blocking_send(Batch::Header(Err(vec!["姓名", "身份证号"])));
        }
    });
    rx
}

#[derive(Default)]
struct Tally {
    total: u64,
    added: u64,
    skipped: u64,
    error_rows: u64,
    problems: Vec<Problem>,
    truncated: bool,
    unknown: Vec<String>,
    fatal: Option<String>,
}

impl Tally {
    fn add(&mut self, mut p: Vec<Problem>) {
        self.error_rows += 1;
        for x in p.drain(..) {
            if self.problems.len() < KEEP_PROBLEMS {
                self.problems.push(x);
            } else {
                self.truncated = true;
            }
        }
    }
}

/// One pass over the file: checks every row (in the file and against the database) and, when
/// `write` is set, inserts the good rows through `c`.
#[allow(clippy::too_many_arguments)]
async fn pass<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    source: &Source,
    branches: &Arc<Branches>,
    may_override_college: bool,
    write: bool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Tally, AppError> {
    let mut rx = spawn_reader(
        source.clone(),
        branches.clone(),
        ctx.cipher.clone(),
        ctx.clock.today(),
        may_override_college,
    );
    let mut t = Tally::default();
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    let mut seen_numbers: HashMap<String, usize> = HashMap::new();
    let root = actor.admin_root()?;
    let now = ctx.clock.now();
    while let Some(batch) = rx.recv().await {
        let rows = match batch {
            Batch::Header(Ok(unknown)) => {
                t.unknown = unknown;
                continue;
            }
            Batch::Header(Err(missing)) => {
                t.fatal.get_or_insert(format!(
                    "第一行缺少必需的列：{}。请使用导入模板，列名须与模板一致",
                    missing.join("、")
                ));
                continue;
            }
            Batch::Failed(e) => {
                t.fatal.get_or_insert(e);
                continue;
            }
            Batch::Rows(rows) => rows,
        };
        let indexes: Vec<Vec<u8>> = rows
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.index.to_vec())
            .collect();
        let existing: HashMap<Vec<u8>, i64> = if indexes.is_empty() {
            HashMap::new()
        } else {
            member::Entity::find()
                .select_only()
                .columns([member::Column::ResidentIdIndex, member::Column::OrgId])
                .filter(member::Column::ResidentIdIndex.is_in(indexes))
                .into_tuple::<(Vec<u8>, i64)>()
                .all(c)
                .await?
                .into_iter()
                .collect()
        };
        let numbers: Vec<String> = rows
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter_map(|r| r.member.development_no.clone())
            .collect();
        let taken: HashSet<String> = if numbers.is_empty() {
            HashSet::new()
        } else {
            member::Entity::find()
                .select_only()
                .column(member::Column::DevelopmentNo)
                .filter(member::Column::DevelopmentNo.is_in(numbers))
                .into_tuple::<Option<String>>()
                .all(c)
                .await?
                .into_iter()
                .flatten()
                .collect()
        };
        let mut good = Vec::new();
        for r in rows {
            t.total += 1;
            let r = match r {
                Ok(r) => r,
                Err(p) => {
                    t.add(p);
                    continue;
                }
            };
            let rid_cell = CellValue::Text(r.member.resident_id.masked());
            if let Some(org_id) = existing.get(r.index.as_slice()) {
                if *org_id == r.member.branch_id {
                    t.skipped += 1;
                } else {
                    let visible = tuanwu_store::queries::org::contains(c, root.0, *org_id).await?;
                    let msg = if visible {
                        "此人已在您管理范围内的另一团支部登记：一人只能有一条团员记录，如需调整请办理组织关系转接"
                    } else {
                        "此人已在其他团组织登记（不在您的管理范围内）：请让本人办理组织关系转接，不要重复录入"
                    };
                    t.add(vec![problem(r.row, Column::ResidentId, &rid_cell, msg)]);
                }
                continue;
            }
            if let Some(first) = seen.get(&r.index) {
                t.add(vec![problem(
                    r.row,
                    Column::ResidentId,
                    &rid_cell,
                    format!("与第{first}行的身份证号重复：同一人只能导入一次，请删除重复的行"),
                )]);
                continue;
            }
            if let Some(no) = &r.member.development_no {
                let no_cell = CellValue::Text(no.clone());
                if let Some(first) = seen_numbers.get(no) {
                    t.add(vec![problem(
                        r.row,
                        Column::DevelopmentNo,
                        &no_cell,
                        format!("与第{first}行的发展团员编号重复：请对照入团志愿书核对"),
                    )]);
                    continue;
                }
                if taken.contains(no) {
                    t.add(vec![problem(r.row, Column::DevelopmentNo, &no_cell, "发展团员编号已被系统中其他团员占用：请对照入团志愿书核对；确认无误的，请单独录入此人，系统会提请省级团委核实（MEM-10）")]);
                    continue;
                }
                seen_numbers.insert(no.clone(), r.row);
            }
            seen.insert(r.index, r.row);
            good.push(r.member);
        }
        if write && !good.is_empty() {
            t.added += bulk::insert(c, &ctx.cipher, now, &good).await?.len() as u64;
        } else if !write {
            t.added += good.len() as u64;
        }
        progress(t.total);
    }
    Ok(t)
}

pub async fn import(
    ctx: &Context,
    actor: &Actor,
    source: Source,
    input: ImportInput,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ImportReport, AppError> {
    let root = actor.admin_root()?;
    let may_override_college = input.override_college
        && !matches!(actor.role_name.as_str(), "branch_admin" | "college_admin");
    if input.override_college && !may_override_college {
        return Err(AppError::forbidden(
            "只有校级及以上管理员可以允许学院不一致的导入（MEM-5）",
        ));
    }
    let branches = Arc::new(branches(ctx.db.conn(), root.0).await?);
    let (t, written) = match input.mode {
        Mode::All => {
            let checked = pass(
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
    save(ctx, actor, &input, t, written).await
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
    let mut t = pass(
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

async fn save(
    ctx: &Context,
    actor: &Actor,
    input: &ImportInput,
    t: Tally,
    written: bool,
) -> Result<ImportReport, AppError> {
    let added = if written { t.added } else { 0 };
    let message = match (&t.fatal, written, input.mode) {
        (Some(f), _, _) => f.clone(),
        (None, true, _) => format!(
            "已导入{added}名团员；{}行已存在被跳过；{}行有问题未导入。",
            t.skipped, t.error_rows
        ),
        (None, false, Mode::All) if t.error_rows > 0 => {
            format!("有{}行存在问题，按“全部成功才写入”方式，本次没有写入任何数据：请按报告修改后重新导入。", t.error_rows)
        }
        (None, false, _) if t.skipped > 0 && t.error_rows == 0 => {
            format!("文件中的{}名团员均已在系统中，没有新增。", t.skipped)
        }
        (None, false, _) => "没有可以导入的行：请检查文件内容。".into(),
    };
    let problems: Vec<ProblemView> = t
        .problems
        .into_iter()
        .map(|p| ProblemView {
            row: p.row,
            column: p.column,
            value: p.value,
            message: p.message,
        })
        .collect();
    let report = serde_json::json!({ "problems": problems, "unknown_columns": t.unknown, "truncated": t.truncated, "message": message });
    let saved = import::ActiveModel {
        account_id: Set(actor.account.0),
        org_id: Set(actor.org_id.0),
        file_name: Set(input.file_name.chars().take(255).collect()),
        mode: Set(input.mode.key().into()),
        total_rows: Set(t.total as i64),
        added: Set(added as i64),
        skipped: Set(t.skipped as i64),
        error_rows: Set(t.error_rows as i64),
        written: Set(written),
        report: Set(report.to_string()),
        created_at: Set(ctx.clock.now()),
        ..Default::default()
    }
    .insert(ctx.db.conn())
    .await?;
    Ok(ImportReport {
        id: saved.id,
        file_name: input.file_name.clone(),
        mode: input.mode.key().into(),
        total_rows: t.total,
        added,
        skipped_existing: t.skipped,
        error_rows: t.error_rows,
        written,
        unknown_columns: t.unknown,
        problems,
        problems_truncated: t.truncated,
        message,
    })
}

/// A saved report, for the importer or admins above the importing org.
pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<ImportReport, AppError> {
    let m = import::Entity::find_by_id(id)
        .one(ctx.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if m.account_id != actor.account.0 {
        actor
            .ensure_in_scope(ctx.db.conn(), tuanwu_domain::OrgId(m.org_id))
            .await?;
    }
    let r: serde_json::Value = serde_json::from_str(&m.report).unwrap_or_default();
    let problems = serde_json::from_value::<Vec<serde_json::Value>>(r["problems"].clone())
        .unwrap_or_default()
        .into_iter()
        .map(|p| ProblemView {
            row: p["row"].as_u64().unwrap_or(0) as usize,
            column: p["column"].as_str().unwrap_or_default().into(),
            value: p["value"].as_str().unwrap_or_default().into(),
            message: p["message"].as_str().unwrap_or_default().into(),
        })
        .collect();
    Ok(ImportReport {
        id: m.id,
        file_name: m.file_name,
        mode: m.mode,
        total_rows: m.total_rows as u64,
        added: m.added as u64,
        skipped_existing: m.skipped as u64,
        error_rows: m.error_rows as u64,
        written: m.written,
        unknown_columns: serde_json::from_value(r["unknown_columns"].clone()).unwrap_or_default(),
        problems,
        problems_truncated: r["truncated"].as_bool().unwrap_or(false),
        message: r["message"].as_str().unwrap_or_default().into(),
    })
}

/// The report as an xlsx.
pub async fn report_xlsx(
    ctx: &Context,
    actor: &Actor,
    id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let r = get(ctx, actor, id).await?;
    let problems: Vec<Problem> = r
        .problems
        .iter()
        .map(|p| Problem {
            row: p.row,
            column: p.column.clone(),
            value: p.value.clone(),
            message: p.message.clone(),
        })
        .collect();
    let bytes =
        sheet::report(&problems, &r.message).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("导入结果-{}.xlsx", r.id), bytes))
}

pub fn template() -> Result<Vec<u8>, AppError> {
    sheet::template().map_err(|e| AppError::Internal(e.to_string()))
}
