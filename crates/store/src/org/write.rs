//! The writes of the org tree. Every one moves the org's `version` (issue 15), so a save made
//! from an older reading of the org is refused instead of overwriting what another admin wrote.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;
use tuanwu_domain::org::{NewOrg, Org, OrgEdit};
use tuanwu_domain::OrgId;

use super::{get, record};
use crate::entity::{org, org_closure};
use crate::queries::in_subtree;

use org::Column as O;

fn bump() -> sea_orm::sea_query::SimpleExpr {
    Expr::col(O::Version).add(1)
}

/// Inserts an org and its closure rows (every ancestor of the parent, and itself at depth 0).
/// A name already used under the parent is the database's unique violation, for the caller to
/// answer.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    new: NewOrg,
    at: OffsetDateTime,
) -> Result<Org, DbErr> {
    let created = org::ActiveModel {
        parent_id: Set(new.parent_id.map(|p| p.0)),
        name: Set(new.name),
        short_name: Set(new.short_name),
        kind: Set(new.kind.key().into()),
        category: Set(new.category.name().into()),
        branch_type: Set(new.branch_type.map(|t| t.key().into())),
        college_id: Set(new.college_id.map(|i| i.0)),
        contact_person: Set(new.contact_person),
        contact_phone_enc: Set(new.contact_phone_enc),
        address: Set(new.address),
        postcode: Set(new.postcode),
        external_system: Set(new.external_system.map(|e| e.key().into())),
        province_id: Set(new.province_id.map(|i| i.0)),
        depth: Set(new.depth),
        path: Set(new.path),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let mut rows = vec![org_closure::ActiveModel {
        ancestor: Set(created.id),
        descendant: Set(created.id),
        depth: Set(0),
    }];
    if let Some(parent) = new.parent_id {
        let ancestors = org_closure::Entity::find()
            .filter(org_closure::Column::Descendant.eq(parent.0))
            .all(c)
            .await?;
        rows.extend(ancestors.into_iter().map(|a| org_closure::ActiveModel {
            ancestor: Set(a.ancestor),
            descendant: Set(created.id),
            depth: Set(a.depth + 1),
        }));
    }
    org_closure::Entity::insert_many(rows).exec(c).await?;
    if !(new.own_province || new.own_college) {
        return record(created);
    }
    // Its own id is known only now: a province or a college points at itself.
    let mut own: org::ActiveModel = created.clone().into();
    if new.own_province {
        own.province_id = Set(Some(created.id));
    }
    if new.own_college {
        own.college_id = Set(Some(created.id));
    }
    record(own.update(c).await?)
}

/// ORG-4: writes an edit if the org is still at `version`; `None` when another write moved it
/// first (the caller answers `stale_edit`). The caller checked the org is in scope.
pub async fn update<C: ConnectionTrait>(
    c: &C,
    id: OrgId,
    version: i64,
    edit: OrgEdit,
    at: OffsetDateTime,
) -> Result<Option<Org>, DbErr> {
    let done = org::Entity::update_many()
        .col_expr(O::Name, Expr::value(edit.name))
        .col_expr(O::ShortName, Expr::value(edit.short_name))
        .col_expr(O::Kind, Expr::value(edit.kind.key()))
        .col_expr(O::Category, Expr::value(edit.category.name()))
        .col_expr(
            O::BranchType,
            Expr::value(edit.branch_type.map(|t| t.key())),
        )
        .col_expr(O::ContactPerson, Expr::value(edit.contact_person))
        .col_expr(O::ContactPhoneEnc, Expr::value(edit.contact_phone_enc))
        .col_expr(O::Address, Expr::value(edit.address))
        .col_expr(O::Postcode, Expr::value(edit.postcode))
        .col_expr(
            O::ExternalSystem,
            Expr::value(edit.external_system.map(|e| e.key())),
        )
        .col_expr(O::Path, Expr::value(edit.path))
        .col_expr(O::UpdatedAt, Expr::value(at))
        .col_expr(O::Version, bump())
        .filter(O::Id.eq(id.0))
        .filter(O::Version.eq(version))
        .exec(c)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    get(c, id).await
}

/// ORG-6: a soft delete with its reason. The caller checked the actor is above the org and it
/// is empty.
pub async fn mark_deleted<C: ConnectionTrait>(
    c: &C,
    id: OrgId,
    reason: &str,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    org::Entity::update_many()
        .col_expr(O::DeletedAt, Expr::value(Some(at)))
        .col_expr(O::DeletedReason, Expr::value(Some(reason.to_string())))
        .col_expr(O::UpdatedAt, Expr::value(at))
        .col_expr(O::Version, bump())
        .filter(O::Id.eq(id.0))
        .exec(c)
        .await?;
    Ok(())
}

/// ORG-6: undoes a soft delete. The caller checked the actor is above the org.
pub async fn restore<C: ConnectionTrait>(
    c: &C,
    id: OrgId,
    at: OffsetDateTime,
) -> Result<Option<Org>, DbErr> {
    org::Entity::update_many()
        .col_expr(O::DeletedAt, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(O::DeletedReason, Expr::value(Option::<String>::None))
        .col_expr(O::UpdatedAt, Expr::value(at))
        .col_expr(O::Version, bump())
        .filter(O::Id.eq(id.0))
        .exec(c)
        .await?;
    get(c, id).await
}

/// After a rename, every descendant's path starts with the new name, in one statement per
/// descendant. Renames are rare and a subtree is at most a few thousand orgs.
pub async fn replace_path_prefix<C: ConnectionTrait>(
    c: &C,
    root: OrgId,
    old_prefix: &str,
    new_prefix: &str,
) -> Result<(), DbErr> {
    let descendants = org::Entity::find()
        .filter(in_subtree(O::Id, root.0))
        .filter(O::Id.ne(root.0))
        .all(c)
        .await?;
    for d in descendants {
        let Some(tail) = d.path.strip_prefix(old_prefix) else {
            continue;
        };
        org::Entity::update_many()
            .col_expr(O::Path, Expr::value(format!("{new_prefix}{tail}")))
            .col_expr(O::Version, bump())
            .filter(O::Id.eq(d.id))
            .exec(c)
            .await?;
    }
    Ok(())
}
