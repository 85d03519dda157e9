//! Graduation (GRD): marking branches, delayed graduates, destinations, special cases, the
//! graduate lists, batch transfers and the continuity figures. Branch A1 is marked as
//! graduating in June 2026 once, before the cases run.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::fixtures::*;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Level, Need, Shape, Spec, Who};

use Level::{Branch, College};
use Need::{Full, Perm, Read};

pub const SPECS: &[Spec] = &[
    // GRD-1: branches are marked from above (branch admins never mark), by full admins.
    item("graduation_mark_one", College, Full),
    Spec {
        shape: Shape::Batch,
        ..item("graduation_mark_batch", College, Full)
    },
    list("graduation_branches", College, Read),
    list("graduation_graduates", Branch, Read),
    item("graduation_delayed_list", Branch, Read),
    item("graduation_mark_delayed", Branch, Perm(Permission::Members)),
    item(
        "graduation_revoke_delayed",
        Branch,
        Perm(Permission::Members),
    ),
    Spec {
        shape: Shape::Batch,
        ..item(
            "graduation_delayed_batch",
            Branch,
            Perm(Permission::Members),
        )
    },
    item("graduation_get_destination", Branch, Read),
    item(
        "graduation_set_destination",
        Branch,
        Perm(Permission::Members),
    ),
    item("graduation_set_case", Branch, Perm(Permission::Members)),
    Spec {
        shape: Shape::Batch,
        ..item(
            "graduation_batch_transfer",
            Branch,
            Perm(Permission::Members),
        )
    },
    item("graduation_continuity", Branch, Read),
    item("graduation_trend", Branch, Read),
];

matrix_test!(graduation_matrix, "graduation", SPECS, build, setup);

pub async fn setup(w: &World<'_>) {
    w.server
        .api(&w.fx.s1_admin.token)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/graduation", w.fx.a1),
            Some(&json!({"year_month": "2026-06"})),
        )
        .await
        .ok(200);
}

/// A fresh, unmarked branch under college A.
async fn unmarked_branch(w: &World<'_>) -> i64 {
    let name = format!("计算机{}团支部", 2400 + w.next_seq());
    branch(w.server, w.root(), w.fx.col_a, &name).await
}

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let fx = &w.fx;
    let member = |id: i64, tail: &str| format!("/api/v1/members/{id}/{tail}");
    let delayed = json!({"expected": "2027-06", "reason": "延期答辩"});
    match op {
        "graduation_mark_one" => {
            let b = unmarked_branch(w).await;
            Prepared::put(
                format!("/api/v1/orgs/{b}/graduation"),
                json!({"year_month": "2030-06"}),
            )
            .probe(format!("/api/v1/orgs/{b}"))
        }
        "graduation_mark_batch" => {
            let b = unmarked_branch(w).await;
            Prepared::post(
                "/api/v1/graduation/mark",
                json!({"org_ids": [b], "year_month": "2030-06"}),
            )
            .probe(format!("/api/v1/orgs/{b}"))
        }
        "graduation_branches" => {
            Prepared::get(format!("/api/v1/orgs/{}/graduation", fx.col_a)).marker(BRANCH_A1)
        }
        "graduation_graduates" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(format!(
                "/api/v1/orgs/{}/graduates?year=2026&per_page=100",
                fx.a1
            ))
            .marker(m.person.name)
        }
        "graduation_delayed_list" => {
            Prepared::get(format!("/api/v1/orgs/{}/delayed-graduates", fx.a1))
        }
        "graduation_mark_delayed" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(member(m.id, "delayed-graduation"), delayed).probe(format!(
                "/api/v1/orgs/{}/delayed-graduates?include_revoked=true&per_page=100",
                fx.a1
            ))
        }
        "graduation_revoke_delayed" => {
            let m = w.fresh_member(fx.a1).await;
            w.server
                .api(&fx.s1_admin.token)
                .post(&member(m.id, "delayed-graduation"), &delayed)
                .await
                .ok(201);
            Prepared::delete(member(m.id, "delayed-graduation")).probe(format!(
                "/api/v1/orgs/{}/delayed-graduates?include_revoked=true&per_page=100",
                fx.a1
            ))
        }
        "graduation_delayed_batch" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(
                "/api/v1/graduation/delayed",
                json!({"member_ids": [m.id], "expected": "2027-06", "reason": "延期答辩"}),
            )
            .probe(format!(
                "/api/v1/orgs/{}/delayed-graduates?include_revoked=true&per_page=100",
                fx.a1
            ))
        }
        "graduation_get_destination" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(member(m.id, "destination"))
        }
        "graduation_set_destination" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::put(
                member(m.id, "destination"),
                json!({"destination": "employed"}),
            )
            .probe(member(m.id, "destination"))
        }
        "graduation_set_case" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::put(
                member(m.id, "continuity-case"),
                json!({"initiated": true, "refusal_reason": "联系不上本人", "remarks": "已电话联系"}),
            )
        }
        "graduation_batch_transfer" => {
            let m = w.ready_member(fx.a1).await;
            Prepared::post(
                "/api/v1/graduation/batch-transfer",
                json!({"member_ids": [m.id], "target_org_id": w.s3b, "reason": "graduation"}),
            )
            .probe(member(m.id, "transfers"))
        }
        "graduation_continuity" => {
            Prepared::get(format!("/api/v1/orgs/{}/continuity?year=2026", fx.a1))
        }
        "graduation_trend" => {
            Prepared::get(format!("/api/v1/orgs/{}/continuity/trend?year=2026", fx.a1))
        }
        other => panic!("graduation: no builder for {other}"),
    }
}
