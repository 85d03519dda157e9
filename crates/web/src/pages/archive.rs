//! E-archives on the member page (ARC-1 … ARC-4): the status of the 入团申请书 and 入团志愿书,
//! league identity certification, the upload history with its files, and the upload form
//! (multipart: the file is stored first, then the archive goes to the level above for review).

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tuanwu_app::archive::{self as uc, MemberArchivesView, UploadArchiveInput};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::{file, AppError, Context};
use tuanwu_domain::archive::ArchiveKind;
use tuanwu_domain::MemberId;

use super::shell::{render, FormErrors, PageActor, PageError, Shell, UploadForm};
use crate::extract::ApiPath;

/// What the archive section of a member page shows (templates/archive/card.html).
pub struct ArchiveCard {
    pub member_id: i64,
    pub v: MemberArchivesView,
    /// The kind chosen in the form, kept after an error.
    pub kind: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub errors: FormErrors,
}

impl ArchiveCard {
    /// An RFC 3339 time as people read it, to the minute: `2026-11-29 10:00`.
    pub fn when(&self, at: &str) -> String {
        super::when::minutes(at)
    }
}

/// The archive section for `member`, or nothing when the actor may not see the member's
/// archives (or the record is no longer active).
pub(crate) async fn card(
    ctx: &Context,
    page: &PageActor,
    member: MemberId,
) -> Result<Option<ArchiveCard>, PageError> {
    card_with(ctx, page, member, String::new(), FormErrors::default()).await
}

async fn card_with(
    ctx: &Context,
    page: &PageActor,
    member: MemberId,
    kind: String,
    errors: FormErrors,
) -> Result<Option<ArchiveCard>, PageError> {
    let v = match uc::archives_of(ctx, &page.actor, member).await {
        Ok(v) => v,
        Err(AppError::NotFound | AppError::Forbidden(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(Some(ArchiveCard {
        member_id: member.0,
        v,
        kind,
        kinds: ArchiveKind::ALL
            .iter()
            .map(|k| (k.key(), k.label()))
            .collect(),
        errors,
    }))
}

#[derive(Template)]
#[template(path = "archive/show.html")]
struct ShowPage {
    shell: Shell,
    m: MemberView,
    card: ArchiveCard,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: MemberId,
    kind: String,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let m = member_uc::get(ctx, &page.actor, id).await?;
    let card = card_with(ctx, &page, id, kind, errors)
        .await?
        .ok_or(PageError::App(AppError::NotFound))?;
    let section = if page.is_admin() { "orgs" } else { "me" };
    let shell = page.shell(format!("电子档案 · {}", m.name), section);
    Ok(render(ShowPage { shell, m, card }, status))
}

/// The archives of one member on a page of their own (the upload form's errors land here).
pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<MemberId>,
) -> Result<Response, PageError> {
    show_page(
        &ctx,
        page,
        id,
        String::new(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The upload form posts multipart (field `file`, `kind`, `csrf`): store the file, then submit
/// the archive for review; back to the member page, or the archive page with the errors.
pub async fn upload(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<MemberId>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let UploadForm {
        values,
        file: upload,
    } = UploadForm::read(&page, form).await?;
    let kind = values.get("kind").cloned().unwrap_or_default();
    let Some((name, bytes)) = upload else {
        let errors = FormErrors {
            fields: vec![(
                "file".into(),
                "请选择要上传的档案文件（PDF、JPEG或PNG，不超过20MB）".into(),
            )],
            general: None,
        };
        return show_page(
            &ctx,
            page,
            id,
            kind,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let result = async {
        let f = file::upload(&ctx, &page.actor, &name, bytes).await?;
        uc::upload(
            &ctx,
            &page.actor,
            id,
            UploadArchiveInput {
                kind: kind.clone(),
                file_id: f.id,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}?saved=archive#archives")).into_response()),
        Err(AppError::Forbidden(message)) => {
            let errors = FormErrors {
                fields: Vec::new(),
                general: Some(message),
            };
            show_page(&ctx, page, id, kind, errors, StatusCode::FORBIDDEN).await
        }
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            for (f, _) in errors.fields.iter_mut() {
                if f == "file_id" {
                    *f = "file".into();
                }
            }
            // Anything not about the two inputs is about the whole form.
            if let Some(i) = errors
                .fields
                .iter()
                .position(|(f, _)| f != "file" && f != "kind")
            {
                let (_, m) = errors.fields.remove(i);
                errors.general.get_or_insert(m);
            }
            show_page(
                &ctx,
                page,
                id,
                kind,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
