//! The floating-member pages (FLT-1 … FLT-5) the way a browser without JavaScript uses them:
//! the list with its deadlines, a record with its contact log, the single extension and the
//! confirmed step, the printable 告知书 and 申请, the floating fields of the transfer start
//! form, and the batch review on the transfer progress list.

use serde_json::{json, Value};
use time::Duration;

use crate::fixtures::{school, BRANCH_A1, COLLEGE_A};
use crate::floating::{floating_branch, floating_fields};
use crate::harness::{id_of, TestServer};
use crate::page::{get, logged_in, post, Page};
use crate::transfers::{approve, make_transferable, started, to_org};

fn into_floating(member: i64, branch: i64) -> Value {
    let mut body = to_org(member, branch, "graduation");
    body["floating"] = floating_fields();
    body
}

/// The floating records of `org` in `state`, through the API.
async fn records(server: &TestServer, token: &str, org: i64, state: &str) -> Vec<Value> {
    server
        .api(token)
        .get(&format!("/api/v1/orgs/{org}/floating?state={state}"))
        .await
        .items()
}

/// The transfer id at the end of `/transfers/{id}?saved=…`.
fn transfer_id_in(page: &Page) -> i64 {
    page.path
        .strip_prefix("/transfers/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a transfer page: {}", page.path))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_shows_the_deadline_and_the_record_logs_contacts_extends_once_and_prints_the_notice(
) {
    let (server, fx) = school().await;
    let school = &fx.s1_admin.token;
    let f = floating_branch(
        &server,
        school,
        fx.s1,
        "某大学校级流动团员团支部",
        "floating",
    )
    .await;
    let m = &fx.m_a1;
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, m).await;
    let id = started(&server, &fx.a_admin.token, into_floating(m.id, f)).await;
    let s = logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;

    // The org page links the list; a request waits under 转入待审批.
    get(&s, &server, &format!("/orgs/{}", fx.s1))
        .await
        .status(200)
        .has(&format!("href=\"/orgs/{}/floating\"", fx.s1))
        .has("流动团员");
    get(
        &s,
        &server,
        &format!("/orgs/{}/floating?state=pending", fx.s1),
    )
    .await
    .status(200)
    .has(&m.person.name)
    .has("转入待审批");
    get(&s, &server, &format!("/orgs/{}/floating", fx.s1))
        .await
        .status(200)
        .has("没有符合条件的流动团员");
    approve(&server, school, id, json!({})).await.ok(200);

    // FLT-3: the list shows the deadline, six months from entry, with its state.
    let rid = id_of(&records(&server, school, fx.s1, "kept").await[0]);
    let list = get(&s, &server, &format!("/orgs/{}/floating", fx.s1)).await;
    list.status(200)
        .has("保留中")
        .has("即将到期")
        .has("已超期")
        .has("待确认处理")
        .has(&format!(
            "href=\"/orgs/{}/reports/floating-members.xlsx\"",
            fx.s1
        ));
    let row = list.row(&format!("floating-{rid}"));
    for want in [
        m.person.name.as_str(),
        COLLEGE_A,
        BRANCH_A1,
        "继续准备升学",
        "2026-11-29",
        "2027-05-29",
        "保留期内",
        "未登记",
    ] {
        assert!(row.contains(want), "{want} in {row}");
    }

    // The record: all the sheet's fields, the notice link, no application (not abroad).
    let path = format!("/floating/{rid}");
    let record = get(&s, &server, &path).await;
    record
        .status(200)
        .has(&m.person.name)
        .has("二战考研")
        .has("13912345678")
        .has("王老师")
        .has("022-23500000")
        .has("预计明年三月出成绩")
        .has("还没有联系记录")
        .has(&format!("href=\"{path}/notice\""))
        .has("id=\"extend-form\"")
        .lacks("id=\"step-form\"")
        .lacks(&format!("href=\"{path}/application\""));
    let csrf = record.csrf();

    // FLT-4: a contact in the future is refused next to its field; a real one is logged.
    post(
        &s,
        &server,
        &format!("{path}/contacts"),
        &[
            ("csrf", &csrf),
            ("contacted_on", "2026-12-30"),
            ("note", "电话联系"),
        ],
    )
    .await
    .status(422)
    .has("联系日期不能晚于今天")
    .has("电话联系");
    post(
        &s,
        &server,
        &format!("{path}/contacts"),
        &[
            ("csrf", &csrf),
            ("contacted_on", "2026-11-28"),
            ("note", "电话联系，在准备复试"),
        ],
    )
    .await
    .status(200)
    .has("联系记录已登记")
    .has("电话联系，在准备复试")
    .has("id=\"floating-last-contact\">2026-11-28");

    // FLT-3: one extension with a reason, to a year from entry; not a second.
    post(
        &s,
        &server,
        &format!("{path}/extend"),
        &[("csrf", &csrf), ("reason", " ")],
    )
    .await
    .status(422)
    .has("延长理由");
    post(
        &s,
        &server,
        &format!("{path}/extend"),
        &[("csrf", &csrf), ("reason", "考研调剂中")],
    )
    .await
    .status(200)
    .has("保留期已延长")
    .has("2027-11-29")
    .has("已延长一次，理由：考研调剂中")
    .lacks("id=\"extend-form\"");
    post(
        &s,
        &server,
        &format!("{path}/extend"),
        &[("csrf", &csrf), ("reason", "再延")],
    )
    .await
    .status(422)
    .has("保留期已延长过一次");

    // The 告知书 prints the member's name, the contact person and the 回执 from the record.
    get(&s, &server, &format!("{path}/notice"))
        .await
        .status(200)
        .has("流动团员管理服务告知书")
        .has(&format!(
            "流动团员<span class=\"fill\">{}</span>同志",
            m.person.name
        ))
        .has("为更好加强流动团员管理服务，根据团章和有关规定，现将有关事宜告知如下")
        .has("流动团员应至少每6个月与所在团组织联系1次")
        .has("按照自行脱团予以除名")
        .has("团组织联系人：<span class=\"fill\">王老师</span>")
        .has("022-23500000")
        .has("［回执信息栏］")
        .has(&format!(
            "团员身份证号码：<span class=\"fill\">{}</span>",
            m.person.resident_id
        ))
        .has("本人手机号码：")
        .has("团员签名：")
        .has("年　　月　　日")
        .has("团员签名后可向团组织报送电子版");
    get(&s, &server, &format!("{path}/application"))
        .await
        .status(404);

    // A year and more without contact: overdue, and the step is proposed, never applied.
    server.advance(Duration::days(400));
    let s = logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;
    let overdue = get(
        &s,
        &server,
        &format!("/orgs/{}/floating?state=overdue", fx.s1),
    )
    .await;
    overdue.status(200);
    let row = overdue.row(&format!("floating-{rid}"));
    assert!(row.contains("已超期") && row.contains("停止团籍"), "{row}");
    let record = get(&s, &server, &path).await;
    record
        .status(200)
        .has("待确认处理：停止团籍")
        .has("已满1年未与团组织联系")
        .has("确认后立即停止其团籍，不能撤销")
        .has("确认停止团籍")
        .has("保留中");
    let csrf = record.csrf();
    post(
        &s,
        &server,
        &format!("{path}/steps"),
        &[("csrf", &csrf), ("step", "suspend")],
    )
    .await
    .status(200)
    .has("已确认停止团籍")
    .has("已停止团籍")
    .lacks("id=\"step-form\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_form_sends_the_floating_fields_and_the_abroad_application_prints() {
    let (server, fx) = school().await;
    let f = floating_branch(
        &server,
        &fx.s1_admin.token,
        fx.s1,
        "某大学校级流动团员团支部",
        "floating",
    )
    .await;
    let abroad = floating_branch(
        &server,
        &fx.a_admin.token,
        fx.col_a,
        "计算机学院出国出境学习研究流动团员团支部",
        "floating_abroad",
    )
    .await;
    let (m1, m2) = (&fx.m_a1, &fx.m_a2);
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, m1).await;
    make_transferable(&server, &fx.a2_admin.token, &fx.a_admin.token, m2).await;
    let a = logged_in(&server, &fx.a_admin.login, &fx.a_admin.password).await;

    // The search marks the floating branches; the fieldset is on the form.
    let form = get(
        &a,
        &server,
        &format!(
            "/transfers/new?member_id={}&q=%E6%B5%81%E5%8A%A8%E5%9B%A2%E5%91%98",
            m1.id
        ),
    )
    .await;
    form.status(200)
        .has(&format!("name=\"target_org_id\" value=\"{f}\""))
        .has(&format!("name=\"target_org_id\" value=\"{abroad}\""))
        .has("流动团员团支部：须填写下方流动团员信息")
        .has("流动团员信息（转入流动团员团支部时必填）")
        .has("name=\"floating_destination\"")
        .has("关于保留团组织关系的申请");
    let csrf = form.csrf();
    let (id1, target) = (m1.id.to_string(), f.to_string());
    let base = [
        ("csrf", csrf.as_str()),
        ("mode", "out"),
        ("member_id", id1.as_str()),
        ("target_type", "org"),
        ("target_org_id", target.as_str()),
        ("reason", "graduation"),
    ];

    // Without the fields the app's FLT-2 message comes back in the opened fieldset.
    post(&a, &server, "/transfers/new", &base)
        .await
        .status(422)
        .has("id=\"error-floating\"")
        .has("转入流动团员团支部须填写流动团员信息")
        .has("id=\"floating-fields\" open");
    let mut filled = base.to_vec();
    filled.extend([
        ("floating_destination", "preparing_study"),
        ("floating_reason", "二战考研"),
        ("floating_contact", "13912345678"),
        ("floating_responsible", "王老师"),
        ("floating_responsible_contact", "022-23500000"),
        ("floating_remarks", ""),
    ]);
    let done = post(&a, &server, "/transfers/new", &filled).await;
    done.status(200).has("转接申请已提交");
    let t1 = transfer_id_in(&done);
    let pending = records(&server, &fx.s1_admin.token, fx.s1, "pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["transfer_id"], t1);
    assert_eq!(pending[0]["status"], "pending");
    assert_eq!(pending[0]["reason"], "二战考研");
    assert_eq!(pending[0]["responsible"], "王老师");
    assert!(pending[0]["remarks"].is_null(), "{:?}", pending[0]);

    // The abroad branch needs the application (FLT-5), then keeps it.
    let form = get(&a, &server, &format!("/transfers/new?member_id={}", m2.id)).await;
    let csrf = form.csrf();
    let (id2, target) = (m2.id.to_string(), abroad.to_string());
    let mut abroad_form = vec![
        ("csrf", csrf.as_str()),
        ("mode", "out"),
        ("member_id", id2.as_str()),
        ("target_type", "org"),
        ("target_org_id", target.as_str()),
        ("reason", "graduation"),
        ("floating_destination", "other"),
        ("floating_reason", "出国留学"),
        ("floating_contact", "qian@example.com"),
        ("floating_responsible", "王老师"),
        ("floating_responsible_contact", "022-23500000"),
    ];
    post(&a, &server, "/transfers/new", &abroad_form)
        .await
        .status(422)
        .has("须填写《关于保留团组织关系的申请》")
        .has("id=\"abroad-fields\" open");
    abroad_form.extend([
        ("abroad_country", "新加坡"),
        ("abroad_university", "新加坡国立大学"),
        ("abroad_degree", "硕士"),
        ("abroad_period", "2026-08 至 2027-12"),
        ("abroad_domestic_contact", "钱父"),
        ("abroad_relation", "父子"),
        ("abroad_phone", "13800001111"),
    ]);
    let done = post(&a, &server, "/transfers/new", &abroad_form).await;
    done.status(200).has("转接申请已提交");
    approve(&server, &fx.a_admin.token, transfer_id_in(&done), json!({}))
        .await
        .ok(200);
    let kept = records(&server, &fx.a_admin.token, abroad, "kept").await;
    assert_eq!(kept.len(), 1, "{kept:?}");
    let rid = id_of(&kept[0]);
    let path = format!("/floating/{rid}");
    get(&a, &server, &path)
        .await
        .status(200)
        .has("新加坡国立大学")
        .has(&format!("href=\"{path}/application\""));
    get(&a, &server, &format!("{path}/application"))
        .await
        .status(200)
        .has("关于保留团组织关系的申请")
        .has(&format!("本人<span class=\"fill\">{}</span>", m2.person.name))
        .has("<span class=\"fill\">汉族</span>")
        .has(&format!("身份证号为<span class=\"fill\">{}</span>", m2.person.resident_id))
        .has("现为<span class=\"fill\">计算机学院</span>")
        .has("从<span class=\"fill\">某大学</span>毕业后")
        .has("前往<span class=\"fill\">新加坡</span><span class=\"fill\">新加坡国立大学</span>攻读<span class=\"fill\">硕士</span>学位")
        .has("计划学习时间为<span class=\"fill\">2026年8月 至 2027年12月</span>")
        .has("特申请将团组织关系保留在<span class=\"fill\">某大学</span><span class=\"fill\">计算机学院</span>")
        .has("国内联系人为<span class=\"fill\">钱父</span>（<span class=\"fill\">父子</span>）")
        .has("联系电话为：<span class=\"fill\">13800001111</span>")
        .has("特此申请。")
        .has("申请人：（签名）");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_school_approves_two_floating_requests_at_once_on_the_progress_list() {
    let (server, fx) = school().await;
    let f = floating_branch(
        &server,
        &fx.s1_admin.token,
        fx.s1,
        "某大学校级流动团员团支部",
        "floating",
    )
    .await;
    make_transferable(&server, &fx.a1_admin.token, &fx.a_admin.token, &fx.m_a1).await;
    make_transferable(&server, &fx.a2_admin.token, &fx.a_admin.token, &fx.m_a2).await;
    let t1 = started(&server, &fx.a_admin.token, into_floating(fx.m_a1.id, f)).await;
    let t2 = started(&server, &fx.a_admin.token, into_floating(fx.m_a2.id, f)).await;
    let s = logged_in(&server, &fx.s1_admin.login, &fx.s1_admin.password).await;

    let list = get(&s, &server, "/transfers?status=pending").await;
    list.status(200)
        .has("批量审批")
        .has(&format!("id=\"tick-{t1}\""))
        .has(&format!("id=\"tick-{t2}\""))
        .has("批量通过")
        .has("批量驳回");
    let csrf = list.csrf();
    let (a, b) = (t1.to_string(), t2.to_string());

    // Rejecting needs a reason; nothing is decided without one.
    post(
        &s,
        &server,
        "/transfers/batch-decide",
        &[
            ("csrf", &csrf),
            ("status", "pending"),
            ("ids", &a),
            ("ids", &b),
            ("action", "reject"),
            ("batch_reason", ""),
        ],
    )
    .await
    .status(422)
    .has("批量驳回须填写驳回理由")
    .has(&format!("id=\"tick-{t1}\""));

    // Both approved at once; an unknown id is reported on its own line.
    let done = post(
        &s,
        &server,
        "/transfers/batch-decide",
        &[
            ("csrf", &csrf),
            ("status", "pending"),
            ("ids", &a),
            ("ids", &b),
            ("ids", "999999"),
            ("action", "approve"),
            ("batch_reason", ""),
        ],
    )
    .await;
    done.status(200)
        .has("已通过 2 件，未能办理 1 件")
        .has(&format!("id=\"batch-item-{t1}\" class=\"batch-ok\""))
        .has(&format!("id=\"batch-item-{t2}\" class=\"batch-ok\""))
        .has(&fx.m_a1.person.name)
        .has(&fx.m_a2.person.name)
        .has("id=\"batch-item-999999\" class=\"batch-failed\"")
        .has("已完成")
        .has("没有符合条件的转接");
    let kept = records(&server, &fx.s1_admin.token, fx.s1, "kept").await;
    assert_eq!(kept.len(), 2, "{kept:?}");
}
