//! TRF-13 and TRF-6: the 团员组织关系介绍信 (numbered per committee per year, issued only by basic
//! committees, valid 90 days, receipt recorded once) and the 转往特殊单位汇总表.

use std::collections::BTreeSet;
use std::io::Cursor;

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::*;
use crate::transfers::{all_transferable, approve, cancel, ready_member, started, to_org, tr_path};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn letter_path(transfer: i64) -> String {
    format!("{}/letter", tr_path(transfer))
}

async fn issue(server: &TestServer, token: &str, transfer: i64) -> Resp {
    server.api(token).post_empty(&letter_path(transfer)).await
}

/// A finished transfer of `m` from its branch to `target`, started by `source` and approved by
/// `decider`.
async fn completed(
    server: &TestServer,
    source: &str,
    decider: &str,
    member: i64,
    target: i64,
) -> i64 {
    let id = started(server, source, to_org(member, target, "school_change")).await;
    approve(server, decider, id, json!({})).await.ok(200);
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_basic_committee_issues_a_numbered_letter_for_a_finished_transfer() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let m = &fx.m_a1;
    let t1 = completed(&server, &fx.a1_admin.token, &fx.b_admin.token, m.id, fx.b1).await;
    let pending = started(
        &server,
        &fx.a2_admin.token,
        to_org(fx.m_a2.id, fx.b1, "job_change"),
    )
    .await;

    // Only for finished transfers, only by a basic committee whose scope holds the source.
    issue(&server, &fx.s1_admin.token, pending)
        .await
        .err(422, "transfer_not_done")
        .with_rule("TRF-13");
    issue(&server, &fx.a1_admin.token, t1)
        .await
        .err(422, "not_a_basic_committee")
        .with_rule("TRF-13");
    issue(&server, &fx.b_admin.token, t1)
        .await
        .err(404, "not_found");
    issue(&server, &fx.s2_admin.token, t1)
        .await
        .err(404, "not_found");
    issue(&server, &fx.s1_admin.token, 999_999)
        .await
        .err(404, "not_found");
    let me = member_token(&server, &fx.root, &fx.m_b1).await;
    issue(&server, &me, t1).await.fails(403);
    server
        .api(&fx.s1_admin.token)
        .post(&letter_path(t1), &json!({"archive_disposition": "burned"}))
        .await
        .fails(422)
        .with_field("archive_disposition");
    server
        .api(&fx.s1_admin.token)
        .post(&letter_path(t1), &json!({"dues_paid_until": "2026-13"}))
        .await
        .fails(422)
        .with_field("dues_paid_until");

    let l = issue(&server, &fx.s1_admin.token, t1).await.ok(201);
    assert_eq!(l["number"], "2026年0001号", "{l}");
    assert_eq!(l["valid_until"], "2027-02-27", "90 days after 2026-11-29");
    assert_eq!(l["expired"], false);
    assert_eq!(l["transfer_id"], t1);
    assert_eq!(l["member_id"], m.id);
    assert_eq!(l["org_id"], fx.s1);
    assert_eq!(l["receipt_at"], Value::Null);
    let f = &l["fields"];
    assert_eq!(f["issuing_committee"], SCHOOL1, "{f}");
    assert_eq!(f["target_committee"], COLLEGE_B);
    assert_eq!(f["name"], m.person.name.as_str());
    assert!(f["gender"] == "男" || f["gender"] == "女", "{f}");
    assert_eq!(f["age"], 21);
    assert_eq!(f["ethnicity"], "汉族");
    assert_eq!(
        f["resident_id"],
        m.person.resident_id.as_str(),
        "the full ID number"
    );
    assert_eq!(f["development_no"], m.person.development_no.as_str());
    assert_eq!(f["reason"], "转学");
    assert_eq!(f["from_org"], BRANCH_A1);
    assert_eq!(f["to_org"], BRANCH_B1);
    assert_eq!(f["dues_paid_until"], Value::Null);
    assert_eq!(f["archive_disposition"], "随学籍（人事）档案转递");
    assert_eq!(f["handler"], "", "not the account's name: a blank to sign");
    assert_eq!(f["member_phone"], m.person.phone.as_str());

    // One letter per transfer, whoever asks.
    let again = issue(&server, &fx.s1_admin.token, t1).await;
    again.err(409, "letter_exists");
    assert!(again.message().contains("2026年0001号"), "{again:?}");
    issue(&server, &fx.a_admin.token, t1)
        .await
        .err(409, "letter_exists");

    // Numbers run per committee: the college starts at 1, the school goes on to 2.
    approve(&server, &fx.b_admin.token, pending, json!({}))
        .await
        .ok(200);
    let t3 = completed(
        &server,
        &fx.s2_admin.token,
        &fx.a_admin.token,
        fx.m_s2.id,
        fx.a1,
    )
    .await;
    let by_college = server
        .api(&fx.a_admin.token)
        .post(
            &letter_path(pending),
            &json!({"archive_disposition": "mailed", "handler": "张老师",
                    "dues_paid_until": "2026-10"}),
        )
        .await
        .ok(201);
    assert_eq!(by_college["number"], "2026年0001号", "{by_college}");
    assert_eq!(by_college["org_id"], fx.col_a);
    let f = &by_college["fields"];
    assert_eq!(f["issuing_committee"], COLLEGE_A);
    assert_eq!(f["archive_disposition"], "邮寄转递");
    assert_eq!(f["handler"], "张老师");
    assert_eq!(f["dues_paid_until"], "2026-10");
    assert_eq!(f["reason"], "工作调动/单位变更");
    // The other school's transfer is out of S1's reach; the province numbers its own.
    issue(&server, &fx.s1_admin.token, t3)
        .await
        .err(404, "not_found");
    let by_province = issue(&server, &fx.province_admin.token, t3).await.ok(201);
    assert_eq!(by_province["number"], "2026年0001号");
    assert_eq!(by_province["fields"]["target_committee"], COLLEGE_A);
    assert_eq!(by_province["fields"]["from_org"], BRANCH_S2);

    // Reading: admins whose scope holds the issuing committee.
    let lid = id_of(&l);
    let got = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/letters/{lid}"))
        .await
        .ok(200);
    assert_eq!(got["number"], "2026年0001号");
    assert_eq!(got["fields"], l["fields"]);
    server
        .api(&fx.province_admin.token)
        .get(&format!("/api/v1/letters/{lid}"))
        .await
        .ok(200);
    for token in [
        &fx.a_admin.token,
        &fx.b_admin.token,
        &fx.s2_admin.token,
        &me,
    ] {
        server
            .api(token)
            .get(&format!("/api/v1/letters/{lid}"))
            .await
            .fails(404);
    }

    // The receipt comes back once.
    let receipt = format!("/api/v1/letters/{lid}/receipt");
    let r = server
        .api(&fx.s1_admin.token)
        .post(&receipt, &json!({"note": "回执已寄回"}))
        .await
        .ok(200);
    assert!(r["receipt_at"].as_str().is_some(), "{r}");
    assert_eq!(r["receipt_note"], "回执已寄回");
    server
        .api(&fx.s1_admin.token)
        .post(&receipt, &json!({"note": "又一次"}))
        .await
        .err(409, "receipt_recorded");
    server
        .api(&fx.b_admin.token)
        .post(&receipt, &json!({}))
        .await
        .fails(404);

    // Valid for 90 days.
    server.advance(time::Duration::days(90));
    let s1 = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    let v = server
        .api(&s1)
        .get(&format!("/api/v1/letters/{lid}"))
        .await
        .ok(200);
    assert_eq!(v["expired"], false, "{v}");
    server.advance(time::Duration::days(1));
    let s1 = server
        .login(&fx.s1_admin.login, &fx.s1_admin.password)
        .await;
    let v = server
        .api(&s1)
        .get(&format!("/api/v1/letters/{lid}"))
        .await
        .ok(200);
    assert_eq!(v["expired"], true, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn letters_for_offline_moves_name_the_destination_and_say_无_without_a_development_number() {
    let (server, fx) = school().await;
    // Joined in 2016 (before development numbers, MEM-1), so the record has none.
    let mut p = Person::born(42, &name_for(42), time::macros::date!(1999 - 03 - 01));
    p.joined_on = "2016-05".into();
    let mut body = p.body(fx.a1);
    body["development_no"] = Value::Null;
    let m = id_of(
        &server
            .api(&fx.root)
            .post("/api/v1/members", &body)
            .await
            .ok(201),
    );
    crate::transfers::confirm_identity(&server, &fx.root, m).await;

    // External system (awaiting the report): a letter may be issued already.
    let ext = started(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": m, "external_system": "guangdong", "reason": "other",
               "note": "随父母迁居"}),
    )
    .await;
    let l = issue(&server, &fx.a_admin.token, ext).await.ok(201);
    let f = &l["fields"];
    assert_eq!(f["development_no"], "无", "{f}");
    assert_eq!(f["reason"], "其他（随父母迁居）");
    let to = f["to_org"].as_str().unwrap_or_default();
    assert!(
        to.contains("广东"),
        "a readable destination, not a code: {f}"
    );
    assert!(
        f["target_committee"]
            .as_str()
            .unwrap_or_default()
            .contains("广东"),
        "{f}"
    );
    cancel(&server, &fx.a1_admin.token, ext).await.ok(200);
    // A cancelled transfer gets no (further) letter.
    let other = ready_member(&server, &fx, 41, fx.a1).await;
    let special = started(
        &server,
        &fx.a1_admin.token,
        json!({"member_id": other.id, "special_unit": {"destination": "某部队"},
               "reason": "military"}),
    )
    .await;
    issue(&server, &fx.a_admin.token, special)
        .await
        .err(422, "transfer_not_done");
    approve(&server, &fx.province_admin.token, special, json!({}))
        .await
        .ok(200);
    let l = issue(&server, &fx.a_admin.token, special).await.ok(201);
    assert_eq!(l["number"], "2026年0002号");
    assert_eq!(l["fields"]["to_org"], "某部队");
    assert_eq!(l["fields"]["reason"], "参军入伍");
}

/// POSTs the letter for each transfer at the same time (one task each).
async fn issue_all_at_once(
    server: &TestServer,
    tokens_and_ids: &[(String, i64)],
) -> Vec<(u16, Value)> {
    let mut handles = Vec::new();
    for (token, id) in tokens_and_ids {
        let client = server.client.clone();
        let url = server.url(&letter_path(*id));
        let token = token.clone();
        handles.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("POST letter");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn letters_issued_at_once_get_consecutive_numbers_without_gaps() {
    let (server, fx) = school().await;
    const N: u16 = 6;
    let mut transfers = Vec::new();
    for seq in 0..N {
        let m = ready_member(&server, &fx, 80 + seq, fx.a1).await;
        transfers
            .push(completed(&server, &fx.a1_admin.token, &fx.a2_admin.token, m.id, fx.a2).await);
    }
    let jobs: Vec<(String, i64)> = transfers
        .iter()
        .map(|id| (fx.s1_admin.token.clone(), *id))
        .collect();
    let answers = issue_all_at_once(&server, &jobs).await;
    let mut numbers = BTreeSet::new();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        numbers.insert(body["number"].as_str().expect("number").to_string());
    }
    let expected: BTreeSet<String> = (1..=i64::from(N))
        .map(|n| format!("2026年{n:04}号"))
        .collect();
    assert_eq!(numbers, expected);
    // The next one carries on without a gap.
    let m = ready_member(&server, &fx, 95, fx.a1).await;
    let t = completed(&server, &fx.a1_admin.token, &fx.a2_admin.token, m.id, fx.a2).await;
    let next = issue(&server, &fx.s1_admin.token, t).await.ok(201);
    assert_eq!(next["number"], format!("2026年{:04}号", N + 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_committees_issuing_for_one_transfer_at_once_make_one_letter() {
    let (server, fx) = school().await;
    for seq in 0..3u16 {
        let m = ready_member(&server, &fx, 80 + seq, fx.a1).await;
        let t = completed(&server, &fx.a1_admin.token, &fx.a2_admin.token, m.id, fx.a2).await;
        let answers = issue_all_at_once(
            &server,
            &[
                (fx.s1_admin.token.clone(), t),
                (fx.a_admin.token.clone(), t),
                (fx.province_admin.token.clone(), t),
            ],
        )
        .await;
        let mut statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        statuses.sort();
        assert_eq!(statuses, [201, 409, 409], "{answers:?}");
        for (s, body) in &answers {
            if *s == 409 {
                assert_eq!(body["error"]["code"], "letter_exists", "{body}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_receipt_recorded_twice_at_once_is_recorded_once() {
    let (server, fx) = school().await;
    let m = ready_member(&server, &fx, 80, fx.a1).await;
    let t = completed(&server, &fx.a1_admin.token, &fx.a2_admin.token, m.id, fx.a2).await;
    let lid = id_of(&issue(&server, &fx.s1_admin.token, t).await.ok(201));
    let receipt = format!("/api/v1/letters/{lid}/receipt");
    let (first, second) = (json!({"note": "第一份"}), json!({"note": "第二份"}));
    let (s1, province) = (
        server.api(&fx.s1_admin.token),
        server.api(&fx.province_admin.token),
    );
    let (x, y) = tokio::join!(s1.post(&receipt, &first), province.post(&receipt, &second));
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{x:?} / {y:?}");
    let winner = if x.status == 200 { &x } else { &y };
    let v = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/letters/{lid}"))
        .await
        .ok(200);
    assert_eq!(v["receipt_note"], winner.body["receipt_note"], "{v}");
}

// ---------------------------------------------------------------------------------------------
// 转往特殊单位汇总表 (TRF-6)

pub async fn get_bytes(server: &TestServer, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let r = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, r.bytes().await.expect("body").to_vec())
}

/// Every non-empty cell of every sheet, as text.
pub fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable xlsx");
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        out.extend(
            range
                .used_cells()
                .filter(|(_, _, v)| **v != Data::Empty)
                .map(|(_, _, v)| v.to_string()),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_special_unit_sheet_lists_the_members_sent_to_special_units() {
    let (server, fx) = school().await;
    all_transferable(&server, &fx).await;
    let special = |m: i64, dest: &str| json!({"member_id": m, "special_unit": {"destination": dest}, "reason": "military"});
    let done = started(&server, &fx.a1_admin.token, special(fx.m_a1.id, "某部队")).await;
    approve(&server, &fx.province_admin.token, done, json!({}))
        .await
        .ok(200);
    started(
        &server,
        &fx.b_admin.token,
        special(fx.m_b1.id, "某涉密单位"),
    )
    .await;
    let withdrawn = started(&server, &fx.a2_admin.token, special(fx.m_a2.id, "另一部队")).await;
    cancel(&server, &fx.a2_admin.token, withdrawn).await.ok(200);
    // An ordinary transfer is not on it.
    started(
        &server,
        &fx.s2_admin.token,
        to_org(fx.m_s2.id, fx.a1, "school_change"),
    )
    .await;

    let path = |org: i64| format!("/api/v1/orgs/{org}/reports/special-unit-transfers.xlsx");
    let (status, ct, bytes) = get_bytes(&server, &fx.s1_admin.token, &path(fx.s1)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(ct, XLSX);
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let text = xlsx_cells(&bytes).join("\n");
    for want in [
        fx.m_a1.person.name.as_str(),
        "某部队",
        fx.m_b1.person.name.as_str(),
        "某涉密单位",
        BRANCH_A1,
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    for unwanted in [
        fx.m_a2.person.name.as_str(),
        "另一部队",
        fx.m_s2.person.name.as_str(),
    ] {
        assert!(
            !text.contains(unwanted),
            "{unwanted} should not be in:\n{text}"
        );
    }

    // A college sees its own; the province all; out of scope gets 404.
    let (_, _, bytes) = get_bytes(&server, &fx.b_admin.token, &path(fx.col_b)).await;
    let text = xlsx_cells(&bytes).join("\n");
    assert!(
        text.contains(&fx.m_b1.person.name) && !text.contains(&fx.m_a1.person.name),
        "{text}"
    );
    let (status, _, _) = get_bytes(&server, &fx.province_admin.token, &path(fx.province)).await;
    assert_eq!(status, 200);
    let (status, _, _) = get_bytes(&server, &fx.s2_admin.token, &path(fx.s1)).await;
    assert_eq!(status, 404);
}
