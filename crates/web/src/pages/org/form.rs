//! The org form: create under a parent, edit (ORG-4). An edit carries the version it was made
//! from, so a save over another admin's change is refused and the form shows what is stored now
//! (issue 15).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::org::{self as uc, CreateOrgInput, OrgView, UpdateOrgInput};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind, UNIT_CATEGORIES};
use tuanwu_domain::OrgId;

use crate::extract::ApiPath;
use crate::pages::shell::{opt, render, Field, Form, FormErrors, PageActor, PageError, Shell};

/// What the org form holds, as typed; kept after an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrgForm {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub category: String,
    pub branch_type: String,
    pub is_college: Option<String>,
    pub contact_person: String,
    pub contact_phone: String,
    pub address: String,
    pub postcode: String,
    pub external_system: String,
    /// The version the edit form was filled from (hidden); empty on a new org.
    pub version: String,
}

impl OrgForm {
    /// The edit form filled with what is stored now.
    fn of(o: OrgView) -> Self {
        OrgForm {
            name: o.name,
            short_name: o.short_name.unwrap_or_default(),
            kind: o.kind,
            category: o.category,
            branch_type: o.branch_type.unwrap_or_default(),
            is_college: None,
            contact_person: o.contact_person.unwrap_or_default(),
            contact_phone: o.contact_phone.unwrap_or_default(),
            address: o.address.unwrap_or_default(),
            postcode: o.postcode.unwrap_or_default(),
            external_system: o.external_system.unwrap_or_default(),
            version: o.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    action: String,
    fields: Vec<Field>,
    general: Option<String>,
    /// Sent back with the edit (hidden), for the stale-edit check.
    version: String,
}

fn form_page(
    page: &PageActor,
    heading: String,
    action: String,
    creating: bool,
    form: OrgForm,
    errors: FormErrors,
) -> Response {
    let status = errors.status();
    form_page_with(page, heading, action, creating, form, errors, status)
}

fn form_page_with(
    page: &PageActor,
    heading: String,
    action: String,
    creating: bool,
    form: OrgForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let kinds = OrgKind::ALL.iter().map(|k| (k.key(), k.label()));
    let types = BranchType::ALL.iter().map(|k| (k.key(), k.label()));
    let systems = ExternalSystem::ALL.iter().map(|k| (k.key(), k.label()));
    let mut fields = vec![
        Field::text("name", "组织全称", &form.name)
            .required()
            .hint("信函、表格上打印的名称，同一上级下不能重名"),
        Field::text("short_name", "简称", &form.short_name),
        Field::text("kind", "组织类型", &form.kind).choices(None, kinds),
        Field::text("category", "单位类别", &form.category)
            .choices(None, UNIT_CATEGORIES.iter().map(|c| (*c, *c))),
        Field::text("branch_type", "团支部类型（仅团支部）", &form.branch_type)
            .choices(Some("（非团支部不填）"), types),
    ];
    if creating {
        fields.push(
            Field::text(
                "is_college",
                "这是院系级组织（院系团委、分团委、团总支）",
                if form.is_college.is_some() { "1" } else { "" },
            )
            .kind("checkbox"),
        );
    }
    fields.extend([
        Field::text("contact_person", "联系人", &form.contact_person),
        Field::text("contact_phone", "联系电话", &form.contact_phone).kind("tel"),
        Field::text("address", "通讯地址", &form.address).hint("开具介绍信时使用"),
        Field::text("postcode", "邮政编码", &form.postcode),
        Field::text("external_system", "所属外部团务系统", &form.external_system)
            .choices(Some("无（使用本系统）"), systems)
            .hint("北京、广东、福建使用各自的系统，转往这些组织时按外部系统办理"),
    ]);
    let fields = fields.into_iter().map(|f| f.with_errors(&errors)).collect();
    render(
        FormPage {
            shell: page.shell(heading.clone(), "orgs"),
            heading,
            action,
            fields,
            general: errors.general,
            version: form.version,
        },
        status,
    )
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let parent = uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let form = OrgForm {
        category: parent.category.clone(),
        kind: "branch".into(),
        ..Default::default()
    };
    Ok(form_page(
        &page,
        format!("在“{}”下新建组织", parent.name),
        format!("/orgs/{id}/new"),
        true,
        form,
        FormErrors::default(),
    ))
}

pub async fn create(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, OrgForm)>,
) -> Result<Response, PageError> {
    let input = CreateOrgInput {
        parent_id: id,
        name: form.name.clone(),
        short_name: opt(&form.short_name),
        kind: form.kind.clone(),
        category: form.category.clone(),
        branch_type: opt(&form.branch_type),
        is_college: Some(form.is_college.is_some()),
        contact_person: opt(&form.contact_person),
        contact_phone: opt(&form.contact_phone),
        address: opt(&form.address),
        postcode: opt(&form.postcode),
        external_system: opt(&form.external_system),
    };
    match uc::create(&ctx, &page.actor, input).await {
        Ok(created) => Ok(Redirect::to(&format!("/orgs/{}", created.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let parent = uc::get(&ctx, &page.actor, OrgId(id)).await?;
            Ok(form_page(
                &page,
                format!("在“{}”下新建组织", parent.name),
                format!("/orgs/{id}/new"),
                true,
                form,
                errors,
            ))
        }
    }
}

pub async fn edit_page(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let o = uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let heading = format!("编辑“{}”", o.name);
    let form = OrgForm::of(o);
    Ok(form_page(
        &page,
        heading,
        format!("/orgs/{id}/edit"),
        false,
        form,
        FormErrors::default(),
    ))
}

pub async fn update(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, OrgForm)>,
) -> Result<Response, PageError> {
    let input = UpdateOrgInput {
        name: opt(&form.name),
        short_name: opt(&form.short_name),
        kind: opt(&form.kind),
        category: opt(&form.category),
        branch_type: opt(&form.branch_type),
        contact_person: opt(&form.contact_person),
        contact_phone: opt(&form.contact_phone),
        address: opt(&form.address),
        postcode: opt(&form.postcode),
        external_system: opt(&form.external_system),
        version: form.version.trim().parse().ok(),
    };
    match uc::update(&ctx, &page.actor, OrgId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(
            e @ AppError::Conflict {
                code: "stale_edit", ..
            },
        ) => {
            // What the other admin saved is what the form shows now; the user fills it again.
            let o = uc::get(&ctx, &page.actor, OrgId(id)).await?;
            let heading = format!("编辑“{}”", o.name);
            let errors = FormErrors::from_app(e)?;
            Ok(form_page_with(
                &page,
                heading,
                format!("/orgs/{id}/edit"),
                false,
                OrgForm::of(o),
                errors,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            let heading = format!("编辑“{}”", form.name);
            Ok(form_page(
                &page,
                heading,
                format!("/orgs/{id}/edit"),
                false,
                form,
                errors,
            ))
        }
    }
}
