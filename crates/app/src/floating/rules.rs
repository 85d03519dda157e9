//! Who may do what to a floating record, decided once: the use cases call these before acting,
//! and every view carries the same answers as `actions` so pages and clients only show them.

use serde::Serialize;
use time::Date;
use tuanwu_domain::account::Permission;
use tuanwu_domain::floating::{FloatingRecord, FloatingStatus, Step};
use utoipa::ToSchema;

use crate::{Actor, AppError};

pub(crate) fn refuse(
    code: &'static str,
    message: impl Into<String>,
    rule: &'static str,
) -> AppError {
    AppError::Conflict {
        code,
        message: message.into(),
        rule: Some(rule),
        field: None,
    }
}

/// FLT-3: once, while the stay runs; ACC-4: member work. The entry date the year counts from.
pub(crate) fn may_extend(actor: &Actor, r: &FloatingRecord) -> Result<Date, AppError> {
    actor.require(Permission::Members)?;
    let Some(entered) = r.entered_on.filter(|_| r.status == FloatingStatus::Active) else {
        return Err(refuse(
            "floating_not_active",
            "只有保留中的流动团员可以延长保留期",
            "FLT-3",
        ));
    };
    if r.extended {
        return Err(refuse(
            "already_extended",
            "保留期已延长过一次（最长一年），不能再延长：请督促其尽快转出",
            "FLT-3",
        ));
    }
    Ok(entered)
}

/// FLT-4: contacts are logged while the member is kept; ACC-4: member work, like the extension.
pub(crate) fn may_log_contact(actor: &Actor, r: &FloatingRecord) -> Result<(), AppError> {
    actor.require(Permission::Members)?;
    if !r.status.is_kept() {
        return Err(refuse(
            "floating_not_kept",
            "该团员已不在流动团员团支部，无需登记联系",
            "FLT-4",
        ));
    }
    Ok(())
}

/// FLT-4: only a fully appointed admin confirms a step, and only the step due today.
pub(crate) fn may_confirm(
    actor: &Actor,
    r: &FloatingRecord,
    today: Date,
    asked: Step,
) -> Result<(), AppError> {
    actor.require_full()?;
    if r.due_step(today) != Some(asked) {
        return Err(refuse(
            "step_not_due",
            match asked {
                Step::Suspend => "尚不满足停止团籍的条件：须保留中且一年以上未与团组织联系（以最近一次联系记录为准）",
                Step::Remove => "尚不满足除名的条件：须已停止团籍且此后两年仍无法联系",
            },
            "FLT-4",
        ));
    }
    Ok(())
}

/// What the viewer may do with a floating record now; each is what the use case checks first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct FloatingActions {
    /// FLT-3: extend the stay once, to a year from entry.
    pub extend: bool,
    /// FLT-4: log a contact with the member.
    pub add_contact: bool,
    /// FLT-4: confirm the step the system proposes (`due_step`).
    pub confirm_step: bool,
}

impl FloatingActions {
    pub fn of(actor: &Actor, r: &FloatingRecord, today: Date) -> FloatingActions {
        FloatingActions {
            extend: may_extend(actor, r).is_ok(),
            add_contact: may_log_contact(actor, r).is_ok(),
            confirm_step: r
                .due_step(today)
                .is_some_and(|s| may_confirm(actor, r, today, s).is_ok()),
        }
    }
}
