//! Floating members (FLT): graduates kept in college A's floating branch. Each case gets its own
//! stay: a member of A1 moved there by a transfer root starts and approves.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::harness::id_of;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Level, Need, Spec, Who};

use Level::College;
use Need::{Full, Perm, Read};

pub const SPECS: &[Spec] = &[
    list("floating_list", College, Read),
    item("floating_get", College, Read),
    item("floating_extend", College, Perm(Permission::Members)),
    // A contact is upkeep of the member's record, like extending the stay: `members`.
    item("floating_add_contact", College, Perm(Permission::Members)),
    // FLT-4: suspending or removing a member is never delegated.
    item("floating_confirm_step", College, Full),
];

matrix_test!(floating_matrix, "floating", SPECS, build, setup);

const FLOATING_BRANCH: &str = "计算机学院流动团员团支部";

pub async fn setup(w: &World<'_>) {
    crate::floating::floating_branch(w.server, w.root(), w.fx.col_a, FLOATING_BRANCH, "floating")
        .await;
}

/// A fresh stay in the floating branch: its record id and the member's name.
async fn stay(w: &World<'_>) -> (i64, String) {
    let root = w.server.api(w.root());
    let children = root
        .get(&format!("/api/v1/orgs/{}/children", w.fx.col_a))
        .await
        .items();
    let fb = children
        .iter()
        .find(|o| o["name"] == FLOATING_BRANCH)
        .map(id_of)
        .expect("the floating branch");
    let m = w.ready_member(w.fx.a1).await;
    let mut body = crate::transfers::to_org(m.id, fb, "graduation");
    body["floating"] = crate::floating::floating_fields();
    let t = crate::transfers::started(w.server, w.root(), body).await;
    crate::transfers::approve(w.server, w.root(), t, json!({}))
        .await
        .ok(200);
    let kept = root
        .get(&format!(
            "/api/v1/orgs/{}/floating?state=kept&per_page=100",
            w.fx.col_a
        ))
        .await
        .items();
    let record = kept
        .iter()
        .find(|r| r.to_string().contains(&m.person.name))
        .map(id_of)
        .unwrap_or_else(|| panic!("no stay for {} in {kept:?}", m.person.name));
    (record, m.person.name)
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let path = |id: i64| format!("/api/v1/floating/{id}");
    match op {
        "floating_list" => {
            let (_, name) = stay(w).await;
            Prepared::get(format!(
                "/api/v1/orgs/{}/floating?state=kept&per_page=100",
                w.fx.col_a
            ))
            .marker(name)
        }
        "floating_get" => {
            let (id, name) = stay(w).await;
            Prepared::get(path(id)).marker(name)
        }
        "floating_extend" => {
            let (id, _) = stay(w).await;
            Prepared::post(
                format!("{}/extend", path(id)),
                json!({"reason": "考研调剂中"}),
            )
            .probe(path(id))
        }
        "floating_add_contact" => {
            let (id, _) = stay(w).await;
            Prepared::post(
                format!("{}/contacts", path(id)),
                json!({"contacted_on": "2026-11-20", "note": "电话联系，在准备复试"}),
            )
            .probe(path(id))
        }
        "floating_confirm_step" => {
            let (id, _) = stay(w).await;
            // No step is due on the day of entry, and making one due would move the clock a
            // year and end every session of the world: the allowed actors get 409
            // `step_not_due` after passing the checks of role and scope, which come first.
            Prepared::post(format!("{}/steps", path(id)), json!({"step": "suspend"}))
                .probe(path(id))
                .also_ok(&[409])
        }
        other => panic!("floating: no builder for {other}"),
    }
}
