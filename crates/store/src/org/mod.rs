//! ORG-1 … ORG-8: every SQL statement of the org tree (the `orgs` table and its closure table
//! `org_closure`). Functions take the caller's connection, so they run in its transaction, and
//! return the domain's `Org`; a stored kind, category or branch type the domain does not know
//! is `DbErr::Type`, never a default.

mod count;
mod write;

pub use count::{
    counts_by_college_status, direct_member_count, live_child_count, live_child_counts,
    subtree_branch_count, subtree_member_counts,
};
pub use write::{insert, mark_deleted, replace_path_prefix, restore, update};

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tuanwu_domain::graduation::GraduationMark;
use tuanwu_domain::org::{BranchType, ExternalSystem, Org, OrgKind, OrgStatus, UnitCategory};
use tuanwu_domain::{DomainError, OrgId};

use crate::entity::{org, org_closure};
use crate::queries::in_subtree;
use crate::scope::Scope;

use org::Column as O;

/// A stored value the domain does not know: the row is refused, not guessed.
fn unknown(column: &str, e: DomainError) -> DbErr {
    DbErr::Type(format!("orgs.{column}: {}", e.message))
}

pub(crate) fn record(m: org::Model) -> Result<Org, DbErr> {
    Ok(Org {
        id: OrgId(m.id),
        parent_id: m.parent_id.map(OrgId),
        kind: OrgKind::parse(&m.kind).map_err(|e| unknown("kind", e))?,
        category: UnitCategory::parse(&m.category).map_err(|e| unknown("category", e))?,
        branch_type: m
            .branch_type
            .as_deref()
            .map(BranchType::parse)
            .transpose()
            .map_err(|e| unknown("branch_type", e))?,
        external_system: m
            .external_system
            .as_deref()
            .map(ExternalSystem::parse)
            .transpose()
            .map_err(|e| unknown("external_system", e))?,
        graduation: m
            .graduation
            .as_deref()
            .map(GraduationMark::parse)
            .transpose()
            .map_err(|e| unknown("graduation", e))?,
        status: if m.deleted_at.is_some() {
            OrgStatus::Deleted
        } else {
            OrgStatus::Active
        },
        name: m.name,
        short_name: m.short_name,
        college_id: m.college_id.map(OrgId),
        contact_person: m.contact_person,
        contact_phone_enc: m.contact_phone_enc,
        address: m.address,
        postcode: m.postcode,
        province_id: m.province_id.map(OrgId),
        depth: m.depth,
        path: m.path,
        deleted_reason: m.deleted_reason,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn records(rows: Vec<org::Model>) -> Result<Vec<Org>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// An org the scope reaches (an admin's subtree; a member acting as member reaches none):
/// anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: OrgId,
) -> Result<Option<Org>, DbErr> {
    let Scope::Subtree(root) = scope else {
        return Ok(None);
    };
    org::Entity::find_by_id(id.0)
        .filter(in_subtree(O::Id, root.0))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// Any org by id, whoever asks. Safe because the org tree is the directory every user may
/// search (ORG-5: names, kinds and paths are printed on every letter): callers use it for the
/// rules that look at an org's kind, category or ancestors, or after they checked the org is
/// in the actor's scope. What an org holds about people (members, contact phone) is read
/// through scoped functions.
pub async fn get<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<Option<Org>, DbErr> {
    org::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// Several orgs by id, in no particular order (unscoped for the reason given at `get`).
pub async fn get_many<C: ConnectionTrait>(c: &C, ids: &[OrgId]) -> Result<Vec<Org>, DbErr> {
    records(
        org::Entity::find()
            .filter(O::Id.is_in(ids.iter().map(|i| i.0)))
            .all(c)
            .await?,
    )
}

/// The top org (the one without a parent), if the tree has been started.
pub async fn top<C: ConnectionTrait>(c: &C) -> Result<Option<Org>, DbErr> {
    org::Entity::find()
        .filter(O::ParentId.is_null())
        .order_by_asc(O::Id)
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// How many orgs exist, deleted ones included (the first start creates the top one).
pub async fn count<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    org::Entity::find().count(c).await
}

/// True when `ancestor` is `descendant` or above it.
pub async fn contains<C: ConnectionTrait>(
    c: &C,
    ancestor: OrgId,
    descendant: OrgId,
) -> Result<bool, DbErr> {
    Ok(org_closure::Entity::find_by_id((ancestor.0, descendant.0))
        .one(c)
        .await?
        .is_some())
}

/// Ancestor ids of `id`, nearest first (self excluded).
pub async fn ancestors<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<Vec<OrgId>, DbErr> {
    Ok(org_closure::Entity::find()
        .filter(org_closure::Column::Descendant.eq(id.0))
        .filter(org_closure::Column::Depth.gt(0))
        .order_by_asc(org_closure::Column::Depth)
        .all(c)
        .await?
        .into_iter()
        .map(|r| OrgId(r.ancestor))
        .collect())
}

/// The children of `parent`, by name. The caller checked `parent` is in scope.
pub async fn children<C: ConnectionTrait>(
    c: &C,
    parent: OrgId,
    include_deleted: bool,
) -> Result<Vec<Org>, DbErr> {
    let mut q = org::Entity::find().filter(O::ParentId.eq(parent.0));
    if !include_deleted {
        q = q.filter(O::DeletedAt.is_null());
    }
    records(q.order_by_asc(O::Name).all(c).await?)
}

/// The sibling of that name under `parent`, deleted or not (names are unique per parent).
pub async fn sibling_with_name<C: ConnectionTrait>(
    c: &C,
    parent: OrgId,
    name: &str,
) -> Result<Option<Org>, DbErr> {
    org::Entity::find()
        .filter(O::ParentId.eq(parent.0))
        .filter(O::Name.eq(name))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// ORG-5: keyword anywhere in the full name, optionally within one province. Unscoped: the
/// directory is what registration and transfers search before they know where a person is.
pub async fn search<C: ConnectionTrait>(
    c: &C,
    keyword: &str,
    province_id: Option<OrgId>,
    limit: u64,
) -> Result<Vec<Org>, DbErr> {
    let mut q = org::Entity::find().filter(O::DeletedAt.is_null());
    if let Some(p) = province_id {
        q = q.filter(
            Condition::any()
                .add(O::ProvinceId.eq(p.0))
                .add(O::Id.eq(p.0)),
        );
    }
    if !keyword.is_empty() {
        q = q.filter(O::Name.contains(keyword));
    }
    records(
        q.order_by_asc(O::Depth)
            .order_by_asc(O::Path)
            .limit(limit)
            .all(c)
            .await?,
    )
}

/// The branches under `root` the scope reaches (deleted ones included when asked), by path.
pub async fn branches_under<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
    include_deleted: bool,
) -> Result<Vec<Org>, DbErr> {
    let Scope::Subtree(own) = scope else {
        return Ok(Vec::new());
    };
    let mut q = org::Entity::find()
        .filter(in_subtree(O::Id, root.0))
        .filter(in_subtree(O::Id, own.0))
        .filter(O::Kind.eq(OrgKind::Branch.key()));
    if !include_deleted {
        q = q.filter(O::DeletedAt.is_null());
    }
    records(q.order_by_asc(O::Path).all(c).await?)
}

/// Every live org under `root` the scope reaches, itself included (the import's table of
/// branch paths).
pub async fn live_under<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Vec<Org>, DbErr> {
    let Scope::Subtree(own) = scope else {
        return Ok(Vec::new());
    };
    records(
        org::Entity::find()
            .filter(in_subtree(O::Id, root.0))
            .filter(in_subtree(O::Id, own.0))
            .filter(O::DeletedAt.is_null())
            .all(c)
            .await?,
    )
}

/// The org at that full path, if any (the benchmark finds its generated branches by path).
pub async fn by_path<C: ConnectionTrait>(c: &C, path: &str) -> Result<Option<Org>, DbErr> {
    org::Entity::find()
        .filter(O::Path.eq(path))
        .one(c)
        .await?
        .map(record)
        .transpose()
}
