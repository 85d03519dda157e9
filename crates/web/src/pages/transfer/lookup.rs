//! 查找团员所在组织 (TRF-10): the lost-member lookup.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LookupForm {
    name: String,
    resident_id: String,
}

#[derive(Template)]
#[template(path = "transfer/lookup.html")]
struct LookupPage {
    shell: Shell,
    fields: Vec<Field>,
    found: Option<LookupView>,
    general: Option<String>,
}

fn lookup_page(
    page: &PageActor,
    f: &LookupForm,
    found: Option<LookupView>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let fields = vec![
        Field::text("name", "团员姓名", &f.name)
            .required()
            .with_errors(&errors),
        Field::text("resident_id", "身份证号", &f.resident_id)
            .required()
            .hint("18位；姓名和身份证号都相符才会显示结果")
            .with_errors(&errors),
    ];
    render(
        LookupPage {
            shell: page.shell("查找团员所在组织", "transfers"),
            fields,
            found,
            general: errors.general,
        },
        status,
    )
}

pub async fn lookup_form(page: PageActor) -> Result<Response, PageError> {
    if !page.is_admin() {
        return Err(PageError::App(AppError::NotFound));
    }
    Ok(lookup_page(
        &page,
        &LookupForm::default(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    ))
}

pub async fn lookup_submit(
    State(ctx): State<Context>,
    ClientAddr(addr): ClientAddr,
    Form((page, f)): Form<(PageActor, LookupForm)>,
) -> Result<Response, PageError> {
    match lookup_uc::lookup(&ctx, &page.actor, &f.name, &f.resident_id, &addr).await {
        Ok(found) => Ok(lookup_page(
            &page,
            &f,
            Some(found),
            FormErrors::default(),
            StatusCode::OK,
        )),
        Err(AppError::TooManyRequests { message, .. }) => Ok(lookup_page(
            &page,
            &f,
            None,
            FormErrors {
                fields: Vec::new(),
                general: Some(message),
            },
            StatusCode::TOO_MANY_REQUESTS,
        )),
        Err(e) => {
            let errors = action_errors(e)?;
            let status = errors.status();
            Ok(lookup_page(&page, &f, None, errors, status))
        }
    }
}
