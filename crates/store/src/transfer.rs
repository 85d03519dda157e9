//! TRF-1 … TRF-13: the transfers table, typed. Reads that an actor makes take their `Scope`;
//! a stored state or kind the domain does not know is an error, never a default.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::org::ExternalSystem;
use tuanwu_domain::transfer::{
    Decision, Initiator, NewTransfer, Transfer, TransferKind, TransferReason, TransferStatus,
};
use tuanwu_domain::{AccountId, DomainError, FileId, MemberId, OrgId, TransferId};

use crate::entity::{member, transfer};
use crate::queries::{in_subtree, Page};
use crate::scope::Scope;

use transfer::Column as T;

/// A stored value the domain does not know: the row is refused, not guessed.
fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("transfers.{column}: {}", e.message))
}

fn record(m: transfer::Model) -> Result<Transfer, DbErr> {
    Ok(Transfer {
        id: TransferId(m.id),
        member: MemberId(m.member_id),
        kind: TransferKind::parse(&m.kind).map_err(|e| unknown("kind", e))?,
        status: TransferStatus::parse(&m.status).map_err(|e| unknown("status", e))?,
        initiator: Initiator::parse(&m.initiator).map_err(|e| unknown("initiator", e))?,
        initiator_account: m.initiator_account_id.map(AccountId),
        initiator_name: m.initiator_name,
        source_org: OrgId(m.source_org_id),
        target_org: m.target_org_id.map(OrgId),
        assigned_branch: m.assigned_branch_id.map(OrgId),
        external_system: m
            .external_system
            .as_deref()
            .map(ExternalSystem::parse)
            .transpose()
            .map_err(|e| unknown("external_system", e))?,
        special_destination: m.special_destination,
        reason: TransferReason::parse(&m.reason).map_err(|e| unknown("reason", e))?,
        note: m.note,
        decision_reason: m.decision_reason,
        archives_checked: m.archives_checked,
        proof_file: m.proof_file_id.map(FileId),
        created_at: m.created_at,
        decided_at: m.decided_at,
        decided_by: m.decided_by.map(AccountId),
    })
}

fn records(rows: Vec<transfer::Model>) -> Result<Vec<Transfer>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// TRF-8: the member sees their own; an admin sees those whose source, target or assigned
/// branch is in the subtree (both sides, and the province above a special-unit transfer).
fn visible(scope: Scope) -> Condition {
    match scope {
        Scope::OwnRecord { member, .. } => Condition::all().add(T::MemberId.eq(member.0)),
        Scope::Subtree(root) => Condition::any()
            .add(in_subtree(T::SourceOrgId, root.0))
            .add(arriving(root)),
    }
}

/// Into the subtree: the target or the branch the member was placed in is inside it.
fn arriving(root: OrgId) -> Condition {
    Condition::any()
        .add(in_subtree(T::TargetOrgId, root.0))
        .add(in_subtree(T::AssignedBranchId, root.0))
}

/// A transfer the scope may see; anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: TransferId,
) -> Result<Option<Transfer>, DbErr> {
    transfer::Entity::find_by_id(id.0)
        .filter(visible(scope))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// TRF-2: the member's active transfer, for the one-at-a-time check (whoever started it).
pub async fn active_of<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Option<Transfer>, DbErr> {
    transfer::Entity::find()
        .filter(T::ActiveMemberId.eq(member.0))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// A member's transfers, newest first. The caller has checked the member is in scope.
pub async fn of_member<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
) -> Result<Vec<Transfer>, DbErr> {
    records(
        transfer::Entity::find()
            .filter(T::MemberId.eq(member.0))
            .order_by_desc(T::Id)
            .all(c)
            .await?,
    )
}

/// Which side of the viewer's subtree a listed transfer touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the subtree.
    Out,
    /// Into it (target or assigned branch).
    In,
}

/// A member search inside a transfer list: part of the name, the student number, or the blind
/// index of a resident ID.
#[derive(Debug, Clone, Default)]
pub struct MemberMatch {
    pub text: String,
    pub resident_index: Option<Vec<u8>>,
}

/// The filters of the transfer list (TRF-8), already parsed into the domain's types.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub direction: Option<Direction>,
    /// Only active ones (pending or awaiting a report).
    pub active: bool,
    pub status: Option<TransferStatus>,
    pub initiator: Option<Initiator>,
    pub reason: Option<TransferReason>,
    pub kind: Option<TransferKind>,
    pub started_from: Option<OffsetDateTime>,
    pub started_before: Option<OffsetDateTime>,
    pub member: Option<MemberMatch>,
}

fn filtered(scope: Scope, f: &Filter) -> Select<transfer::Entity> {
    let mut q = transfer::Entity::find();
    q = match (scope, f.direction) {
        (Scope::Subtree(root), Some(Direction::Out)) => {
            q.filter(in_subtree(T::SourceOrgId, root.0))
        }
        (Scope::Subtree(root), Some(Direction::In)) => q.filter(arriving(root)),
        _ => q.filter(visible(scope)),
    };
    if f.active {
        q = q.filter(T::ActiveMemberId.is_not_null());
    }
    if let Some(s) = f.status {
        q = q.filter(T::Status.eq(s.key()));
    }
    if let Some(i) = f.initiator {
        q = q.filter(T::Initiator.eq(i.key()));
    }
    if let Some(r) = f.reason {
        q = q.filter(T::Reason.eq(r.key()));
    }
    if let Some(k) = f.kind {
        q = q.filter(T::Kind.eq(k.key()));
    }
    if let Some(from) = f.started_from {
        q = q.filter(T::CreatedAt.gte(from));
    }
    if let Some(before) = f.started_before {
        q = q.filter(T::CreatedAt.lt(before));
    }
    if let Some(m) = &f.member {
        let mut who = Condition::any()
            .add(Expr::col(member::Column::Name).like(format!("%{}%", m.text)))
            .add(Expr::col(member::Column::StudentNo).eq(m.text.as_str()));
        if let Some(index) = &m.resident_index {
            who = who.add(Expr::col(member::Column::ResidentIdIndex).eq(index.clone()));
        }
        q = q.filter(
            T::MemberId.in_subquery(
                Query::select()
                    .column(member::Column::Id)
                    .from(member::Entity)
                    .cond_where(who)
                    .to_owned(),
            ),
        );
    }
    q
}

/// One page of the transfers the scope may see, newest first, and how many match.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    filter: &Filter,
    page: Page,
) -> Result<(Vec<Transfer>, u64), DbErr> {
    let q = filtered(scope, filter);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_desc(T::Id)
        .paginate(c, page.per_page)
        .fetch_page(page.page - 1)
        .await?;
    Ok((records(rows)?, total))
}

/// SYS-2: active transfers that may wait for `org`: it is their source or target, or they go to
/// a special unit (decided by a province). The caller keeps those whose pending org is `org`.
pub async fn waiting_near<C: ConnectionTrait>(c: &C, org: OrgId) -> Result<Vec<Transfer>, DbErr> {
    records(
        transfer::Entity::find()
            .filter(T::ActiveMemberId.is_not_null())
            .filter(
                Condition::any()
                    .add(T::TargetOrgId.eq(org.0))
                    .add(T::SourceOrgId.eq(org.0))
                    .add(T::Kind.eq(TransferKind::SpecialUnit.key())),
            )
            .order_by_asc(T::Id)
            .limit(500)
            .all(c)
            .await?,
    )
}

/// Writes a new active transfer. Two starts for one member at the same instant: the unique
/// index on `active_member_id` lets one through and the other gets a unique violation.
pub async fn insert<C: ConnectionTrait>(c: &C, t: NewTransfer) -> Result<Transfer, DbErr> {
    let row = transfer::ActiveModel {
        member_id: Set(t.member.0),
        active_member_id: Set(Some(t.member.0)),
        kind: Set(t.kind.key().into()),
        status: Set(t.kind.first_status().key().into()),
        initiator: Set(t.initiator.key().into()),
        initiator_account_id: Set(Some(t.initiator_account.0)),
        initiator_name: Set(t.initiator_name),
        source_org_id: Set(t.source_org.0),
        target_org_id: Set(t.target_org.map(|o| o.0)),
        external_system: Set(t.external_system.map(|e| e.key().into())),
        special_destination: Set(t.special_destination),
        reason: Set(t.reason.key().into()),
        note: Set(t.note),
        archives_checked: Set(false),
        created_at: Set(t.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// Moves `from` → `to` only if the transfer is still `from`: false when another decision won
/// the race. A decision (not a withdrawal) records who decided, when, and a rejection's reason.
pub async fn transition<C: ConnectionTrait>(
    c: &C,
    id: TransferId,
    from: TransferStatus,
    to: TransferStatus,
    decision: Option<Decision>,
) -> Result<bool, DbErr> {
    let mut q = transfer::Entity::update_many()
        .col_expr(T::Status, Expr::value(to.key()))
        .filter(T::Id.eq(id.0))
        .filter(T::Status.eq(from.key()));
    if !to.is_active() {
        q = q.col_expr(T::ActiveMemberId, Expr::value(Option::<i64>::None));
    }
    if let Some(d) = decision {
        q = q
            .col_expr(T::DecidedAt, Expr::value(d.at))
            .col_expr(T::DecidedBy, Expr::value(d.by.0));
        if let Some(reason) = d.reason {
            q = q.col_expr(T::DecisionReason, Expr::value(reason));
        }
    }
    Ok(q.exec(c).await?.rows_affected == 1)
}

/// TRF-4: the branch the approver placed the member in, with the archives checked.
pub async fn place<C: ConnectionTrait>(c: &C, id: TransferId, branch: OrgId) -> Result<(), DbErr> {
    transfer::Entity::update_many()
        .col_expr(T::AssignedBranchId, Expr::value(branch.0))
        .col_expr(T::ArchivesChecked, Expr::value(true))
        .filter(T::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// TRF-9: the proof of the member's report to the external system.
pub async fn attach_proof<C: ConnectionTrait>(
    c: &C,
    id: TransferId,
    file: FileId,
) -> Result<(), DbErr> {
    transfer::Entity::update_many()
        .col_expr(T::ProofFileId, Expr::value(file.0))
        .filter(T::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// TRF-13: the transfer a letter is issued for, its row locked (a no-op update) so that two
/// committees issuing for it at once queue, and the second sees the first's letter. The caller
/// checks the source is in scope.
pub async fn lock<C: ConnectionTrait>(c: &C, id: TransferId) -> Result<Option<Transfer>, DbErr> {
    transfer::Entity::update_many()
        .col_expr(T::ArchivesChecked, Expr::col(T::ArchivesChecked).into())
        .filter(T::Id.eq(id.0))
        .exec(c)
        .await?;
    transfer::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// The org a transfer left from (for a floating record the caller has already read).
pub async fn source_of<C: ConnectionTrait>(c: &C, id: TransferId) -> Result<Option<OrgId>, DbErr> {
    Ok(transfer::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(|t| OrgId(t.source_org_id)))
}

/// TRF-6: the 转往特殊单位汇总表 rows — special-unit transfers from the subtree of `root`,
/// pending or completed, oldest first.
pub async fn special_units_from<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
) -> Result<Vec<Transfer>, DbErr> {
    records(
        transfer::Entity::find()
            .filter(in_subtree(T::SourceOrgId, root.0))
            .filter(T::Kind.eq(TransferKind::SpecialUnit.key()))
            .filter(T::Status.is_in([
                TransferStatus::Pending.key(),
                TransferStatus::Completed.key(),
            ]))
            .order_by_asc(T::Id)
            .all(c)
            .await?,
    )
}
