//! FLT-1 … FLT-5: floating members (流动团员). Entering a floating branch is a transfer that
//! carries the 流动团员信息汇总表 fields; approval starts the retention clock; admins see who is
//! approaching or past the deadline, log contacts, and confirm the obligation steps the system
//! proposes.

pub mod enter;
pub mod manage;
pub mod report;
pub mod view;

pub use enter::{AbroadInput, FloatingInput};
pub use manage::{
    add_contact, confirm_step, extend, get, list, todos, ContactInput, ExtendInput,
    ListFloatingQuery, StepInput,
};
pub use view::FloatingView;

use serde::{Deserialize, Serialize};

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

/// Floating branches: school or college level, and the college abroad branch (ORG-3).
pub(crate) fn is_floating(branch_type: Option<&str>) -> bool {
    matches!(branch_type, Some("floating" | "floating_abroad"))
}
