//! A member's own account and member role. They are made the first time something needs them
//! (a password set by an admin, a reset code, an admin or delegated role, an admin
//! registration, a self-registration), not with the member record: a September import of a
//! million freshmen would otherwise write three rows per member for accounts that stay unused
//! until each member first asks for a password, and the import's time is mostly those writes.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use tuanwu_domain::member::Member;
use tuanwu_store::entity::{account, role};
use tuanwu_store::queries;

/// The member's account, made now (no password; the member role at the member's branch while
/// the member is active) if the member has none yet. Runs inside the caller's transaction.
pub(crate) async fn ensure<C: ConnectionTrait>(
    c: &C,
    m: &Member,
    now: time::OffsetDateTime,
) -> Result<account::Model, DbErr> {
    if let Some(a) = queries::account::find_by_member(c, m.id.0).await? {
        return Ok(a);
    }
    let a = account::ActiveModel {
        login_name: Set(None),
        display_name: Set(m.name.clone()),
        password_hash: Set(None),
        member_id: Set(Some(m.id.0)),
        must_change_password: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    // A member who has left (deleted, transferred out, removed) keeps no roles, as
    // `transfer::moves::leave` and a deletion leave an account made before.
    if m.is_active() {
        role::ActiveModel {
            account_id: Set(a.id),
            kind: Set("member".into()),
            org_id: Set(m.org_id.0),
            province_id: Set(m.province_id.map(|o| o.0)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(a)
}
