//! Issue 15 item 15 in a real browser at 1366 px: on a college's member list (all columns,
//! the branch column included) every name stands on one line, and the search box finds a
//! member by name and by student number.

use super::setup::{self, name_for, Person, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_stay_on_one_line_at_1366_and_the_search_box_finds_members() {
    let w = setup::world().await;
    let mut people = vec![
        Person::new(300, "阿卜杜热合曼·买买提"),
        Person::new(301, "欧阳明月"),
    ];
    for seq in 0..8u16 {
        people.push(Person::new(310 + seq, &name_for(seq * 13)));
    }
    for p in &people {
        setup::add_member(&w.server, &w.admin_token, w.a1, p).await;
    }
    let b = Browser::open(&w.server.base, 1366, 768).await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    b.goto(&format!("/orgs/{}/members", w.col_a)).await;
    b.wait_for("table#members").await;
    assert_eq!(b.all("table#members tbody tr").await.len(), people.len());
    // One line: an inline link that wraps has one client rect per line.
    let lines = b
        .js("return Array.from(document.querySelectorAll('#members a.member-name'))\
             .map(a => [a.textContent, a.getClientRects().length, a.getBoundingClientRect().height,\
                        parseFloat(getComputedStyle(a).lineHeight) || parseFloat(getComputedStyle(a).fontSize) * 1.6])")
        .await;
    for l in lines.as_array().expect("names") {
        assert_eq!(l[1], 1, "{} wraps: {l}", l[0]);
        let (height, line) = (l[2].as_f64().unwrap_or(0.0), l[3].as_f64().unwrap_or(0.0));
        assert!(
            height <= line * 1.2,
            "{} is {height}px high, a line is {line}px",
            l[0]
        );
    }
    let (scroll, inner) = b.widths().await;
    assert!(
        scroll <= inner,
        "the page does not scroll sideways at 1366: {scroll} > {inner}"
    );

    // The search box: a part of a name, then a student number.
    b.fill_form("form#member-search", &[("q", "明月")]).await;
    b.click("#member-search-submit").await;
    let rows = b.all("table#members tbody tr").await;
    assert_eq!(rows.len(), 1);
    assert!(b.text("table#members tbody").await.contains("欧阳明月"));
    assert_eq!(b.field_value("form#member-search", "q").await, "明月");
    b.fill_form("form#member-search", &[("q", &people[0].student_no)])
        .await;
    b.click("#member-search-submit").await;
    let rows = b.all("table#members tbody tr").await;
    assert_eq!(rows.len(), 1);
    assert!(b
        .text("table#members tbody")
        .await
        .contains("阿卜杜热合曼·买买提"));
    b.close().await;
}
