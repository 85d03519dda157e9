//! 打印 (FLT-4, FLT-5, DAT-3): the 流动团员管理服务告知书 with its 回执 and the 关于保留团组织关系的申请,
//! filled from the record and the member.

use super::*;

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
    ApiPath(id): ApiPath<FloatingId>,
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
    ApiPath(id): ApiPath<FloatingId>,
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
