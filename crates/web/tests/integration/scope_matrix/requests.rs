//! Requests up the tree (SYS-2, SYS-3): A1's admin asks for a member's correction and college A
//! decides; the to-do list and the report sheets.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::harness::id_of;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Allow, Level, Need, Spec, Who};

use Level::{Branch, College};
use Need::{Perm, Read};

pub const SPECS: &[Spec] = &[
    item("requests_submit", Branch, Perm(Permission::Requests)),
    item("requests_get", Branch, Read),
    list("requests_list", Branch, Read),
    // The decider is the level above the requesting branch.
    item("requests_approve", College, Perm(Permission::Requests)),
    item("requests_reject", College, Perm(Permission::Requests)),
    // Only the requester withdraws.
    Spec {
        allow: Allow::Initiator,
        ..item("requests_cancel", Branch, Perm(Permission::Requests))
    },
    // SYS-3: the to-do list holds the decisions waiting at the caller's own org, so the school
    // above does not see college A's (nor does anyone outside).
    Spec {
        allow: Allow::ExactLevel,
        ..list("requests_todos", College, Read)
    },
    item("requests_report", College, Read),
];

matrix_test!(requests_matrix, "requests", SPECS, build);

/// A correction of a fresh A1 member, asked by A1's admin; returns its id and the member's name.
async fn pending(w: &World<'_>) -> (i64, String) {
    let m = w.fresh_member(w.fx.a1).await;
    let token = &w.fx.a1_admin.token;
    let file = crate::fixtures::upload_pdf(w.server, token).await;
    let r = w
        .server
        .api(token)
        .post("/api/v1/requests", &correction(m.id, file))
        .await
        .ok(201);
    (id_of(&r), m.person.name)
}

fn correction(member: i64, file: i64) -> serde_json::Value {
    json!({"kind": "member_correction", "member_id": member, "changes": {"joined_on": "2020-09"},
           "reason": "经核对入团志愿书，原记录有误", "file_ids": [file]})
}

pub async fn build(w: &World<'_>, op: &str, who: Who) -> Prepared {
    let fx = &w.fx;
    let path = |id: i64| format!("/api/v1/requests/{id}");
    match op {
        "requests_submit" => {
            let m = w.fresh_member(fx.a1).await;
            // Evidence must be the caller's own upload.
            let token = w.token(Branch, Perm(Permission::Requests), who);
            let file = crate::fixtures::upload_pdf(w.server, token).await;
            Prepared::post("/api/v1/requests", correction(m.id, file))
                .probe(format!("/api/v1/members/{}", m.id))
        }
        "requests_get" => {
            let (id, name) = pending(w).await;
            Prepared::get(path(id)).marker(name)
        }
        "requests_list" => {
            let (_, name) = pending(w).await;
            Prepared::get("/api/v1/requests?per_page=100").marker(name)
        }
        "requests_approve" => {
            let (id, _) = pending(w).await;
            Prepared::post_empty(format!("{}/approve", path(id))).probe(path(id))
        }
        "requests_reject" => {
            let (id, _) = pending(w).await;
            Prepared::post(
                format!("{}/reject", path(id)),
                json!({"reason": "证明材料不清晰，请重新上传"}),
            )
            .probe(path(id))
        }
        "requests_cancel" => {
            let (id, _) = pending(w).await;
            Prepared::post_empty(format!("{}/cancel", path(id))).probe(path(id))
        }
        "requests_todos" => {
            let (_, name) = pending(w).await;
            Prepared::get("/api/v1/todos").marker(name)
        }
        "requests_report" => Prepared::get(format!(
            "/api/v1/orgs/{}/reports/floating-members.xlsx",
            fx.col_a
        )),
        other => panic!("requests: no builder for {other}"),
    }
}
