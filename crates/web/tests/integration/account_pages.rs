//! The public pages (管理员注册, 团员注册, 忘记密码), the code pages (ACC-5, ACC-6) and the
//! archive pages (ARC-1, ARC-2), driven over HTTP the way a browser without JavaScript does:
//! GET the page, POST its form with the session's CSRF token, follow the redirect, read the text.

use crate::fixtures::{
    member_token, school, Person, BRANCH_A1, COLLEGE_A, COLLEGE_B, MEMBER_PASSWORD,
};
use crate::harness::new_client;
use crate::page::{get, logged_in, post, post_upload, upload_form, visible, Page};

/// The code on a code page.
pub(crate) fn code_on(page: &Page) -> String {
    let code = page
        .html
        .split("id=\"code-value\" lang=\"en\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no code on the page:\n{}", visible(&page.html)))
        .trim()
        .to_string();
    assert!(code.len() >= 26, "a full code: {code:?}");
    code
}

#[tokio::test]
async fn a_registration_code_from_the_org_page_registers_a_new_admin() {
    let (server, f) = school().await;
    let school = logged_in(&server, &f.s1_admin.login, &f.s1_admin.password).await;

    // The school admin opens college A and issues its registration code.
    let org = get(&school, &server, &format!("/orgs/{}", f.col_a)).await;
    org.status(200).has("生成管理员注册码");
    let issued = post(
        &school,
        &server,
        &format!("/orgs/{}/registration-code", f.col_a),
        &[("csrf", &org.csrf())],
    )
    .await;
    issued
        .status(200)
        .has("管理员注册码")
        .has(COLLEGE_A)
        .has("复制")
        .has("只显示这一次")
        .has("不区分大小写")
        .has("2026-12-06 10:00（北京时间）");
    let code = code_on(&issued);

    // The new admin finds the registration page from the login page.
    let person = Person::new(60, "周明哲");
    let anon = new_client(true);
    get(&anon, &server, "/login")
        .await
        .status(200)
        .has("href=\"/register-admin\"")
        .has("管理员注册");
    let found = get(&anon, &server, "/register-admin?q=学院").await;
    found
        .status(200)
        .has(&format!("value=\"{}\"", f.col_a))
        .has(&format!("value=\"{}\"", f.col_b));

    // The code for college A does not register an admin of college B: the message names the
    // chosen org; what was typed stays (never the password).
    let col_b = f.col_b.to_string();
    let mut form = vec![
        ("q", "学院"),
        ("province_id", ""),
        ("org_id", col_b.as_str()),
        ("code", code.as_str()),
        ("name", person.name.as_str()),
        ("resident_id", person.resident_id.as_str()),
        ("phone", person.phone.as_str()),
        ("password", "New-Admin-Pass3"),
        ("password_again", "New-Admin-Pass3"),
    ];
    let wrong = post(&anon, &server, "/register-admin", &form).await;
    wrong
        .status(422)
        .has(&format!("您所填写的管理员注册码不是 {COLLEGE_B} 的注册码"))
        .lacks("New-Admin-Pass3");
    assert_eq!(
        wrong.input_value("name").as_deref(),
        Some(person.name.as_str())
    );
    assert_eq!(
        wrong.input_value("resident_id").as_deref(),
        Some(person.resident_id.as_str())
    );
    assert_eq!(wrong.input_value("code").as_deref(), Some(code.as_str()));
    assert!(
        wrong
            .html
            .contains(&format!("value=\"{}\" checked", f.col_b)),
        "the chosen org stays chosen"
    );

    // Passwords that differ are caught on the page.
    let col_a = f.col_a.to_string();
    form[2] = ("org_id", col_a.as_str());
    form[8] = ("password_again", "Other-Pass4");
    post(&anon, &server, "/register-admin", &form)
        .await
        .status(422)
        .has("两次输入的密码不一致");

    // The right org: registered, logged in, at the 工作台 as college A's admin.
    form[8] = ("password_again", "New-Admin-Pass3");
    let home = post(&anon, &server, "/register-admin", &form).await;
    home.status(200)
        .has("工作台")
        .has(&person.name)
        .has(COLLEGE_A);
    assert_eq!(home.path, "/");

    // The code was single-use.
    let again = new_client(true);
    let other = Person::new(61, "吴嘉怡");
    post(
        &again,
        &server,
        "/register-admin",
        &[
            ("org_id", col_a.as_str()),
            ("code", code.as_str()),
            ("name", other.name.as_str()),
            ("resident_id", other.resident_id.as_str()),
            ("phone", other.phone.as_str()),
            ("password", "Other-Admin-Pass5"),
            ("password_again", "Other-Admin-Pass5"),
        ],
    )
    .await
    .status(422)
    .has("已被使用过");
}

#[tokio::test]
async fn a_branch_admin_gets_no_registration_code_button_for_its_own_branch() {
    let (server, f) = school().await;
    let branch = logged_in(&server, &f.a1_admin.login, &f.a1_admin.password).await;
    let own = get(&branch, &server, &format!("/orgs/{}", f.a1)).await;
    own.status(200).has(BRANCH_A1).lacks("生成管理员注册码");
    // Posting anyway is refused.
    post(
        &branch,
        &server,
        &format!("/orgs/{}/registration-code", f.a1),
        &[("csrf", &own.csrf())],
    )
    .await
    .status(403)
    .has("上级组织");

    // The college admin above it gets the button.
    let college = logged_in(&server, &f.a_admin.login, &f.a_admin.password).await;
    get(&college, &server, &format!("/orgs/{}", f.a1))
        .await
        .status(200)
        .has("生成管理员注册码");
}

#[tokio::test]
async fn a_reset_code_from_the_member_page_lets_the_member_set_a_new_password() {
    let (server, f) = school().await;
    let m = f.m_a1.clone();
    member_token(&server, &f.root, &m).await;

    // The branch admin issues the code on the member page.
    let admin = logged_in(&server, &f.a1_admin.login, &f.a1_admin.password).await;
    let page = get(&admin, &server, &format!("/members/{}", m.id)).await;
    page.status(200).has("生成重置密码验证码");
    let issued = post(
        &admin,
        &server,
        &format!("/members/{}/reset-code", m.id),
        &[("csrf", &page.csrf())],
    )
    .await;
    issued
        .status(200)
        .has("重置密码验证码")
        .has(&m.person.name)
        .has(BRANCH_A1)
        .has("复制")
        .has("2026-12-02 10:00（北京时间）");
    let code = code_on(&issued);

    // The member list and the global search offer the same button on every row.
    get(&admin, &server, &format!("/orgs/{}/members", f.a1))
        .await
        .has(&format!("action=\"/members/{}/reset-code\"", m.id));
    let school = logged_in(&server, &f.s1_admin.login, &f.s1_admin.password).await;
    get(&school, &server, &format!("/search?q={}", m.person.name))
        .await
        .status(200)
        .has(&format!("action=\"/members/{}/reset-code\"", m.id))
        .has("生成重置密码验证码");

    // 忘记密码, from the login page: a wrong code first (what was typed stays), then the code.
    let anon = new_client(true);
    get(&anon, &server, "/login")
        .await
        .has("href=\"/forgot-password\"");
    get(&anon, &server, "/forgot-password").await.status(200);
    let new_password = "Fresh-Pass7";
    let mut form = vec![
        ("name", m.person.name.as_str()),
        ("resident_id", m.person.resident_id.as_str()),
        ("code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG"),
        ("new_password", new_password),
        ("new_password_again", new_password),
    ];
    let wrong = post(&anon, &server, "/forgot-password", &form).await;
    wrong.status(422).has("不正确").lacks(new_password);
    assert_eq!(
        wrong.input_value("resident_id").as_deref(),
        Some(m.person.resident_id.as_str())
    );
    form[2] = ("code", code.as_str());
    let done = post(&anon, &server, "/forgot-password", &form).await;
    done.status(200).has("密码已重置").has("请用新密码登录");
    assert_eq!(done.path, "/forgot-password?done=1");

    // The old password no longer logs in; the new one does.
    post(
        &anon,
        &server,
        "/login",
        &[
            ("login", m.person.resident_id.as_str()),
            ("password", MEMBER_PASSWORD),
        ],
    )
    .await
    .status(401);
    let member = logged_in(&server, &m.person.resident_id, new_password).await;

    // A member sees their archives but neither the code button nor the upload form.
    get(&member, &server, &format!("/members/{}", m.id))
        .await
        .status(200)
        .has("电子档案")
        .lacks("生成重置密码验证码")
        .lacks("archive-form");
}

#[tokio::test]
async fn self_registration_waits_in_the_branch_admins_request_list() {
    let (server, f) = school().await;
    let anon = new_client(true);
    get(&anon, &server, "/login")
        .await
        .has("href=\"/register\"")
        .has("团员注册");

    // Only branches are offered.
    let found = get(&anon, &server, "/register?q=计算机").await;
    found
        .status(200)
        .has(&format!("name=\"branch_id\" value=\"{}\"", f.a1))
        .lacks(&format!("name=\"branch_id\" value=\"{}\"", f.col_a));

    let p = Person::new(70, "郑俊杰");
    let a1 = f.a1.to_string();
    let mut form = vec![
        ("q", "计算机"),
        ("province_id", ""),
        ("name", p.name.as_str()),
        ("resident_id", p.resident_id.as_str()),
        ("ethnicity", "汉族"),
        ("joined_on", p.joined_on.as_str()),
        ("development_no", p.development_no.as_str()),
        ("political_status", "league_member"),
        ("student_no", p.student_no.as_str()),
        ("phone", p.phone.as_str()),
        ("password", "Self-Reg-Pass8"),
        ("password_again", "Self-Reg-Pass8"),
    ];
    // No branch chosen: said next to the choice, the typed values kept.
    let missing = post(&anon, &server, "/register", &form).await;
    missing
        .status(422)
        .has("请先搜索并选择您所在的团支部")
        .lacks("Self-Reg-Pass8");
    assert_eq!(
        missing.input_value("student_no").as_deref(),
        Some(p.student_no.as_str())
    );

    form.push(("branch_id", a1.as_str()));
    let done = post(&anon, &server, "/register", &form).await;
    done.status(200)
        .has("注册申请已提交")
        .has(BRANCH_A1)
        .has("审批");

    // The branch admin finds it waiting.
    let admin = logged_in(&server, &f.a1_admin.login, &f.a1_admin.password).await;
    let list = get(&admin, &server, "/requests?kind=member_registration").await;
    list.status(200)
        .has("团员自助注册")
        .has(&p.name)
        .has("待审批");
    let id = list
        .html
        .split("href=\"/requests/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a request link")
        .to_string();
    let request = get(&admin, &server, &format!("/requests/{id}")).await;
    request.status(200).has(&p.name).has(BRANCH_A1);

    // Approved, the person logs in with the password they chose.
    post(
        &admin,
        &server,
        &format!("/requests/{id}/approve"),
        &[("csrf", &request.csrf())],
    )
    .await
    .status(200)
    .has("已通过");
    logged_in(&server, &p.resident_id, "Self-Reg-Pass8").await;
}

#[tokio::test]
async fn an_archive_uploaded_on_the_member_page_waits_in_the_colleges_review_queue() {
    let (server, f) = school().await;
    let m = &f.m_a1;
    let branch = logged_in(&server, &f.a1_admin.login, &f.a1_admin.password).await;
    let page = get(&branch, &server, &format!("/members/{}", m.id)).await;
    page.status(200)
        .has("电子档案")
        .has("入团申请书")
        .has("入团志愿书")
        .has("未上传")
        .has("团员身份认证")
        .has("id=\"archive-form\"")
        .has("enctype=\"multipart/form-data\"");
    let csrf = page.csrf();
    let path = format!("/members/{}/archives", m.id);

    // A text file is refused next to the file input; the chosen kind stays chosen.
    let refused = post_upload(
        &branch,
        &server,
        &path,
        upload_form(
            &[("csrf", &csrf), ("kind", "admission_form")],
            "说明.txt",
            b"just text",
        ),
    )
    .await;
    refused
        .status(422)
        .has("只能上传 PDF、JPEG 或 PNG")
        .has("<option value=\"admission_form\" selected>");

    // A forged upload (no token) changes nothing.
    post_upload(
        &branch,
        &server,
        &path,
        upload_form(
            &[("csrf", "0000"), ("kind", "admission_form")],
            "志愿书.pdf",
            b"%PDF-1.4\n%forged\n",
        ),
    )
    .await
    .status(403);

    // The 入团志愿书 as a PDF: back on the member page, 待审核, with its file.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    let uploaded = post_upload(
        &branch,
        &server,
        &path,
        upload_form(
            &[("csrf", &csrf), ("kind", "admission_form")],
            "入团志愿书-赵若曦.pdf",
            pdf,
        ),
    )
    .await;
    uploaded
        .status(200)
        .has("档案已上传")
        .has("待审核")
        .has("入团志愿书-赵若曦.pdf")
        .has("href=\"/files/")
        .lacks("id=\"no-archives\"");
    assert_eq!(uploaded.path, format!("/members/{}?saved=archive", m.id));

    // The member list shows it in the 档案 column (one of two kinds: not complete yet).
    get(&branch, &server, &format!("/orgs/{}/members", f.a1))
        .await
        .has("<th>档案</th>")
        .has("未上传")
        .has("申请书未上传 · 志愿书待审核");

    // The college reviews it: the 档案审核 link, the queue, the request with the file.
    let college = logged_in(&server, &f.a_admin.login, &f.a_admin.password).await;
    let home = get(&college, &server, "/").await;
    home.has("档案审核")
        .has("href=\"/requests?role=decider&amp;status=pending&amp;kind=archive_review\"");
    let queue = get(
        &college,
        &server,
        "/requests?role=decider&status=pending&kind=archive_review",
    )
    .await;
    queue
        .status(200)
        .has("<h1>档案审核</h1>")
        .has("电子档案审核")
        .has(&m.person.name)
        .has("<option value=\"archive_review\" selected>");
    let id = queue
        .html
        .split("href=\"/requests/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a request in the queue")
        .to_string();
    let request = get(&college, &server, &format!("/requests/{id}")).await;
    request
        .status(200)
        .has("档案文件")
        .has("入团志愿书-赵若曦.pdf")
        .has("href=\"/files/")
        .has("id=\"approve\"");
    let file_link = request
        .html
        .split("<a href=\"/files/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a file link")
        .to_string();
    let file = college
        .get(server.url(&format!("/files/{file_link}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status().as_u16(), 200);
    assert_eq!(file.bytes().await.unwrap().as_ref(), pdf);

    // Approved: in force, the member is certified (ARC-4), and the queue is empty.
    post(
        &college,
        &server,
        &format!("/requests/{id}/approve"),
        &[("csrf", &request.csrf())],
    )
    .await
    .status(200)
    .has("已通过");
    get(&branch, &server, &format!("/members/{}", m.id))
        .await
        .has("已通过（有效）")
        .has("id=\"league-identity\"><span class=\"tag ok\">已认证</span>");
    get(
        &college,
        &server,
        "/requests?role=decider&status=pending&kind=archive_review",
    )
    .await
    .has("没有符合条件的申请");

    // With the 入团申请书 uploaded as well, the list says 已上传.
    post_upload(
        &branch,
        &server,
        &path,
        upload_form(
            &[("csrf", &csrf), ("kind", "application_letter")],
            "入团申请书.pdf",
            pdf,
        ),
    )
    .await
    .status(200)
    .has("档案已上传");
    get(&branch, &server, &format!("/orgs/{}/members", f.a1))
        .await
        .has("已上传")
        .has("申请书待审核 · 志愿书已通过");
}
