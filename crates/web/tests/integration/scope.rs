//! ACC-1, ACC-2, MEM-8: every route, called from one side of the tree against the other, answers
//! 403 or 404 (searches answer nothing) and reveals nothing, and nothing changes.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{Resp, TestServer};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// 403 or 404 with the standard error body.
    Denied,
    /// 200 with no items.
    Empty,
    /// Either of the above (a member may be refused a search or get nothing).
    DeniedOrEmpty,
}

struct Case {
    label: String,
    method: Method,
    path: String,
    body: Option<Value>,
    expect: Expect,
}

fn case(label: &str, method: Method, path: String, body: Option<Value>, expect: Expect) -> Case {
    Case {
        label: label.to_string(),
        method,
        path,
        body,
        expect,
    }
}

/// Every route that acts on org `t` (whose admin account is `admin_account`).
fn org_cases(t: i64, admin_account: i64, own_member: i64, seq: u16) -> Vec<Case> {
    use Expect::Denied;
    let o = format!("/api/v1/orgs/{t}");
    let intruder = Person::new(900 + seq, &name_for(seq));
    vec![
        case("GET org", Method::GET, o.clone(), None, Denied),
        case(
            "PATCH org",
            Method::PATCH,
            o.clone(),
            Some(json!({"contact_person": "越权修改"})),
            Denied,
        ),
        case(
            "PATCH org name",
            Method::PATCH,
            o.clone(),
            Some(json!({"name": "越权改名团支部"})),
            Denied,
        ),
        case(
            "DELETE org",
            Method::DELETE,
            o.clone(),
            Some(json!({"reason": "越权删除"})),
            Denied,
        ),
        case(
            "restore org",
            Method::POST,
            format!("{o}/restore"),
            None,
            Denied,
        ),
        case(
            "children",
            Method::GET,
            format!("{o}/children"),
            None,
            Denied,
        ),
        case(
            "children incl. deleted",
            Method::GET,
            format!("{o}/children?include_deleted=true"),
            None,
            Denied,
        ),
        case(
            "admins list",
            Method::GET,
            format!("{o}/admins"),
            None,
            Denied,
        ),
        case(
            "admin create",
            Method::POST,
            format!("{o}/admins"),
            Some(
                json!({"login": format!("intruder_{seq}"), "password": "Intrude-Pass1", "name": "越权管理员"}),
            ),
            Denied,
        ),
        case(
            "admin grant to own member",
            Method::POST,
            format!("{o}/admins"),
            Some(json!({"member_id": own_member})),
            Denied,
        ),
        case(
            "admin revoke",
            Method::DELETE,
            format!("{o}/admins/{admin_account}"),
            None,
            Denied,
        ),
        case(
            "members list",
            Method::GET,
            format!("{o}/members"),
            None,
            Denied,
        ),
        case(
            "members subtree",
            Method::GET,
            format!("{o}/members?subtree=true&per_page=100"),
            None,
            Denied,
        ),
        case(
            "audit of org",
            Method::GET,
            format!("/api/v1/audit?org_id={t}"),
            None,
            Denied,
        ),
        case(
            "create org under",
            Method::POST,
            "/api/v1/orgs".into(),
            Some(org_body(t, "越权创建的团支部", "branch", UNIVERSITY)),
            Denied,
        ),
        case(
            "create member in",
            Method::POST,
            "/api/v1/members".into(),
            Some(intruder.body(t)),
            Denied,
        ),
        case(
            "cadres list",
            Method::GET,
            format!("{o}/cadres"),
            None,
            Denied,
        ),
        case(
            "cadre add own member",
            Method::POST,
            format!("{o}/cadres"),
            Some(json!({"member_id": own_member, "post": "越权职务", "started_on": "2025-09-01"})),
            Denied,
        ),
        case(
            "registration code for",
            Method::POST,
            format!("{o}/registration-codes"),
            None,
            Denied,
        ),
        case(
            "identity stats",
            Method::GET,
            format!("{o}/identity-stats"),
            None,
            Denied,
        ),
        case(
            "special-unit sheet",
            Method::GET,
            format!("{o}/reports/special-unit-transfers.xlsx"),
            None,
            Denied,
        ),
        case(
            "graduation mark",
            Method::PUT,
            format!("{o}/graduation"),
            Some(json!({"year_month": "2030-06"})),
            Denied,
        ),
        case(
            "graduation branches",
            Method::GET,
            format!("{o}/graduation?status=unmarked"),
            None,
            Denied,
        ),
        case(
            "graduation change request",
            Method::POST,
            "/api/v1/requests".into(),
            Some(
                json!({"kind": "graduation_change", "org_id": t, "changes": {"year_month": "2030-06"}, "reason": "越权修改"}),
            ),
            Denied,
        ),
        case(
            "graduates",
            Method::GET,
            format!("{o}/graduates?year=2026"),
            None,
            Denied,
        ),
        case(
            "delayed graduates",
            Method::GET,
            format!("{o}/delayed-graduates"),
            None,
            Denied,
        ),
        case(
            "graduation changes sheet",
            Method::GET,
            format!("{o}/reports/graduation-changes.xlsx"),
            None,
            Denied,
        ),
        case(
            "continuity special cases sheet",
            Method::GET,
            format!("{o}/reports/continuity-special-cases.xlsx"),
            None,
            Denied,
        ),
        case(
            "continuity figure",
            Method::GET,
            format!("{o}/continuity?year=2026"),
            None,
            Denied,
        ),
        case(
            "continuity list",
            Method::GET,
            format!("{o}/continuity?year=2026&list=not_started"),
            None,
            Denied,
        ),
        case(
            "continuity trend",
            Method::GET,
            format!("{o}/continuity/trend?year=2026"),
            None,
            Denied,
        ),
        case(
            "continuity sheet",
            Method::GET,
            format!("{o}/reports/continuity.xlsx?year=2026"),
            None,
            Denied,
        ),
        case(
            "grants list",
            Method::GET,
            format!("/api/v1/grants?org_id={t}"),
            None,
            Denied,
        ),
        case(
            "grant on org",
            Method::POST,
            "/api/v1/grants".into(),
            Some(
                json!({"student_no": intruder.student_no, "college_id": t, "permissions": ["members"]}),
            ),
            Denied,
        ),
    ]
}

/// Writes against an org above the caller (its own scope is below): none may succeed, and the
/// subtree member list would show the other side's members.
fn ancestor_cases(t: i64, admin_account: i64, own_member: i64, seq: u16) -> Vec<Case> {
    use Expect::Denied;
    let o = format!("/api/v1/orgs/{t}");
    vec![
        case(
            "PATCH ancestor",
            Method::PATCH,
            o.clone(),
            Some(json!({"contact_person": "越权修改"})),
            Denied,
        ),
        case(
            "rename ancestor",
            Method::PATCH,
            o.clone(),
            Some(json!({"name": "越权改名团委"})),
            Denied,
        ),
        case(
            "DELETE ancestor",
            Method::DELETE,
            o.clone(),
            Some(json!({"reason": "越权删除"})),
            Denied,
        ),
        case(
            "restore ancestor",
            Method::POST,
            format!("{o}/restore"),
            None,
            Denied,
        ),
        case(
            "admin create on ancestor",
            Method::POST,
            format!("{o}/admins"),
            Some(
                json!({"login": format!("intruder_{seq}"), "password": "Intrude-Pass1", "name": "越权管理员"}),
            ),
            Denied,
        ),
        case(
            "grant own member admin of ancestor",
            Method::POST,
            format!("{o}/admins"),
            Some(json!({"member_id": own_member})),
            Denied,
        ),
        case(
            "revoke ancestor's admin",
            Method::DELETE,
            format!("{o}/admins/{admin_account}"),
            None,
            Denied,
        ),
        case(
            "ancestor's members (subtree)",
            Method::GET,
            format!("{o}/members?subtree=true&per_page=100"),
            None,
            Denied,
        ),
        case(
            "create a sibling org under ancestor",
            Method::POST,
            "/api/v1/orgs".into(),
            Some(org_body(
                t,
                "越权创建的学院团总支",
                "general_branch",
                UNIVERSITY,
            )),
            Denied,
        ),
        case(
            "cadre add on ancestor",
            Method::POST,
            format!("{o}/cadres"),
            Some(json!({"member_id": own_member, "post": "越权职务", "started_on": "2025-09-01"})),
            Denied,
        ),
        case(
            "grant on ancestor",
            Method::POST,
            "/api/v1/grants".into(),
            Some(json!({"student_no": "20230000", "college_id": t, "permissions": ["members"]})),
            Denied,
        ),
    ]
}

/// Every route that acts on member `m`; `own_branch` is a branch of the caller's side.
fn member_cases(m: &MemberFx, own_branch: i64, search: Expect) -> Vec<Case> {
    use Expect::Denied;
    let p = format!("/api/v1/members/{}", m.id);
    vec![
        case("GET member", Method::GET, p.clone(), None, Denied),
        case(
            "PATCH member",
            Method::PATCH,
            p.clone(),
            Some(json!({"actual_major": "越权修改"})),
            Denied,
        ),
        case(
            "PATCH member phone",
            Method::PATCH,
            p.clone(),
            Some(json!({"phone": "13700009999"})),
            Denied,
        ),
        case(
            "set member password",
            Method::POST,
            format!("{p}/password"),
            Some(json!({"password": "Hijack-Pass1"})),
            Denied,
        ),
        case(
            "reset code for",
            Method::POST,
            format!("{p}/reset-code"),
            None,
            Denied,
        ),
        case(
            "archives of",
            Method::GET,
            format!("{p}/archives"),
            None,
            Denied,
        ),
        case(
            "upload archive for",
            Method::POST,
            format!("{p}/archives"),
            Some(json!({"kind": "admission_form", "file_id": 1})),
            Denied,
        ),
        case(
            "confirm identity of",
            Method::POST,
            format!("{p}/identity"),
            Some(json!({"status": "verified_offline"})),
            Denied,
        ),
        case(
            "transfers of",
            Method::GET,
            format!("{p}/transfers"),
            None,
            Denied,
        ),
        case(
            "start a transfer of",
            Method::POST,
            "/api/v1/transfers".into(),
            Some(
                json!({"member_id": m.id, "target_org_id": own_branch, "reason": "further_study"}),
            ),
            Denied,
        ),
        case(
            "mark delayed graduate",
            Method::POST,
            format!("{p}/delayed-graduation"),
            Some(json!({"expected": "2030-06", "reason": "越权标记"})),
            Denied,
        ),
        case(
            "revoke delayed graduate",
            Method::DELETE,
            format!("{p}/delayed-graduation"),
            None,
            Denied,
        ),
        case(
            "set destination",
            Method::PUT,
            format!("{p}/destination"),
            Some(json!({"destination": "employed"})),
            Denied,
        ),
        case(
            "get destination",
            Method::GET,
            format!("{p}/destination"),
            None,
            Denied,
        ),
        case(
            "set continuity case",
            Method::PUT,
            format!("{p}/continuity-case"),
            Some(json!({"initiated": true, "remarks": "越权记录"})),
            Denied,
        ),
        case(
            "grant their member an admin role here",
            Method::POST,
            format!("/api/v1/orgs/{own_branch}/admins"),
            Some(json!({"member_id": m.id})),
            Denied,
        ),
        case(
            "search by name",
            Method::GET,
            format!("/api/v1/members?q={}", m.person.name),
            None,
            search,
        ),
        case(
            "search by resident id",
            Method::GET,
            format!("/api/v1/members?q={}", m.person.resident_id),
            None,
            search,
        ),
        case(
            "search by student no",
            Method::GET,
            format!("/api/v1/members?q={}", m.person.student_no),
            None,
            search,
        ),
    ]
}

/// Runs the cases as `token`; returns the failures (each described) and the count run.
async fn run(
    server: &TestServer,
    who: &str,
    token: &str,
    cases: &[Case],
    secrets: &[String],
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    for c in cases {
        let resp = server
            .api(token)
            .send(c.method.clone(), &c.path, c.body.as_ref())
            .await;
        let denied = (resp.status == 403 || resp.status == 404)
            && !resp.code().is_empty()
            && crate::harness::is_chinese(resp.message());
        let empty = resp.status == 200
            && resp.body["items"].as_array().is_some_and(Vec::is_empty)
            && resp.body["total"] == 0;
        let ok = match c.expect {
            Expect::Denied => denied,
            Expect::Empty => empty,
            Expect::DeniedOrEmpty => denied || empty,
        };
        if !ok {
            failures.push(format!(
                "[{who}] {}: expected {:?}, got {resp:?}",
                c.label, c.expect
            ));
        }
        for s in secrets {
            if resp.text.contains(s.as_str()) {
                failures.push(format!(
                    "[{who}] {}: answer reveals {s:?}: {resp:?}",
                    c.label
                ));
            }
        }
    }
    (cases.len(), failures)
}

/// The same answer for a hidden record as for a missing one (ids replaced).
fn same_as_missing(
    hidden: &Resp,
    hidden_id: i64,
    missing: &Resp,
    missing_id: i64,
) -> Option<String> {
    let h = hidden.text.replace(&hidden_id.to_string(), "#");
    let m = missing.text.replace(&missing_id.to_string(), "#");
    if hidden.status == missing.status && h == m {
        None
    } else {
        Some(format!(
            "out-of-scope answer differs from a missing id: {hidden:?} vs {missing:?}"
        ))
    }
}

fn secrets_of(orgs: &[&str], admins: &[&Admin], members: &[&MemberFx]) -> Vec<String> {
    let mut out: Vec<String> = orgs.iter().map(|s| s.to_string()).collect();
    for a in admins {
        out.push(a.login.clone());
        out.push(a.name.clone());
    }
    for m in members {
        out.extend(m.person.secrets());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_crosses_scope() {
    let (server, fx) = school().await;
    let member_token = member_token(&server, &fx.root, &fx.m_a1).await;
    let mut total = 0;
    let mut failures = Vec::new();
    let mut tally = |(n, f): (usize, Vec<String>)| {
        total += n;
        failures.extend(f);
    };

    // Positive controls: the same routes work inside scope, so the refusals below mean scope.
    let s1 = server.api(&fx.s1_admin.token);
    s1.get(&format!("/api/v1/orgs/{}", fx.b1)).await.ok(200);
    s1.get(&format!("/api/v1/members/{}", fx.m_b1.id))
        .await
        .ok(200);
    assert_eq!(
        s1.get(&format!("/api/v1/orgs/{}/members", fx.b1))
            .await
            .ok(200)["total"],
        1
    );
    s1.get(&format!("/api/v1/orgs/{}/admins", fx.col_b))
        .await
        .ok(200);
    s1.get(&format!("/api/v1/orgs/{}/children", fx.col_b))
        .await
        .ok(200);
    s1.get(&format!("/api/v1/audit?org_id={}", fx.b1))
        .await
        .ok(200);
    assert_eq!(
        s1.get(&format!("/api/v1/members?q={}", fx.m_b1.person.student_no))
            .await
            .items()
            .len(),
        1
    );
    server
        .api(&fx.a1_admin.token)
        .get(&format!("/api/v1/members/{}", fx.m_a1.id))
        .await
        .ok(200);
    server
        .api(&member_token)
        .get(&format!("/api/v1/members/{}", fx.m_a1.id))
        .await
        .ok(200);

    // College A's admin against college B and school S2.
    let secrets = secrets_of(
        &[COLLEGE_B, BRANCH_B1, SCHOOL2, BRANCH_S2],
        &[&fx.b_admin, &fx.s2_admin],
        &[&fx.m_b1, &fx.m_s2],
    );
    let mut cases = Vec::new();
    for (i, (t, acct)) in [
        (fx.col_b, fx.b_admin.account_id),
        (fx.b1, fx.b_admin.account_id),
        (fx.s2, fx.s2_admin.account_id),
        (fx.s2b, fx.s2_admin.account_id),
    ]
    .into_iter()
    .enumerate()
    {
        cases.extend(org_cases(t, acct, fx.m_a1.id, i as u16));
    }
    for m in [&fx.m_b1, &fx.m_s2] {
        cases.extend(member_cases(m, fx.a1, Expect::Empty));
    }
    cases.extend(ancestor_cases(
        fx.s1,
        fx.s1_admin.account_id,
        fx.m_a1.id,
        30,
    ));
    cases.extend(ancestor_cases(
        fx.province,
        fx.province_admin.account_id,
        fx.m_a1.id,
        31,
    ));
    tally(
        run(
            &server,
            "college A admin",
            &fx.a_admin.token,
            &cases,
            &secrets,
        )
        .await,
    );

    // Branch A1's admin against sibling branch A2.
    let secrets = secrets_of(&[BRANCH_A2], &[&fx.a2_admin], &[&fx.m_a2]);
    let mut cases = org_cases(fx.a2, fx.a2_admin.account_id, fx.m_a1.id, 10);
    cases.extend(member_cases(&fx.m_a2, fx.a1, Expect::Empty));
    tally(
        run(
            &server,
            "branch A1 admin",
            &fx.a1_admin.token,
            &cases,
            &secrets,
        )
        .await,
    );

    // A member against other members (same college and other college).
    let secrets = secrets_of(&[], &[], &[&fx.m_a2, &fx.m_b1]);
    let mut cases = member_cases(&fx.m_a2, fx.a1, Expect::DeniedOrEmpty);
    cases.extend(member_cases(&fx.m_b1, fx.a1, Expect::DeniedOrEmpty));
    let a2_members = format!("/api/v1/orgs/{}/members", fx.a2);
    cases.push(case(
        "other branch's members",
        Method::GET,
        a2_members,
        None,
        Expect::Denied,
    ));
    cases.push(case(
        "grant self an admin role",
        Method::POST,
        format!("/api/v1/orgs/{}/admins", fx.a1),
        Some(json!({"member_id": fx.m_a1.id})),
        Expect::Denied,
    ));
    cases.push(case(
        "enter a member",
        Method::POST,
        "/api/v1/members".into(),
        Some(Person::new(990, "越权录入").body(fx.a1)),
        Expect::Denied,
    ));
    cases.push(case(
        "continuity of own branch",
        Method::GET,
        format!("/api/v1/orgs/{}/continuity?year=2026", fx.a1),
        None,
        Expect::Denied,
    ));
    cases.push(case(
        "batch transfer of others",
        Method::POST,
        "/api/v1/graduation/batch-transfer".into(),
        Some(json!({"member_ids": [fx.m_a2.id], "target_org_id": fx.a1, "reason": "graduation"})),
        Expect::Denied,
    ));
    cases.push(case(
        "audit of another branch",
        Method::GET,
        format!("/api/v1/audit?org_id={}", fx.a2),
        None,
        Expect::Denied,
    ));
    tally(run(&server, "member of A1", &member_token, &cases, &secrets).await);

    // School S1's admin against school S2.
    let secrets = secrets_of(&[SCHOOL2, BRANCH_S2], &[&fx.s2_admin], &[&fx.m_s2]);
    let mut cases = org_cases(fx.s2b, fx.s2_admin.account_id, fx.m_a1.id, 20);
    cases.extend(member_cases(&fx.m_s2, fx.a1, Expect::Empty));
    tally(
        run(
            &server,
            "school S1 admin",
            &fx.s1_admin.token,
            &cases,
            &secrets,
        )
        .await,
    );

    // Hidden looks exactly like missing.
    let a = server.api(&fx.a_admin.token);
    let missing_id = 987_654_321;
    for (hidden, path) in [
        (fx.m_b1.id, "/api/v1/members/{}"),
        (fx.b1, "/api/v1/orgs/{}"),
        (fx.b1, "/api/v1/orgs/{}/members"),
        (fx.col_b, "/api/v1/orgs/{}/children"),
    ] {
        let h = a.get(&path.replace("{}", &hidden.to_string())).await;
        let m = a.get(&path.replace("{}", &missing_id.to_string())).await;
        total += 1;
        failures.extend(same_as_missing(&h, hidden, &m, missing_id));
    }

    // The log of an org above A: refused, or only the entries about A's subtree.
    let above = a
        .get(&format!("/api/v1/audit?org_id={}&per_page=500", fx.s1))
        .await;
    total += 1;
    if above.status == 200 {
        let own = [fx.col_a, fx.a1, fx.a2];
        let items = above.body["items"].as_array().cloned().unwrap_or_default();
        if let Some(e) = items
            .iter()
            .find(|e| !own.iter().any(|o| e["org_id"] == *o))
        {
            failures.push(format!(
                "audit?org_id=<school> shows an entry outside A: {e}"
            ));
        }
    } else if above.status != 403 && above.status != 404 {
        failures.push(format!("audit?org_id=<school>: {above:?}"));
    }

    eprintln!("scope matrix: {total} cases, {} failures", failures.len());
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(total >= 40, "only {total} cases");

    // Nothing changed on the other side.
    let root = server.api(&fx.root);
    for t in [fx.col_b, fx.b1, fx.s2, fx.s2b, fx.a2, fx.s1, fx.province] {
        let org = root.get(&format!("/api/v1/orgs/{t}")).await.ok(200);
        assert_eq!(org["contact_person"], Value::Null, "{org}");
        assert_eq!(org["deleted"], false, "{org}");
        assert_ne!(org["name"], "越权改名团支部");
        assert_ne!(org["name"], "越权改名团委");
        assert_eq!(
            child_total(&server, &fx.root, t).await,
            match t {
                t if t == fx.col_b || t == fx.s2 => 1,
                t if t == fx.s1 || t == fx.province => 2,
                _ => 0,
            },
            "children of {t}"
        );
    }
    for (t, n) in [
        (fx.col_b, 1),
        (fx.s2, 1),
        (fx.a2, 1),
        (fx.b1, 0),
        (fx.s2b, 0),
        (fx.s1, 1),
        (fx.province, 1),
    ] {
        let admins = root.get(&format!("/api/v1/orgs/{t}/admins")).await.ok(200);
        assert_eq!(admins["total"], n, "admins of {t}: {admins}");
    }
    for (t, n) in [(fx.b1, 1), (fx.s2b, 1), (fx.a2, 1), (fx.a1, 1)] {
        assert_eq!(
            member_total(&server, &fx.root, t).await,
            n,
            "members of {t}"
        );
    }
    for m in [&fx.m_b1, &fx.m_s2, &fx.m_a2] {
        let rec = root.get(&format!("/api/v1/members/{}", m.id)).await.ok(200);
        assert_eq!(rec["actual_major"], Value::Null, "{rec}");
        assert_eq!(rec["phone"], m.person.phone.as_str(), "{rec}");
        let hijack = server
            .login_resp(&m.person.resident_id, "Hijack-Pass1")
            .await;
        assert_ne!(hijack.status, 200, "password was changed: {hijack:?}");
    }
    for i in [0, 1, 2, 3, 10, 20, 30, 31] {
        let login = server
            .login_resp(&format!("intruder_{i}"), "Intrude-Pass1")
            .await;
        assert_eq!(login.status, 401, "{login:?}");
    }
    let me = server.api(&member_token).get("/api/v1/me").await.ok(200);
    assert_eq!(
        me["roles"].as_array().map(Vec::len),
        Some(1),
        "no role was granted: {me}"
    );

    assert!(
        failures.is_empty(),
        "{} scope failures (see stderr):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
