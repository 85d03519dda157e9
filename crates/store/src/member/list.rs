//! Member lists (MEM-8), the ACC-8 counts: the listed columns of active members, read in one
//! statement per page.

use sea_orm::sea_query::{Expr, JoinType, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use time::Date;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::archive::{ArchiveKind, PRECEDENCE};
use tuanwu_domain::member::{Gender, PoliticalStatus};
use tuanwu_domain::{MemberId, OrgId, YearMonth};

use super::{unknown, ACTIVE};
use crate::entity::{member, org, org_closure};
use crate::queries::{in_subtree, Page};

use member::Column as M;

/// One row of a member list: the listed columns, the branch's name and each archive kind's best
/// upload (its rank in `archive::PRECEDENCE`).
#[derive(Debug, Clone)]
pub struct ListRow {
    pub id: MemberId,
    pub org_id: OrgId,
    pub org_name: String,
    pub name: String,
    pub resident_id_enc: Vec<u8>,
    pub gender: Gender,
    pub birth_date: Date,
    pub joined_on: YearMonth,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub political_status: PoliticalStatus,
    pub phone_enc: Option<Vec<u8>>,
    pub offline_managed: bool,
    pub identity_check: IdentityCheck,
    pub application_letter_rank: Option<i64>,
    pub admission_form_rank: Option<i64>,
}

#[derive(FromQueryResult)]
struct Raw {
    id: i64,
    org_id: i64,
    org_name: String,
    name: String,
    resident_id_enc: Vec<u8>,
    gender: String,
    birth_date: Date,
    joined_on: String,
    development_no: Option<String>,
    student_no: Option<String>,
    political_status: String,
    phone_enc: Option<Vec<u8>>,
    offline_managed: bool,
    identity_check: String,
    application_letter_rank: Option<i64>,
    admission_form_rank: Option<i64>,
}

impl TryFrom<Raw> for ListRow {
    type Error = DbErr;

    fn try_from(r: Raw) -> Result<Self, DbErr> {
        Ok(ListRow {
            id: MemberId(r.id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            name: r.name,
            resident_id_enc: r.resident_id_enc,
            gender: Gender::parse(&r.gender).map_err(|e| unknown("gender", e))?,
            birth_date: r.birth_date,
            joined_on: r.joined_on.parse().map_err(|e| unknown("joined_on", e))?,
            development_no: r.development_no,
            student_no: r.student_no,
            political_status: PoliticalStatus::parse(&r.political_status)
                .map_err(|e| unknown("political_status", e))?,
            phone_enc: r.phone_enc,
            offline_managed: r.offline_managed,
            identity_check: IdentityCheck::parse(&r.identity_check)
                .map_err(|e| unknown("identity_check", e))?,
            application_letter_rank: r.application_letter_rank,
            admission_form_rank: r.admission_form_rank,
        })
    }
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
        .into_model::<Raw>()
        .all(c)
        .await?
        .into_iter()
        .map(ListRow::try_from)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    Name,
    StudentNo,
    JoinedOn,
}

/// Where to look: one org, or the whole subtree under it. The caller checked the org is in
/// the actor's scope.
#[derive(Debug, Clone, Copy)]
pub enum Within {
    Org(OrgId),
    Subtree(OrgId),
}

fn within(q: Select<member::Entity>, w: Within) -> Select<member::Entity> {
    match w {
        Within::Org(id) => q.filter(M::OrgId.eq(id.0)),
        Within::Subtree(root) => q.filter(in_subtree(M::OrgId, root.0)),
    }
}

fn sorted(q: Select<member::Entity>, sort: Sort) -> Select<member::Entity> {
    let q = match sort {
        Sort::Name => q.order_by_asc(M::Name),
        Sort::StudentNo => q.order_by_asc(M::StudentNo),
        Sort::JoinedOn => q.order_by_asc(M::JoinedOn),
    };
    q.order_by_asc(M::Id)
}

/// Active members of `w`, optionally only those whose identity check (ACC-8) has one status
/// and those whose name or student number contains `text` (the list's search box).
pub async fn list<C: ConnectionTrait>(
    c: &C,
    w: Within,
    identity: Option<IdentityCheck>,
    text: Option<&str>,
    sort: Sort,
    page: Page,
) -> Result<(Vec<ListRow>, u64), DbErr> {
    let mut q = within(member::Entity::find(), w).filter(M::Status.eq(ACTIVE.key()));
    if let Some(check) = identity {
        q = q.filter(M::IdentityCheck.eq(check.key()));
    }
    if let Some(text) = text {
        q = q.filter(
            Condition::any()
                .add(M::Name.contains(text))
                .add(M::StudentNo.contains(text)),
        );
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
/// the admin's subtree.
pub async fn search<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
    name_part: &str,
    resident_index: Option<Vec<u8>>,
    page: Page,
) -> Result<(Vec<ListRow>, u64), DbErr> {
    let mut any = Condition::any()
        .add(M::Name.contains(name_part))
        .add(M::StudentNo.eq(name_part));
    if let Some(index) = resident_index {
        any = any.add(M::ResidentIdIndex.eq(index));
    }
    let q = within(member::Entity::find(), Within::Subtree(root))
        .filter(M::Status.eq(ACTIVE.key()))
        .filter(any);
    let items = list_rows(c, q.clone(), Sort::Name, page).await?;
    let total = total(c, q, page, items.len() as u64).await?;
    Ok((items, total))
}

/// ACC-8: active members of the subtree of `root` per identity-check status.
pub async fn identity_counts<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
) -> Result<Vec<(IdentityCheck, u64)>, DbErr> {
    let stmt = Query::select()
        .column((member::Entity, M::IdentityCheck))
        .expr(Expr::col((member::Entity, M::Id)).count())
        .from(org_closure::Entity)
        .inner_join(
            member::Entity,
            Expr::col((member::Entity, M::OrgId))
                .equals((org_closure::Entity, org_closure::Column::Descendant)),
        )
        .and_where(Expr::col((org_closure::Entity, org_closure::Column::Ancestor)).eq(root.0))
        .and_where(Expr::col((member::Entity, M::Status)).eq(ACTIVE.key()))
        .group_by_col((member::Entity, M::IdentityCheck))
        .to_owned();
    c.query_all(c.get_database_backend().build(&stmt))
        .await?
        .into_iter()
        .map(|r| {
            let key: String = r.try_get_by_index(0)?;
            let n: i64 = r.try_get_by_index(1)?;
            let check = IdentityCheck::parse(&key).map_err(|e| unknown("identity_check", e))?;
            Ok((check, n.max(0) as u64))
        })
        .collect()
}
