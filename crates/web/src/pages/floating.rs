//! Floating-member pages (FLT-1 … FLT-5): the list of an org's floating members with their
//! retention deadlines, one member's record with the contact log, the single extension and the
//! FLT-4 step an admin confirms, and the two printable A4 forms — the 流动团员管理服务告知书
//! with its 回执 (attachment 9) and, for the abroad branch, the 关于保留团组织关系的申请
//! (attachment 8).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::floating::{
    self as uc, ContactInput, ExtendInput, FloatingView, ListFloatingQuery, StepInput,
};
use tuanwu_app::member::{self as member_uc, MemberView};
use tuanwu_app::org::{self as org_uc, OrgView};
use tuanwu_app::{AppError, Context};
use tuanwu_domain::{MemberId, OrgId};

use super::member::Pager;
use super::shell::{render, Field, Form, FormErrors, PageActor, PageError, SavedQuery, Shell};
use super::transfer::action_errors;
use crate::extract::ApiPath;

const PER_PAGE: u64 = 50;

/// The list filters: (value, label, hint).
const STATES: [(&str, &str); 6] = [
    ("kept", "保留中"),
    ("approaching", "即将到期"),
    ("overdue", "已超期"),
    ("due_step", "待确认处理"),
    ("pending", "转入待审批"),
    ("all", "全部"),
];

// ---------------------------------------------------------------- 流动团员名单 (FLT-3)

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListForm {
    state: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "floating/list.html")]
struct ListPage {
    shell: Shell,
    org: OrgView,
    state: String,
    states: Vec<(&'static str, &'static str)>,
    items: Vec<FloatingView>,
    pager: Pager,
    errors: FormErrors,
}

pub async fn list(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let org = org_uc::get(&ctx, &page.actor, OrgId(id)).await?;
    let state = match f.state.trim() {
        "" => "kept".to_string(),
        s => s.to_string(),
    };
    let page_no = f.page.unwrap_or(1).max(1);
    let query = ListFloatingQuery {
        state: Some(state.clone()),
        page: Some(page_no),
        per_page: Some(PER_PAGE),
    };
    let (items, total, errors) = match uc::list(&ctx, &page.actor, OrgId(id), query).await {
        Ok((items, total)) => (items, total, FormErrors::default()),
        Err(e) => (Vec::new(), 0, FormErrors::from_app(e)?),
    };
    let pager = Pager {
        page: page_no,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
        base: serde_urlencoded::to_string([("state", &state)]).unwrap_or_default(),
    };
    let status = errors.status();
    let shell = page.shell(format!("流动团员 · {}", org.name), "orgs");
    Ok(render(
        ListPage {
            shell,
            org,
            state,
            states: STATES.to_vec(),
            items,
            pager,
            errors,
        },
        status,
    ))
}

// ---------------------------------------------------------------- 流动团员详情与办理 (FLT-3, FLT-4)

/// What the action forms of the record page hold, kept after an error.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecordForm {
    contacted_on: String,
    note: String,
    reason: String,
    step: String,
}

#[derive(Template)]
#[template(path = "floating/show.html")]
struct ShowPage {
    shell: Shell,
    v: FloatingView,
    /// Kept (active or suspended): contacts can be logged.
    kept: bool,
    can_extend: bool,
    contact_fields: Vec<Field>,
    extend_field: Field,
    errors: FormErrors,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: i64,
    form: RecordForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let v = uc::get(ctx, &page.actor, id).await?;
    let kept = v.status == "active" || v.status == "suspended";
    let can_extend = v.status == "active" && !v.extended;
    let contacted_on = if form.contacted_on.is_empty() {
        ctx.clock.today().to_string()
    } else {
        form.contacted_on.clone()
    };
    let contact_fields = vec![
        Field::text("contacted_on", "联系日期", &contacted_on)
            .kind("date")
            .required()
            .with_errors(&errors),
        Field::text("note", "联系情况", &form.note)
            .required()
            .hint("联系方式和近况，如：电话联系，正在准备考研复试")
            .with_errors(&errors),
    ];
    let extend_field = Field::text("reason", "延长理由", &form.reason)
        .required()
        .hint("如：考研调剂中、用人单位尚未确定；只能延长一次，延长后保留期为入校流动团员团支部起一年")
        .with_errors(&errors);
    let status = errors.status();
    let mut shell = page.shell(format!("流动团员：{}", v.member_name), "orgs");
    shell.notice = notice;
    Ok(render(
        ShowPage {
            shell,
            v,
            kept,
            can_extend,
            contact_fields,
            extend_field,
            errors,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice(&[
        ("contact", "联系记录已登记。"),
        ("extended", "保留期已延长至入校流动团员团支部起一年。"),
        ("suspend", "已确认停止团籍。"),
        ("remove", "已确认除名。"),
    ]);
    show_page(
        &ctx,
        page,
        id,
        RecordForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

async fn after_action(
    ctx: &Context,
    page: PageActor,
    id: i64,
    form: RecordForm,
    result: Result<FloatingView, AppError>,
    saved: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/floating/{id}?saved={saved}")).into_response()),
        Err(e) => {
            let errors = action_errors(e)?;
            show_page(ctx, page, id, form, errors, None).await
        }
    }
}

pub async fn add_contact(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let input = ContactInput {
        contacted_on: form.contacted_on.clone(),
        note: form.note.clone(),
    };
    let result = uc::add_contact(&ctx, &page.actor, id, input).await;
    after_action(&ctx, page, id, form, result, "contact").await
}

pub async fn extend(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let input = ExtendInput {
        reason: form.reason.clone(),
    };
    let result = uc::extend(&ctx, &page.actor, id, input).await;
    after_action(&ctx, page, id, form, result, "extended").await
}

pub async fn confirm_step(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, RecordForm)>,
) -> Result<Response, PageError> {
    let step = form.step.trim().to_string();
    let saved = if step == "remove" {
        "remove"
    } else {
        "suspend"
    };
    let result = uc::confirm_step(&ctx, &page.actor, id, StepInput { step }).await;
    after_action(&ctx, page, id, form, result, saved).await
}

// ---------------------------------------------------------------- 打印 (FLT-4, FLT-5, DAT-3)

const BLANK: &str = "＿＿＿＿";

fn or_blank(s: Option<&str>) -> String {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.to_string(),
        None => BLANK.to_string(),
    }
}

/// "2003-05" or "2003-05-17" → "2003年5月".
fn cn_month(s: &str) -> Option<String> {
    let mut parts = s.trim().split('-');
    let year = parts.next().filter(|y| y.len() == 4)?;
    let month: u8 = parts.next()?.parse().ok()?;
    Some(format!("{year}年{month}月"))
}

/// Every "YYYY-MM" in a free text (a study period) written the Chinese way.
fn cn_months_in(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_ym = i + 7 <= chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && chars[i + 4] == '-'
            && chars[i + 5..i + 7].iter().all(char::is_ascii_digit)
            && !chars.get(i + 7).is_some_and(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        if is_ym {
            let ym: String = chars[i..i + 7].iter().collect();
            if let Some(m) = cn_month(&ym) {
                out.push_str(&m);
                i += 7;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// An org's name as a unit: 共青团某大学委员会 → 某大学, 计算机学院团总支 → 计算机学院.
fn unit_name(org: &str) -> String {
    let s = org.trim();
    let s = s.strip_prefix("共青团").unwrap_or(s);
    for suffix in ["工作委员会", "委员会", "团委", "团总支"] {
        if let Some(unit) = s.strip_suffix(suffix).filter(|u| !u.is_empty()) {
            return unit.to_string();
        }
    }
    s.to_string()
}

/// The member's record for a printed form: absent when the viewer no longer sees it (the member
/// moved on); the form then leaves the blanks to be written by hand.
async fn member_of(ctx: &Context, page: &PageActor, v: &FloatingView) -> Option<MemberView> {
    member_uc::get(ctx, &page.actor, MemberId(v.member_id))
        .await
        .ok()
}

/// What the 告知书 prints besides the record's own fields.
pub struct NoticePrint {
    pub name: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub resident_id: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "floating/notice.html")]
struct NoticePage {
    shell: Shell,
    v: FloatingView,
    p: NoticePrint,
}

pub async fn notice(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let v = uc::get(&ctx, &page.actor, id).await?;
    let m = member_of(&ctx, &page, &v).await;
    let phone = m
        .as_ref()
        .and_then(|m| m.phone.clone())
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| v.contact.clone());
    let p = NoticePrint {
        name: or_blank(Some(&v.member_name)),
        contact_person: or_blank(Some(&v.responsible)),
        contact_phone: or_blank(Some(&v.responsible_contact)),
        resident_id: or_blank(m.as_ref().map(|m| m.resident_id.as_str())),
        phone: or_blank(Some(&phone)),
    };
    let shell = page.shell(
        format!("打印流动团员管理服务告知书：{}", v.member_name),
        "orgs",
    );
    Ok(render(NoticePage { shell, v, p }, StatusCode::OK))
}

/// The 申请's sentences, filled from the member's record and the FLT-5 fields.
pub struct ApplicationPrint {
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub born: String,
    pub joined: String,
    pub resident_id: String,
    pub college: String,
    pub major: String,
    /// 本科 | 硕士 | 博士, or the three to choose from.
    pub level: String,
    pub school: String,
    pub country: String,
    pub university: String,
    pub degree: String,
    pub period: String,
    pub domestic_contact: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "floating/application.html")]
struct ApplicationPage {
    shell: Shell,
    v: FloatingView,
    p: ApplicationPrint,
}

pub async fn application(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let v = uc::get(&ctx, &page.actor, id).await?;
    let Some(a) = v.abroad.clone() else {
        return Err(PageError::App(AppError::NotFound));
    };
    let m = member_of(&ctx, &page, &v).await;
    // The school is the org right above the college on the floating branch's path.
    let crumbs = org_uc::breadcrumbs(&ctx, &page.actor, OrgId(v.branch_id))
        .await
        .unwrap_or_default();
    let school = crumbs
        .iter()
        .rposition(|(_, name, _)| *name == v.college)
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| crumbs.get(i))
        .map(|(_, name, _)| unit_name(name));
    let ethnicity = match m.as_ref().map(|m| m.ethnicity.trim()) {
        Some(e) if !e.is_empty() && e.ends_with('族') => e.to_string(),
        Some(e) if !e.is_empty() => format!("{e}族"),
        _ => format!("{BLANK}族"),
    };
    let major = m
        .as_ref()
        .and_then(|m| m.actual_major.clone().or_else(|| m.admission_major.clone()))
        .map(|s| s.trim().trim_end_matches("专业").to_string());
    let level = match m.as_ref().and_then(|m| m.education.as_deref()) {
        Some("研究生（博士）") => "博士",
        Some("研究生（硕士）") => "硕士",
        Some("大学本科") => "本科",
        _ => "本科/硕士/博士",
    };
    let degree = a.degree.trim();
    let p = ApplicationPrint {
        name: or_blank(Some(&v.member_name)),
        gender: or_blank(m.as_ref().map(|m| m.gender_label.as_str())),
        ethnicity,
        born: or_blank(m.as_ref().and_then(|m| cn_month(&m.birth_date)).as_deref()),
        joined: or_blank(m.as_ref().and_then(|m| cn_month(&m.joined_on)).as_deref()),
        resident_id: or_blank(m.as_ref().map(|m| m.resident_id.as_str())),
        college: or_blank(Some(&unit_name(&v.college))),
        major: or_blank(major.as_deref()),
        level: level.to_string(),
        school: or_blank(school.as_deref()),
        country: or_blank(Some(&a.country)),
        university: or_blank(Some(&a.university)),
        degree: or_blank(Some(degree.strip_suffix("学位").unwrap_or(degree))),
        period: or_blank(Some(&cn_months_in(&a.period))),
        domestic_contact: or_blank(Some(&a.domestic_contact)),
        relation: or_blank(Some(&a.relation)),
        phone: or_blank(Some(&a.phone)),
    };
    let shell = page.shell(
        format!("打印关于保留团组织关系的申请：{}", v.member_name),
        "orgs",
    );
    Ok(render(ApplicationPage { shell, v, p }, StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_names_and_months() {
        assert_eq!(unit_name("共青团某大学委员会"), "某大学");
        assert_eq!(unit_name("计算机学院团总支"), "计算机学院");
        assert_eq!(unit_name("共青团机械工程学院委员会"), "机械工程学院");
        assert_eq!(unit_name("某大学团委"), "某大学");
        assert_eq!(cn_month("2003-05-17").as_deref(), Some("2003年5月"));
        assert_eq!(cn_month("2019-11").as_deref(), Some("2019年11月"));
        assert_eq!(
            cn_months_in("2026-08 至 2027-12"),
            "2026年8月 至 2027年12月"
        );
        assert_eq!(cn_months_in("两年"), "两年");
    }
}
