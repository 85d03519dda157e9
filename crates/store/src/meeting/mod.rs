//! MTG-1, MTG-2: the meeting tables, typed. Reads an actor makes take their `Scope`; a stored
//! kind the domain does not know is an error, never a default.

mod compliance;
mod roster;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Select, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::meeting::{Attendee, Meeting, MeetingChange, MeetingKind, NewMeeting};
use tuanwu_domain::{AccountId, FileId, MeetingId, MemberId, OrgId};

use crate::entity::{meeting, meeting_attendee, meeting_file};
use crate::queries::{in_subtree, Page};
use crate::scope::Scope;

pub use compliance::{branch_counts, set_targets, targets_for, targets_of, BranchCount};
pub use roster::{left, roster};

use meeting::Column as M;

fn record(
    m: meeting::Model,
    attendees: Vec<meeting_attendee::Model>,
    files: Vec<meeting_file::Model>,
) -> Result<Meeting, DbErr> {
    Ok(Meeting {
        id: MeetingId(m.id),
        org: OrgId(m.org_id),
        kind: MeetingKind::parse(&m.kind)
            .map_err(|e| DbErr::Type(format!("meetings.kind: {}", e.message)))?,
        started_at: m.started_at,
        place: m.place,
        topic: m.topic,
        content: m.content,
        presenter: m.presenter,
        recorder: m.recorder,
        speaker: m.speaker,
        invitees: m.invitees,
        group_id: m.group_id,
        attendees: attendees
            .into_iter()
            .map(|a| Attendee {
                member: MemberId(a.member_id),
                name: a.name,
                present: a.present,
                absence_reason: a.absence_reason,
            })
            .collect(),
        files: files.into_iter().map(|f| FileId(f.file_id)).collect(),
        created_by: AccountId(m.created_by),
        created_at: m.created_at,
        updated_at: m.updated_at,
        deleted: m.deleted_at.is_some(),
    })
}

/// An admin sees the meetings of the branches in their subtree; members reach none.
fn visible(scope: Scope) -> Condition {
    match scope {
        Scope::Subtree(root) => Condition::all().add(in_subtree(M::OrgId, root.0)),
        Scope::OwnRecord { .. } => Condition::all().add(Expr::val(1).eq(0)),
    }
}

/// The attendee and file rows of `ids`, grouped per meeting in `ids`' order.
async fn details<C: ConnectionTrait>(
    c: &C,
    rows: Vec<meeting::Model>,
) -> Result<Vec<Meeting>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut attendees = meeting_attendee::Entity::find()
        .filter(meeting_attendee::Column::MeetingId.is_in(ids.clone()))
        .all(c)
        .await?;
    // Roster order is the order they were written in; the name orders within a meeting.
    attendees.sort_by(|a, b| (a.meeting_id, &a.name).cmp(&(b.meeting_id, &b.name)));
    let files = meeting_file::Entity::find()
        .filter(meeting_file::Column::MeetingId.is_in(ids))
        .order_by_asc(meeting_file::Column::FileId)
        .all(c)
        .await?;
    rows.into_iter()
        .map(|m| {
            let a = attendees
                .iter()
                .filter(|a| a.meeting_id == m.id)
                .cloned()
                .collect();
            let f = files
                .iter()
                .filter(|f| f.meeting_id == m.id)
                .cloned()
                .collect();
            record(m, a, f)
        })
        .collect()
}

/// A meeting record the scope may see, deleted ones included (`deleted` says so: restoring
/// needs them); anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: MeetingId,
) -> Result<Option<Meeting>, DbErr> {
    let Some(row) = meeting::Entity::find_by_id(id.0)
        .filter(visible(scope))
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    Ok(details(c, vec![row]).await?.pop())
}

/// The filters of a meeting list, already parsed into the domain's types.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The org whose meetings are listed.
    pub org: OrgId,
    /// Its whole subtree, not only its own.
    pub subtree: bool,
    pub kind: Option<MeetingKind>,
    pub from: Option<OffsetDateTime>,
    pub before: Option<OffsetDateTime>,
    /// Deleted records instead of live ones (the level above restores from them).
    pub deleted: bool,
}

fn filtered(scope: Scope, f: &Filter) -> Select<meeting::Entity> {
    let mut q = meeting::Entity::find().filter(visible(scope));
    q = if f.subtree {
        q.filter(in_subtree(M::OrgId, f.org.0))
    } else {
        q.filter(M::OrgId.eq(f.org.0))
    };
    q = if f.deleted {
        q.filter(M::DeletedAt.is_not_null())
    } else {
        q.filter(M::DeletedAt.is_null())
    };
    if let Some(k) = f.kind {
        q = q.filter(M::Kind.eq(k.key()));
    }
    if let Some(from) = f.from {
        q = q.filter(M::StartedAt.gte(from));
    }
    if let Some(before) = f.before {
        q = q.filter(M::StartedAt.lt(before));
    }
    q
}

/// One page of the meetings the scope may see, newest first, and how many match.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    filter: &Filter,
    page: Page,
) -> Result<(Vec<Meeting>, u64), DbErr> {
    let q = filtered(scope, filter);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_desc(M::StartedAt)
        .order_by_desc(M::Id)
        .paginate(c, page.per_page)
        .fetch_page(page.page - 1)
        .await?;
    Ok((details(c, rows).await?, total))
}

/// Every matching meeting, oldest first (the year's register sheet; a branch holds some tens).
pub async fn all<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    filter: &Filter,
) -> Result<Vec<Meeting>, DbErr> {
    let rows = filtered(scope, filter)
        .order_by_asc(M::StartedAt)
        .order_by_asc(M::Id)
        .all(c)
        .await?;
    details(c, rows).await
}

async fn write_lines<C: ConnectionTrait>(
    c: &C,
    id: i64,
    attendees: &[Attendee],
    files: &[FileId],
) -> Result<(), DbErr> {
    if !attendees.is_empty() {
        meeting_attendee::Entity::insert_many(attendees.iter().map(|a| {
            meeting_attendee::ActiveModel {
                meeting_id: Set(id),
                member_id: Set(a.member.0),
                name: Set(a.name.clone()),
                present: Set(a.present),
                absence_reason: Set(a.absence_reason.clone()),
            }
        }))
        .exec(c)
        .await?;
    }
    if !files.is_empty() {
        meeting_file::Entity::insert_many(files.iter().map(|f| meeting_file::ActiveModel {
            meeting_id: Set(id),
            file_id: Set(f.0),
        }))
        .exec(c)
        .await?;
    }
    Ok(())
}

/// Writes a checked record with its attendees and attachments.
pub async fn insert<C: ConnectionTrait>(c: &C, m: NewMeeting) -> Result<Meeting, DbErr> {
    let row = meeting::ActiveModel {
        org_id: Set(m.org.0),
        kind: Set(m.kind.key().into()),
        started_at: Set(m.started_at),
        place: Set(m.place),
        topic: Set(m.topic),
        content: Set(m.content),
        presenter: Set(m.presenter),
        recorder: Set(m.recorder),
        speaker: Set(m.speaker),
        invitees: Set(m.invitees),
        group_id: Set(m.group_id),
        created_by: Set(m.created_by.0),
        created_at: Set(m.created_at),
        updated_at: Set(m.created_at),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    write_lines(c, row.id, &m.attendees, &m.files).await?;
    details(c, vec![row])
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("meetings: the row just written".into()))
}

/// MTG-2: rewrites a live record's fields, attendees and attachments; false when it was deleted
/// meanwhile (the use case answers 409).
pub async fn update<C: ConnectionTrait>(
    c: &C,
    id: MeetingId,
    m: MeetingChange,
    at: OffsetDateTime,
) -> Result<bool, DbErr> {
    let changed = meeting::Entity::update_many()
        .col_expr(M::Kind, Expr::value(m.kind.key()))
        .col_expr(M::StartedAt, Expr::value(m.started_at))
        .col_expr(M::Place, Expr::value(m.place))
        .col_expr(M::Topic, Expr::value(m.topic))
        .col_expr(M::Content, Expr::value(m.content))
        .col_expr(M::Presenter, Expr::value(m.presenter))
        .col_expr(M::Recorder, Expr::value(m.recorder))
        .col_expr(M::Speaker, Expr::value(m.speaker))
        .col_expr(M::Invitees, Expr::value(m.invitees))
        .col_expr(M::GroupId, Expr::value(m.group_id))
        .col_expr(M::UpdatedAt, Expr::value(at))
        .filter(M::Id.eq(id.0))
        .filter(M::DeletedAt.is_null())
        .exec(c)
        .await?
        .rows_affected
        == 1;
    if !changed {
        return Ok(false);
    }
    meeting_attendee::Entity::delete_many()
        .filter(meeting_attendee::Column::MeetingId.eq(id.0))
        .exec(c)
        .await?;
    meeting_file::Entity::delete_many()
        .filter(meeting_file::Column::MeetingId.eq(id.0))
        .exec(c)
        .await?;
    write_lines(c, id.0, &m.attendees, &m.files).await?;
    Ok(true)
}

/// MTG-2: soft-deletes (`deleted` true) or restores a record; false when it was already in that
/// state (another admin was first).
pub async fn set_deleted<C: ConnectionTrait>(
    c: &C,
    id: MeetingId,
    deleted: bool,
    at: OffsetDateTime,
) -> Result<bool, DbErr> {
    let q = meeting::Entity::update_many()
        .col_expr(M::UpdatedAt, Expr::value(at))
        .filter(M::Id.eq(id.0));
    let q = if deleted {
        q.col_expr(M::DeletedAt, Expr::value(at))
            .filter(M::DeletedAt.is_null())
    } else {
        q.col_expr(M::DeletedAt, Expr::value(Option::<OffsetDateTime>::None))
            .filter(M::DeletedAt.is_not_null())
    };
    Ok(q.exec(c).await?.rows_affected == 1)
}

/// The files attached to a meeting, in upload order. The caller has already read the meeting
/// through its scope.
pub async fn files_of<C: ConnectionTrait>(
    c: &C,
    id: MeetingId,
) -> Result<Vec<tuanwu_domain::file::StoredFile>, DbErr> {
    let links = meeting_file::Entity::find()
        .filter(meeting_file::Column::MeetingId.eq(id.0))
        .all(c)
        .await?;
    crate::entity::file::Entity::find()
        .filter(crate::entity::file::Column::Id.is_in(links.iter().map(|l| l.file_id)))
        .order_by_asc(crate::entity::file::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(crate::file::record)
        .collect()
}

/// ARC-5 for meeting attachments: whether a meeting the scope may see holds the file (a live
/// or deleted record alike, as the record itself is shown to the same people).
pub async fn holds_file<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    file: FileId,
) -> Result<bool, DbErr> {
    let links = meeting_file::Entity::find()
        .filter(meeting_file::Column::FileId.eq(file.0))
        .all(c)
        .await?;
    if links.is_empty() {
        return Ok(false);
    }
    let n = meeting::Entity::find()
        .filter(visible(scope))
        .filter(M::Id.is_in(links.iter().map(|l| l.meeting_id)))
        .count(c)
        .await?;
    Ok(n > 0)
}

/// A record's kind, start and topic, deleted records included. Unscoped: the audit log names
/// the records of entries (a term change's linked meetings) already read through the reader's
/// scope.
pub async fn heading_of<C: ConnectionTrait>(
    c: &C,
    id: MeetingId,
) -> Result<Option<(MeetingKind, OffsetDateTime, String)>, DbErr> {
    let Some(m) = meeting::Entity::find_by_id(id.0).one(c).await? else {
        return Ok(None);
    };
    let kind = MeetingKind::parse(&m.kind)
        .map_err(|e| DbErr::Type(format!("meetings.kind: {}", e.message)))?;
    Ok(Some((kind, m.started_at, m.topic)))
}
