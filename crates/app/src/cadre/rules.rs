//! Who may do what to a cadre list, decided once: the use cases call these before acting, and
//! the views carry the same answers as `actions`.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::member::Member;
use tuanwu_domain::AccountId;
use utoipa::ToSchema;

use crate::grant::needs::{self, Write};
use crate::{Actor, AppError};

/// A member record still on the roll.
pub(crate) fn is_active(m: &Member) -> bool {
    m.is_active()
}

/// What the viewer may do with an entry; each is what the use case checks before acting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CadreActions {
    /// Record the end of the post, or correct the end date of a former one.
    pub end: bool,
    /// Remove an entry made in error.
    pub remove: bool,
    /// ACC-6: issue a reset code for the cadre's account (the member is active and in the
    /// viewer's scope, and holds no admin role at the viewer's level or above).
    pub reset_code: bool,
}

impl CadreActions {
    /// For an entry the actor read through its scope, with its member and their account.
    pub(crate) async fn of<C: ConnectionTrait>(
        c: &C,
        actor: &Actor,
        m: Option<&Member>,
        account: Option<AccountId>,
    ) -> Result<CadreActions, AppError> {
        Ok(CadreActions {
            end: needs::allows(actor, Write::EndCadre),
            remove: needs::allows(actor, Write::RemoveCadre),
            reset_code: match m {
                Some(m) => may_reset(c, actor, m, account).await?,
                None => false,
            },
        })
    }
}

/// The checks `account::code::issue_reset_code` runs before it issues a code.
async fn may_reset<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    m: &Member,
    account: Option<AccountId>,
) -> Result<bool, AppError> {
    if !needs::allows(actor, Write::IssueResetCode)
        || !is_active(m)
        || !actor.scope().contains(c, m.org_id).await?
    {
        return Ok(false);
    }
    Ok(match account {
        Some(a) => match crate::account::code::ensure_not_higher(c, actor, a).await {
            Ok(()) => true,
            Err(AppError::Forbidden(_)) => false,
            Err(e) => return Err(e),
        },
        None => true,
    })
}

/// What the viewer may do on an org's cadre page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CadresHere {
    /// Add a member to the list (the org is live; delegated admins need `cadres`).
    pub add: bool,
}
