//! Groups (GRP-1): each case gets a fresh group of branch A1 with a fresh member in it.

use serde_json::json;
use tuanwu_domain::account::Permission;

use super::run::Prepared;
use super::world::World;
use super::{item, Level, Need, Spec, Who};

use Level::Branch;
use Need::{Perm, Read};

pub const SPECS: &[Spec] = &[
    item("groups_list", Branch, Read),
    item("groups_create", Branch, Perm(Permission::Members)),
    item("groups_get", Branch, Read),
    item("groups_update", Branch, Perm(Permission::Members)),
    item("groups_delete", Branch, Perm(Permission::Members)),
    item("groups_add_member", Branch, Perm(Permission::Members)),
    item("groups_remove_member", Branch, Perm(Permission::Members)),
    item("groups_move_member", Branch, Perm(Permission::Members)),
];

matrix_test!(groups_matrix, "groups", SPECS, build);

/// A fresh group of A1 holding a fresh member: (group, member).
async fn group(w: &World<'_>) -> (i64, i64) {
    let n = w.next_seq();
    let g = crate::groups::create_group(w.server, w.root(), w.fx.a1, &format!("矩阵小组{n}")).await;
    let m = w.fresh_member(w.fx.a1).await;
    crate::groups::add_to_group(w.server, w.root(), g, m.id).await;
    (g, m.id)
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let path = |id: i64| format!("/api/v1/groups/{id}");
    let branch = format!("/api/v1/orgs/{}/groups", w.fx.a1);
    match op {
        "groups_list" => Prepared::get(branch),
        "groups_create" => Prepared::post(
            branch.clone(),
            json!({"name": format!("新小组{}", w.next_seq())}),
        )
        .probe(branch),
        "groups_get" => Prepared::get(path(group(w).await.0)),
        "groups_update" => {
            let (g, m) = group(w).await;
            Prepared::patch(path(g), json!({"leader_id": m})).probe(path(g))
        }
        "groups_delete" => {
            let (g, _) = group(w).await;
            Prepared::delete(path(g)).probe(path(g))
        }
        "groups_add_member" => {
            let (g, _) = group(w).await;
            let m = w.fresh_member(w.fx.a1).await;
            Prepared::post(format!("{}/members", path(g)), json!({"member_id": m.id}))
                .probe(path(g))
        }
        "groups_remove_member" => {
            let (g, m) = group(w).await;
            Prepared::delete(format!("{}/members/{m}", path(g))).probe(path(g))
        }
        "groups_move_member" => {
            let (g, m) = group(w).await;
            let (to, _) = group(w).await;
            Prepared::post(
                format!("{}/members/{m}/move", path(g)),
                json!({"group_id": to}),
            )
            .probe(path(g))
            .probe(path(to))
        }
        other => panic!("groups: no builder for {other}"),
    }
}
