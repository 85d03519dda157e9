use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryOrder,
};

use crate::entity::{account, cadre, role};

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id).one(c).await
}

pub async fn find_by_login_name<C: ConnectionTrait>(
    c: &C,
    login: &str,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::LoginName.eq(login))
        .one(c)
        .await
}

pub async fn find_by_member<C: ConnectionTrait>(
    c: &C,
    member_id: i64,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::MemberId.eq(member_id))
        .one(c)
        .await
}

pub async fn roles_of<C: ConnectionTrait>(
    c: &C,
    account_id: i64,
) -> Result<Vec<role::Model>, DbErr> {
    role::Entity::find()
        .filter(role::Column::AccountId.eq(account_id))
        .order_by_asc(role::Column::Id)
        .all(c)
        .await
}

pub async fn find_role<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find_by_id(id).one(c).await
}

/// Admin roles bound to exactly this org, with their accounts.
pub async fn admins_of<C: ConnectionTrait>(
    c: &C,
    org_id: i64,
) -> Result<Vec<(role::Model, account::Model)>, DbErr> {
    let roles = role::Entity::find()
        .filter(role::Column::OrgId.eq(org_id))
        .filter(role::Column::Kind.eq("admin"))
        .order_by_asc(role::Column::Id)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(roles.len());
    for r in roles {
        if let Some(a) = account::Entity::find_by_id(r.account_id).one(c).await? {
            out.push((r, a));
        }
    }
    Ok(out)
}

pub async fn admin_role<C: ConnectionTrait>(
    c: &C,
    org_id: i64,
    account_id: i64,
) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find()
        .filter(role::Column::OrgId.eq(org_id))
        .filter(role::Column::AccountId.eq(account_id))
        .filter(role::Column::Kind.eq("admin"))
        .one(c)
        .await
}

pub async fn delete_role<C: ConnectionTrait>(c: &C, r: role::Model) -> Result<(), DbErr> {
    r.delete(c).await.map(|_| ())
}

/// Of these members, the ones holding a league post (MEM-3): an admin role on their account or
/// a current cadre post (ACC-10).
pub async fn members_holding_post<C: ConnectionTrait>(
    c: &C,
    member_ids: &[i64],
) -> Result<std::collections::HashSet<i64>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    if member_ids.is_empty() {
        return Ok(Default::default());
    }
    let stmt = Query::select()
        .distinct()
        .column((account::Entity, account::Column::MemberId))
        .from(account::Entity)
        .inner_join(
            role::Entity,
            Expr::col((role::Entity, role::Column::AccountId))
                .equals((account::Entity, account::Column::Id)),
        )
        .and_where(
            Expr::col((account::Entity, account::Column::MemberId))
                .is_in(member_ids.iter().copied()),
        )
        .and_where(Expr::col((role::Entity, role::Column::Kind)).eq("admin"))
        .to_owned();
    let mut holders: std::collections::HashSet<i64> = c
        .query_all(c.get_database_backend().build(&stmt))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    // ACC-10: a current cadre post is a league post too.
    holders.extend(
        cadre::Entity::find()
            .filter(cadre::Column::MemberId.is_in(member_ids.iter().copied()))
            .filter(cadre::Column::EndedOn.is_null())
            .all(c)
            .await?
            .into_iter()
            .map(|p| p.member_id),
    );
    Ok(holders)
}

/// ACC-5: an admin-only account by the keyed hash of its resident ID.
pub async fn find_by_resident_index<C: ConnectionTrait>(
    c: &C,
    index: Vec<u8>,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::ResidentIdIndex.eq(index))
        .one(c)
        .await
}
