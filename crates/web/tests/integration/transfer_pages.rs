//! The transfer pages (TRF-1 … TRF-13) over HTTP, the way a browser without JavaScript uses
//! them: GET the page, POST its form with the session's CSRF token, follow the redirect, read
//! the Chinese text.

use reqwest::Client;

use crate::fixtures::{
    make_transferable_by_id, member_token, school, Fixture, BRANCH_A1, BRANCH_A2, BRANCH_B1,
    BRANCH_S2, COLLEGE_A, COLLEGE_B, MEMBER_PASSWORD, PDF,
};
use crate::harness::{new_client, TestServer};
use crate::page::{get, logged_in, post, post_upload, upload_form, visible, Page};

/// The ids of the transfer rows of the progress list.
fn transfer_rows(page: &Page) -> Vec<i64> {
    page.html
        .split("<tr id=\"transfer-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The transfer id at the end of `/transfers/{id}` (with or without a query).
fn transfer_id_in(path: &str) -> i64 {
    path.strip_prefix("/transfers/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a transfer page: {path}"))
}

/// The college A admin starts the transfer of `member` to `target` on the start form.
async fn start_out(
    client: &Client,
    server: &TestServer,
    member: i64,
    target: i64,
    reason: &str,
) -> i64 {
    let form = get(
        client,
        server,
        &format!("/transfers/new?member_id={member}"),
    )
    .await;
    form.status(200);
    let csrf = form.csrf();
    let (member, target) = (member.to_string(), target.to_string());
    let done = post(
        client,
        server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member.as_str()),
            ("target_type", "org"),
            ("target_org_id", target.as_str()),
            ("reason", reason),
        ],
    )
    .await;
    done.status(200).has("转接申请已提交");
    transfer_id_in(&done.path)
}

#[tokio::test]
async fn a_college_starts_a_transfer_and_the_target_approves_it_into_a_chosen_branch() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;

    // The member page offers 发起转接; the form says what is still missing (TRF-7).
    get(&a, &server, &format!("/members/{}", m.id))
        .await
        .status(200)
        .has(&format!("href=\"/transfers/new?member_id={}\"", m.id))
        .has("发起转接")
        .has(&format!("href=\"/members/{}/transfers\"", m.id));
    get(&a, &server, &format!("/transfers/new?member_id={}", m.id))
        .await
        .status(200)
        .has(&m.person.name)
        .has("身份核验：<span class=\"tag warn\">待核验</span>")
        .has("团员身份认证：<span class=\"tag warn\">");
    let form = get(&a, &server, &format!("/transfers/new?member_id={}", m.id)).await;
    let csrf = form.csrf();
    let member_id = m.id.to_string();
    let col_b = fx.col_b.to_string();
    let refused = post(
        &a,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member_id.as_str()),
            ("target_type", "org"),
            ("target_org_id", col_b.as_str()),
            ("reason", "further_study"),
        ],
    )
    .await;
    refused
        .status(422)
        .has("暂不能办理组织关系转接")
        .has("身份未核验")
        .has("团员身份未认证");

    make_transferable_by_id(&server, &fx.a1_admin.token, Some(&fx.a_admin.token), m.id).await;

    // The ORG-5 search on the form shows full paths; TRF-11 guidance sits next to the choice.
    let search = get(
        &a,
        &server,
        &format!(
            "/transfers/new?mode=out&member_id={}&q=%E6%9C%BA%E6%A2%B0%E5%B7%A5%E7%A8%8B",
            m.id
        ),
    )
    .await;
    search
        .status(200)
        .has("身份核验：<span class=\"tag ok\">线下通过</span>")
        .has("团员身份认证：<span class=\"tag ok\">")
        .has(&format!("name=\"target_org_id\" value=\"{}\"", fx.col_b))
        .has(&format!("name=\"target_org_id\" value=\"{}\"", fx.b1))
        .has(&format!("{COLLEGE_B} / {BRANCH_B1}"))
        .has("须由对方选择团支部")
        .has("特殊单位（军队、涉密单位）")
        .has("北京/广东/福建")
        .has("居住地或户籍所在地的乡镇（街道）团委")
        .has("居住地或单位所在地的团组织")
        .has("外出半年以上")
        .has("随党组织关系转接");

    // No reason: the error next to the select, the chosen org still chosen.
    let csrf = search.csrf();
    let missing = post(
        &a,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member_id.as_str()),
            ("q", "机械工程"),
            ("target_type", "org"),
            ("target_org_id", col_b.as_str()),
            ("reason", ""),
            ("note", "考取本校研究生"),
        ],
    )
    .await;
    missing
        .status(422)
        .has("id=\"error-reason\"")
        .has("请选择转接原因")
        .lacks("不是有效的转接原因")
        .has(&format!(
            "name=\"target_org_id\" value=\"{}\" checked",
            fx.col_b
        ))
        .has("value=\"考取本校研究生\"");
    // No target chosen at all.
    post(
        &a,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member_id.as_str()),
            ("target_type", "org"),
            ("reason", "further_study"),
        ],
    )
    .await
    .status(422)
    .has("id=\"error-target_org_id\"")
    .has("请先在上方搜索转入的团组织");

    // Started towards college B (not a branch).
    let id = start_out(&a, &server, m.id, fx.col_b, "further_study").await;
    let detail = get(&a, &server, &format!("/transfers/{id}")).await;
    detail
        .status(200)
        .has("待审批")
        .has("待转入组织审批")
        .has(COLLEGE_B)
        .has("升学")
        .has(&format!("转出方（{}）", fx.a_admin.name))
        .has("发起转接")
        .has("撤销申请")
        .lacks("id=\"approve-form\"");

    // TRF-2: a second start is refused and names who started the first one.
    start_again_refused(&a, &server, m.id, fx.b1, &fx.a_admin.name).await;

    // The target college decides: a branch must be chosen, the archives box ticked.
    let b = logged_in(&server, &fx.b_admin.login, &fx.b_admin.password).await;
    get(&b, &server, "/")
        .await
        .status(200)
        .has(&format!("href=\"/transfers/{id}\""))
        .has("组织关系转接（待转入组织审批）");
    let decide = get(&b, &server, &format!("/transfers/{id}")).await;
    decide
        .status(200)
        .has("id=\"approve-form\"")
        .has("已核对团员档案")
        .has("编入团支部")
        .has(&format!("<option value=\"{}\">{BRANCH_B1}</option>", fx.b1))
        .has("id=\"reject-form\"")
        .lacks("id=\"cancel-form\"");
    let csrf = decide.csrf();
    let b1 = fx.b1.to_string();
    post(
        &b,
        &server,
        &format!("/transfers/{id}/approve"),
        &[("csrf", csrf.as_str()), ("branch_id", b1.as_str())],
    )
    .await
    .status(422)
    .has("id=\"error-archives_checked\"")
    .has("审批前须确认已核对团员档案");
    post(
        &b,
        &server,
        &format!("/transfers/{id}/approve"),
        &[("csrf", csrf.as_str()), ("archives_checked", "1")],
    )
    .await
    .status(422)
    .has("id=\"error-branch_id\"")
    .has("不是团支部：请选择把团员编入其下的哪个团支部");
    let approved = post(
        &b,
        &server,
        &format!("/transfers/{id}/approve"),
        &[
            ("csrf", csrf.as_str()),
            ("archives_checked", "1"),
            ("branch_id", b1.as_str()),
        ],
    )
    .await;
    approved
        .status(200)
        .has("已审批通过")
        .has("已完成")
        .has("编入团支部")
        .has(&format!("{COLLEGE_B} / {BRANCH_B1}"))
        .has("审批时已核对")
        .has(&format!("{} 审批通过", fx.b_admin.name))
        .lacks("id=\"approve-form\"");
    assert_eq!(approved.path, format!("/transfers/{id}?saved=approved"));

    // The member is now in B1's list, and gone from A1's.
    get(&b, &server, &format!("/orgs/{}/members", fx.b1))
        .await
        .status(200)
        .has(&m.person.name);
    get(&a, &server, &format!("/orgs/{}/members", fx.a1))
        .await
        .status(200)
        .lacks(&m.person.name);
    // Both sides still see the finished transfer (TRF-8).
    get(&a, &server, &format!("/transfers/{id}"))
        .await
        .status(200)
        .has("已完成");
}

async fn start_again_refused(
    client: &Client,
    server: &TestServer,
    member: i64,
    target: i64,
    first_initiator: &str,
) {
    let form = get(
        client,
        server,
        &format!("/transfers/new?member_id={member}"),
    )
    .await;
    let csrf = form.csrf();
    let (member, target) = (member.to_string(), target.to_string());
    post(
        client,
        server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member.as_str()),
            ("target_type", "org"),
            ("target_org_id", target.as_str()),
            ("reason", "school_change"),
        ],
    )
    .await
    .status(422)
    .has("已有业务正在办理，不能重复发起")
    .has(first_initiator)
    .has("value=\"school_change\" selected");
}

#[tokio::test]
async fn the_progress_list_filters_and_highlights_overdue_transfers() {
    let (server, fx) = school().await;
    make_transferable_by_id(
        &server,
        &fx.a1_admin.token,
        Some(&fx.a_admin.token),
        fx.m_a1.id,
    )
    .await;
    make_transferable_by_id(
        &server,
        &fx.a2_admin.token,
        Some(&fx.a_admin.token),
        fx.m_a2.id,
    )
    .await;

    // The first transfer (转出 by college A), eleven days before the second.
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let first = start_out(&a, &server, fx.m_a1.id, fx.b1, "further_study").await;
    server.advance(time::Duration::days(11));

    // The second: another school's admin pulls the member in (转入, name + resident ID).
    let s2 = logged_in(&server, &fx.s2_admin.login, &fx.s2_admin.password).await;
    let form = get(&s2, &server, "/transfers/new?mode=in&q=%E5%8C%96%E5%AD%A6").await;
    form.status(200)
        .has("转入：按姓名和身份证号查找")
        .has("name=\"resident_id\"")
        .has(BRANCH_S2)
        .has(&format!(
            "name=\"target_org_id\" value=\"{}\" checked",
            fx.s2b
        ));
    let csrf = form.csrf();
    let s2b = fx.s2b.to_string();
    let wrong = post(
        &s2,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "in"),
            ("name", "查无此人"),
            ("resident_id", fx.m_a2.person.resident_id.as_str()),
            ("target_type", "org"),
            ("target_org_id", s2b.as_str()),
            ("reason", "job_change"),
        ],
    )
    .await;
    wrong
        .status(422)
        .has("id=\"error-resident_id\"")
        .has("未找到姓名和身份证号都相符的团员")
        .has("value=\"查无此人\"")
        .has("value=\"job_change\" selected");
    let second_page = post(
        &s2,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "in"),
            ("name", fx.m_a2.person.name.as_str()),
            ("resident_id", fx.m_a2.person.resident_id.as_str()),
            ("target_type", "org"),
            ("target_org_id", s2b.as_str()),
            ("reason", "job_change"),
        ],
    )
    .await;
    second_page
        .status(200)
        .has("待转出组织审批")
        .has(&format!("转入方（{}）", fx.s2_admin.name));
    let second = transfer_id_in(&second_page.path);

    // Eleven days later the old session is gone: log in again.
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let all = get(&a, &server, "/transfers").await;
    all.status(200).has("组织关系转接").has("共 2 件");
    assert_eq!(transfer_rows(&all), vec![second, first]);
    let old = all.row(&format!("transfer-{first}"));
    assert!(old.contains("class=\"transfer-row overdue\""), "{old}");
    assert!(old.contains("已超期"), "{old}");
    assert!(old.contains("待转入组织审批"), "{old}");
    assert!(old.contains(BRANCH_B1), "{old}");
    assert!(old.contains(BRANCH_A1), "{old}");
    assert!(
        old.contains(&format!("转出方（{}）", fx.a_admin.name)),
        "{old}"
    );
    assert!(old.contains(">11</td>"), "waited 11 days: {old}");
    let new = all.row(&format!("transfer-{second}"));
    assert!(!new.contains("overdue"), "{new}");
    assert!(new.contains("待转出组织审批"), "{new}");
    assert!(
        new.contains(&format!("转入方（{}）", fx.s2_admin.name)),
        "{new}"
    );
    assert!(new.contains(">0</td>"), "{new}");
    // The college A admin is the source side of the second: it may decide it.
    get(&a, &server, &format!("/transfers/{second}"))
        .await
        .status(200)
        .has("id=\"approve-form\"")
        .lacks("编入团支部");

    assert_eq!(
        rows_for(&a, &server, "status=active").await,
        vec![second, first]
    );
    assert_eq!(
        rows_for(&a, &server, "status=pending").await,
        vec![second, first]
    );
    assert!(rows_for(&a, &server, "status=completed").await.is_empty());
    assert_eq!(
        rows_for(&a, &server, "direction=out").await,
        vec![second, first]
    );
    assert!(rows_for(&a, &server, "direction=in").await.is_empty());
    assert_eq!(
        rows_for(&a, &server, "initiator=target").await,
        vec![second]
    );
    assert_eq!(rows_for(&a, &server, "initiator=source").await, vec![first]);
    assert_eq!(
        rows_for(&a, &server, "reason=further_study").await,
        vec![first]
    );
    assert_eq!(
        rows_for(&a, &server, "kind=internal").await,
        vec![second, first]
    );
    assert!(rows_for(&a, &server, "kind=special_unit").await.is_empty());
    assert_eq!(rows_for(&a, &server, "overdue=1").await, vec![first]);
    assert_eq!(rows_for(&a, &server, "from=2026-12-10").await, vec![second]);
    assert_eq!(rows_for(&a, &server, "to=2026-11-30").await, vec![first]);
    let name =
        url::form_urlencoded::byte_serialize(fx.m_a2.person.name.as_bytes()).collect::<String>();
    let by_name = get(&a, &server, &format!("/transfers?q={name}")).await;
    assert_eq!(transfer_rows(&by_name), vec![second]);
    by_name.has(&format!("value=\"{}\"", fx.m_a2.person.name));
    assert_eq!(
        rows_for(&a, &server, &format!("q={}", fx.m_a1.person.student_no)).await,
        vec![first]
    );
    assert_eq!(
        rows_for(&a, &server, &format!("q={}", fx.m_a1.person.resident_id)).await,
        vec![first]
    );
    // The filters stay selected; a bad date is explained.
    get(
        &a,
        &server,
        "/transfers?status=active&initiator=target&reason=job_change",
    )
    .await
    .has("<option value=\"active\" selected>进行中</option>")
    .has("<option value=\"target\" selected>转入方</option>")
    .has("<option value=\"job_change\" selected>");
    get(&a, &server, "/transfers?from=2026-13-40")
        .await
        .status(422)
        .has("id=\"error-from\"")
        .has("不是有效日期");

    // The source side turns the second down, with a reason.
    let page = get(&a, &server, &format!("/transfers/{second}")).await;
    let csrf = page.csrf();
    post(
        &a,
        &server,
        &format!("/transfers/{second}/reject"),
        &[("csrf", csrf.as_str()), ("reason", " ")],
    )
    .await
    .status(422)
    .has("id=\"error-reason\"");
    post(
        &a,
        &server,
        &format!("/transfers/{second}/reject"),
        &[
            ("csrf", csrf.as_str()),
            ("reason", "该团员仍在校学习，暂不转出"),
        ],
    )
    .await
    .status(200)
    .has("已驳回该转接申请")
    .has("驳回理由：该团员仍在校学习，暂不转出")
    .lacks("id=\"approve-form\"");
    assert_eq!(rows_for(&a, &server, "status=rejected").await, vec![second]);
    assert_eq!(rows_for(&a, &server, "status=active").await, vec![first]);

    // The other school sees only what touches it, as incoming.
    let s2 = logged_in(&server, &fx.s2_admin.login, &fx.s2_admin.password).await;
    assert_eq!(rows_for(&s2, &server, "direction=in").await, vec![second]);
    assert!(rows_for(&s2, &server, "direction=out").await.is_empty());
}

async fn rows_for(client: &Client, server: &TestServer, q: &str) -> Vec<i64> {
    let page = get(client, server, &format!("/transfers?{q}")).await;
    page.status(200);
    transfer_rows(&page)
}

#[tokio::test]
async fn the_lookup_shows_only_the_current_org_and_its_contact() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let s2 = logged_in(&server, &fx.s2_admin.login, &fx.s2_admin.password).await;
    let form = get(&s2, &server, "/transfer-lookup").await;
    form.status(200)
        .has("查找团员所在组织")
        .has("name=\"resident_id\"");
    let csrf = form.csrf();
    let found = post(
        &s2,
        &server,
        "/transfer-lookup",
        &[
            ("csrf", csrf.as_str()),
            ("name", m.person.name.as_str()),
            ("resident_id", m.person.resident_id.as_str()),
        ],
    )
    .await;
    found
        .status(200)
        .has("id=\"lookup-result\"")
        .has(&format!("{COLLEGE_A} / {BRANCH_A1}"))
        .has(&fx.a1_admin.name)
        .lacks(&m.person.student_no)
        .lacks(&m.person.phone)
        .lacks(&m.person.development_no)
        .lacks(BRANCH_A2);
    post(
        &s2,
        &server,
        "/transfer-lookup",
        &[
            ("csrf", csrf.as_str()),
            ("name", "查无此人"),
            ("resident_id", m.person.resident_id.as_str()),
        ],
    )
    .await
    .status(422)
    .has("未找到姓名和身份证号都相符的团员")
    .has("value=\"查无此人\"")
    .lacks("id=\"lookup-result\"")
    .lacks(BRANCH_A1);
    post(
        &s2,
        &server,
        "/transfer-lookup",
        &[
            ("csrf", csrf.as_str()),
            ("name", m.person.name.as_str()),
            ("resident_id", "12010120050101123"),
        ],
    )
    .await
    .status(422)
    .has("id=\"error-resident_id\"");
    // Without the session's token nothing is looked up.
    post(
        &s2,
        &server,
        "/transfer-lookup",
        &[
            ("name", m.person.name.as_str()),
            ("resident_id", m.person.resident_id.as_str()),
        ],
    )
    .await
    .status(403)
    .lacks(BRANCH_A1);

    // Members have no lookup.
    member_token(&server, &fx.root, &fx.m_b1).await;
    let member = logged_in(&server, &fx.m_b1.person.resident_id, MEMBER_PASSWORD).await;
    get(&member, &server, "/transfer-lookup").await.status(404);
}

/// An external-system transfer (TRF-9) from college A: started, the report recorded with a
/// proof file, then the letter issued by college A (a basic committee).
async fn external_transfer(fx: &Fixture, server: &TestServer, a: &Client) -> i64 {
    make_transferable_by_id(
        server,
        &fx.a1_admin.token,
        Some(&fx.a_admin.token),
        fx.m_a1.id,
    )
    .await;
    let form = get(
        a,
        server,
        &format!("/transfers/new?member_id={}", fx.m_a1.id),
    )
    .await;
    let csrf = form.csrf();
    let member = fx.m_a1.id.to_string();
    let no_system = post(
        a,
        server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member.as_str()),
            ("target_type", "external"),
            ("reason", "job_change"),
        ],
    )
    .await;
    no_system
        .status(422)
        .has("id=\"error-external_system\"")
        .has("value=\"external\" id=\"target-type-external\" checked");
    let started = post(
        a,
        server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member.as_str()),
            ("target_type", "external"),
            ("external_system", "beijing"),
            ("reason", "job_change"),
        ],
    )
    .await;
    started
        .status(200)
        .has("待报到（外部系统）")
        .has("待团员在外部系统报到")
        .has("北京团员管理系统")
        .has("id=\"report-form\"");
    transfer_id_in(&started.path)
}

#[tokio::test]
async fn the_letter_print_page_shows_the_number_and_the_members_name() {
    let (server, fx) = school().await;
    let m = &fx.m_a1;
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let id = external_transfer(&fx, &server, &a).await;

    // TRF-9: the proof completes it.
    let page = get(&a, &server, &format!("/transfers/{id}")).await;
    let csrf = page.csrf();
    post_upload(
        &a,
        &server,
        &format!("/transfers/{id}/external-report"),
        upload_form(&[("csrf", &csrf)], "说明.txt", b"just text"),
    )
    .await
    .status(422)
    .has("id=\"error-file\"");
    let reported = post_upload(
        &a,
        &server,
        &format!("/transfers/{id}/external-report"),
        upload_form(&[("csrf", &csrf)], "北京报到截图.pdf", PDF),
    )
    .await;
    reported
        .status(200)
        .has("已登记外部系统报到证明")
        .has("已完成")
        .has("查看报到证明")
        .has("id=\"letter-form\"");

    // A branch admin cannot issue letters (TRF-13).
    let a1 = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    let page = get(&a1, &server, &format!("/transfers/{id}")).await;
    let a1_csrf = page.csrf();
    post(
        &a1,
        &server,
        &format!("/transfers/{id}/letter"),
        &[
            ("csrf", a1_csrf.as_str()),
            ("archive_disposition", "mailed"),
        ],
    )
    .await
    .status(422)
    .has("介绍信只能由基层团委");

    // College A issues it: a bad dues month comes back next to the field.
    post(
        &a,
        &server,
        &format!("/transfers/{id}/letter"),
        &[
            ("csrf", csrf.as_str()),
            ("archive_disposition", "mailed"),
            ("handler", "张老师"),
            ("dues_paid_until", "2026-13"),
        ],
    )
    .await
    .status(422)
    .has("id=\"error-dues_paid_until\"")
    .has("value=\"张老师\"");
    let issued = post(
        &a,
        &server,
        &format!("/transfers/{id}/letter"),
        &[
            ("csrf", csrf.as_str()),
            ("archive_disposition", "mailed"),
            ("handler", "张老师"),
            ("dues_paid_until", "2026-10"),
        ],
    )
    .await;
    issued
        .status(200)
        .has("介绍信已开具")
        .has("2026年0001号")
        .has(&m.person.name)
        .has("邮寄转递")
        .has("2027-02-27")
        .has("未收到")
        .has("id=\"receipt-form\"");
    let letter = issued
        .path
        .strip_prefix("/letters/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("not a letter page: {}", issued.path));
    // Issued once only.
    post(
        &a,
        &server,
        &format!("/transfers/{id}/letter"),
        &[("csrf", csrf.as_str()), ("archive_disposition", "mailed")],
    )
    .await
    .status(422)
    .has("该转接已开具介绍信 2026年0001号");
    // Coming back to the transfer later, the letter is one click away.
    get(&a, &server, &format!("/transfers/{id}"))
        .await
        .status(200)
        .has("id=\"letter-issued\"")
        .has(&format!("/letters/{letter}/print"));

    let print = get(&a, &server, &format!("/letters/{letter}/print")).await;
    print
        .status(200)
        .has("中国共产主义青年团团员组织关系介绍信")
        .has("aria-label=\"存根\"")
        .has("aria-label=\"正本\"")
        .has("aria-label=\"回执\"")
        .has("第一联")
        .has("第二联")
        .has("第三联")
        .has("注意事项")
        .has("id=\"print-button\"")
        .has("打印")
        .has(&m.person.resident_id)
        .has(&m.person.development_no)
        .has(COLLEGE_A)
        .has("张老师")
        .has("同志系中国共产主义青年团团员")
        .has("转入你处，请接收其团组织关系")
        .has("团费交至<span class=\"fill\">2026</span>年<span class=\"fill\">10</span>月")
        .has("（有效期 90 天）")
        .has("☑</span>邮寄转递")
        .has("☐</span>继续保存");
    let letter_html = print
        .html
        .split("<article class=\"letter\"")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .expect("the letter");
    assert_eq!(
        letter_html.matches("2026年0001号").count(),
        3,
        "the number on each of the three parts"
    );
    assert_eq!(
        letter_html.matches(&m.person.name).count(),
        3,
        "the name on each part"
    );
    let body = visible(&print.html);
    assert!(
        body.contains(&format!("{}同志（女），21岁，汉族", m.person.name))
            || body.contains(&format!("{}同志（男），21岁，汉族", m.person.name)),
        "the 正本 wording: {body}"
    );
    // The print stylesheet: A4, the toolbar and the header hidden.
    let css = new_client(false)
        .get(server.url("/static/app.css"))
        .send()
        .await
        .expect("css")
        .text()
        .await
        .expect("css text");
    assert!(css.contains("@page { size: A4"), "A4 page rule");
    assert!(css.contains("@media print"), "print rules");
    print.has("class=\"letter-toolbar no-print\"");

    // The receipt came back.
    let page = get(&a, &server, &format!("/letters/{letter}")).await;
    let csrf = page.csrf();
    let receipt = post(
        &a,
        &server,
        &format!("/letters/{letter}/receipt"),
        &[("csrf", csrf.as_str()), ("note", "转入经办人李老师")],
    )
    .await;
    receipt
        .status(200)
        .has("回执已登记")
        .has("已收到")
        .has("转入经办人李老师")
        .lacks("id=\"receipt-form\"");

    // Outside the issuing committee's scope the letter does not exist.
    let b = logged_in(&server, &fx.b_admin.login, &fx.b_admin.password).await;
    get(&b, &server, &format!("/letters/{letter}/print"))
        .await
        .status(404)
        .lacks(&m.person.name);
}

#[tokio::test]
async fn a_member_starts_their_own_transfer_and_withdraws_it() {
    let (server, fx) = school().await;
    let m = &fx.m_b1;
    // B1 has no admin of its own: college B uploads, the school reviews.
    make_transferable_by_id(&server, &fx.b_admin.token, Some(&fx.s1_admin.token), m.id).await;
    member_token(&server, &fx.root, m).await;
    let me = logged_in(&server, &m.person.resident_id, MEMBER_PASSWORD).await;

    get(&me, &server, &format!("/members/{}", m.id))
        .await
        .status(200)
        .has("id=\"start-transfer\" href=\"/transfers/new\"")
        .has("我的转接记录")
        .has("id=\"nav-transfers\"");
    let form = get(
        &me,
        &server,
        "/transfers/new?q=%E8%AE%A1%E7%AE%97%E6%9C%BA2302",
    )
    .await;
    form.status(200)
        .has(&m.person.name)
        .has(BRANCH_A2)
        .lacks("id=\"target-type-special\"")
        .lacks("id=\"mode-in\"");
    let csrf = form.csrf();
    let a2 = fx.a2.to_string();
    let other = post(
        &me,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("target_type", "org"),
            ("target_org_id", a2.as_str()),
            ("reason", "other"),
        ],
    )
    .await;
    other
        .status(422)
        .has("id=\"error-note\"")
        .has("请在说明中写明具体原因");
    let started = post(
        &me,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("target_type", "org"),
            ("target_org_id", a2.as_str()),
            ("reason", "other"),
            ("note", "转专业"),
        ],
    )
    .await;
    started
        .status(200)
        .has(&format!("团员本人（{}）", m.person.name))
        .has("转专业")
        .has("id=\"cancel-form\"")
        .lacks("id=\"approve-form\"")
        .lacks("id=\"letter-form\"");
    let id = transfer_id_in(&started.path);
    // The member's list holds only their own.
    let list = get(&me, &server, "/transfers").await;
    list.status(200).lacks("name=\"direction\"");
    assert_eq!(transfer_rows(&list), vec![id]);

    let csrf = started.csrf();
    post(
        &me,
        &server,
        &format!("/transfers/{id}/cancel"),
        &[("csrf", csrf.as_str())],
    )
    .await
    .status(200)
    .has("已撤销该转接申请")
    .has("已撤销")
    .lacks("id=\"cancel-form\"");
    get(&me, &server, &format!("/members/{}/transfers", m.id))
        .await
        .status(200)
        .has("组织关系转接记录")
        .has(&format!("团员本人（{}）", m.person.name))
        .has("已撤销")
        .has("id=\"start-transfer\"");

    // Another member's history is not theirs to read.
    get(&me, &server, &format!("/members/{}/transfers", fx.m_a1.id))
        .await
        .status(404);
}

/// Issue 15 item 20: 第一步's search is a button of the same form, so what 第二步 holds is kept
/// (and nothing is started); the letter's 经办人 starts empty, not with the account's title.
#[tokio::test]
async fn the_org_search_keeps_step_two_and_the_letter_handler_starts_empty() {
    let (server, fx) = school().await;
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;
    let member = fx.m_a1.id.to_string();
    let form = get(&a, &server, &format!("/transfers/new?member_id={member}")).await;
    let csrf = form.csrf();
    let searched = post(
        &a,
        &server,
        "/transfers/new",
        &[
            ("csrf", csrf.as_str()),
            ("mode", "out"),
            ("member_id", member.as_str()),
            ("search", "1"),
            ("q", BRANCH_B1),
            ("reason", "further_study"),
            ("note", "随导师课题组转学"),
        ],
    )
    .await;
    searched
        .status(200)
        .has("value=\"further_study\" selected")
        .has("随导师课题组转学")
        .has(&format!("value=\"{}\"", fx.b1))
        .lacks("转接申请已提交");
    let listed = server
        .api(&fx.a_admin.token)
        .get("/api/v1/transfers")
        .await
        .ok(200);
    assert_eq!(listed["total"], 0, "a search starts nothing: {listed}");

    make_transferable_by_id(
        &server,
        &fx.a1_admin.token,
        Some(&fx.a_admin.token),
        fx.m_a1.id,
    )
    .await;
    let id = start_out(&a, &server, fx.m_a1.id, fx.b1, "further_study").await;
    crate::transfers::approve(
        &server,
        &fx.b_admin.token,
        id,
        serde_json::json!({"archives_checked": true}),
    )
    .await
    .ok(200);
    get(&a, &server, &format!("/transfers/{id}"))
        .await
        .status(200)
        .has("id=\"letter-form\"")
        .has("id=\"handler\" name=\"handler\" value=\"\" ");
}
