//! Reading the file on a blocking thread and checking rows against the file and the database,
//! writing the good ones when asked.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tuanwu_sheets::members::{Column, Header, Problem};
use tuanwu_sheets::read::{self, CellValue};
use tuanwu_store::member::{self as members, BATCH};

use super::check::{check_row, named, problem, Branches, Checked};
use super::seen::FirstSeen;
use super::{Mode, Progress, Source, KEEP_PROBLEMS};
use crate::{Actor, AppError, Context};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tuanwu_domain::OrgId;
use tuanwu_store::WriteTx;

enum Batch {
    Header(Result<Vec<String>, Vec<&'static str>>),
    /// The rows, and the insert of all the good ones, made here so the database need not wait
    /// for it (it is used when none of them turns out a duplicate).
    Rows(Vec<Result<Checked, Vec<Problem>>>, Option<Statement>),
    Failed(String),
}

/// Reads and checks rows on a blocking thread, handing batches over a bounded channel. The
/// counter follows how far into the file the reader is, for progress.
fn spawn_reader(
    source: Source,
    branches: Arc<Branches>,
    cipher: tuanwu_store::Cipher,
    (today, now): (time::Date, time::OffsetDateTime),
    backend: DbBackend,
    may_override_college: bool,
    writing: Arc<AtomicBool>,
) -> (tokio::sync::mpsc::Receiver<Batch>, Arc<AtomicU64>) {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let position = Arc::new(AtomicU64::new(0));
    let at = position.clone();
    tokio::task::spawn_blocking(move || {
        let reader = match source.open(at) {
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
                let rows = std::mem::take(&mut batch);
                let insert = writing
                    .load(Ordering::Relaxed)
                    .then(|| prepare(backend, &cipher, now, &rows))
                    .flatten();
                return tx.blocking_send(Batch::Rows(rows, insert)).is_ok();
            }
            true
        });
        if !batch.is_empty() {
            let insert = writing
                .load(Ordering::Relaxed)
                .then(|| prepare(backend, &cipher, now, &batch))
                .flatten();
            let _ = tx.blocking_send(Batch::Rows(batch, insert));
        }
        if let Err(e) = result {
            let _ = tx.blocking_send(Batch::Failed(e.to_string()));
        }
        if header.is_none() {
            let _ = tx.blocking_send(Batch::Header(Err(vec!["姓名", "身份证号"])));
        }
    });
    (rx, position)
}

fn prepare(
    backend: DbBackend,
    cipher: &tuanwu_store::Cipher,
    now: time::OffsetDateTime,
    rows: &[Result<Checked, Vec<Problem>>],
) -> Option<Statement> {
    let mut good = rows.iter().filter_map(|r| r.as_ref().ok()).peekable();
    good.peek()?;
    Some(members::insert_statement(
        backend,
        cipher,
        now,
        good.map(|c| (&c.index[..], &c.member)),
    ))
}

#[derive(Default)]
pub(super) struct Tally {
    pub(super) total: u64,
    pub(super) added: u64,
    pub(super) skipped: u64,
    pub(super) error_rows: u64,
    pub(super) problems: Vec<Problem>,
    pub(super) truncated: bool,
    pub(super) unknown: Vec<String>,
    pub(super) fatal: Option<String>,
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

/// The one pass over the file: checks every row (in the file and against the database) and
/// writes the good ones in one transaction. In "all" mode the first bad row rolls back what was
/// written and releases the write lock; the rest of the file is only checked, so the report
/// still names every bad row. Returns the transaction still open when there is something to
/// commit.
pub(super) async fn pass(
    ctx: &Context,
    actor: &Actor,
    source: &Source,
    branches: &Arc<Branches>,
    may_override_college: bool,
    mode: Mode,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<(Tally, Option<WriteTx>), AppError> {
    let now = ctx.clock.now();
    // Cleared when "all or nothing" stops writing: the reader then stops preparing inserts.
    let writing = Arc::new(AtomicBool::new(true));
    let (mut rx, read) = spawn_reader(
        source.clone(),
        branches.clone(),
        ctx.cipher.clone(),
        (ctx.clock.today(), now),
        ctx.db.conn().get_database_backend(),
        may_override_college,
        writing.clone(),
    );
    let total_bytes = source.len();
    let mut t = Tally::default();
    let mut seen = Seen::default();
    let root = actor.admin_root()?;
    let mut tx = Some(ctx.db.write().await?);
    if let Some(tx) = &tx {
        members::prepare_bulk_checks(&**tx).await?;
    }
    while let Some(batch) = rx.recv().await {
        let (rows, insert) = match batch {
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
            Batch::Rows(rows, insert) => (rows, insert),
        };
        let checked_ok = rows.iter().filter(|r| r.is_ok()).count();
        let good = match &tx {
            Some(tx) => sort_batch(&**tx, root.0, rows, &mut seen, &mut t).await?,
            None => sort_batch(ctx.db.conn(), root.0, rows, &mut seen, &mut t).await?,
        };
        if mode == Mode::All && (t.error_rows > 0 || t.fatal.is_some()) {
            if let Some(tx) = tx.take() {
                writing.store(false, Ordering::Relaxed);
                tx.rollback().await?;
            }
        }
        match &tx {
            Some(tx) if !good.is_empty() => {
                // The reader's statement holds every row it checked good; it is used unless the
                // database turned some of them away as duplicates.
                let insert = match insert {
                    Some(insert) if good.len() == checked_ok => insert,
                    _ => members::insert_statement(
                        tx.get_database_backend(),
                        &ctx.cipher,
                        now,
                        good.iter().map(|c| (&c.index[..], &c.member)),
                    ),
                };
                t.added += tx.execute(insert).await?.rows_affected();
            }
            Some(_) => {}
            // Checking only: what would have been added.
            None => t.added += good.len() as u64,
        }
        progress(Progress {
            rows: t.total,
            bytes: read.load(Ordering::Relaxed),
            total_bytes,
        });
    }
    let keep = t.fatal.is_none() && t.added > 0 && (mode == Mode::Valid || t.error_rows == 0);
    match tx {
        Some(tx) if keep => Ok((t, Some(tx))),
        Some(tx) => {
            tx.rollback().await?;
            Ok((t, None))
        }
        None => Ok((t, None)),
    }
}

/// Rows seen so far, keyed compactly to keep a million-row file's memory small: the first 8
/// bytes of the keyed HMAC (a false match needs a 64-bit collision, ~1e-8 for 1M rows) and the
/// 12-digit number as an integer.
#[derive(Default)]
struct Seen {
    residents: FirstSeen,
    numbers: FirstSeen,
}

fn short(index: &[u8; 32]) -> u64 {
    u64::from_le_bytes([
        index[0], index[1], index[2], index[3], index[4], index[5], index[6], index[7],
    ])
}

/// Checks one batch against the file so far and the database; returns the rows to write and
/// tallies the rest.
async fn sort_batch<C: ConnectionTrait>(
    c: &C,
    root: i64,
    rows: Vec<Result<Checked, Vec<Problem>>>,
    seen: &mut Seen,
    t: &mut Tally,
) -> Result<Vec<Checked>, AppError> {
    let indexes: Vec<Vec<u8>> = rows
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.index.to_vec())
        .collect();
    let existing: HashMap<Vec<u8>, OrgId> = members::branches_of_indexes(c, indexes)
        .await?
        .into_iter()
        .collect();
    let numbers: Vec<String> = rows
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|r| r.member.development_no.as_ref())
        .map(|d| d.as_str().to_string())
        .collect();
    let taken: HashSet<String> = members::taken_development_nos(c, numbers)
        .await?
        .into_iter()
        .collect();
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
            if *org_id == r.member.branch {
                t.skipped += 1;
            } else {
                let visible =
                    tuanwu_store::org::contains(c, tuanwu_domain::OrgId(root), *org_id).await?;
                let msg = if visible {
                    "此人已在您管理范围内的另一团支部登记：一人只能有一条团员记录，如需调整请办理组织关系转接"
                } else {
                    "此人已在其他团组织登记（不在您的管理范围内）：请让本人办理组织关系转接，不要重复录入"
                };
                t.add(named(
                    vec![problem(r.row, Column::ResidentId, &rid_cell, msg)],
                    r.member.name.as_str(),
                ));
            }
            continue;
        }
        if let Some(first) = seen.residents.get(short(&r.index)) {
            t.add(named(
                vec![problem(
                    r.row,
                    Column::ResidentId,
                    &rid_cell,
                    format!("与第{first}行的身份证号重复：同一人只能导入一次，请删除重复的行"),
                )],
                r.member.name.as_str(),
            ));
            continue;
        }
        if let Some(no) = r.member.development_no.as_ref().map(|d| d.as_str()) {
            let no_cell = CellValue::Text(no.to_string());
            let key = no.parse::<u64>().unwrap_or(u64::MAX);
            if let Some(first) = seen.numbers.get(key) {
                t.add(named(
                    vec![problem(
                        r.row,
                        Column::DevelopmentNo,
                        &no_cell,
                        format!("与第{first}行的发展团员编号重复：请对照入团志愿书核对"),
                    )],
                    r.member.name.as_str(),
                ));
                continue;
            }
            if taken.contains(no) {
                t.add(named(vec![problem(r.row, Column::DevelopmentNo, &no_cell, "发展团员编号已被系统中其他团员占用：请对照入团志愿书核对；确认无误的，请单独录入此人，系统会提请省级团委核实")], r.member.name.as_str()));
                continue;
            }
            seen.numbers.insert(key, r.row as u32);
        }
        seen.residents.insert(short(&r.index), r.row as u32);
        good.push(r);
    }
    Ok(good)
}
