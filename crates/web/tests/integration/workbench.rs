//! Issue 15 item 14: each level's 工作台 shows its own work first — the school and the city the
//! 学社衔接率 and the branches not yet marked; a college the transfers waiting for it and the
//! members 待核验; a branch secretary the roster and this quarter's meetings — and not the
//! other levels' panels.

use serde_json::json;

use crate::fixtures::*;
use crate::harness::*;
use crate::page::{self, Page};

async fn home(server: &TestServer, a: &Admin) -> Page {
    let browser = page::logged_in(server, &a.login, &a.password).await;
    let p = page::get(&browser, server, "/").await;
    p.status(200);
    p
}

/// The text of the element with `id` (up to its closing tag), tags left out.
fn text_of(p: &Page, id: &str) -> String {
    let start = p
        .html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} on {}", p.path));
    let rest = &p.html[start..];
    let open = rest.find('>').map_or(0, |i| i + 1);
    let close = rest[open..].find("</").map_or(rest.len(), |i| open + i);
    page::visible(&rest[open..close])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_and_the_city_see_the_continuity_rate_and_the_unmarked_branches() {
    let (server, fx) = school().await;
    let year = server
        .api(&fx.s1_admin.token)
        .get(&format!("/api/v1/orgs/{}/continuity", fx.s1))
        .await
        .ok(200)["year"]
        .as_i64()
        .unwrap();
    server
        .api(&fx.s1_admin.token)
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{}/graduation", fx.a1),
            Some(&json!({"year_month": format!("{year}-06")})),
        )
        .await
        .ok(200);

    let p = home(&server, &fx.s1_admin).await;
    p.has("id=\"continuity-tile\"")
        .has(&format!("{year}届学社衔接率"))
        .has("已完成转接 0 / 应转接 1 人，1 个毕业团支部")
        .lacks("id=\"transfers-tile\"")
        .lacks("id=\"roster-tile\"");
    assert_eq!(text_of(&p, "continuity-rate"), "0.0%");
    // A2 and B1 are not marked yet; A1 is.
    assert_eq!(text_of(&p, "unmarked-count"), "2");
    p.has(BRANCH_A2).has(BRANCH_B1).has("status=unmarked");
    assert!(!text_of(&p, "unmarked-list").contains(BRANCH_A1));
    // Its work comes before the counts.
    assert!(p.html.find("continuity-tile") < p.html.find("id=\"counts\""));

    // The city sees the same tiles over every school (S2's branch unmarked too).
    let city = home(&server, &fx.province_admin).await;
    city.has("id=\"continuity-tile\"");
    assert_eq!(text_of(&city, "unmarked-count"), "3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_sees_the_transfers_waiting_for_it_and_the_members_to_check() {
    let (server, fx) = school().await;
    let b = home(&server, &fx.b_admin).await;
    b.has("id=\"transfers-tile\"")
        .has("暂无等待本级办理的组织关系转接")
        .lacks("id=\"continuity-tile\"")
        .lacks("id=\"roster-tile\"");
    // One more member to check, then the tile counts it and links to the list.
    member(&server, &fx.root, Person::new(61, "冯嘉怡"), fx.b1).await;
    crate::transfers::all_transferable(&server, &fx).await;
    let id = crate::transfers::started(
        &server,
        &fx.a1_admin.token,
        crate::transfers::to_org(fx.m_a1.id, fx.col_b, "school_change"),
    )
    .await;
    let b = home(&server, &fx.b_admin).await;
    assert_eq!(text_of(&b, "transfers-count"), "1");
    b.has(&format!("href=\"/transfers/{id}\""))
        .has(&fx.m_a1.person.name);
    let now_pending = server
        .api(&fx.b_admin.token)
        .get(&format!("/api/v1/orgs/{}/identity-stats", fx.col_b))
        .await
        .ok(200)["counts"]["pending"]
        .as_u64()
        .unwrap();
    assert!(now_pending >= 1, "the new member waits for a check");
    assert_eq!(text_of(&b, "pending-identity"), now_pending.to_string());
    b.has(&format!(
        "href=\"/orgs/{}/members?subtree=true&amp;identity=pending\"",
        fx.col_b
    ));
    // The starting college's branch is not a college: A's own college admin sees nothing of it.
    let a = home(&server, &fx.a_admin).await;
    assert_eq!(text_of(&a, "transfers-count"), "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_secretary_sees_the_roster_and_this_quarters_meetings() {
    let (server, fx) = school().await;
    let p = home(&server, &fx.a1_admin).await;
    p.has("id=\"roster-tile\"")
        .has(&fx.m_a1.person.name)
        .has("2026年第4季度的会议")
        .has("本季度还没有会议记录")
        .lacks("id=\"continuity-tile\"")
        .lacks("id=\"transfers-tile\"");
    assert_eq!(text_of(&p, "roster-count"), "1");
    let id = crate::meetings::lecture(
        &server,
        &fx.a1_admin.token,
        fx.a1,
        fx.m_a1.id,
        "学习二十大精神",
    )
    .await;
    let p = home(&server, &fx.a1_admin).await;
    assert_eq!(text_of(&p, "meetings-count"), "1");
    p.has(&format!("href=\"/meetings/{id}\""))
        .has("学习二十大精神")
        .has("id=\"todo\"");
}
