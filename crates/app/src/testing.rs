//! Hooks for the integration tests into states no route creates yet.

use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::MemberChanges;
use tuanwu_domain::MemberId;
use tuanwu_store::member as members;

use crate::{AppError, Context};

/// Marks a member's identity as verified (as the verifier would), through the member writer.
pub async fn mark_identity_verified(ctx: &Context, member_id: i64) -> Result<(), AppError> {
    let c = ctx.db.conn();
    let m = members::of_record(c, MemberId(member_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let changes = MemberChanges {
        identity: Some((
            IdentityCheck::Verified,
            m.identity_note.clone(),
            m.identity_checked_at,
        )),
        ..MemberChanges::default()
    };
    members::update(c, &ctx.cipher, m.id, None, &changes, ctx.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

pub use tuanwu_store::testing::fresh_postgres_database;
