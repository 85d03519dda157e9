//! MEM-1 … MEM-10: the members table, typed. Every member SQL statement is here: the reads an
//! actor makes take its `Scope`; the few look-ups that cannot (by resident-ID blind index, by
//! student or development number, the identity job) say why they are safe. All writes go
//! through `write` (one field mapping, every write moving the record's version).

pub mod imports;
mod list;
mod write;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::{Gender, Member, MemberStatus, PoliticalStatus};
use tuanwu_domain::{DomainError, MemberId, OrgId, YearMonth};

use crate::entity::member;
use crate::queries::in_subtree;
use crate::scope::Scope;

pub use list::{identity_counts, list, search, ListRow, Sort, Within};
pub use write::{insert, insert_many, insert_statement, update, BATCH};

use member::Column as M;

/// Lists, counts and look-ups for acting on a member see only records on the roll.
const ACTIVE: MemberStatus = MemberStatus::Active;

/// A stored value the domain does not know: the row is refused, not guessed.
fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("members.{column}: {}", e.message))
}

/// A stored row as the domain's record; other areas' reads that join members map theirs here too.
pub(crate) fn record(m: member::Model) -> Result<Member, DbErr> {
    Ok(Member {
        id: MemberId(m.id),
        org_id: OrgId(m.org_id),
        province_id: m.province_id.map(OrgId),
        name: m.name,
        resident_id_enc: m.resident_id_enc,
        gender: Gender::parse(&m.gender).map_err(|e| unknown("gender", e))?,
        ethnicity: m.ethnicity,
        birth_date: m.birth_date,
        joined_on: m
            .joined_on
            .parse::<YearMonth>()
            .map_err(|e| unknown("joined_on", e))?,
        development_no: m.development_no,
        student_no: m.student_no,
        admission_major: m.admission_major,
        actual_major: m.actual_major,
        native_place: m.native_place,
        education: m.education,
        political_status: PoliticalStatus::parse(&m.political_status)
            .map_err(|e| unknown("political_status", e))?,
        phone_enc: m.phone_enc,
        email: m.email,
        offline_managed: m.offline_managed,
        offline_note: m.offline_note,
        identity_check: IdentityCheck::parse(&m.identity_check)
            .map_err(|e| unknown("identity_check", e))?,
        identity_note: m.identity_note,
        identity_checked_at: m.identity_checked_at,
        status: MemberStatus::parse(&m.status).map_err(|e| unknown("status", e))?,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn one(m: Option<member::Model>) -> Result<Option<Member>, DbErr> {
    m.map(record).transpose()
}

/// ACC-1/ACC-2: an admin reaches the members of its subtree, a member only their own record.
fn visible(scope: Scope) -> Condition {
    match scope {
        Scope::OwnRecord { member, .. } => Condition::all().add(M::Id.eq(member.0)),
        Scope::Subtree(root) => Condition::all().add(in_subtree(M::OrgId, root.0)),
    }
}

/// A member record the scope reaches (whatever its status); anything else is `None`, like a
/// missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: MemberId,
) -> Result<Option<Member>, DbErr> {
    one(member::Entity::find_by_id(id.0)
        .filter(visible(scope))
        .one(c)
        .await?)
}

/// The member a record of another area names (a transfer, a request, a cadre post, a floating
/// record, an archive, an account). Unscoped because the caller reached that record through
/// the actor's scope (or is the member's own session) before asking; a member is never
/// reached by id from an address without `find`.
pub async fn of_record<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<Option<Member>, DbErr> {
    one(member::Entity::find_by_id(id.0).one(c).await?)
}

/// MEM-4 / ACC-3 / TRF-1: the holder of a resident ID, by its blind index. Unscoped because a
/// resident ID is unique across the country: entry must see a duplicate anywhere (and names its
/// org only to those whose scope reaches it), and login, registration, password reset and the
/// transfer look-up identify a person by the number they typed.
pub async fn by_resident_index<C: ConnectionTrait>(
    c: &C,
    index: Vec<u8>,
) -> Result<Option<Member>, DbErr> {
    one(member::Entity::find()
        .filter(M::ResidentIdIndex.eq(index))
        .one(c)
        .await?)
}

/// ACC-3: active members logging in with their student number. Unscoped because login comes
/// before any scope; the caller still checks the password of the one account it picks.
pub async fn by_student_no<C: ConnectionTrait>(
    c: &C,
    student_no: &str,
) -> Result<Vec<Member>, DbErr> {
    member::Entity::find()
        .filter(M::StudentNo.eq(student_no))
        .filter(M::Status.eq(ACTIVE.key()))
        .limit(10)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// MEM-10: the holder of a development number. Unscoped because the number is unique across
/// the country: a uniqueness check must see every holder (the caller shows no holder's data
/// outside its scope).
pub async fn by_development_no<C: ConnectionTrait>(
    c: &C,
    no: &str,
) -> Result<Option<Member>, DbErr> {
    one(member::Entity::find()
        .filter(M::DevelopmentNo.eq(no))
        .one(c)
        .await?)
}

/// TRF-12: how many other active members a branch has. The caller checked the branch's
/// member is in scope.
pub async fn others_in_branch<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    besides: MemberId,
) -> Result<u64, DbErr> {
    member::Entity::find()
        .filter(M::OrgId.eq(branch.0))
        .filter(M::Status.eq(ACTIVE.key()))
        .filter(M::Id.ne(besides.0))
        .count(c)
        .await
}

/// DAT-2: a branch's active members after `after` in id order, `limit` at a time (the export
/// streams them). The caller checked the branch is in the actor's scope.
pub async fn of_branch_after<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    after: MemberId,
    limit: u64,
) -> Result<Vec<Member>, DbErr> {
    member::Entity::find()
        .filter(M::OrgId.eq(branch.0))
        .filter(M::Status.eq(ACTIVE.key()))
        .filter(M::Id.gt(after.0))
        .order_by_asc(M::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Every member record after `after` in id order, `limit` at a time. Unscoped and only in the
/// test build: the demo's check walks the whole table (issue 17).
#[cfg(feature = "testing")]
pub async fn all_after<C: ConnectionTrait>(
    c: &C,
    after: MemberId,
    limit: u64,
) -> Result<Vec<Member>, DbErr> {
    member::Entity::find()
        .filter(M::Id.gt(after.0))
        .order_by_asc(M::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// ACC-8: active members still 待核验, or 未通过 by the verifier's word (its notes start with
/// `failed_note_prefix`; an admin's 未通过 is theirs to change), after `after_id` in id order
/// (the periodic re-check walks the table in batches). Unscoped: the job acts for the system
/// on every record and shows nothing to anyone.
pub async fn identity_candidates<C: ConnectionTrait>(
    c: &C,
    after: MemberId,
    limit: u64,
    failed_note_prefix: &str,
) -> Result<Vec<Member>, DbErr> {
    member::Entity::find()
        .filter(M::Status.eq(ACTIVE.key()))
        .filter(
            Condition::any()
                .add(M::IdentityCheck.eq(IdentityCheck::Pending.key()))
                .add(
                    Condition::all()
                        .add(M::IdentityCheck.eq(IdentityCheck::Failed.key()))
                        .add(M::IdentityNote.starts_with(failed_note_prefix)),
                ),
        )
        .filter(M::Id.gt(after.0))
        .order_by_asc(M::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// MEM-4 for an import batch: which of these blind indexes are on record, and in which
/// branch. Unscoped for the same reason as `by_resident_index`; the import names the branch
/// only when the importer's scope reaches it.
pub async fn branches_of_indexes<C: ConnectionTrait>(
    c: &C,
    indexes: Vec<Vec<u8>>,
) -> Result<Vec<(Vec<u8>, OrgId)>, DbErr> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(member::Entity::find()
        .select_only()
        .columns([M::ResidentIdIndex, M::OrgId])
        .filter(M::ResidentIdIndex.is_in(indexes))
        .into_tuple::<(Vec<u8>, i64)>()
        .all(c)
        .await?
        .into_iter()
        .map(|(ix, org)| (ix, OrgId(org)))
        .collect())
}

/// MEM-10 for an import batch: which of these development numbers are held. Unscoped for the
/// same reason as `by_development_no`.
pub async fn taken_development_nos<C: ConnectionTrait>(
    c: &C,
    numbers: Vec<String>,
) -> Result<Vec<String>, DbErr> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(member::Entity::find()
        .select_only()
        .column(M::DevelopmentNo)
        .filter(M::DevelopmentNo.is_in(numbers))
        .into_tuple::<Option<String>>()
        .all(c)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// The import's duplicate look-ups run per batch while the table grows inside its one
/// transaction. On PostgreSQL a generic plan picked while the table was small scans it
/// (measured: 1 s per look-up at 100,000 rows); planned afresh each time they use the unique
/// indexes. SQLite plans every statement afresh and needs nothing.
pub async fn prepare_bulk_checks<C: ConnectionTrait>(c: &C) -> Result<(), DbErr> {
    if c.get_database_backend() == sea_orm::DbBackend::Postgres {
        c.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    Ok(())
}
