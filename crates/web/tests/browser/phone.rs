//! The college admin's key steps on a phone (375 × 812): no page scrolls sideways and the member
//! form can be filled and sent.

use super::journey::{member_fields, member_id_in};
use super::setup::{self, Person, ADMIN_LOGIN, ADMIN_PASSWORD};
use super::Browser;
use crate::harness::is_chinese;

const WIDTH: u32 = 375;
static SHOT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A script returning, for every element that `test(el)` accepts, "tag#id.class detail(el)".
fn describe_elements(test: &str, detail: &str) -> String {
    format!(
        "const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + \
         (typeof el.className === 'string' && el.className.trim() \
           ? '.' + el.className.trim().split(/\\s+/).join('.') : ''); \
         const out = []; \
         for (const el of document.querySelectorAll('body *')) {{ \
           if ({test}) out.push(name(el) + ' ' + {detail}); }} \
         return out.slice(0, 8);"
    )
}

/// Fails unless the page fits in the 375 px viewport (`scrollWidth <= 375`) and no box in it
/// scrolls sideways either. With `TUANWU_PHONE_SHOTS=<dir>` set, also saves a screenshot of each
/// checked page there.
pub(super) async fn assert_fits(b: &Browser, what: &str) {
    if let Some(dir) = std::env::var_os("TUANWU_PHONE_SHOTS") {
        let n = SHOT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let file: String = what.chars().filter(|c| c.is_alphanumeric()).collect();
        b.screenshot_page(&std::path::Path::new(&dir).join(format!("{n:02}-{file}.png")))
            .await;
    }
    let (scroll, inner) = b.widths().await;
    assert_eq!(inner, u64::from(WIDTH), "viewport width on {what}");
    if scroll > u64::from(WIDTH) {
        let culprits = b
            .js(&describe_elements(
                "el.getBoundingClientRect().right > window.innerWidth + 0.5",
                "'right=' + Math.round(el.getBoundingClientRect().right)",
            ))
            .await;
        panic!(
            "{what} ({}) scrolls sideways at {WIDTH} px: document.documentElement.scrollWidth = \
             {scroll}; elements reaching past the right edge: {culprits}",
            b.path().await
        );
    }
    let scrollers = b
        .js(&describe_elements(
            "['auto', 'scroll'].includes(getComputedStyle(el).overflowX) \
             && el.scrollWidth > el.clientWidth + 1",
            "'scrollWidth=' + el.scrollWidth + ' clientWidth=' + el.clientWidth",
        ))
        .await;
    assert_eq!(
        scrollers,
        serde_json::json!([]),
        "{what} ({}) has boxes that scroll sideways at {WIDTH} px",
        b.path().await
    );
}

/// Fails unless the element is shown, lies inside the viewport horizontally and is at least
/// 24 × 24 px (the WCAG 2.2 minimum target size); returns its width.
async fn assert_usable(b: &Browser, css: &str) -> f64 {
    let el = b.wait_for(css).await;
    assert!(
        el.is_displayed().await.unwrap_or(false),
        "{css} should be visible at {WIDTH} px"
    );
    let (x, _, w, h) = el.rectangle().await.expect("rectangle");
    assert!(
        x >= 0.0 && x + w <= f64::from(WIDTH) + 0.5,
        "{css} should lie inside the {WIDTH} px viewport: x={x} width={w}"
    );
    assert!(
        w >= 24.0 && h >= 24.0,
        "{css} is too small to use on a phone: {w} × {h} px (at least 24 × 24)"
    );
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_phone() {
    let w = setup::world().await;
    // A member already in the branch so the list has a row to lay out.
    let existing = Person::new(31, "吴浩然");
    setup::add_member(&w.server, &w.admin_token, w.a1, &existing).await;
    let b = Browser::open(&w.server.base, WIDTH, 812).await;

    b.goto("/login").await;
    b.wait_for("form#login-form").await;
    assert_fits(&b, "/login").await;
    b.login(ADMIN_LOGIN, ADMIN_PASSWORD).await;
    assert_fits(&b, "/ (工作台)").await;
    assert_usable(&b, "a#nav-orgs").await;

    b.click("a#nav-orgs").await;
    b.wait_for("table#children").await;
    assert_fits(&b, "the college's org page").await;

    b.click(&format!(
        "table#children a.org-link[href=\"/orgs/{}\"]",
        w.a1
    ))
    .await;
    b.wait_for("a#org-members").await;
    assert_fits(&b, "the branch's org page").await;

    b.click("a#org-members").await;
    b.wait_for("table#members tbody tr").await;
    assert_fits(&b, "the member list").await;

    b.click("a#add-member").await;
    b.wait_for("form#member-form").await;
    assert_fits(&b, "the empty member form").await;
    let p = Person::new(32, "郑思远");
    let bad_id = p.bad_resident_id();
    let typed = member_fields(&p, &bad_id);
    // On a phone every field takes the form's whole width.
    let (_, _, form_width, _) = b
        .wait_for("form#member-form")
        .await
        .rectangle()
        .await
        .expect("rectangle");
    for (name, _) in &typed {
        let w = assert_usable(&b, &format!("form#member-form [name=\"{name}\"]")).await;
        assert!(
            w >= 0.8 * form_width,
            "at {WIDTH} px the `{name}` field should span the form ({form_width} px) like the \
             others, but it is {w} px wide"
        );
    }
    assert_usable(&b, "form#member-form button#save").await;

    b.fill_form("form#member-form", &typed).await;
    b.click("form#member-form button#save").await;
    let error = b.text("p.field-error#error-resident_id").await;
    assert!(is_chinese(&error), "#error-resident_id: {error:?}");
    assert_usable(&b, "p.field-error#error-resident_id").await;
    assert_fits(&b, "the member form with an error").await;

    b.fill_form("form#member-form", &[("resident_id", &p.resident_id)])
        .await;
    b.click("form#member-form button#save").await;
    let path = b
        .wait_for_path("the new member's page", |p| member_id_in(p).is_some())
        .await;
    let member = member_id_in(&path).expect("member id");
    assert_eq!(b.text("h1").await, p.name);
    assert_fits(&b, "the member page").await;

    b.click("a#edit-member").await;
    b.wait_for("form#member-form").await;
    assert_fits(&b, "the edit form").await;
    b.fill_form("form#member-form", &[("phone", "13800001111")])
        .await;
    b.click("form#member-form button#save").await;
    b.wait_for_path("the member page after saving", |p| {
        member_id_in(p) == Some(member)
    })
    .await;
    assert_eq!(b.text("dd#phone").await, "13800001111");

    b.click("a#nav-audit").await;
    b.wait_for("table#audit tbody tr").await;
    assert_fits(&b, "/audit").await;

    b.goto(&format!("/members/{}", w.b_member)).await;
    assert!(b.body_text().await.contains("不存在或无权访问"));
    assert_fits(&b, "the 404 page").await;

    b.close().await;
}
