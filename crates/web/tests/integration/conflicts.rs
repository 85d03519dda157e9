//! A conflict about one input names that field in the error body, as a 422 rule error does, so
//! that a client can show the message beside the field (issue 14 item 4); a conflict about the
//! record as a whole names none.

use serde_json::json;

use crate::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_resident_id_names_the_resident_id_field() {
    let (server, fx) = school().await;
    let mut again = Person::new(140, "陈子涵");
    again.resident_id = fx.m_a2.person.resident_id.clone();
    server
        .api(&fx.a_admin.token)
        .post("/api/v1/members", &again.body(fx.a1))
        .await
        .err(409, "duplicate_resident_id")
        .with_rule("MEM-4")
        .with_field("resident_id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_org_name_names_the_name_field_and_a_stale_edit_names_none() {
    let (server, fx) = school().await;
    let api = server.api(&fx.root);
    api.post(
        "/api/v1/orgs",
        &org_body(fx.col_a, BRANCH_A1, "branch", UNIVERSITY),
    )
    .await
    .err(409, "duplicate_org_name")
    .with_rule("ORG-4")
    .with_field("name");
    // Renaming onto a sibling's name is the same conflict about the same field.
    api.patch(
        &format!("/api/v1/orgs/{}", fx.a2),
        &json!({ "name": BRANCH_A1 }),
    )
    .await
    .err(409, "duplicate_org_name")
    .with_field("name");

    // An edit made from an older reading is about the whole record: no field.
    let org = format!("/api/v1/orgs/{}", fx.a2);
    api.patch(&org, &json!({ "contact_person": "张老师", "version": 1 }))
        .await
        .ok(200);
    let stale = api
        .patch(&org, &json!({ "contact_person": "李老师", "version": 1 }))
        .await;
    stale.err(409, "stale_edit");
    assert_eq!(stale.field(), "", "{stale:?}");
}
