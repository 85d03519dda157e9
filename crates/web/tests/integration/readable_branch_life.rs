//! Issue 18 item "audit words": every change of branch life (meetings and their targets,
//! groups, the term change, the class committee, events) reads in the audit log as an officer
//! reads it — Chinese labels, names for ids, kinds in words, times to the minute — and no key,
//! code or brace reaches the page.

use reqwest::Method;
use serde_json::{json, Value};
use tuanwu_app::audit::AuditAction;

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};
use crate::meetings::{body, meeting_path, meetings_path, HELD};
use crate::page::{get, logged_in, visible};

/// A working week of branch A1: each branch-life change made once through the API.
async fn branch_life_week(server: &TestServer, fx: &Fixture) -> MemberFx {
    let a1 = server.api(&fx.a1_admin.token);
    let college = server.api(&fx.a_admin.token);
    let m2 = member(server, &fx.root, Person::new(71, "冯俊杰"), fx.a1).await;
    let both = [fx.m_a1.id, m2.id];

    let assembly = id_of(
        &a1.post(
            &meetings_path(fx.a1),
            &body(
                "assembly",
                HELD,
                "换届选举大会",
                &[fx.m_a1.id],
                &[(m2.id, "病假")],
            ),
        )
        .await
        .ok(201),
    );
    a1.patch(&meeting_path(assembly), &json!({"place": "团员之家"}))
        .await
        .ok(200);
    let prep = id_of(
        &a1.post(
            &meetings_path(fx.a1),
            &body("committee", HELD, "酝酿换届人选", &both, &[]),
        )
        .await
        .ok(201),
    );
    let wrong = id_of(
        &a1.post(
            &meetings_path(fx.a1),
            &body("lecture", HELD, "误录的团课", &both, &[]),
        )
        .await
        .ok(201),
    );
    a1.delete_with(&meeting_path(wrong), &json!({"reason": "重复录入"}))
        .await
        .ok(200);
    college
        .post_empty(&format!("{}/restore", meeting_path(wrong)))
        .await
        .ok(200);
    college
        .send(
            Method::PUT,
            &format!("/api/v1/orgs/{}/meeting-targets", fx.col_a),
            Some(&json!({"targets": [{"kind": "assembly", "per_quarter": 1},
                                     {"kind": "committee", "per_quarter": 2}]})),
        )
        .await
        .ok(200);

    let groups = format!("/api/v1/orgs/{}/groups", fx.a1);
    let g1 = id_of(
        &a1.post(&groups, &json!({"name": "第一团小组"}))
            .await
            .ok(201),
    );
    let g2 = id_of(
        &a1.post(&groups, &json!({"name": "第二团小组"}))
            .await
            .ok(201),
    );
    for m in both {
        a1.post(
            &format!("/api/v1/groups/{g1}/members"),
            &json!({"member_id": m}),
        )
        .await
        .ok(200);
    }
    a1.patch(
        &format!("/api/v1/groups/{g1}"),
        &json!({"leader_id": fx.m_a1.id, "name": "一组"}),
    )
    .await
    .ok(200);
    a1.post(
        &format!("/api/v1/groups/{g1}/members/{}/move", m2.id),
        &json!({"group_id": g2}),
    )
    .await
    .ok(200);
    a1.delete(&format!("/api/v1/groups/{g2}/members/{}", m2.id))
        .await
        .ok(200);
    a1.delete(&format!("/api/v1/groups/{g2}")).await.ok(204);

    a1.post(
        &format!("/api/v1/orgs/{}/term-changes", fx.a1),
        &json!({"committee_meeting_id": prep, "assembly_id": assembly,
                "posts": [{"post": "secretary", "member_id": fx.m_a1.id},
                          {"post": "organisation", "member_id": m2.id}]}),
    )
    .await
    .ok(201);
    a1.send(
        Method::PUT,
        &format!("/api/v1/orgs/{}/class-committee", fx.a1),
        Some(&json!({"posts": [{"post": "班长", "member_id": m2.id}],
                     "advisor": {"name": "王老师"}})),
    )
    .await
    .ok(200);

    let event = id_of(
        &college
            .post(
                "/api/v1/events",
                &json!({"org_id": fx.col_a, "title": "团干部培训班", "starts_at": "2026-12-10T19:00",
                        "place": "学生活动中心201", "capacity": 30,
                        "signup_deadline": "2026-12-08 18:00", "audience": "all"}),
            )
            .await
            .ok(201),
    );
    let me = member_token(server, &fx.root, &fx.m_a1).await;
    let signups = format!("/api/v1/events/{event}/signups");
    server.api(&me).post_empty(&signups).await.ok(201);
    server
        .api(&me)
        .delete(&format!("{signups}/me"))
        .await
        .ok(200);
    server.api(&me).post_empty(&signups).await.ok(201);
    college
        .send(
            Method::PUT,
            &format!("/api/v1/events/{event}/attendance"),
            Some(&json!({"attended_ids": [fx.m_a1.id]})),
        )
        .await
        .ok(200);
    m2
}

const BRANCH_LIFE: &[AuditAction] = &[
    AuditAction::MeetingRecord,
    AuditAction::MeetingEdit,
    AuditAction::MeetingDelete,
    AuditAction::MeetingRestore,
    AuditAction::MeetingTargetsSet,
    AuditAction::GroupCreate,
    AuditAction::GroupUpdate,
    AuditAction::GroupDelete,
    AuditAction::GroupAddMember,
    AuditAction::GroupRemoveMember,
    AuditAction::GroupMoveMember,
    AuditAction::TermChangeRecord,
    AuditAction::ClassCommitteeUpdate,
    AuditAction::EventPublish,
    AuditAction::EventSignUp,
    AuditAction::EventCancelSignup,
    AuditAction::EventAttendance,
];

/// A run of ASCII letters: a key, an enum code or a field name that escaped its words.
fn ascii_word(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())
        .map(str::to_string)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_life_reads_in_the_audit_log_as_words() {
    let (server, fx) = school().await;
    let m2 = branch_life_week(&server, &fx).await;

    let items = server
        .api(&fx.root)
        .get("/api/v1/audit?per_page=500")
        .await
        .items();
    let mut shown = String::new();
    for a in BRANCH_LIFE {
        let entries: Vec<&Value> = items
            .iter()
            .filter(|e| e["entity"] == a.entity() && e["action"] == a.action())
            .collect();
        assert!(!entries.is_empty(), "{} was not written", a.label());
        for e in entries {
            let mut words = vec![e["target"].as_str().unwrap_or_default().to_string()];
            for ch in e["changes"].as_array().unwrap() {
                for k in ["label", "before", "after"] {
                    if let Some(s) = ch[k].as_str() {
                        words.push(s.to_string());
                    }
                }
                // A line written as a code or a raw id would have no words after it.
                assert!(
                    ch["before"].is_string() || ch["after"].is_string(),
                    "{}: {ch}",
                    a.label()
                );
            }
            let line = format!("{}｜{}", a.label(), words.join("｜"));
            assert!(ascii_word(&line).is_none(), "a code in 「{line}」");
            assert!(!line.contains('{') && !line.contains('}'), "{line}");
            shown.push_str(&line);
            shown.push('\n');
        }
    }
    for expected in [
        "会议类型｜支部大会",
        "会议主题｜换届选举大会",
        "应到人数｜2人",
        "缺席人数｜1人",
        "开始时间｜2026-11-29 10:00",
        "删除原因｜重复录入",
        "每季度次数要求｜",
        "支部大会每季度1次",
        "支委会每季度2次",
        "团小组名称｜第一团小组｜一组",
        "团小组组长｜",
        "调入团小组｜第二团小组",
        "换届日期",
        "筹备换届的支委会｜支委会（2026-11-29 10:00）“酝酿换届人选”",
        "选举的支部大会｜支部大会（2026-11-29 10:00）“换届选举大会”",
        "团支部书记：",
        "组织委员：冯俊杰",
        "班委和班导师｜",
        "班长：冯俊杰",
        "活动名称｜团干部培训班",
        "活动时间｜2026-12-10 19:00",
        "参加对象｜全体团员",
        "名额｜30人",
        "出席人员｜",
    ] {
        assert!(
            shown.contains(expected),
            "missing 「{expected}」 in\n{shown}"
        );
    }
    assert!(shown.contains(fx.m_a1.person.name.as_str()), "{shown}");
    assert!(shown.contains(m2.person.name.as_str()), "{shown}");

    // The page the root reads carries the same words and no code.
    let root = logged_in(&server, "root", crate::harness::ROOT_PASSWORD).await;
    let p = get(&root, &server, "/audit").await;
    p.status(200);
    let text = visible(&p.html);
    for a in BRANCH_LIFE {
        assert!(text.contains(a.label()), "{} not on the page", a.label());
    }
    assert!(
        text.contains("支委会（2026-11-29 10:00）“酝酿换届人选”"),
        "{text}"
    );
    assert!(!text.contains('{'), "{text}");
}
