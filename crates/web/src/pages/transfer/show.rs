//! 转接详情与办理 (TRF-4, TRF-9): a transfer with its history and the actions its view says the
//! viewer may take: approve with the archives check and a branch, reject, cancel, the external
//! report with its proof.

use super::*;

/// What the action forms of the detail page hold, kept after an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    pub branch_id: String,
    pub archives_checked: String,
    pub reason: String,
    pub archive_disposition: String,
    pub handler: String,
    pub dues_paid_until: String,
}

#[derive(Template)]
#[template(path = "transfer/show.html")]
struct ShowPage {
    shell: Shell,
    t: TransferView,
    /// TRF-4: the target is not a branch: (id, path below the target) of its branches.
    branches: Option<Vec<(i64, String)>>,
    dispositions: Vec<(&'static str, &'static str)>,
    form: DecisionForm,
    errors: FormErrors,
}

/// The live, non-graduate branches under `target` (any depth), as paths below it.
async fn branches_under(
    ctx: &Context,
    page: &PageActor,
    target: i64,
) -> Result<Option<Vec<(i64, String)>>, PageError> {
    let t = match org_uc::get(ctx, &page.actor, OrgId(target)).await {
        Ok(t) => t,
        Err(AppError::NotFound | AppError::Forbidden(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let is_branch = |kind: &str| OrgKind::parse(kind) == Ok(OrgKind::Branch);
    if is_branch(&t.kind) {
        return Ok(None);
    }
    let prefix = format!("{} / ", t.path);
    let mut out = Vec::new();
    let mut queue = vec![t.id];
    let mut seen = 0usize;
    while let Some(id) = queue.pop() {
        for o in org_uc::children(ctx, &page.actor, OrgId(id), false).await? {
            seen += 1;
            if is_branch(&o.kind) {
                let graduate = o.branch_type.as_deref().map(BranchType::parse)
                    == Some(Ok(BranchType::Graduate));
                if !graduate {
                    let below = o.path.strip_prefix(&prefix).unwrap_or(&o.path).to_string();
                    out.push((o.id, below));
                }
            } else {
                queue.push(o.id);
            }
        }
        if seen > 5000 {
            break;
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Some(out))
}

pub(crate) async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: TransferId,
    form: DecisionForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let t = uc::get(ctx, &page.actor, id).await?;
    // The branch picker belongs to the approve form when the target side places the member.
    let branches = match (&t.target_org, t.actions.approve, t.pending_party.as_deref()) {
        (Some(target), true, Some("target")) => branches_under(ctx, &page, target.id).await?,
        _ => None,
    };
    // 经办人 starts empty: the account's title (「XX学院团委书记」) is not a person's name.
    let mut form = form;
    if form.archive_disposition.is_empty() {
        form.archive_disposition = ArchiveDisposition::WithPersonnelFile.key().into();
    }
    let status = errors.status();
    let mut shell = page.shell(format!("组织关系转接：{}", t.member_name), "transfers");
    shell.notice = notice;
    Ok(render(
        ShowPage {
            shell,
            t,
            branches,
            dispositions: choices(
                ArchiveDisposition::ALL,
                ArchiveDisposition::key,
                ArchiveDisposition::label,
            ),
            form,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<TransferId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice(&[
        ("started", "转接申请已提交，等待对方办理。"),
        ("approved", "已审批通过，团员的组织关系已转入。"),
        ("rejected", "已驳回该转接申请。"),
        ("cancelled", "已撤销该转接申请。"),
        ("reported", "已登记外部系统报到证明，转接完成。"),
    ]);
    show_page(
        &ctx,
        page,
        id,
        DecisionForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

async fn after_action(
    ctx: &Context,
    page: PageActor,
    id: TransferId,
    form: DecisionForm,
    result: Result<TransferView, AppError>,
    saved: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/transfers/{id}?saved={saved}")).into_response()),
        Err(e) => {
            let errors = action_errors(e)?;
            show_page(ctx, page, id, form, errors, None).await
        }
    }
}

pub async fn approve(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<TransferId>,
    Form((page, form)): Form<(PageActor, DecisionForm)>,
) -> Result<Response, PageError> {
    let branch_id = form.branch_id.trim().parse::<i64>().ok();
    let input = ApproveInput {
        branch_id,
        archives_checked: Some(!form.archives_checked.is_empty()),
    };
    let result = uc::approve(&ctx, &page.actor, id, input).await;
    after_action(&ctx, page, id, form, result, "approved").await
}

pub async fn reject(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<TransferId>,
    Form((page, form)): Form<(PageActor, DecisionForm)>,
) -> Result<Response, PageError> {
    let result = uc::reject(&ctx, &page.actor, id, &form.reason).await;
    after_action(&ctx, page, id, form, result, "rejected").await
}

pub async fn cancel(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<TransferId>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::cancel(&ctx, &page.actor, id).await;
    after_action(&ctx, page, id, DecisionForm::default(), result, "cancelled").await
}

/// TRF-9: the proof form posts multipart (`file`, `csrf`): store the file, then complete.
pub async fn external_report(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<TransferId>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let UploadForm { file: upload, .. } = UploadForm::read(&page, form).await?;
    let Some((name, bytes)) = upload else {
        let errors = FormErrors {
            fields: vec![(
                "file".into(),
                "请选择团员在外部系统报到的证明文件（PDF、JPEG或PNG，不超过20MB）".into(),
            )],
            general: None,
        };
        return show_page(&ctx, page, id, DecisionForm::default(), errors, None).await;
    };
    let result = async {
        let f = file::upload(&ctx, &page.actor, &name, bytes).await?;
        uc::external_report(&ctx, &page.actor, id, ExternalReportInput { file_id: f.id }).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/transfers/{id}?saved=reported")).into_response()),
        Err(e) => {
            let mut errors = action_errors(e)?;
            for (f, _) in errors.fields.iter_mut() {
                if f == "file_id" || f == "file_ids" {
                    *f = "file".into();
                }
            }
            show_page(&ctx, page, id, DecisionForm::default(), errors, None).await
        }
    }
}
