//! Issue 18 "Done means", in a real browser on the demo data (a year of meetings, some branches
//! behind): a branch secretary on a phone (375 px) records a 支部大会 with two absentees and a
//! photo, deletes a mistaken 团课 record, moves a member between groups, holds a 换届 linked to
//! its two meetings and sees the cadre list change; the college admin sees the branches behind
//! this quarter and downloads the compliance sheet; a member signs up for a training.

use fantoccini::Locator;
use serde_json::Value;

use super::phone::assert_fits;
use super::Browser;
use crate::harness::TestServer;

const PHONE: (u32, u32) = (375, 812);
/// The smallest file the store takes as a PNG photo (the type is read from the bytes).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-photo";

/// The value and label of every option of the select matching `css`.
async fn options(b: &Browser, css: &str) -> Vec<(String, String)> {
    let v = b
        .js(&format!(
            "return Array.from(document.querySelectorAll('{css} option')).map(o => [o.value, o.textContent.trim()]);"
        ))
        .await;
    v.as_array()
        .unwrap_or_else(|| panic!("no options for {css}: {v}"))
        .iter()
        .map(|o| {
            (
                o[0].as_str().unwrap_or_default().to_string(),
                o[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The record id on a meeting page's path (`/meetings/12?saved=recorded`).
fn meeting_id(path: &str) -> i64 {
    path.trim_start_matches("/meetings/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a meeting page: {path}"))
}

/// Records a meeting from the branch's 组织生活 tab as a secretary does; returns its id.
async fn record_meeting(b: &Browser, branch: i64, kind: &str, topic: &str, absent: &[&str]) -> i64 {
    b.goto(&format!("/orgs/{branch}/meetings")).await;
    b.click("a#new-meeting").await;
    assert_fits(b, "新建会议记录").await;
    b.fill_form(
        "form#meeting-form",
        &[
            ("kind", kind),
            ("place", "团员之家"),
            ("topic", topic),
            (
                "content",
                "传达学习上级团组织会议精神，讨论本支部下阶段工作。",
            ),
        ],
    )
    .await;
    // 全部出席 is ticked; untick the absent and give each a reason.
    let rows = b.all("#roster li").await;
    assert!(rows.len() > absent.len(), "the roster is listed");
    for (row, reason) in rows.iter().zip(absent) {
        row.find(Locator::Css("input[name=present]"))
            .await
            .expect("tick box")
            .click()
            .await
            .expect("untick");
        row.find(Locator::Css("input[type=text]"))
            .await
            .expect("reason box")
            .send_keys(reason)
            .await
            .expect("type the reason");
    }
    b.click("button#save-meeting").await;
    let path = b
        .wait_for_path("the new record", |p| p.contains("saved=recorded"))
        .await;
    meeting_id(&path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_year_on_the_demo_data_from_the_phone_and_the_college() {
    let server = TestServer::start().await;
    let summary = tuanwu_app::demo::load(&server.ctx, 2_000, |_| {})
        .await
        .expect("demo");
    let password = tuanwu_app::demo::DEMO_PASSWORD;
    let secretary = summary
        .logins
        .iter()
        .find(|l| l.role.contains("团支书"))
        .expect("a secretary login")
        .login
        .clone();
    let token = server.login(&secretary, password).await;
    let branch = server.api(&token).get("/api/v1/me").await.ok(200)["org_id"]
        .as_i64()
        .expect("branch");
    let cadres_before = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{branch}/cadres"))
        .await
        .items();

    let b = Browser::open(&server.base, PHONE.0, PHONE.1).await;
    b.login(&secretary, password).await;

    // A 支部大会 with two absentees and a photo of the meeting.
    b.goto(&format!("/orgs/{branch}")).await;
    b.click("a#org-meetings").await;
    assert_fits(&b, "组织生活").await;
    let dir = tempfile::tempdir().expect("the phone's photos");
    let photo = dir.path().join("支部大会现场.png");
    std::fs::write(&photo, PNG).expect("write photo");
    b.goto(&format!("/orgs/{branch}/meetings")).await;
    b.click("a#new-meeting").await;
    b.wait_for("input#files")
        .await
        .send_keys(&photo.display().to_string())
        .await
        .expect("choose the photo");
    // The file stays chosen while the rest is filled in (record_meeting opens its own form).
    b.fill_form(
        "form#meeting-form",
        &[
            ("kind", "assembly"),
            ("place", "团员之家"),
            ("topic", "换届选举大会"),
            ("content", "选举产生新一届团支部委员会。"),
        ],
    )
    .await;
    let rows = b.all("#roster li").await;
    let mut absent_names = Vec::new();
    for (row, reason) in rows.iter().zip(["病假", "参加学院比赛"]) {
        let tick = row
            .find(Locator::Css("input[name=present]"))
            .await
            .expect("tick box");
        tick.click().await.expect("untick");
        absent_names.push(
            row.find(Locator::Css("label"))
                .await
                .expect("name")
                .text()
                .await
                .expect("name text")
                .trim()
                .to_string(),
        );
        row.find(Locator::Css("input[type=text]"))
            .await
            .expect("reason box")
            .send_keys(reason)
            .await
            .expect("reason");
    }
    b.click("button#save-meeting").await;
    let path = b
        .wait_for_path("the 支部大会's page", |p| p.contains("saved=recorded"))
        .await;
    let assembly = meeting_id(&path);
    assert_fits(&b, "支部大会记录").await;
    let counts = b.text("#meeting-counts").await;
    assert!(counts.contains("缺席2人"), "{counts}");
    let attendees = b.text("#attendees").await;
    for (name, reason) in absent_names.iter().zip(["病假", "参加学院比赛"]) {
        assert!(
            attendees.contains(name.as_str()) && attendees.contains(reason),
            "{name} absent for {reason}: {attendees}"
        );
    }
    let files = b.text("#meeting-files").await;
    assert!(
        files.contains("支部大会现场.png"),
        "the photo is attached: {files}"
    );

    // A 团课 entered by mistake is deleted directly, with the reason.
    let wrong = record_meeting(&b, branch, "lecture", "误录的团课", &[]).await;
    b.fill_form("form#delete-form", &[("reason", "误录，实际未召开")])
        .await;
    b.click("button#delete-meeting").await;
    b.wait_for_path("the register", |p| p.contains("saved=deleted"))
        .await;
    assert!(
        !b.body_text().await.contains("误录的团课"),
        "the deleted record left the register"
    );
    let gone = server
        .api(&token)
        .get(&format!("/api/v1/meetings/{wrong}"))
        .await
        .ok(200);
    assert_eq!(gone["deleted"], true);

    // A member moves from one group to the other.
    b.goto(&format!("/orgs/{branch}")).await;
    b.click("a#org-groups").await;
    assert_fits(&b, "团小组").await;
    // A member who is not the group's leader (moving a leader would leave the group without one).
    let mut form = None;
    for row in b.all("li.group-member").await {
        if !row.text().await.expect("row text").contains("（组长）") {
            form = Some(
                row.find(Locator::Css("form.move-form"))
                    .await
                    .expect("调到"),
            );
            break;
        }
    }
    let form = form.expect("a member who is not a leader");
    let action = form
        .attr("action")
        .await
        .expect("action")
        .expect("the move form posts somewhere");
    let parts: Vec<&str> = action.split('/').collect();
    let (from, moved) = (parts[2].to_string(), parts[4].to_string());
    let to = form
        .find(Locator::Css("select"))
        .await
        .expect("target group")
        .prop("value")
        .await
        .expect("value")
        .expect("a target group");
    b.click_and_load(
        &form
            .find(Locator::Css("button[type=submit]"))
            .await
            .expect("调动"),
    )
    .await;
    b.wait_for(&format!("#group-{to}-member-{moved}")).await;
    assert!(
        b.all(&format!("#group-{from}-member-{moved}"))
            .await
            .is_empty(),
        "the member left the old group"
    );

    // The 换届: the 支委会 that prepared it and the 支部大会 just recorded; a new secretary.
    b.goto(&format!("/orgs/{branch}")).await;
    b.click("a#org-committee").await;
    assert_fits(&b, "支委会与班委").await;
    let preparations = options(&b, "select#committee_meeting_id").await;
    assert!(!preparations.is_empty(), "the demo's 支委会 records");
    let roster = options(&b, "select[name=member_1]").await;
    let old_secretary = cadres_before
        .iter()
        .find(|c| c["post"] == "团支部书记" && c["ended_on"].is_null())
        .map(|c| c["member_name"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    let people: Vec<&(String, String)> = roster
        .iter()
        .filter(|(id, name)| !id.is_empty() && *name != old_secretary)
        .collect();
    let (new_secretary, organiser) = (people[0], people[1]);
    b.fill_form(
        "form#term-change-form",
        &[
            ("committee_meeting_id", preparations[0].0.as_str()),
            ("assembly_id", assembly.to_string().as_str()),
            ("post_1", "secretary"),
            ("member_1", new_secretary.0.as_str()),
            ("post_2", "organisation"),
            ("member_2", organiser.0.as_str()),
            ("post_3", "publicity"),
            ("member_3", people[2].0.as_str()),
        ],
    )
    .await;
    b.click("form#term-change-form button[type=submit]").await;
    let posts = b.text("#committee-posts").await;
    assert!(
        posts.contains(&format!("团支部书记：{}", new_secretary.1)),
        "{posts}"
    );
    b.goto(&format!("/orgs/{branch}")).await;
    b.click("a#org-cadres").await;
    assert_fits(&b, "团干部名单").await;
    let cadres: Vec<Value> = server
        .api(&token)
        .get(&format!("/api/v1/orgs/{branch}/cadres"))
        .await
        .items();
    let current = |post: &str| {
        cadres
            .iter()
            .filter(|c| c["post"] == post && c["ended_on"].is_null())
            .map(|c| c["member_name"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(current("团支部书记"), [new_secretary.1.as_str()]);
    assert_eq!(current("组织委员"), [organiser.1.as_str()]);
    let page = b.body_text().await;
    assert!(page.contains(new_secretary.1.as_str()), "{page}");
    b.close().await;

    // The college admin: the branches behind this quarter, and the sheet.
    let b = Browser::open(&server.base, 1280, 900).await;
    b.login("college01", password).await;
    b.click("a#nav-orgs").await;
    b.click("a#org-meeting-compliance").await;
    let summary_line = b.text("#compliance-summary").await;
    assert!(summary_line.contains("未达标"), "{summary_line}");
    assert!(
        !b.all("table#behind tbody tr").await.is_empty(),
        "some branches are behind: {}",
        b.body_text().await
    );
    let sheet = b
        .js("const a = document.getElementById('export-compliance'); \
             return fetch(a.href).then(r => r.arrayBuffer().then(buf => \
               [r.status, r.headers.get('content-type'), new Uint8Array(buf.slice(0, 2)).join(',')]));")
        .await;
    assert_eq!(sheet[0], 200, "{sheet}");
    assert!(
        sheet[1]
            .as_str()
            .unwrap_or_default()
            .contains("spreadsheetml"),
        "{sheet}"
    );
    assert_eq!(sheet[2], "80,75", "an xlsx (zip) file: {sheet}");
    b.close().await;

    // A member signs up for the training (the secretary's own member role).
    let b = Browser::open(&server.base, PHONE.0, PHONE.1).await;
    b.login(&secretary, password).await;
    let roles = options(&b, "select#role_id").await;
    let member_role = roles
        .iter()
        .find(|(_, label)| label.contains("团员"))
        .unwrap_or_else(|| panic!("a member role: {roles:?}"))
        .0
        .clone();
    b.fill_form("form#role-switch", &[("role_id", member_role.as_str())])
        .await;
    b.click("form#role-switch button[type=submit]").await;
    b.click("a#nav-events").await;
    assert_fits(&b, "活动与培训").await;
    let training = b
        .js("const s = Array.from(document.querySelectorAll('section.event')).find(s => s.textContent.includes('团干部培训班')); return s ? s.id : null;")
        .await;
    let Some(training) = training.as_str().map(str::to_string) else {
        panic!("the training is listed: {}", b.body_text().await);
    };
    b.click(&format!("section#{training} button.sign-up")).await;
    b.wait_for(&format!("section#{training} .signed-up")).await;
    b.close().await;
}
