//! Who may do what with a member's archives, decided once: the upload use case checks these
//! before acting, and the archives view carries the same answers as `actions`.

use serde::Serialize;
use tuanwu_domain::account::Permission;
use utoipa::ToSchema;

use crate::{Actor, AppError};

/// ARC-2: an admin (or a delegate granted 上传和审核电子档案) uploads for members in scope.
pub(crate) fn may_upload(actor: &Actor) -> Result<(), AppError> {
    actor.require(Permission::Archives)
}

/// ARC-2: reviews are requests, which only admins read.
pub(crate) fn may_see_reviews(actor: &Actor) -> bool {
    actor.admin_root().is_ok()
}

/// What the viewer may do with a member's archives now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ArchiveActions {
    /// ARC-2 / ARC-3: upload an archive (replacing an approved one is for the level above the
    /// member's branch, checked on upload).
    pub upload: bool,
    /// Open the review request of an upload.
    pub see_reviews: bool,
}

impl ArchiveActions {
    pub fn of(actor: &Actor) -> ArchiveActions {
        ArchiveActions {
            upload: may_upload(actor).is_ok(),
            see_reviews: may_see_reviews(actor),
        }
    }
}
