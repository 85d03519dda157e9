//! The branch committee, its term and the class committee (MTG-3, EVT-1), in branch A1.

use serde_json::json;
use tuanwu_domain::account::Permission;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Level, Need, Spec, Who};

use Level::Branch;
use Need::{Perm, Read};

pub const SPECS: &[Spec] = &[
    item("committee_get", Branch, Read),
    list("committee_overdue", Branch, Read),
    item("committee_change_term", Branch, Perm(Permission::Cadres)),
    item("committee_get_class", Branch, Read),
    item("committee_put_class", Branch, Perm(Permission::Cadres)),
];

matrix_test!(committee_matrix, "committee", SPECS, build);

pub async fn build(w: &World<'_>, op: &str, _who: Who) -> Prepared {
    let a1 = w.fx.a1;
    let class = format!("/api/v1/orgs/{a1}/class-committee");
    match op {
        "committee_get" => Prepared::get(format!("/api/v1/orgs/{a1}/committee")),
        "committee_overdue" => Prepared::get(format!("/api/v1/orgs/{a1}/overdue-term-changes"))
            .marker(crate::fixtures::BRANCH_A1),
        "committee_get_class" => Prepared::get(class),
        "committee_change_term" => {
            // Each case elects a fresh member at a later election than the last (terms only
            // move forward), prepared by a 支委会 the day before.
            let n = i64::from(w.next_seq());
            let day = time::macros::date!(2026 - 01 - 01) + time::Duration::days(n);
            let prep = crate::committee::meeting(w.server, a1, "committee", day, "酝酿").await;
            let next = day + time::Duration::days(1);
            let vote = crate::committee::meeting(w.server, a1, "assembly", next, "选举").await;
            let m = w.fresh_member(a1).await;
            Prepared::post(
                format!("/api/v1/orgs/{a1}/term-changes"),
                json!({"committee_meeting_id": prep, "assembly_id": vote,
                       "posts": [{"post": "secretary", "member_id": m.id}]}),
            )
            .probe(format!("/api/v1/orgs/{a1}/committee"))
            .probe(format!("/api/v1/orgs/{a1}/cadres"))
        }
        "committee_put_class" => {
            let m = w.fresh_member(a1).await;
            Prepared::new(reqwest::Method::PUT, class.clone())
                .json(json!({"posts": [{"post": "班长", "member_id": m.id}], "advisor": {"name": "王老师"}}))
                .probe(class)
        }
        other => panic!("committee: no builder for {other}"),
    }
}
