//! Transfer pages (TRF-1 … TRF-11): the progress list with its filters, a transfer with its
//! history and the viewer's actions (approve with the archives check and a branch, reject,
//! cancel, the external report with its proof), the start form with the ORG-5 search and the
//! TRF-11 guidance, a member's transfer history, and the lost-member lookup (TRF-10).

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::archive::archives_of;
use tuanwu_app::floating::{AbroadInput, FloatingInput};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::org::{self as org_uc, DirectoryView};
use tuanwu_app::transfer::batch::{self as batch_uc, BatchDecideInput};
use tuanwu_app::transfer::lookup::{self as lookup_uc, LookupView};
use tuanwu_app::transfer::{
    self as uc, ApproveInput, ExternalReportInput, ListTransfersQuery, SpecialUnitInput,
    StartTransferInput, TransferView,
};
use tuanwu_app::{file, AppError, Context};
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::archive::LeagueIdentity;
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind};
use tuanwu_domain::transfer::{
    ArchiveDisposition, Initiator, TransferKind, TransferReason, TransferStatus, TransferStep,
};
use tuanwu_domain::{MemberId, OrgId, TransferId};

use super::member::Pager;
use super::shell::{
    render, Empty, Field, Form, FormErrors, PageActor, PageError, SavedQuery, Shell, UploadForm,
};
use crate::extract::{ApiPath, ClientAddr};

mod history;
mod list;
mod lookup;
mod new;
mod show;

pub use history::member_history;
pub use list::{batch_decide, list};
pub use lookup::{lookup_form, lookup_submit};
pub use new::{create, new_page};
pub use show::{approve, cancel, external_report, reject, show};
pub(crate) use show::{show_page, DecisionForm};

const PER_PAGE: u64 = 50;

/// A failed action's error as the page shows it: refusals and rate limits next to the form
/// (the typed values stay), everything else as `FormErrors::from_app` splits it.
pub(crate) fn action_errors(e: AppError) -> Result<FormErrors, PageError> {
    match e {
        AppError::Forbidden(message) | AppError::TooManyRequests { message, .. } => {
            Ok(FormErrors {
                fields: Vec::new(),
                general: Some(message),
            })
        }
        other => FormErrors::from_app(other),
    }
}

/// One field's error, as a form shows it.
pub(crate) fn field_error(field: &str, message: &str) -> FormErrors {
    FormErrors {
        fields: vec![(field.into(), message.into())],
        general: None,
    }
}

/// (value, label) pairs of a labelled enum, for a select.
fn choices<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (key(*v), label(*v))).collect()
}
