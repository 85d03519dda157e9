//! 新建记录 and 修改记录: the record's fields and the roster at the meeting's date as tick boxes,
//! all ticked (全部出席); untick who was absent and give each a reason. Shown again with the
//! typed values and the refusal next to its field when a check fails. The form posts multipart:
//! photos and a minutes PDF taken on the phone are uploaded to the file store and attached;
//! an edit lists the attachments with a 删除 tick box each.

use axum::extract::multipart::MultipartRejection;
use axum::extract::Multipart;
use tuanwu_app::file;

use super::fields::MeetingForm;
use super::*;
use crate::pages::multipart::MultipartForm;

#[derive(Template)]
#[template(path = "meeting/form.html")]
struct FormPage {
    shell: Shell,
    org: OrgInfo,
    /// `None` for a new record.
    editing: Option<i64>,
    action: String,
    kinds: Vec<(&'static str, &'static str)>,
    /// The branch's groups (id as the form sends it, name), for a 团小组会.
    groups: Vec<(String, String)>,
    roster: Vec<RosterEntry>,
    form: MeetingForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    /// The meeting's start, to show the roster of that day.
    pub at: String,
    pub kind: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    MeetingKind::ALL
        .iter()
        .map(|k| (k.key(), k.label()))
        .collect()
}

/// The form's "now" in Beijing time, as `datetime-local` wants it.
fn local(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).to_string()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    ctx: &Context,
    page: PageActor,
    org: OrgId,
    editing: Option<i64>,
    form: MeetingForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let (o, actions) = uc::org_actions(ctx.db.conn(), &page.actor, org).await?;
    if !actions.record {
        return Err(AppError::forbidden(
            "您的角色不能登记会议记录：请由团支部或上级组织的管理员登记",
        )
        .into());
    }
    let at = form.value("started_at").to_string();
    let roster = match uc::roster_at(ctx, &page.actor, org, Some(&at)).await {
        Ok(r) => r,
        // A start that does not parse shows today's roster; the field says what is wrong.
        Err(AppError::Domain(_)) => uc::roster_at(ctx, &page.actor, org, None).await?,
        Err(e) => return Err(e.into()),
    };
    let groups = tuanwu_app::group::of_branch(ctx, &page.actor, org)
        .await?
        .items
        .into_iter()
        .map(|g| (g.id.to_string(), g.name))
        .collect();
    let status = errors.status();
    let title = match editing {
        Some(_) => format!("修改会议记录：{}", o.name),
        None => format!("新建会议记录：{}", o.name),
    };
    let action = match editing {
        Some(id) => format!("/meetings/{id}/edit"),
        None => format!("/orgs/{}/meetings/new", o.id),
    };
    Ok(render(
        FormPage {
            shell: page.shell(title, "orgs"),
            org: o,
            editing,
            action,
            kinds: kinds(),
            groups,
            roster,
            form,
            errors,
        },
        status,
    ))
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let mut form = MeetingForm::default();
    let at = if q.at.trim().is_empty() {
        local(&tuanwu_app::audit::format_time(ctx.clock.now()))
    } else {
        q.at.clone()
    };
    form.values.insert("started_at".into(), at.clone());
    form.values.insert("kind".into(), q.kind.clone());
    // 全部出席: every member on the day's roster starts ticked.
    if let Ok(roster) = uc::roster_at(&ctx, &page.actor, id, Some(&at)).await {
        form.present = roster.iter().map(|r| r.member_id).collect();
    }
    form_page(&ctx, page, id, None, form, FormErrors::default()).await
}

/// Uploads the submitted files to the file store and lists them on the form; a file the store
/// refuses (type, size) is the form's `files` error.
async fn upload_all(
    ctx: &Context,
    page: &PageActor,
    form: &mut MeetingForm,
    files: Vec<(String, Vec<u8>)>,
) -> Result<(), AppError> {
    for (name, bytes) in files {
        let f = file::upload(ctx, &page.actor, &name, bytes)
            .await
            .map_err(|e| match e {
                // Several files go at once: say which one was refused.
                AppError::Domain(mut d) => {
                    d.message = format!("“{name}”未能上传：{}", d.message);
                    AppError::Domain(d.field("files"))
                }
                other => other,
            })?;
        form.attach(f.id, f.name);
    }
    Ok(())
}

/// The form's errors, with an attachment refusal shown at the file picker.
fn form_errors(e: AppError) -> Result<FormErrors, PageError> {
    let mut errors = super::super::transfer::action_errors(e)?;
    for (f, _) in errors.fields.iter_mut() {
        if f == "file_ids" || f == "file" {
            *f = "files".into();
        }
    }
    Ok(errors)
}

pub async fn create(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let MultipartForm { pairs, files } = MultipartForm::read(&page, body, "files").await?;
    let mut form = MeetingForm::of(pairs);
    if let Err(e) = upload_all(&ctx, &page, &mut form, files).await {
        let errors = form_errors(e)?;
        return form_page(&ctx, page, id, None, form, errors).await;
    }
    let roster = uc::roster_at(&ctx, &page.actor, id, Some(form.value("started_at")))
        .await
        .unwrap_or_default();
    match uc::create(&ctx, &page.actor, id, form.input(&roster)).await {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?saved=recorded", m.id)).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            form_page(&ctx, page, id, None, form, errors).await
        }
    }
}

pub async fn edit_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Response, PageError> {
    let m = uc::get(&ctx, &page.actor, id).await?;
    if !m.actions.edit {
        return Err(
            AppError::forbidden("这条会议记录不能修改：已删除的记录须先由上级组织恢复").into(),
        );
    }
    let mut form = MeetingForm::default();
    for (k, v) in [
        ("kind", m.kind.clone()),
        ("started_at", local(&m.started_at)),
        ("place", m.place.clone()),
        ("topic", m.topic.clone()),
        ("content", m.content.clone()),
        ("presenter", m.presenter.clone().unwrap_or_default()),
        ("recorder", m.recorder.clone().unwrap_or_default()),
        ("speaker", m.speaker.clone().unwrap_or_default()),
        ("invitees", m.invitees.clone().unwrap_or_default()),
        (
            "group_id",
            m.group_id.map(|g| g.to_string()).unwrap_or_default(),
        ),
    ] {
        form.values.insert(k.into(), v);
    }
    for f in &m.files {
        form.attach(f.id, f.name.clone());
    }
    for a in &m.attendees {
        if a.present {
            form.present.push(a.member_id);
        } else {
            form.reasons
                .insert(a.member_id, a.absence_reason.clone().unwrap_or_default());
        }
    }
    form_page(
        &ctx,
        page,
        OrgId(m.org_id),
        Some(id.0),
        form,
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<MeetingId>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let MultipartForm { pairs, files } = MultipartForm::read(&page, body, "files").await?;
    let m = uc::get(&ctx, &page.actor, id).await?;
    let org = OrgId(m.org_id);
    let mut form = MeetingForm::of(pairs);
    if let Err(e) = upload_all(&ctx, &page, &mut form, files).await {
        let errors = form_errors(e)?;
        return form_page(&ctx, page, org, Some(id.0), form, errors).await;
    }
    let roster = uc::roster_at(&ctx, &page.actor, org, Some(form.value("started_at")))
        .await
        .unwrap_or_default();
    let input = form.input(&roster);
    let patch = MeetingPatch {
        kind: Some(input.kind),
        started_at: Some(input.started_at),
        place: Some(input.place),
        topic: Some(input.topic),
        content: Some(input.content),
        presenter: input.presenter,
        recorder: input.recorder,
        speaker: input.speaker,
        invitees: input.invitees,
        attendee_ids: Some(input.attendee_ids),
        absentees: Some(input.absentees),
        group_id: input.group_id,
        file_ids: input.file_ids,
    };
    match uc::edit(&ctx, &page.actor, id, patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?saved=edited")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            form_page(&ctx, page, org, Some(id.0), form, errors).await
        }
    }
}
