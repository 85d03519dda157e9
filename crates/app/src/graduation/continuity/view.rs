//! GRD-6: what the 学社衔接 figure, its lists and its trend look like to clients.

use serde::{Deserialize, Serialize};
use tuanwu_domain::graduation::Continuity;
use utoipa::{IntoParams, ToSchema};

use crate::graduation::rules::ContinuityActions;

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

#[derive(Debug, Default, Clone, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ContinuityQuery {
    /// Graduation year (defaults to the current year).
    pub year: Option<i32>,
    /// The members behind one figure: `not_started` | `in_progress` | `complete` |
    /// `kept_at_school`, or `excluded` (delayed graduates, teachers, further study).
    pub list: Option<String>,
    /// Order of `children`: `name` (default) | `rate` | `denominator`.
    pub sort: Option<String>,
    /// `asc` (default) | `desc`.
    pub order: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// How many graduates stand in each state.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ContinuityCounts {
    /// 未发起转接: in the denominator only.
    pub not_started: u64,
    /// 转接办理中.
    pub in_progress: u64,
    /// 已完成转接: the numerator.
    pub complete: u64,
    /// 保留在学校 (floating branch or another school org): not complete.
    pub kept_at_school: u64,
    /// Outside the figure: delayed graduates, teachers, further study.
    pub excluded: u64,
}

impl From<&Continuity> for ContinuityCounts {
    fn from(c: &Continuity) -> Self {
        Self {
            not_started: c.not_started,
            in_progress: c.in_progress,
            complete: c.complete,
            kept_at_school: c.kept_at_school,
            excluded: c.excluded,
        }
    }
}

/// The figure of one direct child org.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildContinuity {
    pub org_id: i64,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// numerator / denominator in [0, 1]; `null` when the denominator is 0.
    pub rate: Option<f64>,
    pub counts: ContinuityCounts,
    /// Branches of this child marked with a graduation month of the year.
    pub branches: u64,
}

/// Where a graduate's transfer stands (the one the figure reads).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateTransfer {
    pub id: i64,
    /// `pending` | `awaiting_report` | `completed`.
    pub status: String,
    pub status_label: String,
    /// `internal` | `special_unit` | `external`.
    pub kind: String,
    /// The org, special unit or external system the member goes to.
    pub target: Option<String>,
}

/// One member behind a figure (resident ID masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateRow {
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    /// Masked: `1201**********1234`.
    pub resident_id: String,
    /// The branch they graduate from.
    pub branch_id: i64,
    pub branch_name: String,
    /// GRD-5 key, `null` when none is recorded.
    pub destination: Option<String>,
    pub destination_label: Option<String>,
    pub destination_note: Option<String>,
    /// `not_started` | `in_progress` | `complete` | `kept_at_school` | `excluded`.
    pub state: String,
    pub state_label: String,
    /// For `excluded`: why (延迟毕业或教师 / 升学 / 出国出境).
    pub excluded_reason: Option<String>,
    pub transfer: Option<GraduateTransfer>,
}

/// The members behind one figure, one page of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateList {
    pub state: String,
    pub label: String,
    pub items: Vec<GraduateRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// What the viewer may do with the graduates of this list.
    pub actions: ContinuityActions,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContinuityView {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// Graduates whose transfer to a non-school org is complete.
    pub numerator: u64,
    /// Graduates not going on to further study, delayed graduates and teachers left out.
    pub denominator: u64,
    /// numerator / denominator in [0, 1]; `null` when the denominator is 0.
    pub rate: Option<f64>,
    pub counts: ContinuityCounts,
    /// Branches of the subtree marked with a graduation month of the year.
    pub branches: u64,
    /// Further-study destinations left out of the figure (GRD-6).
    pub further_study: Vec<String>,
    /// Per direct child org (colleges of a school, branches of a college), sorted as asked.
    pub children: Vec<ChildContinuity>,
    pub sort: String,
    pub order: String,
    /// Present when `list` was asked for.
    pub list: Option<GraduateList>,
    /// What the viewer may do with the graduates of the figure.
    pub actions: ContinuityActions,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendWeek {
    /// ISO week: `2026-W23`.
    pub week: String,
    /// Its Monday, `2026-06-01`.
    pub start: String,
    /// Graduates whose transfer to society completed that week.
    pub completed: u64,
    /// Completed up to the end of that week.
    pub cumulative: u64,
    /// cumulative / today's denominator.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendView {
    pub org_id: i64,
    pub year: i32,
    pub numerator: u64,
    pub denominator: u64,
    pub rate: Option<f64>,
    /// Every ISO week from the first graduation month of the year (or the first completion, if
    /// earlier) to this week (or the last completion, if later).
    pub weeks: Vec<TrendWeek>,
}
