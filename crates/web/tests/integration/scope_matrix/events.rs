//! Events (EVT-2): each case gets a fresh event of branch A1, published by root. Signing up and
//! cancelling are the member's own acts; the organiser's reads and writes follow the scope.

use serde_json::json;
use tuanwu_domain::account::Permission;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Allow, Level, Need, Shape, Spec, Who};

use Level::Branch;
use Need::{Perm, Read};

const fn member_only(op: &'static str) -> Spec {
    Spec {
        op,
        level: Branch,
        need: Read,
        shape: Shape::Item,
        allow: Allow::MemberOnly,
    }
}

pub const SPECS: &[Spec] = &[
    item("events_publish", Branch, Perm(Permission::Members)),
    list("events_list", Branch, Read),
    member_only("events_sign_up"),
    item("events_signups", Branch, Read),
    member_only("events_cancel"),
    item("events_attendance", Branch, Perm(Permission::Members)),
    item("events_signup_sheet", Branch, Read),
];

matrix_test!(events_matrix, "events", SPECS, build);

/// A fresh event of A1 for `audience`: its id and title.
async fn event(w: &World<'_>, audience: &str) -> (i64, String) {
    let title = format!("矩阵活动{}", w.next_seq());
    let id = crate::events::publish(
        w.server,
        w.root(),
        crate::events::event_body(w.fx.a1, &title, Some(50), audience),
    )
    .await;
    (id, title)
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let path = |id: i64| format!("/api/v1/events/{id}");
    match op {
        "events_publish" => {
            let title = format!("新活动{}", w.next_seq());
            Prepared::post(
                "/api/v1/events",
                crate::events::event_body(w.fx.a1, &title, None, "all"),
            )
            .probe(format!("/api/v1/events?org_id={}", w.fx.a1))
        }
        "events_list" => {
            // For secretaries only: the member actor (no secretary) must not see it either.
            let (_, title) = event(w, "secretaries").await;
            Prepared::get(format!("/api/v1/events?org_id={}", w.fx.a1)).marker(title)
        }
        "events_sign_up" => {
            let (id, _) = event(w, "all").await;
            Prepared::post_empty(format!("{}/signups", path(id)))
                .probe(format!("{}/signups", path(id)))
        }
        "events_signups" => {
            let (id, _) = event(w, "all").await;
            Prepared::get(format!("{}/signups", path(id)))
        }
        "events_cancel" => {
            let (id, _) = event(w, "all").await;
            crate::events::sign_up(w.server, &w.member.token, id)
                .await
                .ok(201);
            Prepared::delete(format!("{}/signups/me", path(id)))
                .probe(format!("{}/signups", path(id)))
        }
        "events_attendance" => {
            let (id, _) = event(w, "all").await;
            crate::events::sign_up(w.server, &w.member.token, id)
                .await
                .ok(201);
            Prepared::put(
                format!("{}/attendance", path(id)),
                json!({"attended_ids": [w.fx.m_a1.id]}),
            )
            .probe(format!("{}/signups", path(id)))
        }
        "events_signup_sheet" => {
            let (id, _) = event(w, "all").await;
            Prepared::get(format!("{}/signups.xlsx", path(id)))
        }
        other => panic!("events: no builder for {other}"),
    }
}
