use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::{in_subtree, Page};
use crate::entity::{member, org_closure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
) -> Result<(Vec<member::Model>, u64), DbErr> {
    let mut q = within(member::Entity::find(), w).filter(member::Column::Status.eq("active"));
    if let Some(key) = identity {
        q = q.filter(member::Column::IdentityCheck.eq(key));
    }
    let items = sorted(q.clone(), sort)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
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
) -> Result<(Vec<member::Model>, u64), DbErr> {
    let mut any = Condition::any()
        .add(member::Column::Name.contains(name_part))
        .add(member::Column::StudentNo.eq(name_part));
    if let Some(index) = resident_index {
        any = any.add(member::Column::ResidentIdIndex.eq(index));
    }
    let q = within(member::Entity::find(), Within::Subtree(root))
        .filter(member::Column::Status.eq("active"))
        .filter(any);
    let items = sorted(q.clone(), Sort::Name)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
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
