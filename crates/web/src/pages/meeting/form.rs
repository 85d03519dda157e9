//! 新建记录 and 修改记录: the record's fields and the roster at the meeting's date as tick boxes,
//! all ticked (全部出席); untick who was absent and give each a reason. Shown again with the
//! typed values and the refusal next to its field when a check fails.

use std::collections::HashMap;

use super::*;

/// What the form holds, kept after an error.
#[derive(Default)]
pub struct MeetingForm {
    pub values: HashMap<String, String>,
    /// Ticked member ids.
    pub present: Vec<i64>,
    /// Absence reasons by member id.
    pub reasons: HashMap<i64, String>,
}

impl MeetingForm {
    fn of(pairs: Vec<(String, String)>) -> Self {
        let mut f = MeetingForm::default();
        for (k, v) in pairs {
            if k == "present" {
                if let Ok(id) = v.trim().parse() {
                    f.present.push(id);
                }
            } else if let Some(id) = k.strip_prefix("reason_").and_then(|s| s.parse().ok()) {
                f.reasons.insert(id, v);
            } else {
                f.values.insert(k, v);
            }
        }
        f
    }

    pub fn value(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn ticked(&self, id: &i64) -> bool {
        self.present.contains(id)
    }

    pub fn reason(&self, id: &i64) -> &str {
        self.reasons.get(id).map(String::as_str).unwrap_or_default()
    }

    fn opt(&self, k: &str) -> Option<String> {
        Some(self.value(k).to_string())
    }

    /// Unticked members with a reason are absent; unticked without one are not listed (a
    /// 支部大会 then refuses, naming them).
    fn absentees(&self, roster: &[RosterEntry]) -> Vec<AbsenteeInput> {
        roster
            .iter()
            .filter(|r| !self.ticked(&r.member_id))
            .filter(|r| !self.reason(&r.member_id).trim().is_empty())
            .map(|r| AbsenteeInput {
                member_id: r.member_id,
                reason: Some(self.reason(&r.member_id).to_string()),
            })
            .collect()
    }

    fn input(&self, roster: &[RosterEntry]) -> MeetingInput {
        MeetingInput {
            kind: self.value("kind").into(),
            started_at: self.value("started_at").into(),
            place: self.value("place").into(),
            topic: self.value("topic").into(),
            content: self.value("content").into(),
            presenter: self.opt("presenter"),
            recorder: self.opt("recorder"),
            speaker: self.opt("speaker"),
            invitees: self.opt("invitees"),
            attendee_ids: self.present.clone(),
            absentees: self.absentees(roster),
            group_id: self.value("group_id").trim().parse().ok(),
            file_ids: None,
        }
    }
}

#[derive(Template)]
#[template(path = "meeting/form.html")]
struct FormPage {
    shell: Shell,
    org: OrgInfo,
    /// `None` for a new record.
    editing: Option<i64>,
    action: String,
    kinds: Vec<(&'static str, &'static str)>,
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

pub async fn create(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<OrgId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let form = MeetingForm::of(pairs);
    let roster = uc::roster_at(&ctx, &page.actor, id, Some(form.value("started_at")))
        .await
        .unwrap_or_default();
    match uc::create(&ctx, &page.actor, id, form.input(&roster)).await {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?saved=recorded", m.id)).into_response()),
        Err(e) => {
            let errors = super::super::transfer::action_errors(e)?;
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
    ApiPath(id): ApiPath<MeetingId>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let m = uc::get(&ctx, &page.actor, id).await?;
    let org = OrgId(m.org_id);
    let form = MeetingForm::of(pairs);
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
        file_ids: None,
    };
    match uc::edit(&ctx, &page.actor, id, patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?saved=edited")).into_response()),
        Err(e) => {
            let errors = super::super::transfer::action_errors(e)?;
            form_page(&ctx, page, org, Some(id.0), form, errors).await
        }
    }
}
