//! MTG-2: a record entered by mistake is deleted directly (soft, audited) and the level above
//! restores it.

use serde_json::json;

use super::{lecture, meeting_path, meetings_path};
use crate::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_is_soft_and_audited_and_the_level_above_restores() {
    let (server, fx) = school().await;
    let a1 = &fx.a1_admin.token;
    let id = lecture(&server, a1, fx.a1, fx.m_a1.id, "误录的团课").await;

    let r = server
        .api(a1)
        .patch(&meeting_path(id), &json!({"topic": "更正后的团课"}))
        .await
        .ok(200);
    assert_eq!(r["topic"], "更正后的团课");
    assert_eq!(r["due_count"], 1, "the roll is kept when not given");

    let r = server
        .api(a1)
        .delete_with(&meeting_path(id), &json!({"reason": "重复录入"}))
        .await
        .ok(200);
    assert_eq!(r["deleted"], true);
    let list = server.api(a1).get(&meetings_path(fx.a1)).await.ok(200);
    assert_eq!(list["total"], 0, "a deleted record leaves the register");
    let bin = server
        .api(&fx.a_admin.token)
        .get(&format!("{}?deleted=true", meetings_path(fx.a1)))
        .await
        .ok(200);
    assert_eq!(bin["total"], 1);
    assert_eq!(
        server.api(a1).delete(&meeting_path(id)).await.status,
        409,
        "deleted once"
    );
    assert_eq!(
        server
            .api(a1)
            .patch(&meeting_path(id), &json!({"topic": "再改"}))
            .await
            .status,
        409
    );

    // The branch may not restore its own; the college above does.
    let r = server
        .api(a1)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.message().contains("上级"), "{r:?}");
    let r = server
        .api(&fx.a_admin.token)
        .post_empty(&format!("{}/restore", meeting_path(id)))
        .await
        .ok(200);
    assert_eq!(r["deleted"], false);
    let steps: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["record", "edit", "delete", "restore"]);
    assert_eq!(r["history"][2]["note"], "重复录入");
    assert_eq!(
        server.api(a1).get(&meetings_path(fx.a1)).await.ok(200)["total"],
        1
    );

    let audit = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=200")
        .await
        .ok(200);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "meeting" && e["entity_id"] == id)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["record", "edit", "delete", "restore"] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
}
