//! A meeting record with its attendees, attachments and history, and the buttons its view's
//! `actions` offer: edit, delete (with a reason), restore.

use super::*;

#[derive(Template)]
#[template(path = "meeting/show.html")]
struct ShowPage {
    shell: Shell,
    m: MeetingView,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    pub reason: String,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: MeetingId,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let m = uc::get(ctx, &page.actor, id).await?;
    let status = errors.status();
    let mut shell = page.shell(format!("{}：{}", m.kind_label, m.topic), "orgs");
    shell.notice = notice;
    Ok(render(ShowPage { shell, m, errors }, status))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<MeetingId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice(&[
        ("recorded", "会议记录已保存。"),
        ("edited", "会议记录已修改。"),
        ("restored", "会议记录已恢复。"),
    ]);
    show_page(&ctx, page, id, FormErrors::default(), notice).await
}

async fn after(
    ctx: &Context,
    page: PageActor,
    id: MeetingId,
    result: Result<MeetingView, AppError>,
    to: String,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&to).into_response()),
        Err(AppError::Forbidden(message)) | Err(AppError::Conflict { message, .. }) => {
            let errors = FormErrors {
                fields: Vec::new(),
                general: Some(message),
            };
            show_page(ctx, page, id, errors, None).await
        }
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_page(ctx, page, id, errors, None).await
        }
    }
}

pub async fn delete(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<MeetingId>,
    Form((page, form)): Form<(PageActor, DeleteForm)>,
) -> Result<Response, PageError> {
    let result = uc::delete(&ctx, &page.actor, id, Some(form.reason)).await;
    let to = match &result {
        Ok(m) => format!("/orgs/{}/meetings?saved=deleted", m.org_id),
        Err(_) => String::new(),
    };
    after(&ctx, page, id, result, to).await
}

pub async fn restore(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<MeetingId>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::restore(&ctx, &page.actor, id).await;
    after(
        &ctx,
        page,
        id,
        result,
        format!("/meetings/{id}?saved=restored"),
    )
    .await
}
