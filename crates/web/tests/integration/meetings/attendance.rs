//! MTG-1: attendance derived from the roster at the meeting's date (应到, 实到, 缺席, the
//! 支部大会's quorum), each bad input refused in Chinese naming the person or record with
//! nothing written, and members who left later kept on past records by name.

use serde_json::{json, Value};
use time::Duration;

use super::{body, lecture, meeting_path, meetings_path, record, Roll, HELD};
use crate::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assembly_derives_due_present_absent_and_its_quorum() {
    let r = Roll::new("会议2301团支部", 600, 4).await;
    let ids = r.ids();

    let m = r
        .record(
            "assembly",
            HELD,
            "学期初支部大会",
            &ids[..3],
            &[(ids[3], "病假")],
        )
        .await
        .ok(201);
    assert_eq!(m["due_count"], 4);
    assert_eq!(m["present_count"], 3);
    assert_eq!(m["absent_count"], 1);
    assert_eq!(m["quorate"], true);
    assert_eq!(m["kind_label"], "支部大会");
    let absent = m["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["present"] == false)
        .unwrap();
    assert_eq!(absent["name"], r.name(3));
    assert_eq!(absent["absence_reason"], "病假");

    // Exactly half present is not more than half.
    let m = r
        .record(
            "assembly",
            HELD,
            "补开支部大会",
            &ids[..2],
            &[(ids[2], "实习"), (ids[3], "病假")],
        )
        .await
        .ok(201);
    assert_eq!(
        (m["due_count"].clone(), m["present_count"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(m["quorate"], false);

    // A 支部大会 lists every member: one neither ticked nor absent is named.
    let refused = r.record("assembly", HELD, "漏登记", &ids[..3], &[]).await;
    assert_eq!(refused.status, 422, "{refused:?}");
    assert_eq!(refused.code(), "attendee_unlisted");
    assert!(refused.message().contains(r.name(3)), "{refused:?}");

    // An absentee without a reason is named.
    let refused = r
        .record("assembly", HELD, "无原因", &ids[..3], &[(ids[3], " ")])
        .await;
    assert_eq!(refused.code(), "absence_reason_required", "{refused:?}");
    assert!(refused.message().contains(r.name(3)), "{refused:?}");

    // A 团课 has no quorum rule and lists whom it lists.
    let m = r
        .record("lecture", HELD, "团课", &ids[..1], &[])
        .await
        .ok(201);
    assert_eq!(m["due_count"], 1);
    assert_eq!(m["quorate"], Value::Null);

    assert_eq!(r.total().await, 3, "the refused ones wrote nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_in_chinese_naming_the_person() {
    let mut r = Roll::new("会议2302团支部", 620, 2).await;
    let ids = r.ids();
    let (m_a1, b) = (r.fx.m_a1.clone(), r.branch);

    // Someone of another branch is not on this roster: refused, named.
    let refused = r
        .record("lecture", HELD, "团课", &[ids[0], m_a1.id], &[])
        .await;
    assert_eq!(refused.status, 422, "{refused:?}");
    assert_eq!(refused.code(), "attendee_not_on_roster");
    assert!(
        refused.message().contains(m_a1.person.name.as_str()),
        "{refused:?}"
    );

    // A member who joined the branch after the meeting was not on its roster that day.
    r.server.advance(Duration::days(1));
    r.relogin().await;
    let root = r.server.root_token().await;
    let late = member(&r.server, &root, Person::new(630, &name_for(630)), b).await;
    let refused = r
        .record(
            "lecture",
            "2026-11-29T12:00",
            "团课",
            &[ids[0], late.id],
            &[],
        )
        .await;
    assert_eq!(refused.code(), "attendee_not_on_roster", "{refused:?}");
    assert!(
        refused.message().contains(late.person.name.as_str()),
        "{refused:?}"
    );
    r.record(
        "lecture",
        "2026-11-30T10:00",
        "团课",
        &[ids[0], late.id],
        &[],
    )
    .await
    .ok(201);

    // Held meetings only.
    let refused = r
        .record("lecture", "2026-12-25T19:00", "未来", &[ids[0]], &[])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.code(), "meeting_in_future");
    assert!(refused.message().contains("已经召开"), "{refused:?}");

    // A kind that does not exist, a time that is not one, a group meeting without its group.
    let refused = r.record("party", HELD, "错类型", &[ids[0]], &[]).await;
    assert_eq!(refused.code(), "invalid_meeting_kind", "{refused:?}");
    assert!(
        refused.message().contains("支部大会"),
        "the choices are listed: {refused:?}"
    );
    let refused = r
        .record("lecture", "昨天晚上", "错时间", &[ids[0]], &[])
        .await;
    assert_eq!(refused.code(), "invalid_started_at", "{refused:?}");
    let refused = r.record("group", HELD, "小组", &[ids[0]], &[]).await;
    assert_eq!(refused.code(), "group_required", "{refused:?}");
    let mut g = body("group", HELD, "小组会", &[ids[0]], &[]);
    g["group_id"] = json!(9999);
    let refused = record(&r.server, &r.token, b, &g).await;
    assert_eq!(
        refused.code(),
        "group_not_in_branch",
        "no such group of this branch: {refused:?}"
    );
    let group = r
        .server
        .api(&r.token)
        .post(
            &format!("/api/v1/orgs/{b}/groups"),
            &json!({"name": "第一团小组"}),
        )
        .await
        .ok(201)["id"]
        .as_i64()
        .expect("group id");
    g["group_id"] = json!(group);
    assert_eq!(
        record(&r.server, &r.token, b, &g).await.ok(201)["group_id"],
        group
    );

    // Records belong to branches; out of scope is answered like a missing record.
    let refused = record(
        &r.server,
        &r.token,
        r.fx.col_a,
        &body("lecture", HELD, "学院", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(refused.code(), "not_a_branch", "{refused:?}");
    let other = &r
        .server
        .login(&r.fx.b_admin.login, &r.fx.b_admin.password)
        .await;
    let refused = record(
        &r.server,
        other,
        b,
        &body("lecture", HELD, "越权", &[ids[0]], &[]),
    )
    .await;
    assert_eq!(refused.status, 404, "{refused:?}");
    let id = lecture(&r.server, &r.token, b, ids[0], "本支部团课").await;
    assert_eq!(r.server.api(other).get(&meeting_path(id)).await.status, 404);
    assert_eq!(r.server.api(other).get(&meetings_path(b)).await.status, 404);
    assert_eq!(r.total().await, 3, "nothing refused was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_left_later_stays_on_past_records_by_name() {
    let (server, fx) = school().await;
    let m = crate::transfers::ready_member(&server, &fx, 640, fx.a1).await;
    let a1 = &fx.a1_admin.token;
    let before = lecture(&server, a1, fx.a1, m.id, "转出前的团课").await;

    server.advance(Duration::days(2));
    let college = server.login(&fx.a_admin.login, &fx.a_admin.password).await;
    let root = server.root_token().await;
    let t = crate::transfers::started(
        &server,
        &college,
        crate::transfers::to_org(m.id, fx.b1, "school_change"),
    )
    .await;
    crate::transfers::approve(&server, &root, t, json!({}))
        .await
        .ok(200);
    server.advance(Duration::hours(1));
    let a1 = &server
        .login(&fx.a1_admin.login, &fx.a1_admin.password)
        .await;

    // The old record still names them; a record dated before the move may still list them,
    // one dated after may not.
    let r = server.api(a1).get(&meeting_path(before)).await.ok(200);
    assert!(
        r["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == m.person.name.as_str()),
        "{r}"
    );
    record(
        &server,
        a1,
        fx.a1,
        &body("lecture", "2026-11-30T09:00", "补登记", &[m.id], &[]),
    )
    .await
    .ok(201);
    let r = record(
        &server,
        a1,
        fx.a1,
        &body("lecture", "2026-12-01T10:30", "转出后", &[m.id], &[]),
    )
    .await;
    assert_eq!(r.code(), "attendee_not_on_roster", "{r:?}");
    assert!(r.message().contains(m.person.name.as_str()), "{r:?}");
}
