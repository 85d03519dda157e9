//! Meeting records (MTG-1, MTG-2), the quarterly compliance and the targets. Records sit in
//! branch A1; restoring is the level above's, so it is tabled at the college level.

use serde_json::json;

use crate::meetings::{body, lecture, meeting_path, meetings_path};

use super::run::Prepared;
use super::world::World;
use super::{item, list, Level, Need, Spec, Who};

use Level::{Branch, College};
use Need::{Full, Read};

pub const SPECS: &[Spec] = &[
    list("meetings_list", Branch, Read),
    item("meetings_get", Branch, Read),
    item("meetings_create", Branch, Full),
    item("meetings_edit", Branch, Full),
    item("meetings_delete", Branch, Full),
    item("meetings_restore", College, Full),
    item("meetings_compliance", Branch, Read),
    item("meetings_targets", Branch, Read),
    item("meetings_set_targets", Branch, Full),
];

matrix_test!(meetings_matrix, "meetings", SPECS, build);

/// A 团课 of A1 with `m_a1` present, and its unique topic.
async fn held(w: &World<'_>) -> (i64, String) {
    let topic = format!("矩阵团课{}", w.next_seq());
    let id = lecture(
        w.server,
        &w.fx.a1_admin.token,
        w.fx.a1,
        w.fx.m_a1.id,
        &topic,
    )
    .await;
    (id, topic)
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let fx = &w.fx;
    let a1 = fx.a1;
    match op {
        "meetings_list" => {
            let (_, topic) = held(w).await;
            Prepared::get(meetings_path(a1)).marker(topic)
        }
        "meetings_get" => {
            let (id, topic) = held(w).await;
            Prepared::get(meeting_path(id)).marker(topic)
        }
        "meetings_create" => Prepared::post(
            meetings_path(a1),
            body(
                "lecture",
                "2026-11-29T10:00",
                "矩阵新建",
                &[fx.m_a1.id],
                &[],
            ),
        )
        .probe(meetings_path(a1)),
        "meetings_edit" => {
            let (id, _) = held(w).await;
            Prepared::patch(meeting_path(id), json!({"topic": "矩阵更正"})).probe(meeting_path(id))
        }
        "meetings_delete" => {
            let (id, _) = held(w).await;
            Prepared::delete(meeting_path(id)).probe(meeting_path(id))
        }
        "meetings_restore" => {
            let (id, _) = held(w).await;
            w.server
                .api(&fx.a1_admin.token)
                .delete(&meeting_path(id))
                .await
                .ok(200);
            Prepared::post_empty(format!("{}/restore", meeting_path(id))).probe(meeting_path(id))
        }
        "meetings_compliance" => Prepared::get(format!(
            "/api/v1/orgs/{a1}/meeting-compliance?year=2026&quarter=4"
        )),
        "meetings_targets" => Prepared::get(format!("/api/v1/orgs/{a1}/meeting-targets")),
        "meetings_set_targets" => Prepared::put(
            format!("/api/v1/orgs/{a1}/meeting-targets"),
            json!({"targets": [{"kind": "assembly", "per_quarter": 2}]}),
        )
        .probe(format!("/api/v1/orgs/{a1}/meeting-targets")),
        other => panic!("meetings: no builder for {other}"),
    }
}
