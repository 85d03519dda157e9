//! What members' archives look like to readers: per-kind status (ARC-1), the uploads with their
//! review state, and league identity certification (ARC-4).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::archive::{
    league_identity, status_of, Archive, ArchiveKind, ArchiveStatus, LeagueIdentity, UploadState,
};
use tuanwu_domain::file::StoredFile;
use tuanwu_domain::{FileId, MemberId, YearMonth};
use tuanwu_store::archive as store;
use utoipa::ToSchema;

use super::rules::ArchiveActions;
use crate::audit::format_time;
use crate::file::FileView;
use crate::{Actor, AppError, Context, Scope};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    /// `pending` | `approved` | `rejected` | `superseded` | `withdrawn`.
    pub status: String,
    pub status_label: String,
    /// How the state reads at a glance (the page's tag colour).
    #[serde(skip)]
    pub tone: crate::tone::Tone,
    /// The archive currently in force for its kind.
    pub in_force: bool,
    pub file: Option<FileView>,
    pub request_id: Option<i64>,
    pub uploaded_at: String,
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindStatus {
    pub kind: String,
    pub kind_label: String,
    /// ARC-1: `missing` | `pending` | `approved` | `rejected`.
    pub status: String,
    pub status_label: String,
    /// How the state reads at a glance (the page's tag colour).
    #[serde(skip)]
    pub tone: crate::tone::Tone,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberArchivesView {
    pub member_id: i64,
    /// One entry per kind: 入团申请书, 入团志愿书.
    pub kinds: Vec<KindStatus>,
    /// ARC-4: `certified` | `uncertified` | `not_required`.
    pub league_identity: String,
    pub league_identity_label: String,
    /// Every upload, newest first.
    pub uploads: Vec<ArchiveView>,
    /// What the viewer may do now, each checked again by the action itself.
    pub actions: ArchiveActions,
}

/// ARC-1 per kind, from the uploads of one member.
fn kind_statuses(rows: &[Archive]) -> [(ArchiveKind, ArchiveStatus); 2] {
    ArchiveKind::ALL_PAIR.map(|k| {
        let states: Vec<UploadState> = rows
            .iter()
            .filter(|r| r.kind == k)
            .map(|r| r.status)
            .collect();
        (k, status_of(&states))
    })
}

/// ARC-1 for list pages: member id → (入团申请书, 入团志愿书) status, one query for the page.
pub async fn status_summaries<C: ConnectionTrait>(
    c: &C,
    member_ids: &[i64],
) -> Result<HashMap<i64, [(ArchiveKind, ArchiveStatus); 2]>, AppError> {
    if member_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<MemberId> = member_ids.iter().copied().map(MemberId).collect();
    let mut by_member: HashMap<i64, Vec<Archive>> = HashMap::new();
    for r in store::of_members(c, &ids).await? {
        by_member.entry(r.member.0).or_default().push(r);
    }
    Ok(member_ids
        .iter()
        .map(|id| {
            let rows = by_member.get(id).map(Vec::as_slice).unwrap_or(&[]);
            (*id, kind_statuses(rows))
        })
        .collect())
}

/// ARC-4 for one member, as transfers (TRF-7) check it.
pub async fn league_identity_of<C: ConnectionTrait>(
    c: &C,
    member_id: i64,
    joined: YearMonth,
) -> Result<LeagueIdentity, AppError> {
    let statuses = status_summaries(c, &[member_id]).await?;
    let form = statuses
        .get(&member_id)
        .map(|s| s[1].1)
        .unwrap_or(ArchiveStatus::Missing);
    Ok(league_identity(joined, form))
}

/// Admins in scope of the member's branch, and the member themself.
pub async fn archives_of(
    ctx: &Context,
    actor: &Actor,
    member: MemberId,
) -> Result<MemberArchivesView, AppError> {
    let c = ctx.db.conn();
    let m = tuanwu_store::member::of_record(c, member)
        .await?
        .filter(|m| m.is_active())
        .ok_or(AppError::NotFound)?;
    match actor.scope() {
        Scope::OwnRecord { member: own, .. } if own == member => {}
        Scope::OwnRecord { .. } => return Err(AppError::NotFound),
        Scope::Subtree(_) => ctx.ensure_in_scope(actor, m.org_id).await?,
    }
    let rows = store::of_member(c, actor.scope(), member).await?;
    let files: HashMap<FileId, StoredFile> = store::files_of(c, &rows)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let statuses = kind_statuses(&rows);
    let identity = league_identity(m.joined_on, statuses[1].1);
    Ok(MemberArchivesView {
        member_id: m.id.0,
        kinds: statuses
            .iter()
            .map(|(k, s)| KindStatus {
                kind: k.key().into(),
                kind_label: k.label().into(),
                status: s.key().into(),
                status_label: s.label().into(),
                tone: (*s).into(),
            })
            .collect(),
        league_identity: identity.key().into(),
        league_identity_label: identity.label().into(),
        uploads: rows
            .into_iter()
            .map(|r| ArchiveView {
                id: r.id.0,
                kind: r.kind.key().into(),
                kind_label: r.kind.label().into(),
                status: r.status.key().into(),
                status_label: r.status.label().into(),
                tone: r.status.into(),
                in_force: r.status.in_force(),
                file: files.get(&r.file).cloned().map(FileView::from),
                request_id: r.request.map(|q| q.0),
                uploaded_at: format_time(r.created_at),
                decided_at: r.decided_at.map(format_time),
            })
            .collect(),
        actions: ArchiveActions::of(actor),
    })
}
