//! 组织生活 pages (MTG-1, MTG-2), phone-first: a branch's records by quarter, the record form
//! with the roster as tick boxes (全部出席, then untick and give a reason), a record with the
//! actions its view offers, and the compliance view of colleges and schools with its sheet.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::meeting::{
    self as uc, AbsenteeInput, ComplianceQuery, ComplianceView, ListMeetingsQuery, MeetingInput,
    MeetingPatch, MeetingView, OrgInfo, OrgMeetingActions, RosterEntry, TargetsView,
};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::meeting::MeetingKind;
use tuanwu_domain::{MeetingId, OrgId};

use super::shell::{render, Empty, Form, FormErrors, PageActor, PageError, SavedQuery, Shell};
use crate::extract::ApiPath;

mod compliance;
mod fields;
mod form;
mod list;
mod show;

pub use compliance::compliance;
pub use form::{create, edit_page, new_page, update};
pub use list::list;
pub use show::{delete, restore, show};
