//! The Chinese HTML pages: server-rendered askama templates over the same `app` use cases as the
//! API. Forms post and redirect (POST-redirect-GET); failed forms re-render with field errors.

pub mod account;
pub mod archive;
pub mod audit;
pub mod cadre;
pub mod committee;
pub mod continuity;
pub mod event;
pub mod floating;
pub mod graduation;
pub mod grant;
pub mod group;
pub mod home;
pub mod identity;
pub mod import;
pub mod letter;
pub mod meeting;
pub mod member;
pub mod multipart;
pub mod org;
pub mod pre_session;
pub mod request;
pub mod session;
pub mod shell;
pub mod transfer;
pub mod when;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tuanwu_app::Context;

pub use shell::{PageActor, PageError, Shell};

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.js"),
    )
}

async fn import_template(_page: PageActor) -> Result<axum::response::Response, PageError> {
    let bytes = tuanwu_app::member::import::template()?;
    Ok(crate::api::request::attachment(
        crate::api::import::XLSX,
        "团员导入模板.xlsx",
        bytes,
    ))
}

async fn import_report(
    axum::extract::State(ctx): axum::extract::State<Context>,
    page: PageActor,
    crate::extract::ApiPath(id): crate::extract::ApiPath<i64>,
) -> Result<axum::response::Response, PageError> {
    let (name, bytes) = tuanwu_app::member::import::report_xlsx(&ctx, &page.actor, id).await?;
    Ok(crate::api::request::attachment(
        crate::api::import::XLSX,
        &name,
        bytes,
    ))
}

pub fn router() -> Router<Context> {
    Router::new()
        .route("/static/app.css", get(stylesheet))
        .route("/static/app.js", get(script))
        .route(
            "/login",
            get(session::login_page).post(session::login_submit),
        )
        .route("/logout", post(session::logout))
        .route(
            "/register-admin",
            get(account::register_admin_form).post(account::register_admin_submit),
        )
        .route(
            "/register",
            get(account::register_member_form).post(account::register_member_submit),
        )
        .route(
            "/forgot-password",
            get(account::forgot_password_form).post(account::forgot_password_submit),
        )
        .route(
            "/orgs/{id}/registration-code",
            post(account::registration_code),
        )
        .route("/members/{id}/reset-code", post(account::reset_code))
        .route(
            "/members/{id}/reset-code/{code}",
            get(account::reset_code_page),
        )
        .route(
            "/orgs/{id}/registration-code/{code}",
            get(account::registration_code_page),
        )
        .route(
            "/members/{id}/archives",
            get(archive::show)
                .post(archive::upload)
                .layer(crate::api::request::upload_limit()),
        )
        .route("/session/role", post(session::switch_role))
        .route(
            "/password",
            get(session::password_page).post(session::password_submit),
        )
        .route("/", get(home::home))
        .route("/orgs/{id}", get(org::show))
        .route("/orgs/{id}/new", get(org::new_page).post(org::create))
        .route("/orgs/{id}/edit", get(org::edit_page).post(org::update))
        .route("/orgs/{id}/delete", post(org::delete))
        .route("/orgs/{id}/restore", post(org::restore))
        .route("/orgs/{id}/admins", post(org::add_admin))
        .route(
            "/orgs/{id}/admins/{account_id}/remove",
            post(org::remove_admin),
        )
        .route("/orgs/{id}/members", get(member::list))
        .route("/orgs/{id}/meetings", get(meeting::list))
        .route(
            "/orgs/{id}/meetings/new",
            get(meeting::new_page)
                .post(meeting::create)
                .layer(crate::api::request::upload_limit()),
        )
        .route("/orgs/{id}/meeting-compliance", get(meeting::compliance))
        .route("/meetings/{id}", get(meeting::show))
        .route(
            "/meetings/{id}/edit",
            get(meeting::edit_page)
                .post(meeting::update)
                .layer(crate::api::request::upload_limit()),
        )
        .route("/meetings/{id}/delete", post(meeting::delete))
        .route("/meetings/{id}/restore", post(meeting::restore))
        .route("/members/new", get(member::new_page).post(member::create))
        .route("/members/{id}", get(member::show))
        .route(
            "/members/{id}/edit",
            get(member::edit_page).post(member::update),
        )
        .route("/members/{id}/password", post(member::set_password))
        .route("/members/{id}/contact", post(member::contact))
        .route("/members/{id}/identity", post(identity::confirm))
        .route("/orgs/{id}/identity", get(identity::show))
        .route("/orgs/{id}/continuity", get(continuity::show))
        .route(
            "/orgs/{id}/continuity/batch-transfer",
            post(continuity::batch_transfer),
        )
        .route("/search", get(member::search))
        .route("/audit", get(audit::list))
        .route("/orgs/{id}/cadres", get(cadre::list).post(cadre::add))
        .route("/cadres/{id}/end", post(cadre::end))
        .route("/cadres/{id}/remove", post(cadre::remove))
        .route("/orgs/{id}/groups", get(group::list).post(group::create))
        .route("/groups/{id}/members", post(group::add_member))
        .route(
            "/groups/{id}/members/{member_id}/remove",
            post(group::remove_member),
        )
        .route(
            "/groups/{id}/members/{member_id}/move",
            post(group::move_member),
        )
        .route("/groups/{id}/leader", post(group::set_leader))
        .route("/groups/{id}/delete", post(group::delete))
        .route("/orgs/{id}/committee", get(committee::show))
        .route("/orgs/{id}/term-changes", post(committee::change_term))
        .route("/orgs/{id}/class-committee", post(committee::set_class))
        .route("/events", get(event::list).post(event::publish))
        .route(
            "/events/{id}/signups",
            get(event::signups).post(event::sign_up),
        )
        .route("/events/{id}/cancel", post(event::cancel))
        .route("/events/{id}/attendance", post(event::attendance))
        .route("/orgs/{id}/grants", get(grant::list).post(grant::create))
        .route("/grants/{id}/revoke", post(grant::revoke))
        .route("/requests", get(request::list))
        .route("/requests/{id}", get(request::show))
        .route("/requests/{id}/approve", post(request::approve))
        .route("/requests/{id}/reject", post(request::reject))
        .route("/requests/{id}/cancel", post(request::cancel))
        .route("/members/{id}/requests/new", get(request::new_page))
        .route(
            "/members/{id}/requests",
            post(request::create).layer(crate::api::request::upload_limit()),
        )
        .route("/files/{id}", get(request::download))
        .route(
            "/orgs/{id}/import",
            get(import::page)
                .post(import::submit)
                .layer(crate::api::import::import_limit()),
        )
        .route("/imports/template.xlsx", get(import_template))
        .route("/imports/{id}/report.xlsx", get(import_report))
        .route("/orgs/{id}/reports/{file}", get(request::report))
        .route("/transfers", get(transfer::list))
        .route(
            "/transfers/new",
            get(transfer::new_page).post(transfer::create),
        )
        .route("/transfers/batch-decide", post(transfer::batch_decide))
        .route("/transfers/{id}", get(transfer::show))
        .route("/transfers/{id}/approve", post(transfer::approve))
        .route("/transfers/{id}/reject", post(transfer::reject))
        .route("/transfers/{id}/cancel", post(transfer::cancel))
        .route(
            "/transfers/{id}/external-report",
            post(transfer::external_report).layer(crate::api::request::upload_limit()),
        )
        .route("/transfers/{id}/letter", post(letter::issue))
        .route("/members/{id}/transfers", get(transfer::member_history))
        .route(
            "/transfer-lookup",
            get(transfer::lookup_form).post(transfer::lookup_submit),
        )
        .route(
            "/orgs/{id}/graduation",
            get(graduation::branches).post(graduation::mark),
        )
        .route(
            "/orgs/{id}/graduation/{branch}/change",
            post(graduation::request_change),
        )
        .route("/orgs/{id}/graduates", get(graduation::graduates))
        .route(
            "/orgs/{id}/graduates/delayed",
            post(graduation::delayed_batch),
        )
        .route(
            "/members/{id}/delayed-graduation",
            post(graduation::delayed_one),
        )
        .route(
            "/members/{id}/delayed-graduation/revoke",
            post(graduation::revoke),
        )
        .route("/members/{id}/destination", post(graduation::destination))
        .route("/orgs/{id}/floating", get(floating::list))
        .route("/floating/{id}", get(floating::show))
        .route("/floating/{id}/contacts", post(floating::add_contact))
        .route("/floating/{id}/extend", post(floating::extend))
        .route("/floating/{id}/steps", post(floating::confirm_step))
        .route("/floating/{id}/notice", get(floating::notice))
        .route("/floating/{id}/application", get(floating::application))
        .route("/letters/{id}", get(letter::show))
        .route("/letters/{id}/print", get(letter::print))
        .route("/letters/{id}/receipt", post(letter::receipt))
}
