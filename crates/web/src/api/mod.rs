//! /api/v1: one module per area, each route documented for the OpenAPI document.

pub mod account;
pub mod archive;
pub mod audit;
pub mod auth;
pub mod cadre;
pub mod committee;
pub mod continuity;
pub mod doc;
pub mod event;
pub mod floating;
pub mod graduation;
pub mod grant;
pub mod group;
pub mod identity;
pub mod import;
pub mod meeting;
pub mod member;
pub mod org;
pub mod request;
pub mod transfer;

use serde::Serialize;
use tuanwu_app::Context;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Every list answers `{"items": [...], "total": N}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListView<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T> ListView<T> {
    pub fn new(items: Vec<T>, total: u64) -> Self {
        Self { items, total }
    }

    pub fn all(items: Vec<T>) -> Self {
        let total = items.len() as u64;
        Self { items, total }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tuanwu 团务 API",
        description = "共青团组织工作系统的 JSON 接口。错误统一为 {\"error\": {\"code\", \"message\", \"rule\", \"field\"}}。"
    ),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<Context> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::switch_role))
        .routes(routes!(auth::change_password))
        .routes(routes!(account::register_admin))
        .routes(routes!(account::register_member))
        .routes(routes!(account::reset_password))
        .routes(routes!(account::directory))
        .routes(routes!(account::registration_code))
        .routes(routes!(account::reset_code))
        .routes(routes!(archive::upload, archive::list))
        .routes(routes!(transfer::start, transfer::list))
        .routes(routes!(transfer::get))
        .routes(routes!(transfer::for_member))
        .routes(routes!(transfer::approve))
        .routes(routes!(transfer::reject))
        .routes(routes!(transfer::cancel))
        .routes(routes!(transfer::external_report))
        .routes(routes!(transfer::lookup))
        .routes(routes!(transfer::issue_letter))
        .routes(routes!(transfer::get_letter))
        .routes(routes!(transfer::receipt))
        .routes(routes!(transfer::batch_decide))
        .routes(routes!(floating::list))
        .routes(routes!(floating::get))
        .routes(routes!(floating::extend))
        .routes(routes!(floating::add_contact))
        .routes(routes!(floating::confirm_step))
        .routes(routes!(org::create, org::search))
        .routes(routes!(org::get, org::update, org::delete))
        .routes(routes!(org::restore))
        .routes(routes!(org::children))
        .routes(routes!(org::list_admins, org::add_admin))
        .routes(routes!(org::remove_admin))
        .routes(routes!(member::list_in_org))
        .routes(routes!(member::create, member::search))
        .routes(routes!(member::get, member::update))
        .routes(routes!(member::set_password))
        .routes(routes!(identity::confirm))
        .routes(routes!(identity::stats))
        .routes(routes!(audit::list))
        .routes(routes!(cadre::list, cadre::add))
        .routes(routes!(cadre::end, cadre::remove))
        .routes(routes!(group::list, group::create))
        .routes(routes!(group::get, group::update, group::delete))
        .routes(routes!(group::add_member))
        .routes(routes!(group::remove_member))
        .routes(routes!(group::move_member))
        .routes(routes!(committee::get))
        .routes(routes!(committee::overdue))
        .routes(routes!(committee::change_term))
        .routes(routes!(committee::get_class, committee::put_class))
        .routes(routes!(event::publish, event::list))
        .routes(routes!(event::sign_up, event::signups))
        .routes(routes!(event::cancel))
        .routes(routes!(event::attendance))
        .routes(routes!(event::signup_sheet))
        .routes(routes!(grant::create, grant::list))
        .routes(routes!(grant::revoke))
        .routes(routes!(request::upload).layer(request::upload_limit()))
        .routes(routes!(request::download))
        .routes(routes!(request::submit, request::list))
        .routes(routes!(request::get))
        .routes(routes!(request::approve))
        .routes(routes!(request::reject))
        .routes(routes!(request::cancel))
        .routes(routes!(request::todos))
        .routes(routes!(request::report))
        .routes(routes!(graduation::mark_one, graduation::branches))
        .routes(routes!(graduation::mark_batch))
        .routes(routes!(
            graduation::mark_delayed,
            graduation::revoke_delayed
        ))
        .routes(routes!(graduation::delayed_batch))
        .routes(routes!(graduation::delayed_list))
        .routes(routes!(
            graduation::set_destination,
            graduation::get_destination
        ))
        .routes(routes!(graduation::graduates))
        .routes(routes!(graduation::set_case))
        .routes(routes!(import::create).layer(import::import_limit()))
        .routes(routes!(import::template))
        .routes(routes!(import::progress))
        .routes(routes!(import::get))
        .routes(routes!(import::report))
        .routes(routes!(continuity::continuity))
        .routes(routes!(continuity::trend))
        .routes(routes!(continuity::batch_transfer))
        .routes(routes!(meeting::create, meeting::list))
        .routes(routes!(meeting::get, meeting::edit, meeting::delete))
        .routes(routes!(meeting::restore))
        .routes(routes!(meeting::compliance))
        .routes(routes!(meeting::targets, meeting::set_targets))
}
