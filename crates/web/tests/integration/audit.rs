//! SYS-1, SYS-5: every change is in the audit log, scoped, with personal numbers masked.

use std::collections::HashSet;

use serde_json::{json, Value};
use time::macros::date;
use tuanwu_domain::ResidentId;

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};

async fn audit(server: &TestServer, token: &str, query: &str) -> Value {
    server
        .api(token)
        .get(&format!("/api/v1/audit?per_page=500{query}"))
        .await
        .ok(200)
}

fn items(body: &Value) -> Vec<Value> {
    body["items"].as_array().cloned().unwrap_or_default()
}

/// Entries of the full log (as root) not in `seen`; records them as seen.
async fn new_entries(server: &TestServer, root: &str, seen: &mut HashSet<i64>) -> Vec<Value> {
    let fresh: Vec<Value> = items(&audit(server, root, "").await)
        .into_iter()
        .filter(|e| !seen.contains(&id_of(e)))
        .collect();
    seen.extend(fresh.iter().map(id_of));
    fresh
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_recorded_with_its_actor() {
    let (server, fx) = school().await;
    let root = fx.root.clone();
    let a = server.api(&fx.a_admin.token);
    let mut seen: HashSet<i64> = HashSet::new();
    new_entries(&server, &root, &mut seen).await;

    // Each step: (what, entries it wrote).
    let mut steps: Vec<(&str, Vec<Value>)> = Vec::new();
    let class = id_of(
        &a.post(
            "/api/v1/orgs",
            &with(
                org_body(fx.col_a, "计算机2399团支部", "branch", UNIVERSITY),
                json!({"branch_type": "regular"}),
            ),
        )
        .await
        .ok(201),
    );
    steps.push(("org create", new_entries(&server, &root, &mut seen).await));
    a.patch(
        &format!("/api/v1/orgs/{class}"),
        &json!({"contact_person": "审计联系人"}),
    )
    .await
    .ok(200);
    steps.push(("org update", new_entries(&server, &root, &mut seen).await));
    let del = a
        .delete_with(
            &format!("/api/v1/orgs/{class}"),
            &json!({"reason": "审计删除原因"}),
        )
        .await;
    assert_eq!(del.status, 204, "{del:?}");
    steps.push(("org delete", new_entries(&server, &root, &mut seen).await));
    a.post_empty(&format!("/api/v1/orgs/{class}/restore"))
        .await
        .ok(200);
    steps.push(("org restore", new_entries(&server, &root, &mut seen).await));

    let p = Person::new(201, "吴思远");
    let mid = id_of(&create_member(&server, &fx.a_admin.token, &p, fx.a1).await);
    steps.push((
        "member create",
        new_entries(&server, &root, &mut seen).await,
    ));
    let new_rid = ResidentId::compose(120103, date!(2005 - 08 - 08), 135);
    a.patch(
        &format!("/api/v1/members/{mid}"),
        &json!({"phone": "13600002222"}),
    )
    .await
    .ok(200);
    steps.push((
        "member update phone",
        new_entries(&server, &root, &mut seen).await,
    ));
    a.patch(
        &format!("/api/v1/members/{mid}"),
        &json!({"resident_id": new_rid.as_str()}),
    )
    .await
    .ok(200);
    steps.push((
        "member update resident id",
        new_entries(&server, &root, &mut seen).await,
    ));
    let granted = a
        .post(
            &format!("/api/v1/orgs/{}/admins", fx.a1),
            &json!({"login": "a1_extra", "password": ADMIN_PASSWORD, "name": "临时团支书"}),
        )
        .await
        .ok(201);
    steps.push(("admin grant", new_entries(&server, &root, &mut seen).await));
    let acct = granted["account_id"].as_i64().expect("account_id");
    let revoke = a
        .delete(&format!("/api/v1/orgs/{}/admins/{acct}", fx.a1))
        .await;
    assert_eq!(revoke.status, 204, "{revoke:?}");
    steps.push(("admin revoke", new_entries(&server, &root, &mut seen).await));
    a.post(
        &format!("/api/v1/members/{mid}/password"),
        &json!({"password": MEMBER_INITIAL_PASSWORD}),
    )
    .await
    .ok(204);
    steps.push(("password set", new_entries(&server, &root, &mut seen).await));

    let a_side = [fx.col_a, fx.a1, fx.a2, class];
    let mut org_actions = Vec::new();
    for (what, entries) in &steps {
        assert!(!entries.is_empty(), "{what}: no audit entry");
        for e in entries {
            assert_eq!(e["account_id"], fx.a_admin.account_id, "{what}: {e}");
            assert_eq!(e["actor_name"], fx.a_admin.name.as_str(), "{what}: {e}");
            assert_eq!(e["role"], "college_admin", "{what}: {e}");
            assert!(
                a_side.iter().any(|o| e["org_id"] == *o),
                "{what}: entry about an org outside A: {e}"
            );
            assert!(
                e["at"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("2026-11-29")),
                "{what}: {e}"
            );
            assert!(
                e["entity"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: {e}"
            );
            assert!(
                e["action"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: {e}"
            );
        }
        let about = |id: i64| entries.iter().find(|e| e["entity_id"] == id).cloned();
        if what.starts_with("org") {
            let e = about(class)
                .unwrap_or_else(|| panic!("{what}: no entry for org {class}: {entries:?}"));
            org_actions.push(e["action"].as_str().unwrap_or_default().to_string());
            if *what == "org update" {
                assert!(e["after"].to_string().contains("审计联系人"), "{e}");
            }
            if *what == "org delete" {
                assert!(
                    e["after"].to_string().contains("审计删除原因"),
                    "the reason is kept: {e}"
                );
            }
        }
        if what.starts_with("member") {
            let e = about(mid)
                .unwrap_or_else(|| panic!("{what}: no entry for member {mid}: {entries:?}"));
            assert_eq!(e["org_id"], fx.a1, "{e}");
            if *what == "member update phone" {
                assert_ne!(e["before"], e["after"], "before/after show the change: {e}");
            }
        }
        if what.starts_with("admin") {
            assert!(
                entries.iter().any(|e| e["org_id"] == fx.a1),
                "{what}: {entries:?}"
            );
        }
    }
    let distinct: HashSet<&String> = org_actions.iter().collect();
    assert_eq!(
        distinct.len(),
        4,
        "create/update/delete/restore are told apart: {org_actions:?}"
    );

    // SYS-5: the log never holds a full ID number, phone or password.
    let log = audit(&server, &root, "").await.to_string();
    let mut secrets = vec![
        p.resident_id.clone(),
        p.phone.clone(),
        new_rid.as_str().to_string(),
        "13600002222".to_string(),
        MEMBER_INITIAL_PASSWORD.to_string(),
        ADMIN_PASSWORD.to_string(),
        ADMIN_OWN_PASSWORD.to_string(),
        MEMBER_PASSWORD.to_string(),
        "$argon2".to_string(),
    ];
    for m in [&fx.m_a1, &fx.m_a2, &fx.m_b1, &fx.m_s2] {
        secrets.push(m.person.resident_id.clone());
        secrets.push(m.person.phone.clone());
    }
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "audit log contains {s}");
    }
    assert!(log.contains(&p.name), "the log does name the member");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_read_the_log_of_their_subtree_only() {
    let (server, fx) = school().await;
    let everything = audit(&server, &fx.root, "").await;
    let all = items(&everything);
    assert!(
        all.len() >= 20,
        "the fixture's changes are logged: {}",
        all.len()
    );
    assert_eq!(everything["total"], all.len());

    let a_side = [fx.col_a, fx.a1, fx.a2];
    let a_log = audit(&server, &fx.a_admin.token, "").await;
    let a_items = items(&a_log);
    assert!(!a_items.is_empty());
    for e in &a_items {
        assert!(
            a_side.iter().any(|o| e["org_id"] == *o),
            "college A admin sees an entry outside A: {e}"
        );
    }
    assert!(
        a_items
            .iter()
            .any(|e| e["entity_id"] == fx.m_a1.id && e["org_id"] == fx.a1),
        "A sees its member's creation: {a_items:?}"
    );
    let expected = all
        .iter()
        .filter(|e| a_side.iter().any(|o| e["org_id"] == *o))
        .count();
    assert_eq!(
        a_items.len(),
        expected,
        "A sees every entry about its subtree"
    );

    let a1_log = items(&audit(&server, &fx.a_admin.token, &format!("&org_id={}", fx.a1)).await);
    assert!(!a1_log.is_empty());
    assert!(a1_log.iter().all(|e| e["org_id"] == fx.a1), "{a1_log:?}");

    let b_items = items(&audit(&server, &fx.b_admin.token, "").await);
    assert!(!b_items.is_empty());
    assert!(
        b_items
            .iter()
            .all(|e| e["org_id"] == fx.col_b || e["org_id"] == fx.b1),
        "{b_items:?}"
    );

    // Paging.
    let page2 = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=3&page=2")
        .await
        .ok(200);
    assert_eq!(page2["total"], everything["total"]);
    assert_eq!(items(&page2).len(), 3);
    let page1 = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=3&page=1")
        .await
        .ok(200);
    let overlap: Vec<i64> = items(&page1)
        .iter()
        .map(id_of)
        .filter(|id| items(&page2).iter().any(|e| id_of(e) == *id))
        .collect();
    assert!(overlap.is_empty(), "pages overlap: {overlap:?}");
}
