//! FLT-1 … FLT-5: floating members (流动团员). Entering a floating branch is a transfer that
//! carries the 流动团员信息汇总表 fields; approval starts the retention clock; admins see who is
//! approaching or past the deadline, log contacts, and confirm the obligation steps the system
//! proposes.

pub mod enter;
pub mod manage;
pub mod read;
pub mod report;
pub mod rules;
pub mod view;

pub use enter::{AbroadInput, FloatingInput};
pub use manage::{add_contact, confirm_step, extend, ContactInput, ExtendInput, StepInput};
pub use read::{get, list, todos, ListFloatingQuery};
pub use rules::FloatingActions;
pub use view::FloatingView;

use serde::{Deserialize, Serialize};
use tuanwu_domain::org::BranchType;

/// The personal parts of a floating record, kept encrypted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Details {
    /// The member's usual contact (phone, e-mail, WeChat).
    pub contact: String,
    /// 学社衔接工作负责人 and their contact.
    pub responsible: String,
    pub responsible_contact: String,
    /// FLT-5, for the abroad branch.
    pub abroad: Option<AbroadInput>,
}

/// Floating branches: school or college level, and the college abroad branch (ORG-3). The org
/// record still carries its branch type as text (orgs are not typed yet).
pub(crate) fn floating_branch(branch_type: Option<&str>) -> Option<BranchType> {
    branch_type
        .and_then(|b| BranchType::parse(b).ok())
        .filter(|b| matches!(b, BranchType::Floating | BranchType::FloatingAbroad))
}
