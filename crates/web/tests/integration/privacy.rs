//! SYS-5 and the architecture's "encrypted at rest": no full ID number or phone in any file.

use serde_json::json;

use crate::fixtures::*;

fn contains(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty() && haystack.windows(n.len()).any(|w| w == n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_numbers_are_not_stored_in_clear() {
    let (server, fx) = school().await;
    let extra = Person::new(301, "冯若曦");
    let extra_id = member(&server, &fx.a_admin.token, extra.clone(), fx.a1)
        .await
        .id;
    server
        .api(&fx.a_admin.token)
        .patch(
            &format!("/api/v1/members/{extra_id}"),
            &json!({"phone": "13722223333"}),
        )
        .await
        .ok(200);
    let org_phone = "13855556666";
    create_org(
        &server,
        &fx.root,
        with(
            org_body(fx.s1, "档案馆团支部", "branch", UNIVERSITY),
            json!({"contact_person": "档案馆老师", "contact_phone": org_phone}),
        ),
    )
    .await;
    // Searches by full number must work without the number being stored in clear.
    let found = server
        .api(&fx.root)
        .get(&format!("/api/v1/members?q={}", extra.resident_id))
        .await
        .items();
    assert_eq!(found.len(), 1);

    let mut secrets: Vec<String> = vec![
        extra.resident_id.clone(),
        extra.phone.clone(),
        "13722223333".into(),
        org_phone.into(),
    ];
    for m in [&fx.m_a1, &fx.m_a2, &fx.m_b1, &fx.m_s2] {
        secrets.push(m.person.resident_id.clone());
        secrets.push(m.person.phone.clone());
    }

    let files = server.data_files();
    let mut name_seen = false;
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for s in &secrets {
            assert!(
                !contains(&bytes, s),
                "{} holds {s} in clear",
                file.display()
            );
        }
        name_seen |= contains(&bytes, &extra.name);
    }
    // On PostgreSQL the records live in the database server, not in the data dir: only the
    // absence checks above apply (nothing leaks into files such as logs); this sanity check,
    // which proves that the scan reads the SQLite files at all, is skipped.
    if !server.on_postgres {
        assert!(
            files
                .iter()
                .any(|f| f.file_name().is_some_and(|n| n == "tuanwu.db")),
            "no tuanwu.db in {files:?}"
        );
        assert!(
            name_seen,
            "the scan should find the member's name (stored in clear) in {files:?}"
        );
    }
}
