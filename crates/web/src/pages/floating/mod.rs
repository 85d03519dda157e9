//! Floating-member pages (FLT-1 … FLT-5): the list of an org's floating members with their
//! retention deadlines, one member's record with the contact log, the single extension and the
//! FLT-4 step an admin confirms, and the two printable A4 forms — the 流动团员管理服务告知书
//! with its 回执 (attachment 9) and, for the abroad branch, the 关于保留团组织关系的申请
//! (attachment 8).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::floating::{
    self as uc, ContactInput, ExtendInput, FloatingView, ListFloatingQuery, StepInput,
};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::{FloatingId, MemberId, OrgId};

use super::member::Pager;
use super::shell::{render, Field, Form, FormErrors, PageActor, PageError, SavedQuery, Shell};
use super::transfer::action_errors;
use crate::extract::ApiPath;

mod list;
mod print;
mod show;

pub use list::list;
pub use print::{application, notice};
pub use show::{add_contact, confirm_step, extend, show};
