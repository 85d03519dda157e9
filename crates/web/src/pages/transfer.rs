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
use tuanwu_domain::graduation::Destination;
use tuanwu_domain::org::ExternalSystem;
use tuanwu_domain::transfer::{
    ArchiveDisposition, Initiator, TransferKind, TransferReason, TransferStatus,
};
use tuanwu_domain::{MemberId, OrgId};

use super::member::Pager;
use super::shell::{
    render, Empty, Field, Form, FormErrors, PageActor, PageError, SavedQuery, Shell, UploadForm,
};
use crate::extract::{ApiPath, ClientAddr};

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

/// (value, label) pairs of a labelled enum, for a select.
fn choices<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (key(*v), label(*v))).collect()
}

// ---------------------------------------------------------------- 转接进度 (TRF-8)

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListForm {
    status: String,
    direction: String,
    initiator: String,
    reason: String,
    kind: String,
    from: String,
    to: String,
    q: String,
    overdue: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "transfer/list.html")]
struct ListPage {
    shell: Shell,
    f: ListForm,
    is_admin: bool,
    statuses: Vec<(&'static str, &'static str)>,
    initiators: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    items: Vec<TransferView>,
    pager: Pager,
    errors: FormErrors,
    /// FLT-2: the answers of a batch decision just made, one per ticked transfer.
    batch: Option<BatchResult>,
    batch_reason: String,
    /// Some row waits for the viewer's decision: the batch form and its ticks.
    decidable: bool,
    /// The filters, carried by the batch form so the list comes back the same.
    hidden_filters: Vec<(&'static str, String)>,
}

/// One answer of a batch decision as the list shows it.
pub struct BatchRow {
    pub id: i64,
    pub name: String,
    pub ok: bool,
    pub status_label: String,
    pub error: String,
}

pub struct BatchResult {
    pub approving: bool,
    pub decided: usize,
    pub failed: usize,
    pub rows: Vec<BatchRow>,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    list_page(&ctx, page, f, FormErrors::default(), None, String::new()).await
}

async fn list_page(
    ctx: &Context,
    page: PageActor,
    f: ListForm,
    action_errors: FormErrors,
    batch: Option<BatchResult>,
    batch_reason: String,
) -> Result<Response, PageError> {
    let page_no = f.page.unwrap_or(1).max(1);
    let keep = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let query = ListTransfersQuery {
        status: keep(&f.status),
        direction: keep(&f.direction).filter(|_| page.is_admin()),
        initiator: keep(&f.initiator),
        reason: keep(&f.reason),
        kind: keep(&f.kind),
        from: keep(&f.from),
        to: keep(&f.to),
        q: keep(&f.q),
        overdue: Some(!f.overdue.is_empty()).filter(|o| *o),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
    };
    let (items, total, errors) = match uc::list(ctx, &page.actor, query).await {
        Ok((items, total)) => (items, total, action_errors),
        Err(e) => (Vec::new(), 0, FormErrors::from_app(e)?),
    };
    let base = serde_urlencoded::to_string([
        ("status", &f.status),
        ("direction", &f.direction),
        ("initiator", &f.initiator),
        ("reason", &f.reason),
        ("kind", &f.kind),
        ("from", &f.from),
        ("to", &f.to),
        ("q", &f.q),
        ("overdue", &f.overdue),
    ])
    .unwrap_or_default();
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
        base,
    };
    let status = errors.status();
    let hidden_filters = vec![
        ("status", f.status.clone()),
        ("direction", f.direction.clone()),
        ("initiator", f.initiator.clone()),
        ("reason", f.reason.clone()),
        ("kind", f.kind.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
        ("q", f.q.clone()),
        ("overdue", f.overdue.clone()),
    ];
    let shell = page.shell("组织关系转接", "transfers");
    let mut statuses = vec![("active", "进行中")];
    statuses.extend(choices(
        TransferStatus::ALL,
        TransferStatus::key,
        TransferStatus::label,
    ));
    Ok(render(
        ListPage {
            shell,
            f,
            is_admin: page.is_admin(),
            statuses,
            initiators: choices(Initiator::ALL, Initiator::key, Initiator::label),
            reasons: choices(
                TransferReason::ALL,
                TransferReason::key,
                TransferReason::label,
            ),
            kinds: choices(TransferKind::ALL, TransferKind::key, TransferKind::label),
            pager,
            errors,
            decidable: items.iter().any(|t| t.can_decide && t.status == "pending"),
            hidden_filters,
            items,
            batch,
            batch_reason,
        },
        status,
    ))
}

/// FLT-2: the batch form of the progress list — the ticked transfers (`ids`) approved or
/// rejected (`action`, `batch_reason`) one by one; the list comes back with every answer.
pub async fn batch_decide(
    State(ctx): State<Context>,
    Form((page, pairs)): Form<(PageActor, Vec<(String, String)>)>,
) -> Result<Response, PageError> {
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let filters: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "ids" | "action" | "batch_reason"))
        .collect();
    let f: ListForm = serde_urlencoded::to_string(&filters)
        .ok()
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let action = value("action");
    let reason = value("batch_reason");
    if action == "reject" && reason.is_empty() {
        let errors = field_error(
            "batch_reason",
            "批量驳回须填写驳回理由，理由将告知每一位申请人",
        );
        return list_page(&ctx, page, f, errors, None, reason).await;
    }
    let input = BatchDecideInput {
        ids,
        action: action.clone(),
        reason: Some(reason.clone()).filter(|r| !r.is_empty()),
    };
    let result = match batch_uc::batch_decide(&ctx, &page.actor, input).await {
        Ok(r) => r,
        Err(e) => {
            let errors = action_errors(e)?;
            return list_page(&ctx, page, f, errors, None, reason).await;
        }
    };
    let mut rows = Vec::with_capacity(result.items.len());
    for item in result.items {
        let name = match uc::get(&ctx, &page.actor, item.id).await {
            Ok(t) => t.member_name,
            Err(_) => format!("#{}", item.id),
        };
        rows.push(BatchRow {
            id: item.id,
            name,
            ok: item.ok,
            status_label: item
                .status
                .as_deref()
                .and_then(|s| TransferStatus::parse(s).ok())
                .map(|s| s.label().to_string())
                .unwrap_or_default(),
            error: item.error.map(|e| e.message).unwrap_or_default(),
        });
    }
    let batch = BatchResult {
        approving: action == "approve",
        decided: result.decided,
        failed: result.failed,
        rows,
    };
    list_page(
        &ctx,
        page,
        f,
        FormErrors::default(),
        Some(batch),
        String::new(),
    )
    .await
}

// ---------------------------------------------------------------- 转接详情与办理 (TRF-4, TRF-9)

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
    /// The approve form: the viewer decides, the transfer waits for approval (not TRF-9).
    can_approve: bool,
    can_reject: bool,
    /// TRF-9: the proof upload.
    can_report: bool,
    /// TRF-4: the target is not a branch: (id, path below the target) of its branches.
    branches: Option<Vec<(i64, String)>>,
    /// TRF-13: the letter form (an admin on the source side, a finished transfer).
    can_issue_letter: bool,
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
    if t.kind == "branch" {
        return Ok(None);
    }
    let prefix = format!("{} / ", t.path);
    let mut out = Vec::new();
    let mut queue = vec![t.id];
    let mut seen = 0usize;
    while let Some(id) = queue.pop() {
        for o in org_uc::children(ctx, &page.actor, OrgId(id), false).await? {
            seen += 1;
            if o.kind == "branch" {
                if o.branch_type.as_deref() != Some("graduate") {
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
    id: i64,
    form: DecisionForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let t = uc::get(ctx, &page.actor, id).await?;
    let pending = t.status == "pending";
    let can_approve = t.can_decide && pending && t.kind != "external";
    let can_reject = t.can_decide && pending;
    let can_report = t.can_decide && t.status == "awaiting_report";
    let branches = match (&t.target_org, can_approve, t.pending_party.as_deref()) {
        (Some(target), true, Some("target")) => branches_under(ctx, &page, target.id).await?,
        _ => None,
    };
    let finished = t.status == "completed" || t.status == "awaiting_report";
    let source_in_scope = match &t.source_org {
        Some(s) if page.is_admin() => org_uc::get(ctx, &page.actor, OrgId(s.id)).await.is_ok(),
        _ => false,
    };
    let can_issue_letter = finished && source_in_scope;
    let mut form = form;
    if form.handler.is_empty() {
        form.handler = page.actor.name.clone();
    }
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
            can_approve,
            can_reject,
            can_report,
            branches,
            can_issue_letter,
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
    ApiPath(id): ApiPath<i64>,
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
    id: i64,
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
    ApiPath(id): ApiPath<i64>,
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
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, DecisionForm)>,
) -> Result<Response, PageError> {
    let result = uc::reject(&ctx, &page.actor, id, &form.reason).await;
    after_action(&ctx, page, id, form, result, "rejected").await
}

pub async fn cancel(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let result = uc::cancel(&ctx, &page.actor, id).await;
    after_action(&ctx, page, id, DecisionForm::default(), result, "cancelled").await
}

/// TRF-9: the proof form posts multipart (`file`, `csrf`): store the file, then complete.
pub async fn external_report(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
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

// ---------------------------------------------------------------- 发起转接 (TRF-1 … TRF-7, TRF-11)

/// What the start form holds, as typed; kept after an error. The GET of the org search carries
/// the first four.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    /// `out` (an admin's member, 转出) | `in` (转入: name + resident ID); a member starts their own.
    mode: String,
    member_id: String,
    q: String,
    province_id: String,
    name: String,
    resident_id: String,
    /// `org` | `special` | `external`.
    target_type: String,
    target_org_id: String,
    destination: String,
    external_system: String,
    reason: String,
    note: String,
    /// FLT-2: the 流动团员信息汇总表 fields, sent only when the destination is chosen.
    floating_destination: String,
    floating_reason: String,
    floating_contact: String,
    floating_responsible: String,
    floating_responsible_contact: String,
    floating_remarks: String,
    /// FLT-5: the retention application, sent only when one of its fields is filled.
    abroad_country: String,
    abroad_university: String,
    abroad_degree: String,
    abroad_period: String,
    abroad_domestic_contact: String,
    abroad_relation: String,
    abroad_phone: String,
}

impl StartForm {
    fn abroad_values(&self) -> [&String; 7] {
        [
            &self.abroad_country,
            &self.abroad_university,
            &self.abroad_degree,
            &self.abroad_period,
            &self.abroad_domestic_contact,
            &self.abroad_relation,
            &self.abroad_phone,
        ]
    }

    /// The `floating` part of the input: only when its destination is chosen.
    fn floating_input(&self) -> Option<FloatingInput> {
        if self.floating_destination.trim().is_empty() {
            return None;
        }
        let abroad = self
            .abroad_values()
            .iter()
            .any(|v| !v.trim().is_empty())
            .then(|| AbroadInput {
                country: self.abroad_country.clone(),
                university: self.abroad_university.clone(),
                degree: self.abroad_degree.clone(),
                period: self.abroad_period.clone(),
                domestic_contact: self.abroad_domestic_contact.clone(),
                relation: self.abroad_relation.clone(),
                phone: self.abroad_phone.clone(),
            });
        Some(FloatingInput {
            destination: self.floating_destination.trim().to_string(),
            reason: self.floating_reason.clone(),
            contact: self.floating_contact.clone(),
            responsible: self.floating_responsible.clone(),
            responsible_contact: self.floating_responsible_contact.clone(),
            remarks: Some(self.floating_remarks.trim().to_string()).filter(|r| !r.is_empty()),
            abroad,
        })
    }
}

/// ORG-5 on the start form: the province (optional), a keyword, the matches with full paths.
pub struct OrgSearch {
    pub q: String,
    pub province_id: String,
    pub provinces: Vec<(String, String)>,
    pub results: Option<Vec<DirectoryView>>,
    pub chosen: String,
}

async fn org_search(ctx: &Context, f: &StartForm) -> Result<OrgSearch, PageError> {
    let provinces = org_uc::directory(ctx, "", None)
        .await?
        .into_iter()
        .filter(|o| o.province_id == Some(o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let province = f.province_id.trim().parse::<i64>().ok();
    let results = if f.q.trim().is_empty() && province.is_none() {
        None
    } else {
        Some(org_uc::directory(ctx, &f.q, province).await?)
    };
    // A single match is the obvious choice.
    let chosen = match (&results, f.target_org_id.is_empty()) {
        (Some(r), true) if r.len() == 1 => r[0].id.to_string(),
        _ => f.target_org_id.clone(),
    };
    Ok(OrgSearch {
        q: f.q.trim().to_string(),
        province_id: province.map(|p| p.to_string()).unwrap_or_default(),
        provinces,
        results,
        chosen,
    })
}

/// TRF-7 as the form shows it before anything is sent: the member's identity check and league
/// identity certification.
pub struct Prerequisites {
    pub identity_label: String,
    pub identity_ok: bool,
    pub league_label: String,
    pub league_ok: bool,
}

#[derive(Template)]
#[template(path = "transfer/new.html")]
struct NewPage {
    shell: Shell,
    is_admin: bool,
    mode: String,
    m: Option<MemberView>,
    prerequisites: Option<Prerequisites>,
    search: OrgSearch,
    target_type: String,
    member_fields: Vec<Field>,
    fields: Vec<Field>,
    special_field: Field,
    external_field: Field,
    /// FLT-2 / FLT-5: the floating fieldset and its abroad part, and whether they start open.
    floating_fields: Vec<Field>,
    abroad_fields: Vec<Field>,
    floating_open: bool,
    abroad_open: bool,
    errors: FormErrors,
}

impl StartForm {
    fn mode_for(&self, page: &PageActor) -> String {
        match (page.is_admin(), self.mode.as_str()) {
            (false, _) => "self".into(),
            (true, "in") => "in".into(),
            (true, _) => "out".into(),
        }
    }
}

async fn new_page_with(
    ctx: &Context,
    page: PageActor,
    f: StartForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let mode = f.mode_for(&page);
    let member_id = match mode.as_str() {
        "self" => page.actor.member_id.map(|m| m.0),
        "out" => f.member_id.trim().parse::<i64>().ok(),
        _ => None,
    };
    let (m, prerequisites) = match member_id {
        Some(id) => {
            let m = member_uc::get(ctx, &page.actor, MemberId(id)).await?;
            let league = archives_of(ctx, &page.actor, MemberId(id)).await.ok();
            let p = Prerequisites {
                identity_ok: m.identity_check == "verified"
                    || m.identity_check == "verified_offline",
                identity_label: m.identity_check_label.clone(),
                league_ok: league
                    .as_ref()
                    .is_some_and(|l| l.league_identity != "uncertified"),
                league_label: league.map(|l| l.league_identity_label).unwrap_or_default(),
            };
            (Some(m), Some(p))
        }
        None => (None, None),
    };
    let search = org_search(ctx, &f).await?;
    let target_type = match f.target_type.as_str() {
        "special" | "external" => f.target_type.clone(),
        _ => "org".to_string(),
    };
    let member_fields = if mode == "in" {
        vec![
            Field::text("name", "团员姓名", &f.name)
                .required()
                .hint("与身份证一致")
                .with_errors(&errors),
            Field::text("resident_id", "身份证号", &f.resident_id)
                .required()
                .hint("18位；姓名和身份证号都相符才能找到该团员")
                .with_errors(&errors),
        ]
    } else {
        Vec::new()
    };
    let fields = vec![
        Field::text("reason", "转接原因", &f.reason)
            .required()
            .choices(
                Some("（请选择）"),
                TransferReason::ALL.iter().map(|r| (r.key(), r.label())),
            )
            .with_errors(&errors),
        Field::text("note", "说明", &f.note)
            .hint("原因为“其他”时必填，写明具体原因；也可写给对方组织的其他说明")
            .with_errors(&errors),
    ];
    let special_field = Field::text("destination", "去向单位名称", &f.destination)
        .hint("如：某部队、某涉密单位（按对方要求填写）；由本省级团委审批")
        .with_errors(&errors);
    let external_field = Field::text("external_system", "转往", &f.external_system)
        .choices(
            Some("（请选择）"),
            ExternalSystem::ALL.iter().map(|e| (e.key(), e.label())),
        )
        .hint("团员在对方系统报到后，由本组织登记报到证明完成转接")
        .with_errors(&errors);
    let floating_fields = vec![
        Field::text("floating_destination", "毕业去向", &f.floating_destination)
            .choices(
                Some("（不转入流动团员团支部）"),
                [
                    Destination::PreparingStudy,
                    Destination::PreparingJob,
                    Destination::Other,
                ]
                .iter()
                .map(|d| (d.key(), d.label())),
            )
            .hint("选择后才会提交下面的流动团员信息")
            .with_errors(&errors),
        Field::text(
            "floating_reason",
            "转接原因（属于哪种流动团员情况）",
            &f.floating_reason,
        )
        .hint("如：没有升学、没有就业；二战考研；用人单位要求先转档案")
        .with_errors(&errors),
        Field::text("floating_contact", "本人常用联系方式", &f.floating_contact)
            .hint("手机号、邮箱或微信号")
            .with_errors(&errors),
        Field::text(
            "floating_responsible",
            "学社衔接工作负责人",
            &f.floating_responsible,
        )
        .with_errors(&errors),
        Field::text(
            "floating_responsible_contact",
            "负责人联系方式",
            &f.floating_responsible_contact,
        )
        .with_errors(&errors),
        Field::text("floating_remarks", "备注", &f.floating_remarks).with_errors(&errors),
    ];
    let abroad_fields = vec![
        Field::text("abroad_country", "去往国家（地区）", &f.abroad_country).with_errors(&errors),
        Field::text("abroad_university", "就读院校", &f.abroad_university).with_errors(&errors),
        Field::text("abroad_degree", "攻读学位", &f.abroad_degree)
            .hint("如：硕士、博士")
            .with_errors(&errors),
        Field::text("abroad_period", "学习期限", &f.abroad_period)
            .hint("如：2026-09 至 2028-06")
            .with_errors(&errors),
        Field::text(
            "abroad_domestic_contact",
            "国内联系人",
            &f.abroad_domestic_contact,
        )
        .with_errors(&errors),
        Field::text("abroad_relation", "与本人关系", &f.abroad_relation)
            .hint("如：父子、母女（直系亲属）")
            .with_errors(&errors),
        Field::text("abroad_phone", "国内联系人电话", &f.abroad_phone)
            .kind("tel")
            .with_errors(&errors),
    ];
    let chosen_type = search.results.as_ref().and_then(|r| {
        r.iter()
            .find(|o| o.id.to_string() == search.chosen)
            .and_then(|o| o.branch_type.clone())
    });
    let floating_error = errors.get("floating").is_some();
    let abroad_open = chosen_type.as_deref() == Some("floating_abroad")
        || f.abroad_values().iter().any(|v| !v.trim().is_empty())
        || errors
            .fields
            .iter()
            .any(|(n, m)| n == "floating" && m.contains("申请"));
    let floating_open = abroad_open
        || floating_error
        || chosen_type.as_deref() == Some("floating")
        || !f.floating_destination.trim().is_empty();
    let status = errors.status();
    let heading = match &m {
        Some(m) => format!("发起组织关系转接：{}", m.name),
        None => "发起组织关系转接".to_string(),
    };
    let shell = page.shell(heading, "transfers");
    Ok(render(
        NewPage {
            shell,
            is_admin: page.is_admin(),
            mode,
            m,
            prerequisites,
            search,
            target_type,
            member_fields,
            fields,
            special_field,
            external_field,
            floating_fields,
            abroad_fields,
            floating_open,
            abroad_open,
            errors,
        },
        status,
    ))
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<StartForm>,
) -> Result<Response, PageError> {
    new_page_with(&ctx, page, f, FormErrors::default()).await
}

fn field_error(field: &str, message: &str) -> FormErrors {
    FormErrors {
        fields: vec![(field.into(), message.into())],
        general: None,
    }
}

pub async fn create(
    State(ctx): State<Context>,
    Form((page, f)): Form<(PageActor, StartForm)>,
) -> Result<Response, PageError> {
    let mode = f.mode_for(&page);
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut input = StartTransferInput {
        member_id: None,
        name: None,
        resident_id: None,
        target_org_id: None,
        special_unit: None,
        external_system: None,
        reason: f.reason.clone(),
        note: text(&f.note),
        floating: f.floating_input(),
    };
    match mode.as_str() {
        "in" => {
            input.name = Some(f.name.clone());
            input.resident_id = Some(f.resident_id.clone());
        }
        "out" => input.member_id = f.member_id.trim().parse().ok(),
        _ => input.member_id = page.actor.member_id.map(|m| m.0),
    }
    match f.target_type.as_str() {
        "special" => {
            input.special_unit = Some(SpecialUnitInput {
                destination: f.destination.clone(),
            })
        }
        "external" => {
            if f.external_system.trim().is_empty() {
                let errors = field_error("external_system", "请选择转往北京、广东还是福建");
                return new_page_with(&ctx, page, f, errors).await;
            }
            input.external_system = text(&f.external_system);
        }
        _ => {
            let Ok(target) = f.target_org_id.trim().parse::<i64>() else {
                let errors = field_error(
                    "target_org_id",
                    "请先在上方搜索转入的团组织，再从结果中选择一个；转往军队等特殊单位或北京/广东/福建的，请选择对应选项",
                );
                return new_page_with(&ctx, page, f, errors).await;
            };
            input.target_org_id = Some(target);
        }
    }
    if mode == "out" && input.member_id.is_none() {
        let errors = FormErrors {
            fields: Vec::new(),
            general: Some(
                "请先在团员页面点击“发起转接”选择要转出的团员；转入本组织的团员请选择“转入”，按姓名和身份证号查找"
                    .into(),
            ),
        };
        return new_page_with(&ctx, page, f, errors).await;
    }
    match uc::start(&ctx, &page.actor, input).await {
        Ok(t) => Ok(Redirect::to(&format!("/transfers/{}?saved=started", t.id)).into_response()),
        Err(e) => {
            let mut errors = action_errors(e)?;
            for (name, _) in errors.fields.iter_mut() {
                match name.as_str() {
                    "special_unit" => *name = "destination".into(),
                    "member_id" => name.clear(),
                    _ => {}
                }
            }
            if let Some(i) = errors.fields.iter().position(|(f, _)| f.is_empty()) {
                let (_, m) = errors.fields.remove(i);
                errors.general.get_or_insert(m);
            }
            new_page_with(&ctx, page, f, errors).await
        }
    }
}

// ---------------------------------------------------------------- 团员的转接记录 (TRF-2)

#[derive(Template)]
#[template(path = "transfer/history.html")]
struct HistoryPage {
    shell: Shell,
    m: MemberView,
    items: Vec<TransferView>,
    can_start: bool,
}

pub async fn member_history(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let m = member_uc::get(&ctx, &page.actor, MemberId(id)).await?;
    let items = uc::for_member(&ctx, &page.actor, MemberId(id)).await?;
    let can_start = m.status == "active"
        && !items
            .iter()
            .any(|t| t.status == "pending" || t.status == "awaiting_report");
    let section = if page.is_admin() { "transfers" } else { "me" };
    let shell = page.shell(format!("转接记录 · {}", m.name), section);
    Ok(render(
        HistoryPage {
            shell,
            m,
            items,
            can_start,
        },
        StatusCode::OK,
    ))
}

// ---------------------------------------------------------------- 查找团员所在组织 (TRF-10)

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
