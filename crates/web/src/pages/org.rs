//! Org pages: the tree with counts and breadcrumbs, create/edit, delete/restore, admins.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::org::{
    self as uc, AddAdminInput, AdminView, CreateOrgInput, DeleteOrgInput, OrgView, UpdateOrgInput,
};
use tuanwu_app::Context;
use tuanwu_domain::org::{BranchType, ExternalSystem, OrgKind, UNIT_CATEGORIES};
use tuanwu_domain::OrgId;

use super::shell::{opt, render, Empty, Field, Form, FormErrors, PageActor, PageError, Shell};
use crate::extract::ApiPath;

pub struct Crumb {
    pub id: i64,
    pub name: String,
    pub link: bool,
}

#[derive(Template)]
#[template(path = "org/show.html")]
struct ShowPage {
    shell: Shell,
    org: OrgView,
    crumbs: Vec<Crumb>,
    children: Vec<(OrgView, Vec<OrgView>)>,
    deleted: Vec<OrgView>,
    admins: Vec<AdminView>,
    /// The actor administers a level above this org (delete, appoint admins).
    above: bool,
    errors: FormErrors,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: OrgId,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let org = uc::get(ctx, &page.actor, id).await?;
    let crumbs = uc::breadcrumbs(ctx, &page.actor, id)
        .await?
        .into_iter()
        .map(|(id, name, link)| Crumb { id, name, link })
        .collect();
    let all = uc::children(ctx, &page.actor, id, true).await?;
    let (deleted, live): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.deleted);
    let mut children = Vec::with_capacity(live.len());
    for c in live {
        let grandchildren = if c.child_count > 0 {
            uc::children(ctx, &page.actor, OrgId(c.id), false).await?
        } else {
            Vec::new()
        };
        children.push((c, grandchildren));
    }
    let admins = uc::list_admins(ctx, &page.actor, id).await?;
    let above = page.is_admin() && page.active.org_id != id.0;
    let shell = page.shell(org.name.clone(), "orgs");
    Ok(render(
        ShowPage {
            shell,
            org,
            crumbs,
            children,
            deleted,
            admins,
            above,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    show_page(&ctx, page, OrgId(id), FormErrors::default(), StatusCode::OK).await
}

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
}

#[derive(Template)]
#[template(path = "org/form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    action: String,
    fields: Vec<Field>,
    general: Option<String>,
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
    let form = OrgForm {
        name: o.name.clone(),
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
    };
    Ok(form_page(
        &page,
        format!("编辑“{}”", o.name),
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
    };
    match uc::update(&ctx, &page.actor, OrgId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
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

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    reason: String,
}

pub async fn delete(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, DeleteForm)>,
) -> Result<Response, PageError> {
    let parent = uc::get(&ctx, &page.actor, OrgId(id)).await?.parent_id;
    match uc::delete(
        &ctx,
        &page.actor,
        OrgId(id),
        DeleteOrgInput {
            reason: Some(form.reason),
        },
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", parent.unwrap_or(id))).into_response()),
        Err(e) => {
            let mut errors = FormErrors::from_app(e)?;
            if let Some(i) = errors.fields.iter().position(|(f, _)| f == "reason") {
                let (_, m) = errors.fields.remove(i);
                errors.general = Some(m);
            }
            show_page(
                &ctx,
                page,
                OrgId(id),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn restore(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    let restored = uc::restore(&ctx, &page.actor, OrgId(id)).await?;
    Ok(Redirect::to(&format!("/orgs/{}", restored.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AdminForm {
    login: String,
    password: String,
    name: String,
}

pub async fn add_admin(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, AdminForm)>,
) -> Result<Response, PageError> {
    let input = AddAdminInput {
        login: opt(&form.login),
        password: opt(&form.password),
        name: opt(&form.name),
        member_id: None,
    };
    match uc::add_admin(&ctx, &page.actor, OrgId(id), input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}#admins")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_app(e)?;
            show_page(
                &ctx,
                page,
                OrgId(id),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn remove_admin(
    State(ctx): State<Context>,
    ApiPath((id, account_id)): ApiPath<(i64, i64)>,
    Form((page, Empty {})): Form<(PageActor, Empty)>,
) -> Result<Response, PageError> {
    uc::remove_admin(&ctx, &page.actor, OrgId(id), account_id).await?;
    Ok(Redirect::to(&format!("/orgs/{id}#admins")).into_response())
}
