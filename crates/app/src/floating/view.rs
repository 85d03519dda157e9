//! A floating member's record as admins read it: the 汇总表 fields, the retention deadline and
//! its state, the step due (FLT-4), the contact log.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use tuanwu_domain::floating::FloatingRecord;
use tuanwu_store::floating as store;
use utoipa::ToSchema;

use super::rules::FloatingActions;
use super::{AbroadInput, Details};
use crate::{Actor, AppError, Context};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub contacted_on: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FloatingView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub student_no: Option<String>,
    pub transfer_id: i64,
    /// The floating branch.
    pub branch_id: i64,
    pub branch_name: String,
    /// 转出团支部 (full name) and its college.
    pub source_branch: String,
    pub college: String,
    /// `pending` | `active` | `suspended` | `removed` | `left` | `cancelled`.
    pub status: String,
    pub status_label: String,
    /// How the state reads at a glance (the page's tag colour).
    #[serde(skip)]
    pub tone: crate::tone::Tone,
    pub destination: String,
    pub destination_label: String,
    pub reason: String,
    pub contact: String,
    pub responsible: String,
    pub responsible_contact: String,
    pub remarks: Option<String>,
    pub abroad: Option<AbroadInput>,
    pub entered_on: Option<String>,
    /// FLT-3: six months from entry, a year once extended.
    pub deadline: Option<String>,
    pub extended: bool,
    pub extension_reason: Option<String>,
    /// `ok` | `approaching` (≤ 30 days) | `overdue`, while the member is kept.
    pub deadline_state: Option<String>,
    pub deadline_state_label: Option<String>,
    #[serde(skip)]
    pub deadline_tone: crate::tone::Tone,
    pub last_contact_on: Option<String>,
    /// FLT-4: the step the system proposes now (`suspend` | `remove`), for an admin to confirm.
    pub due_step: Option<String>,
    pub due_step_label: Option<String>,
    pub contacts: Vec<ContactView>,
    /// Everything the viewer may do now, each checked again by the action itself.
    pub actions: FloatingActions,
}

/// The college an org belongs to (its `college_id`), else its parent's name.
async fn college_of<C: ConnectionTrait>(c: &C, org_id: i64) -> Result<String, AppError> {
    let Some(o) = tuanwu_store::org::get(c, tuanwu_domain::OrgId(org_id)).await? else {
        return Ok(String::new());
    };
    let college = match o.college_id.or(o.parent_id) {
        Some(id) => tuanwu_store::org::get(c, id).await?.map(|p| p.name),
        None => None,
    };
    Ok(college.unwrap_or_default())
}

pub async fn floating_view<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    actor: &Actor,
    r: FloatingRecord,
    with_contacts: bool,
) -> Result<FloatingView, AppError> {
    let details: Details = ctx
        .cipher
        .decrypt(&r.details_enc)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let m = tuanwu_store::member::of_record(c, r.member).await?;
    let source = tuanwu_store::transfer::source_of(c, r.transfer)
        .await?
        .unwrap_or(r.branch);
    let source_branch = tuanwu_store::org::get(c, source)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let today = ctx.clock.today();
    let state = r.deadline_state(today);
    let step = r.due_step(today);
    let contacts = if with_contacts {
        store::contacts(c, r.id)
            .await?
            .into_iter()
            .map(|k| ContactView {
                contacted_on: k.contacted_on.to_string(),
                note: k.note,
            })
            .collect()
    } else {
        Vec::new()
    };
    let actions = FloatingActions::of(actor, &r, today);
    Ok(FloatingView {
        id: r.id.0,
        member_id: r.member.0,
        member_name: m.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
        student_no: m.and_then(|m| m.student_no),
        transfer_id: r.transfer.0,
        branch_id: r.branch.0,
        branch_name: tuanwu_store::org::get(c, r.branch)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        college: college_of(c, source.0).await?,
        source_branch,
        status: r.status.key().into(),
        status_label: r.status.label().into(),
        tone: r.status.into(),
        destination: r.destination.key().into(),
        destination_label: r.destination.label().into(),
        reason: r.reason,
        contact: details.contact,
        responsible: details.responsible,
        responsible_contact: details.responsible_contact,
        remarks: r.remarks,
        abroad: details.abroad,
        entered_on: r.entered_on.map(|d| d.to_string()),
        deadline: r.deadline.map(|d| d.to_string()),
        extended: r.extended,
        extension_reason: r.extension_reason,
        deadline_state: state.map(|s| s.key().into()),
        deadline_state_label: state.map(|s| s.label().into()),
        deadline_tone: state.map(Into::into).unwrap_or_default(),
        last_contact_on: r.last_contact_on.map(|d| d.to_string()),
        due_step: step.map(|s| s.key().into()),
        due_step_label: step.map(|s| s.label().into()),
        contacts,
        actions,
    })
}
