//! Organisations, their admins, registration codes, grants, cadres and the audit log.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::fixtures::*;
use crate::harness::id_of;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Allow, Level, Need, Spec, Who};

use Level::{Branch, College};
use Need::{Full, Read};

pub const SPECS: &[Spec] = &[
    // ORG-5: the directory search registration and transfers use; any session may search it
    // and the answer carries names and paths only (the org itself is no secret).
    Spec {
        allow: Allow::Everyone,
        ..list("orgs_search", Branch, Read)
    },
    // Branches have no children: new orgs go under the college, by its admin or above.
    item("orgs_create", College, Full),
    item("orgs_get", Branch, Read),
    item("orgs_update", Branch, Full),
    // Deleting, restoring, appointing admins and issuing their registration codes are reserved
    // to the level above the org (ACC-5), so the branch's "own" admin is the college's.
    item("orgs_delete", College, Full),
    item("orgs_restore", College, Full),
    item("orgs_add_admin", College, Full),
    item("orgs_remove_admin", College, Full),
    item("accounts_registration_code", College, Full),
    item("orgs_list_admins", Branch, Read),
    item("orgs_children", College, Read),
    item("audit_list", Branch, Read),
    // Grants are made on a college (ACC-4).
    list("grants_list", College, Read),
    item("grants_create", College, Full),
    item("grants_revoke", College, Full),
    list("cadres_list", Branch, Read),
    item("cadres_add", Branch, Need::Perm(Permission::Cadres)),
    item("cadres_end", Branch, Need::Perm(Permission::Cadres)),
    item("cadres_remove", Branch, Need::Perm(Permission::Cadres)),
];

matrix_test!(orgs_matrix, "orgs", SPECS, build);

fn branch_body(parent: i64, name: &str) -> serde_json::Value {
    with(
        org_body(parent, name, "branch", UNIVERSITY),
        json!({"branch_type": "regular"}),
    )
}

/// A fresh branch under college A, made by root.
async fn fresh_branch(w: &World<'_>) -> i64 {
    let name = format!("计算机{}团支部", 2400 + w.next_seq());
    branch(w.server, w.root(), w.fx.col_a, &name).await
}

async fn fresh_cadre(w: &World<'_>) -> i64 {
    let m = w.fresh_member(w.fx.a1).await;
    id_of(
        &w.server
            .api(w.root())
            .post(
                &format!("/api/v1/orgs/{}/cadres", w.fx.a1),
                &json!({"member_id": m.id, "post": "组织委员", "started_on": "2025-09-01"}),
            )
            .await
            .ok(201),
    )
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let fx = &w.fx;
    let seq = w.next_seq();
    match op {
        "orgs_search" => {
            Prepared::get(format!("/api/v1/orgs?q={}", "计算机2301")).marker(BRANCH_A1)
        }
        "orgs_create" => {
            let name = format!("计算机{}团支部", 2400 + seq);
            Prepared::post("/api/v1/orgs", branch_body(fx.col_a, &name)).probe(format!(
                "/api/v1/orgs/{}/children?include_deleted=true",
                fx.col_a
            ))
        }
        "orgs_get" => Prepared::get(format!("/api/v1/orgs/{}", fx.a1)),
        "orgs_update" => Prepared::patch(
            format!("/api/v1/orgs/{}", fx.a1),
            json!({"contact_person": format!("联系人{}", super::world::chinese_number(seq))}),
        )
        .probe(format!("/api/v1/orgs/{}", fx.a1)),
        "orgs_delete" => {
            let b = fresh_branch(w).await;
            Prepared::delete(format!("/api/v1/orgs/{b}"))
                .json(json!({"reason": "班级合并，撤销该团支部"}))
                .probe(format!("/api/v1/orgs/{b}"))
        }
        "orgs_restore" => {
            let b = fresh_branch(w).await;
            let r = w
                .server
                .api(w.root())
                .delete_with(
                    &format!("/api/v1/orgs/{b}"),
                    &json!({"reason": "误建的团支部"}),
                )
                .await;
            assert_eq!(r.status, 204, "{r:?}");
            Prepared::post_empty(format!("/api/v1/orgs/{b}/restore"))
                .probe(format!("/api/v1/orgs/{b}"))
        }
        "orgs_add_admin" => Prepared::post(
            format!("/api/v1/orgs/{}/admins", fx.a1),
            json!({"login": format!("matrix_admin_{seq}"), "password": ADMIN_PASSWORD,
                   "name": "矩阵测试管理员"}),
        )
        .probe(format!("/api/v1/orgs/{}/admins", fx.a1)),
        "orgs_remove_admin" => {
            let b = fresh_branch(w).await;
            let a = admin(
                w.server,
                w.root(),
                b,
                &format!("matrix_admin_{seq}"),
                "矩阵测试管理员",
            )
            .await;
            Prepared::delete(format!("/api/v1/orgs/{b}/admins/{}", a.account_id))
                .probe(format!("/api/v1/orgs/{b}/admins"))
        }
        "accounts_registration_code" => {
            Prepared::post_empty(format!("/api/v1/orgs/{}/registration-codes", fx.a1))
        }
        "orgs_list_admins" => Prepared::get(format!("/api/v1/orgs/{}/admins", fx.a1)),
        "orgs_children" => {
            Prepared::get(format!("/api/v1/orgs/{}/children", fx.col_a)).marker(BRANCH_A1)
        }
        "audit_list" => Prepared::get(format!("/api/v1/audit?org_id={}", fx.a1)),
        "grants_list" => Prepared::get(format!("/api/v1/grants?org_id={}", fx.col_a))
            .marker(w.delegate_one_member.person.name.clone()),
        "grants_create" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(
                "/api/v1/grants",
                json!({"student_no": m.person.student_no, "college_id": fx.col_a,
                       "permissions": ["members"]}),
            )
            .probe(format!("/api/v1/grants?org_id={}", fx.col_a))
            .probe(format!("/api/v1/members/{}", m.id))
        }
        "grants_revoke" => {
            let m = w.fresh_member(fx.a1).await;
            let g = w
                .server
                .api(w.root())
                .post(
                    "/api/v1/grants",
                    &json!({"student_no": m.person.student_no, "college_id": fx.col_a,
                            "permissions": ["members"]}),
                )
                .await
                .ok(201);
            Prepared::delete(format!("/api/v1/grants/{}", id_of(&g)))
                .probe(format!("/api/v1/grants?org_id={}", fx.col_a))
        }
        "cadres_list" => {
            fresh_cadre(w).await;
            Prepared::get(format!("/api/v1/orgs/{}/cadres", fx.a1)).marker("组织委员")
        }
        "cadres_add" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(
                format!("/api/v1/orgs/{}/cadres", fx.a1),
                json!({"member_id": m.id, "post": "宣传委员", "started_on": "2025-09-01"}),
            )
            .probe(format!("/api/v1/orgs/{}/cadres", fx.a1))
        }
        "cadres_end" => {
            let c = fresh_cadre(w).await;
            Prepared::patch(
                format!("/api/v1/cadres/{c}"),
                json!({"ended_on": "2026-06-30"}),
            )
            .probe(format!("/api/v1/orgs/{}/cadres", fx.a1))
        }
        "cadres_remove" => {
            let c = fresh_cadre(w).await;
            Prepared::delete(format!("/api/v1/cadres/{c}"))
                .probe(format!("/api/v1/orgs/{}/cadres", fx.a1))
        }
        other => panic!("orgs: no builder for {other}"),
    }
}
