//! Hooks for the integration tests into states no route creates yet.

use sea_orm::{ActiveModelTrait, Set};
use tuanwu_store::entity::member;
use tuanwu_store::queries;

use crate::{AppError, Context};

/// Marks a member's identity as verified (ACC-8 arrives with a later issue).
pub async fn mark_identity_verified(ctx: &Context, member_id: i64) -> Result<(), AppError> {
    let m = queries::member::find(ctx.db.conn(), member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a: member::ActiveModel = m.into();
    a.identity_check = Set("verified".into());
    a.update(ctx.db.conn()).await?;
    Ok(())
}

pub use tuanwu_store::testing::fresh_postgres_database;
