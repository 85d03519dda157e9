//! FLT-1 … FLT-5: the floating records and their contact log, typed. Reads that an actor makes
//! take their `Scope`; a stored state or destination the domain does not know is an error,
//! never a default.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Select, Set,
};
use time::Date;
use tuanwu_domain::floating::{
    Contact, FloatingRecord, FloatingStatus, NewContact, NewFloating, Step,
};
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::{DomainError, FloatingId, MemberId, OrgId, TransferId};

use crate::entity::{floating_contact, floating_record, graduation_exception, transfer};
use crate::queries::{in_subtree, Page};
use crate::scope::Scope;

use floating_record::Column as F;

const KEPT: [FloatingStatus; 2] = [FloatingStatus::Active, FloatingStatus::Suspended];

fn keys(states: &[FloatingStatus]) -> Vec<&'static str> {
    states.iter().map(|s| s.key()).collect()
}

/// A stored value the domain does not know: the row is refused, not guessed.
fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("floating_records.{column}: {}", e.message))
}

fn record(m: floating_record::Model) -> Result<FloatingRecord, DbErr> {
    Ok(FloatingRecord {
        id: FloatingId(m.id),
        member: MemberId(m.member_id),
        transfer: TransferId(m.transfer_id),
        branch: OrgId(m.branch_id),
        status: FloatingStatus::parse(&m.status).map_err(|e| unknown("status", e))?,
        destination: Destination::parse(&m.destination).map_err(|e| unknown("destination", e))?,
        reason: m.reason,
        details_enc: m.details_enc,
        remarks: m.remarks,
        entered_on: m.entered_on,
        deadline: m.deadline,
        extended: m.extended,
        extension_reason: m.extension_reason,
        last_contact_on: m.last_contact_on,
        suspended_on: m.suspended_on,
        closed_on: m.closed_on,
        created_at: m.created_at,
    })
}

fn records(rows: Vec<floating_record::Model>) -> Result<Vec<FloatingRecord>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// FLT-3: admins whose subtree holds the floating branch; members reach no floating record.
fn visible(scope: Scope) -> Option<Condition> {
    scope
        .root()
        .map(|root| Condition::all().add(in_subtree(F::BranchId, root.0)))
}

/// A record the scope may see; anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: FloatingId,
) -> Result<Option<FloatingRecord>, DbErr> {
    let Some(visible) = visible(scope) else {
        return Ok(None);
    };
    floating_record::Entity::find_by_id(id.0)
        .filter(visible)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// The list filters (FLT-3, FLT-4), with the dates they are measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Active and suspended.
    Kept,
    /// Active, the deadline between `today` and `until`.
    Approaching {
        today: Date,
        until: Date,
    },
    /// Active, the deadline before `today`.
    Overdue {
        today: Date,
    },
    /// Kept, the last contact (or the entry) on or before `silent_since`: a step may be due.
    Silent {
        silent_since: Date,
    },
    Pending,
    All,
}

fn filtered(root: OrgId, org: OrgId, f: Filter) -> Select<floating_record::Entity> {
    let q = floating_record::Entity::find()
        .filter(in_subtree(F::BranchId, root.0))
        .filter(in_subtree(F::BranchId, org.0));
    let active = FloatingStatus::Active.key();
    match f {
        Filter::Kept => q.filter(F::Status.is_in(keys(&KEPT))),
        Filter::Approaching { today, until } => q
            .filter(F::Status.eq(active))
            .filter(F::Deadline.gte(today))
            .filter(F::Deadline.lte(until)),
        Filter::Overdue { today } => q.filter(F::Status.eq(active)).filter(F::Deadline.lt(today)),
        Filter::Silent { silent_since } => q.filter(F::Status.is_in(keys(&KEPT))).filter(
            Condition::any()
                .add(F::LastContactOn.lte(silent_since))
                .add(
                    Condition::all()
                        .add(F::LastContactOn.is_null())
                        .add(F::EnteredOn.lte(silent_since)),
                ),
        ),
        Filter::Pending => q.filter(F::Status.eq(FloatingStatus::Pending.key())),
        Filter::All => q,
    }
}

/// One page of the records in the floating branches of `org`'s subtree that the scope sees,
/// soonest deadline first, and how many match.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    org: OrgId,
    filter: Filter,
    page: Page,
) -> Result<(Vec<FloatingRecord>, u64), DbErr> {
    let Some(root) = scope.root() else {
        return Ok((Vec::new(), 0));
    };
    let q = filtered(root, org, filter);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(F::Deadline)
        .order_by_asc(F::Id)
        .paginate(c, page.per_page)
        .fetch_page(page.page - 1)
        .await?;
    Ok((records(rows)?, total))
}

/// SYS-2: the kept records of these floating branches, soonest deadline first. The caller
/// passes its own org and the orgs directly below it, all inside its scope.
pub async fn kept_in<C: ConnectionTrait>(
    c: &C,
    branches: &[OrgId],
) -> Result<Vec<FloatingRecord>, DbErr> {
    records(
        floating_record::Entity::find()
            .filter(F::BranchId.is_in(branches.iter().map(|b| b.0)))
            .filter(F::Status.is_in(keys(&KEPT)))
            .order_by_asc(F::Deadline)
            .all(c)
            .await?,
    )
}

/// FLT-2 / DAT-2: the 汇总表 rows of `org` — not yet closed, in its floating branches or
/// started from its branches (a school-level floating branch sits above the college). The
/// caller checked `org` is in scope.
pub async fn of_report<C: ConnectionTrait>(
    c: &C,
    org: OrgId,
) -> Result<Vec<FloatingRecord>, DbErr> {
    let started_here = Query::select()
        .column(transfer::Column::Id)
        .from(transfer::Entity)
        .and_where(in_subtree(transfer::Column::SourceOrgId, org.0))
        .to_owned();
    records(
        floating_record::Entity::find()
            .filter(
                Condition::any()
                    .add(in_subtree(F::BranchId, org.0))
                    .add(F::TransferId.in_subquery(started_here)),
            )
            .filter(F::Status.is_in(keys(&[
                FloatingStatus::Pending,
                FloatingStatus::Active,
                FloatingStatus::Suspended,
            ])))
            .order_by_asc(F::Id)
            .all(c)
            .await?,
    )
}

/// GRD-4: the member is marked as a delayed graduate (an exception not revoked). The caller is
/// starting a transfer of a member it has already read through its scope.
pub async fn delayed_graduate<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<bool, DbErr> {
    Ok(graduation_exception::Entity::find()
        .filter(graduation_exception::Column::MemberId.eq(member.0))
        .filter(graduation_exception::Column::RevokedAt.is_null())
        .count(c)
        .await?
        > 0)
}

/// FLT-2: the record a transfer into a floating branch carries, pending until it is approved.
pub async fn insert<C: ConnectionTrait>(c: &C, r: NewFloating) -> Result<FloatingRecord, DbErr> {
    let row = floating_record::ActiveModel {
        member_id: Set(r.member.0),
        transfer_id: Set(r.transfer.0),
        branch_id: Set(r.branch.0),
        status: Set(FloatingStatus::Pending.key().into()),
        destination: Set(r.destination.key().into()),
        reason: Set(r.reason),
        details_enc: Set(r.details_enc),
        remarks: Set(r.remarks),
        extended: Set(false),
        created_at: Set(r.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// The transfer `by` completed: the member's other kept stays end (they left the floating
/// branch) on `on`.
pub async fn leave<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    by: TransferId,
    on: Date,
) -> Result<(), DbErr> {
    floating_record::Entity::update_many()
        .col_expr(F::Status, Expr::value(FloatingStatus::Left.key()))
        .col_expr(F::ClosedOn, Expr::value(on))
        .filter(F::MemberId.eq(member.0))
        .filter(F::TransferId.ne(by.0))
        .filter(F::Status.is_in(keys(&KEPT)))
        .exec(c)
        .await?;
    Ok(())
}

/// FLT-3: the transfer into the floating branch was approved: the stay starts `on`, until
/// `deadline`.
pub async fn enter<C: ConnectionTrait>(
    c: &C,
    transfer: TransferId,
    on: Date,
    deadline: Date,
) -> Result<(), DbErr> {
    floating_record::Entity::update_many()
        .col_expr(F::Status, Expr::value(FloatingStatus::Active.key()))
        .col_expr(F::EnteredOn, Expr::value(on))
        .col_expr(F::Deadline, Expr::value(deadline))
        .filter(F::TransferId.eq(transfer.0))
        .filter(F::Status.eq(FloatingStatus::Pending.key()))
        .exec(c)
        .await?;
    Ok(())
}

/// The transfer was rejected or withdrawn: its pending record is cancelled.
pub async fn cancel<C: ConnectionTrait>(c: &C, transfer: TransferId) -> Result<(), DbErr> {
    floating_record::Entity::update_many()
        .col_expr(F::Status, Expr::value(FloatingStatus::Cancelled.key()))
        .filter(F::TransferId.eq(transfer.0))
        .filter(F::Status.eq(FloatingStatus::Pending.key()))
        .exec(c)
        .await?;
    Ok(())
}

/// FLT-3: the one extension; false when it was extended meanwhile.
pub async fn extend<C: ConnectionTrait>(
    c: &C,
    id: FloatingId,
    reason: String,
    deadline: Date,
) -> Result<bool, DbErr> {
    let done = floating_record::Entity::update_many()
        .col_expr(F::Extended, Expr::value(true))
        .col_expr(F::ExtensionReason, Expr::value(reason))
        .col_expr(F::Deadline, Expr::value(deadline))
        .filter(F::Id.eq(id.0))
        .filter(F::Extended.eq(false))
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}

/// FLT-4: logs a contact; the newest contact date is the record's last contact.
pub async fn add_contact<C: ConnectionTrait>(c: &C, k: NewContact) -> Result<(), DbErr> {
    let on = k.contacted_on;
    floating_contact::ActiveModel {
        record_id: Set(k.record.0),
        contacted_on: Set(on),
        note: Set(k.note),
        recorded_by: Set(k.recorded_by.0),
        created_at: Set(k.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    floating_record::Entity::update_many()
        .col_expr(F::LastContactOn, Expr::value(on))
        .filter(F::Id.eq(k.record.0))
        .filter(
            Condition::any()
                .add(F::LastContactOn.is_null())
                .add(F::LastContactOn.lt(on)),
        )
        .exec(c)
        .await?;
    Ok(())
}

/// The contact log of a record, newest first. The caller has read the record through its scope.
pub async fn contacts<C: ConnectionTrait>(c: &C, id: FloatingId) -> Result<Vec<Contact>, DbErr> {
    Ok(floating_contact::Entity::find()
        .filter(floating_contact::Column::RecordId.eq(id.0))
        .order_by_desc(floating_contact::Column::ContactedOn)
        .all(c)
        .await?
        .into_iter()
        .map(|k| Contact {
            contacted_on: k.contacted_on,
            note: k.note,
        })
        .collect())
}

/// FLT-4: a confirmed step moves the record from `from` (dated `on`) only if it is still
/// `from`: false when another admin confirmed first.
pub async fn take_step<C: ConnectionTrait>(
    c: &C,
    id: FloatingId,
    from: FloatingStatus,
    step: Step,
    on: Date,
) -> Result<bool, DbErr> {
    let dated = match step {
        Step::Suspend => F::SuspendedOn,
        Step::Remove => F::ClosedOn,
    };
    let done = floating_record::Entity::update_many()
        .col_expr(F::Status, Expr::value(step.leads_to().key()))
        .col_expr(dated, Expr::value(on))
        .filter(F::Id.eq(id.0))
        .filter(F::Status.eq(from.key()))
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}
