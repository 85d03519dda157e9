use sea_orm::sea_query::{Expr, JoinType, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use tuanwu_domain::archive::{ArchiveKind, PRECEDENCE};

use super::{in_subtree, Page};
use crate::entity::{member, org, org_closure};

/// One row of a member list: the listed columns, the branch's name and each archive kind's best
/// upload (its rank in `archive::PRECEDENCE`), read in one statement: a page is one round trip.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ListRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub resident_id_enc: Vec<u8>,
    pub gender: String,
    pub birth_date: time::Date,
    pub joined_on: String,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub political_status: String,
    pub phone_enc: Option<Vec<u8>>,
    pub offline_managed: bool,
    pub identity_check: String,
    pub application_letter_rank: Option<i64>,
    pub admission_form_rank: Option<i64>,
}

/// The best rank among a member's uploads of one kind; the keys are the domain's constants.
fn archive_rank(kind: ArchiveKind) -> SimpleExpr {
    let cases: String = PRECEDENCE
        .iter()
        .enumerate()
        .map(|(i, (state, _))| format!(" WHEN '{}' THEN {i}", state.key()))
        .collect();
    Expr::cust(format!(
        "(SELECT CAST(MIN(CASE a.status{cases} END) AS BIGINT) FROM archives a WHERE a.member_id = members.id AND a.kind = '{}')",
        kind.key()
    ))
}

async fn list_rows<C: ConnectionTrait>(
    c: &C,
    q: Select<member::Entity>,
    sort: Sort,
    page: Page,
) -> Result<Vec<ListRow>, DbErr> {
    use member::Column as M;
    sorted(q, sort)
        .select_only()
        .columns([
            M::Id,
            M::OrgId,
            M::Name,
            M::ResidentIdEnc,
            M::Gender,
            M::BirthDate,
            M::JoinedOn,
            M::DevelopmentNo,
            M::StudentNo,
            M::PoliticalStatus,
            M::PhoneEnc,
            M::OfflineManaged,
            M::IdentityCheck,
        ])
        .column_as(org::Column::Name, "org_name")
        .expr_as(
            archive_rank(ArchiveKind::ApplicationLetter),
            "application_letter_rank",
        )
        .expr_as(
            archive_rank(ArchiveKind::AdmissionForm),
            "admission_form_rank",
        )
        .join(
            JoinType::InnerJoin,
            member::Entity::belongs_to(org::Entity)
                .from(M::OrgId)
                .to(org::Column::Id)
                .into(),
        )
        .offset(page.offset())
        .limit(page.per_page)
        .into_model::<ListRow>()
        .all(c)
        .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    Name,
    StudentNo,
    JoinedOn,
}

/// Where to look: one org, or the whole subtree under it.
#[derive(Debug, Clone, Copy)]
pub enum Within {
    Org(i64),
    Subtree(i64),
}

fn within(q: Select<member::Entity>, w: Within) -> Select<member::Entity> {
    match w {
        Within::Org(id) => q.filter(member::Column::OrgId.eq(id)),
        Within::Subtree(root) => q.filter(in_subtree(member::Column::OrgId, root)),
    }
}

fn sorted(q: Select<member::Entity>, sort: Sort) -> Select<member::Entity> {
    let q = match sort {
        Sort::Name => q.order_by_asc(member::Column::Name),
        Sort::StudentNo => q.order_by_asc(member::Column::StudentNo),
        Sort::JoinedOn => q.order_by_asc(member::Column::JoinedOn),
    };
    q.order_by_asc(member::Column::Id)
}

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<member::Model>, DbErr> {
    member::Entity::find_by_id(id).one(c).await
}

pub async fn find_by_resident_index<C: ConnectionTrait>(
    c: &C,
    index: Vec<u8>,
) -> Result<Option<member::Model>, DbErr> {
    member::Entity::find()
        .filter(member::Column::ResidentIdIndex.eq(index))
        .one(c)
        .await
}

pub async fn find_by_student_no<C: ConnectionTrait>(
    c: &C,
    student_no: &str,
) -> Result<Vec<member::Model>, DbErr> {
    member::Entity::find()
        .filter(member::Column::StudentNo.eq(student_no))
        .filter(member::Column::Status.eq("active"))
        .limit(10)
        .all(c)
        .await
}

pub async fn find_by_development_no<C: ConnectionTrait>(
    c: &C,
    no: &str,
) -> Result<Option<member::Model>, DbErr> {
    member::Entity::find()
        .filter(member::Column::DevelopmentNo.eq(no))
        .one(c)
        .await
}

/// Active members of `w`, optionally only those whose identity check (ACC-8) has one status key.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    w: Within,
    identity: Option<&str>,
    sort: Sort,
    page: Page,
) -> Result<(Vec<ListRow>, u64), DbErr> {
    let mut q = within(member::Entity::find(), w).filter(member::Column::Status.eq("active"));
    if let Some(key) = identity {
        q = q.filter(member::Column::IdentityCheck.eq(key));
    }
    let items = list_rows(c, q.clone(), sort, page).await?;
    let total = total(c, q, page, items.len() as u64).await?;
    Ok((items, total))
}

/// A short page is the last one: its length gives the total without a count query (most
/// branches fit on one page).
async fn total<C: ConnectionTrait>(
    c: &C,
    q: Select<member::Entity>,
    page: Page,
    got: u64,
) -> Result<u64, DbErr> {
    if (got > 0 && got < page.per_page) || (got == 0 && page.page == 1) {
        Ok(page.offset() + got)
    } else {
        q.count(c).await
    }
}

/// MEM-8: by name (substring), exact resident ID (its blind index) or student number, inside
/// the subtree.
pub async fn search<C: ConnectionTrait>(
    c: &C,
    root: i64,
    name_part: &str,
    resident_index: Option<Vec<u8>>,
    page: Page,
) -> Result<(Vec<ListRow>, u64), DbErr> {
    let mut any = Condition::any()
        .add(member::Column::Name.contains(name_part))
        .add(member::Column::StudentNo.eq(name_part));
    if let Some(index) = resident_index {
        any = any.add(member::Column::ResidentIdIndex.eq(index));
    }
    let q = within(member::Entity::find(), Within::Subtree(root))
        .filter(member::Column::Status.eq("active"))
        .filter(any);
    let items = list_rows(c, q.clone(), Sort::Name, page).await?;
    let total = total(c, q, page, items.len() as u64).await?;
    Ok((items, total))
}

/// ACC-8: active members of the subtree of `root` per identity-check status key.
pub async fn identity_counts<C: ConnectionTrait>(
    c: &C,
    root: i64,
) -> Result<Vec<(String, u64)>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    let stmt = Query::select()
        .column((member::Entity, member::Column::IdentityCheck))
        .expr(Expr::col((member::Entity, member::Column::Id)).count())
        .from(org_closure::Entity)
        .inner_join(
            member::Entity,
            Expr::col((member::Entity, member::Column::OrgId))
                .equals((org_closure::Entity, org_closure::Column::Descendant)),
        )
        .and_where(Expr::col((org_closure::Entity, org_closure::Column::Ancestor)).eq(root))
        .and_where(Expr::col((member::Entity, member::Column::Status)).eq("active"))
        .group_by_col((member::Entity, member::Column::IdentityCheck))
        .to_owned();
    c.query_all(c.get_database_backend().build(&stmt))
        .await?
        .into_iter()
        .map(|r| {
            let key: String = r.try_get_by_index(0)?;
            let n: i64 = r.try_get_by_index(1)?;
            Ok((key, n.max(0) as u64))
        })
        .collect()
}

/// ACC-8: active members still 待核验, or 未通过 by the verifier's word (its notes start with
/// `failed_note_prefix`; an admin's 未通过 is theirs to change), after `after_id` in id order
/// (the periodic re-check walks the table in batches).
pub async fn identity_candidates<C: ConnectionTrait>(
    c: &C,
    after_id: i64,
    limit: u64,
    failed_note_prefix: &str,
) -> Result<Vec<member::Model>, DbErr> {
    member::Entity::find()
        .filter(member::Column::Status.eq("active"))
        .filter(
            sea_orm::Condition::any()
                .add(member::Column::IdentityCheck.eq("pending"))
                .add(
                    sea_orm::Condition::all()
                        .add(member::Column::IdentityCheck.eq("failed"))
                        .add(member::Column::IdentityNote.starts_with(failed_note_prefix)),
                ),
        )
        .filter(member::Column::Id.gt(after_id))
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(c)
        .await
}
