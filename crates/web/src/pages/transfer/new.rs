//! 发起转接 (TRF-1 … TRF-7, TRF-11): the start form with the ORG-5 search and the TRF-11 guidance.

use super::*;

/// What the start form holds, as typed; kept after an error. The GET of the org search carries
/// the first four.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    /// `out` (an admin's member, 转出) | `in` (转入: name + resident ID); a member starts their own.
    mode: String,
    member_id: String,
    /// Set by the 搜索团组织 button of the same form: search, keeping what step two holds.
    search: String,
    q: String,
    province_id: String,
    name: String,
    resident_id: String,
    /// `org` | `special` | `external`.
    target_type: String,
    target_org_id: String,
    destination: String,
    external_system: String,
    reason: String,
    note: String,
    /// FLT-2: the 流动团员信息汇总表 fields, sent only when the destination is chosen.
    floating_destination: String,
    floating_reason: String,
    floating_contact: String,
    floating_responsible: String,
    floating_responsible_contact: String,
    floating_remarks: String,
    /// FLT-5: the retention application, sent only when one of its fields is filled.
    abroad_country: String,
    abroad_university: String,
    abroad_degree: String,
    abroad_period: String,
    abroad_domestic_contact: String,
    abroad_relation: String,
    abroad_phone: String,
}

impl StartForm {
    fn abroad_values(&self) -> [&String; 7] {
        [
            &self.abroad_country,
            &self.abroad_university,
            &self.abroad_degree,
            &self.abroad_period,
            &self.abroad_domestic_contact,
            &self.abroad_relation,
            &self.abroad_phone,
        ]
    }

    /// The `floating` part of the input: only when its destination is chosen.
    fn floating_input(&self) -> Option<FloatingInput> {
        if self.floating_destination.trim().is_empty() {
            return None;
        }
        let abroad = self
            .abroad_values()
            .iter()
            .any(|v| !v.trim().is_empty())
            .then(|| AbroadInput {
                country: self.abroad_country.clone(),
                university: self.abroad_university.clone(),
                degree: self.abroad_degree.clone(),
                period: self.abroad_period.clone(),
                domestic_contact: self.abroad_domestic_contact.clone(),
                relation: self.abroad_relation.clone(),
                phone: self.abroad_phone.clone(),
            });
        Some(FloatingInput {
            destination: self.floating_destination.trim().to_string(),
            reason: self.floating_reason.clone(),
            contact: self.floating_contact.clone(),
            responsible: self.floating_responsible.clone(),
            responsible_contact: self.floating_responsible_contact.clone(),
            remarks: Some(self.floating_remarks.trim().to_string()).filter(|r| !r.is_empty()),
            abroad,
        })
    }
}

/// ORG-5 on the start form: the province (optional), a keyword, the matches with full paths.
pub struct OrgSearch {
    pub q: String,
    pub province_id: String,
    pub provinces: Vec<(String, String)>,
    pub results: Option<Vec<DirectoryView>>,
    pub chosen: String,
}

async fn org_search(ctx: &Context, f: &StartForm) -> Result<OrgSearch, PageError> {
    let provinces = org_uc::directory(ctx, "", None)
        .await?
        .into_iter()
        .filter(|o| o.province_id == Some(o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let province = f.province_id.trim().parse::<i64>().ok();
    let results = if f.q.trim().is_empty() && province.is_none() {
        None
    } else {
        Some(org_uc::directory(ctx, &f.q, province).await?)
    };
    // A single match is the obvious choice.
    let chosen = match (&results, f.target_org_id.is_empty()) {
        (Some(r), true) if r.len() == 1 => r[0].id.to_string(),
        _ => f.target_org_id.clone(),
    };
    Ok(OrgSearch {
        q: f.q.trim().to_string(),
        province_id: province.map(|p| p.to_string()).unwrap_or_default(),
        provinces,
        results,
        chosen,
    })
}

/// TRF-7 as the form shows it before anything is sent: the member's identity check and league
/// identity certification.
pub struct Prerequisites {
    pub identity_label: String,
    pub identity_ok: bool,
    pub league_label: String,
    pub league_ok: bool,
}

#[derive(Template)]
#[template(path = "transfer/new.html")]
struct NewPage {
    shell: Shell,
    is_admin: bool,
    mode: String,
    m: Option<MemberView>,
    prerequisites: Option<Prerequisites>,
    search: OrgSearch,
    target_type: String,
    member_fields: Vec<Field>,
    fields: Vec<Field>,
    special_field: Field,
    external_field: Field,
    /// FLT-2 / FLT-5: the floating fieldset and its abroad part, and whether they start open.
    floating_fields: Vec<Field>,
    abroad_fields: Vec<Field>,
    floating_open: bool,
    abroad_open: bool,
    errors: FormErrors,
}

impl StartForm {
    fn mode_for(&self, page: &PageActor) -> String {
        match (page.is_admin(), self.mode.as_str()) {
            (false, _) => "self".into(),
            (true, "in") => "in".into(),
            (true, _) => "out".into(),
        }
    }
}

async fn new_page_with(
    ctx: &Context,
    page: PageActor,
    f: StartForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let mode = f.mode_for(&page);
    let member_id = match mode.as_str() {
        "self" => page.actor.member_id().map(|m| m.0),
        "out" => f.member_id.trim().parse::<i64>().ok(),
        _ => None,
    };
    let (m, prerequisites) = match member_id {
        Some(id) => {
            let m = member_uc::get(ctx, &page.actor, MemberId(id)).await?;
            let league = archives_of(ctx, &page.actor, MemberId(id)).await.ok();
            let p = Prerequisites {
                identity_ok: IdentityCheck::parse(&m.identity_check)
                    .is_ok_and(IdentityCheck::is_verified),
                identity_label: m.identity_check_label.clone(),
                league_ok: league
                    .as_ref()
                    .and_then(|l| LeagueIdentity::parse(&l.league_identity).ok())
                    .is_some_and(|l| l != LeagueIdentity::Uncertified),
                league_label: league.map(|l| l.league_identity_label).unwrap_or_default(),
            };
            (Some(m), Some(p))
        }
        None => (None, None),
    };
    let search = org_search(ctx, &f).await?;
    let target_type = match f.target_type.as_str() {
        "special" | "external" => f.target_type.clone(),
        _ => "org".to_string(),
    };
    let member_fields = if mode == "in" {
        vec![
            Field::text("name", "团员姓名", &f.name)
                .required()
                .hint("与身份证一致")
                .with_errors(&errors),
            Field::text("resident_id", "身份证号", &f.resident_id)
                .required()
                .hint("18位；姓名和身份证号都相符才能找到该团员")
                .with_errors(&errors),
        ]
    } else {
        Vec::new()
    };
    let fields = vec![
        Field::text("reason", "转接原因", &f.reason)
            .required()
            .choices(
                Some("（请选择）"),
                TransferReason::ALL.iter().map(|r| (r.key(), r.label())),
            )
            .with_errors(&errors),
        Field::text("note", "说明", &f.note)
            .hint("原因为“其他”时必填，写明具体原因；也可写给对方组织的其他说明")
            .with_errors(&errors),
    ];
    let special_field = Field::text("destination", "去向单位名称", &f.destination)
        .hint("如：某部队、某涉密单位（按对方要求填写）；由本省级团委审批")
        .with_errors(&errors);
    let external_field = Field::text("external_system", "转往", &f.external_system)
        .choices(
            Some("（请选择）"),
            ExternalSystem::ALL.iter().map(|e| (e.key(), e.label())),
        )
        .hint("团员在对方系统报到后，由本组织登记报到证明完成转接")
        .with_errors(&errors);
    let floating_fields = vec![
        Field::text("floating_destination", "毕业去向", &f.floating_destination)
            .choices(
                Some("（不转入流动团员团支部）"),
                [
                    Destination::PreparingStudy,
                    Destination::PreparingJob,
                    Destination::Other,
                ]
                .iter()
                .map(|d| (d.key(), d.label())),
            )
            .hint("选择后才会提交下面的流动团员信息")
            .with_errors(&errors),
        Field::text(
            "floating_reason",
            "转接原因（属于哪种流动团员情况）",
            &f.floating_reason,
        )
        .hint("如：没有升学、没有就业；二战考研；用人单位要求先转档案")
        .with_errors(&errors),
        Field::text("floating_contact", "本人常用联系方式", &f.floating_contact)
            .hint("手机号、邮箱或微信号")
            .with_errors(&errors),
        Field::text(
            "floating_responsible",
            "学社衔接工作负责人",
            &f.floating_responsible,
        )
        .with_errors(&errors),
        Field::text(
            "floating_responsible_contact",
            "负责人联系方式",
            &f.floating_responsible_contact,
        )
        .with_errors(&errors),
        Field::text("floating_remarks", "备注", &f.floating_remarks).with_errors(&errors),
    ];
    let abroad_fields = vec![
        Field::text("abroad_country", "去往国家（地区）", &f.abroad_country).with_errors(&errors),
        Field::text("abroad_university", "就读院校", &f.abroad_university).with_errors(&errors),
        Field::text("abroad_degree", "攻读学位", &f.abroad_degree)
            .hint("如：硕士、博士")
            .with_errors(&errors),
        Field::text("abroad_period", "学习期限", &f.abroad_period)
            .hint("如：2026-09 至 2028-06")
            .with_errors(&errors),
        Field::text(
            "abroad_domestic_contact",
            "国内联系人",
            &f.abroad_domestic_contact,
        )
        .with_errors(&errors),
        Field::text("abroad_relation", "与本人关系", &f.abroad_relation)
            .hint("如：父子、母女（直系亲属）")
            .with_errors(&errors),
        Field::text("abroad_phone", "国内联系人电话", &f.abroad_phone)
            .kind("tel")
            .with_errors(&errors),
    ];
    let chosen_type = search.results.as_ref().and_then(|r| {
        r.iter()
            .find(|o| o.id.to_string() == search.chosen)
            .and_then(|o| o.branch_type.clone())
    });
    let floating_error = errors.get("floating").is_some();
    let abroad_open = chosen_type.as_deref() == Some("floating_abroad")
        || f.abroad_values().iter().any(|v| !v.trim().is_empty())
        || errors
            .fields
            .iter()
            .any(|(n, m)| n == "floating" && m.contains("申请"));
    let floating_open = abroad_open
        || floating_error
        || chosen_type.as_deref() == Some("floating")
        || !f.floating_destination.trim().is_empty();
    let status = errors.status();
    let heading = match &m {
        Some(m) => format!("发起组织关系转接：{}", m.name),
        None => "发起组织关系转接".to_string(),
    };
    let shell = page.shell(heading, "transfers");
    Ok(render(
        NewPage {
            shell,
            is_admin: page.is_admin(),
            mode,
            m,
            prerequisites,
            search,
            target_type,
            member_fields,
            fields,
            special_field,
            external_field,
            floating_fields,
            abroad_fields,
            floating_open,
            abroad_open,
            errors,
        },
        status,
    ))
}

pub async fn new_page(
    State(ctx): State<Context>,
    page: PageActor,
    Query(f): Query<StartForm>,
) -> Result<Response, PageError> {
    new_page_with(&ctx, page, f, FormErrors::default()).await
}

pub async fn create(
    State(ctx): State<Context>,
    Form((page, f)): Form<(PageActor, StartForm)>,
) -> Result<Response, PageError> {
    if !f.search.is_empty() {
        return new_page_with(&ctx, page, f, FormErrors::default()).await;
    }
    let mode = f.mode_for(&page);
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut input = StartTransferInput {
        member_id: None,
        name: None,
        resident_id: None,
        target_org_id: None,
        special_unit: None,
        external_system: None,
        reason: f.reason.clone(),
        note: text(&f.note),
        floating: f.floating_input(),
    };
    match mode.as_str() {
        "in" => {
            input.name = Some(f.name.clone());
            input.resident_id = Some(f.resident_id.clone());
        }
        "out" => input.member_id = f.member_id.trim().parse().ok(),
        _ => input.member_id = page.actor.member_id().map(|m| m.0),
    }
    match f.target_type.as_str() {
        "special" => {
            input.special_unit = Some(SpecialUnitInput {
                destination: f.destination.clone(),
            })
        }
        "external" => {
            if f.external_system.trim().is_empty() {
                let errors = field_error("external_system", "请选择转往北京、广东还是福建");
                return new_page_with(&ctx, page, f, errors).await;
            }
            input.external_system = text(&f.external_system);
        }
        _ => {
            let Ok(target) = f.target_org_id.trim().parse::<i64>() else {
                let errors = field_error(
                    "target_org_id",
                    "请先在上方搜索转入的团组织，再从结果中选择一个；转往军队等特殊单位或北京/广东/福建的，请选择对应选项",
                );
                return new_page_with(&ctx, page, f, errors).await;
            };
            input.target_org_id = Some(target);
        }
    }
    if mode == "out" && input.member_id.is_none() {
        let errors = FormErrors {
            fields: Vec::new(),
            general: Some(
                "请先在团员页面点击“发起转接”选择要转出的团员；转入本组织的团员请选择“转入”，按姓名和身份证号查找"
                    .into(),
            ),
        };
        return new_page_with(&ctx, page, f, errors).await;
    }
    match uc::start(&ctx, &page.actor, input).await {
        Ok(t) => Ok(Redirect::to(&format!("/transfers/{}?saved=started", t.id)).into_response()),
        Err(e) => {
            let mut errors = action_errors(e)?;
            for (name, _) in errors.fields.iter_mut() {
                match name.as_str() {
                    "special_unit" => *name = "destination".into(),
                    "member_id" => name.clear(),
                    _ => {}
                }
            }
            if let Some(i) = errors.fields.iter().position(|(f, _)| f.is_empty()) {
                let (_, m) = errors.fields.remove(i);
                errors.general.get_or_insert(m);
            }
            new_page_with(&ctx, page, f, errors).await
        }
    }
}
