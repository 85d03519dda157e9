//! 流动团员详情与办理 (FLT-3, FLT-4): one record with the contact log, and the actions its view
//! says the viewer may take: log a contact, the single extension, the step an admin confirms.

use tuanwu_domain::floating::Step;

use super::*;

/// What the action forms of the record page hold, kept after an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecordForm {
    contacted_on: String,
    note: String,
    reason: String,
    step: String,
}

#[derive(Template)]
#[template(path = "floating/show.html")]
struct ShowPage {
    shell: Shell,
    v: FloatingView,
    contact_fields: Vec<Field>,
    extend_field: Field,
    errors: FormErrors,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: FloatingId,
    form: RecordForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let v = uc::get(ctx, &page.actor, id).await?;
    let contacted_on = if form.contacted_on.is_empty() {
        ctx.clock.today().to_string()
    } else {
        form.contacted_on.clone()
    };
    let contact_fields = vec![
        Field::text("contacted_on", "联系日期", &contacted_on)
            .kind("date")
            .required()
            .with_errors(&errors),
        Field::text("note", "联系情况", &form.note)
            .required()
            .hint("联系方式和近况，如：电话联系，正在准备考研复试")
            .with_errors(&errors),
    ];
    let extend_field = Field::text("reason", "延长理由", &form.reason)
        .required()
        .hint("如：考研调剂中、用人单位尚未确定；只能延长一次，延长后保留期为入校流动团员团支部起一年")
        .with_errors(&errors);
    let status = errors.status();
    let mut shell = page.shell(format!("流动团员：{}", v.member_name), "orgs");
    shell.notice = notice;
    Ok(render(
        ShowPage {
            shell,
            v,
            contact_fields,
            extend_field,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<FloatingId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice(&[
        ("contact", "联系记录已登记。"),
        ("extended", "保留期已延长至入校流动团员团支部起一年。"),
        ("suspend", "已确认停止团籍。"),
        ("remove", "已确认除名。"),
    ]);
    show_page(
        &ctx,
        page,
        id,
        RecordForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

async fn after_action(
    ctx: &Context,
    page: PageActor,
    id: FloatingId,
    form: RecordForm,
    result: Result<FloatingView, AppError>,
    saved: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/floating/{id}?saved={saved}")).into_response()),
        Err(e) => {
            let errors = action_errors(e)?;
            show_page(ctx, page, id, form, errors, None).await
        }
    }
}

pub async fn add_contact(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<FloatingId>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let input = ContactInput {
        contacted_on: form.contacted_on.clone(),
        note: form.note.clone(),
    };
    let result = uc::add_contact(&ctx, &page.actor, id, input).await;
    after_action(&ctx, page, id, form, result, "contact").await
}

pub async fn extend(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<FloatingId>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let input = ExtendInput {
        reason: form.reason.clone(),
    };
    let result = uc::extend(&ctx, &page.actor, id, input).await;
    after_action(&ctx, page, id, form, result, "extended").await
}

pub async fn confirm_step(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<FloatingId>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let step = form.step.trim().to_string();
    let saved = match Step::parse(&step) {
        Ok(Step::Remove) => "remove",
        _ => "suspend",
    };
    let result = uc::confirm_step(&ctx, &page.actor, id, StepInput { step }).await;
    after_action(&ctx, page, id, form, result, saved).await
}
