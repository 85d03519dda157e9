//! A member's own account and member role. They are made the first time something needs them
//! (a password set by an admin, a reset code, an admin or delegated role, an admin
//! registration, a self-registration), not with the member record: a September import of a
//! million freshmen would otherwise write three rows per member for accounts that stay unused
//! until each member first asks for a password, and the import's time is mostly those writes.

use sea_orm::{ConnectionTrait, DbErr};
use tuanwu_domain::account::{Account, NewAccount, NewRole, RoleKind};
use tuanwu_domain::member::Member;
use tuanwu_store::account as accounts;

/// The member's account, made now (no password; the member role at the member's branch while
/// the member is active) if the member has none yet. Runs inside the caller's transaction.
pub(crate) async fn ensure<C: ConnectionTrait>(
    c: &C,
    m: &Member,
    now: time::OffsetDateTime,
) -> Result<Account, DbErr> {
    if let Some(a) = accounts::find_by_member(c, m.id).await? {
        return Ok(a);
    }
    let a = accounts::insert(
        c,
        NewAccount {
            display_name: m.name.clone(),
            member_id: Some(m.id),
            must_change_password: true,
            ..NewAccount::default()
        },
        now,
    )
    .await?;
    // A member who has left (deleted, transferred out, removed) keeps no roles, as
    // `transfer::moves::leave` and a deletion leave an account made before.
    if m.is_active() {
        accounts::role::insert(
            c,
            NewRole {
                account_id: a.id,
                kind: RoleKind::Member,
                org_id: m.org_id,
                province_id: m.province_id,
            },
            now,
        )
        .await?;
    }
    Ok(a)
}
