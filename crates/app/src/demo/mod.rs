//! Demo data: a realistic synthetic city and university (one 团市委, a university with 20
//! colleges and ~600 branches, a district with a secondary school), valid-checksum fake
//! resident IDs, plausible names, and admins at every level.

mod archives;
mod branch_life;
mod meetings;
mod members;
mod names;

use sea_orm::ConnectionTrait;
use tuanwu_domain::account::NewAccount;
use tuanwu_domain::org::{BranchType, NewOrg, OrgKind, UnitCategory};
use tuanwu_domain::YearMonth;
use tuanwu_store::account as accounts;

use members::{add_members, Gen};

use crate::account::password;
use crate::{AppError, Context};

pub const DEMO_PASSWORD: &str = "Tuanwu2026";

/// The colleges whose class branches get a year of meeting records (all 600 would make the
/// demo load take minutes; these are the ones the printed logins open).
const MEETING_COLLEGES: usize = 4;

/// GRD-1: how many colleges (the last ones; the printed college logins open the first two)
/// have their graduating class (2022级, graduating June 2026) already marked, so a first visit
/// shows a real 学社衔接 figure and the first colleges' branches are left to mark.
const MARKED_COLLEGES: usize = 14;

/// The graduating class of the demo year and its graduation month.
const GRADUATING_GRADE: i32 = 2022;

/// A login printed for the person trying the demo.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub login: String,
    pub role: String,
    pub org: String,
}

pub struct DemoSummary {
    pub orgs: usize,
    pub members: usize,
    pub logins: Vec<DemoLogin>,
}

const COLLEGES: [(&str, &str); 20] = [
    ("计算机科学与技术学院", "计算机"),
    ("电气工程学院", "电气"),
    ("机械工程学院", "机械"),
    ("土木工程学院", "土木"),
    ("化工学院", "化工"),
    ("材料科学与工程学院", "材料"),
    ("经济与管理学院", "经管"),
    ("文法学院", "文法"),
    ("外国语学院", "外语"),
    ("数学学院", "数学"),
    ("物理学院", "物理"),
    ("生命科学学院", "生科"),
    ("环境科学与工程学院", "环境"),
    ("建筑学院", "建筑"),
    ("精密仪器与光电子工程学院", "精仪"),
    ("海洋科学与技术学院", "海洋"),
    ("药学院", "药学"),
    ("教育学院", "教育"),
    ("马克思主义学院", "马院"),
    ("新媒体与传播学院", "传播"),
];

#[allow(clippy::too_many_arguments)]
async fn add_org<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    parent: &tuanwu_domain::org::Org,
    name: &str,
    kind: &str,
    category: &str,
    branch_type: Option<&str>,
    is_college: bool,
) -> Result<tuanwu_domain::org::Org, AppError> {
    let mut new = NewOrg::child_of(
        parent,
        name.into(),
        OrgKind::parse(kind)?,
        UnitCategory::parse(category)?,
    );
    new.branch_type = branch_type.map(BranchType::parse).transpose()?;
    new.contact_person = Some(names::full_name(name.len() as u64));
    new.address = Some("天津市南开区卫津路92号".into());
    new.postcode = Some("300072".into());
    new.own_college = is_college;
    Ok(tuanwu_store::org::insert(c, new, ctx.clock.now()).await?)
}

async fn add_admin<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    o: &tuanwu_domain::org::Org,
    login: &str,
    name: &str,
    hash: &str,
) -> Result<i64, AppError> {
    let now = ctx.clock.now();
    let a = NewAccount {
        login_name: Some(login.into()),
        display_name: name.into(),
        password_hash: Some(hash.into()),
        ..NewAccount::default()
    };
    let a = accounts::insert(c, a, now).await?;
    accounts::role::ensure_admin(c, a.id, o.id, o.province_id, now).await?;
    Ok(a.id.0)
}

/// Loads the demo into an empty tree (only the top org). Refuses a database with data.
pub async fn load(
    ctx: &Context,
    members: usize,
    mut progress: impl FnMut(usize),
) -> Result<DemoSummary, AppError> {
    let tx = ctx.db.write().await?;
    let top = tuanwu_store::org::top(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if tuanwu_store::org::live_child_count(&*tx, top.id).await? > 0 {
        return Err(AppError::conflict(
            "demo_exists",
            "数据库中已有组织，不再加载演示数据",
        ));
    }
    let hash = password::hash_blocking(DEMO_PASSWORD.into()).await?;
    let mut g = Gen {
        state: 0x7475_616e_7775,
    };
    let mut logins = Vec::new();
    let mut orgs = 0usize;
    let mut seq = 0u64;
    let mut login = |login: String, role: &str, org: &tuanwu_domain::org::Org| {
        logins.push(DemoLogin {
            login,
            role: role.into(),
            org: org.name.clone(),
        })
    };

    let city = add_org(
        &*tx,
        ctx,
        &top,
        "共青团天津市委员会",
        "committee",
        "党政机关",
        None,
        false,
    )
    .await?;
    let city_admin = add_admin(&*tx, ctx, &city, "tj_admin", "天津团市委管理员", &hash).await?;
    login("tj_admin".into(), "省级管理员（直辖市团市委）", &city);
    let form = archives::stored_form(&*tx, ctx, city_admin, city.id.0).await?;
    let district = add_org(
        &*tx,
        ctx,
        &city,
        "共青团天津市和平区委员会",
        "committee",
        "党政机关",
        None,
        false,
    )
    .await?;
    // TRF: where graduates who live in the district go — a street committee with community
    // branches.
    let street = add_org(
        &*tx,
        ctx,
        &district,
        "共青团天津市和平区劝业场街道工作委员会",
        "working_committee",
        "党政机关",
        None,
        false,
    )
    .await?;
    add_admin(
        &*tx,
        ctx,
        &street,
        "qyc_admin",
        "劝业场街道团工委管理员",
        &hash,
    )
    .await?;
    login(
        "qyc_admin".into(),
        "街道团工委管理员（接收毕业生转入）",
        &street,
    );
    for community in ["新华里社区", "滨江道社区"] {
        add_org(
            &*tx,
            ctx,
            &street,
            &format!("劝业场街道{community}团支部"),
            "branch",
            "党政机关",
            None,
            false,
        )
        .await?;
        orgs += 1;
    }
    let school = add_org(
        &*tx,
        ctx,
        &district,
        "共青团天津市第一中学委员会",
        "committee",
        "普通高中",
        None,
        false,
    )
    .await?;
    add_admin(
        &*tx,
        ctx,
        &school,
        "tjyz_admin",
        "天津一中团委管理员",
        &hash,
    )
    .await?;
    login("tjyz_admin".into(), "校级管理员（中学）", &school);
    // Universities report to the city's universities working committee (city level, MEM-7).
    let gx = add_org(
        &*tx,
        ctx,
        &city,
        "共青团天津市高等学校工作委员会",
        "working_committee",
        "党政机关",
        None,
        false,
    )
    .await?;
    add_admin(&*tx, ctx, &gx, "tj_gx_admin", "市高校团工委管理员", &hash).await?;
    login("tj_gx_admin".into(), "市级管理员（高校团工委）", &gx);
    let uni = add_org(
        &*tx,
        ctx,
        &gx,
        "共青团天津海河大学委员会",
        "committee",
        "普通高等院校",
        None,
        false,
    )
    .await?;
    let uni_admin = add_admin(&*tx, ctx, &uni, "hhu_admin", "海河大学校团委管理员", &hash).await?;
    branch_life::seed_event(&*tx, ctx, &uni, tuanwu_domain::AccountId(uni_admin)).await?;
    login("hhu_admin".into(), "校级管理员", &uni);
    // FLT-1: where graduates without a destination keep their relationship for a while.
    add_org(
        &*tx,
        ctx,
        &uni,
        "海河大学校级流动团员团支部",
        "branch",
        "普通高等院校",
        Some("floating"),
        false,
    )
    .await?;
    orgs += 7;

    for grade in ["高一", "高二", "高三"] {
        let b = add_org(
            &*tx,
            ctx,
            &school,
            &format!("天津市第一中学{grade}年级团支部"),
            "branch",
            "普通高中",
            None,
            false,
        )
        .await?;
        add_members(
            &*tx,
            ctx,
            &mut g,
            &b,
            12,
            2024,
            &format!("YZ{}", b.id),
            &mut seq,
            &hash,
            false,
            form,
        )
        .await?;
        orgs += 1;
    }

    let mut with_meetings = Vec::new();
    let per_college = members.saturating_sub(36) / COLLEGES.len();
    let branches_per_college = 30usize;
    let per_branch = per_college / branches_per_college;
    let mut extra = per_college % branches_per_college;
    for (ci, (college, short)) in COLLEGES.iter().enumerate() {
        let c = add_org(
            &*tx,
            ctx,
            &uni,
            &format!("共青团海河大学{college}委员会"),
            "committee",
            "普通高等院校",
            None,
            true,
        )
        .await?;
        let login_name = format!("college{:02}", ci + 1);
        let college_admin = add_admin(
            &*tx,
            ctx,
            &c,
            &login_name,
            &format!("{college}分团委管理员"),
            &hash,
        )
        .await?;
        if ci < 2 {
            login(login_name, "院级管理员", &c);
        }
        orgs += 1;
        let staff = add_org(
            &*tx,
            ctx,
            &c,
            &format!("{college}教职工团支部"),
            "branch",
            "普通高等院校",
            Some("staff"),
            false,
        )
        .await?;
        let n = per_branch.min(8);
        add_members(
            &*tx,
            ctx,
            &mut g,
            &staff,
            n,
            2016,
            &format!("JZG{:02}", ci + 1),
            &mut seq,
            &hash,
            false,
            form,
        )
        .await?;
        orgs += 1;
        for bi in 0..branches_per_college - 1 {
            let year = 2022 + (bi % 4) as i32;
            let class = bi / 4 + 1;
            let name = format!("{college}{year}级{short}{class}班团支部");
            let b = add_org(&*tx, ctx, &c, &name, "branch", "普通高等院校", None, false).await?;
            if ci < MEETING_COLLEGES {
                with_meetings.push((b.clone(), college_admin));
            }
            let mut n = per_branch + usize::from(extra > 0);
            extra = extra.saturating_sub(1);
            if bi == 0 {
                n += per_branch.saturating_sub(8);
            }
            let prefix = format!("{year}{:02}{:02}", ci + 1, bi + 1);
            let first = add_members(
                &*tx, ctx, &mut g, &b, n, year, &prefix, &mut seq, &hash, true, form,
            )
            .await?;
            branch_life::seed_branch(&*tx, ctx, &b, bi % 5 == 0).await?;
            if year == GRADUATING_GRADE && ci >= COLLEGES.len() - MARKED_COLLEGES {
                let june = YearMonth::new(GRADUATING_GRADE + 4, 6)?;
                tuanwu_store::graduation::mark::mark_first(
                    &*tx,
                    b.id,
                    tuanwu_domain::graduation::GraduationMark::On(june),
                    ctx.clock.now(),
                )
                .await?;
            }
            if ci == 0 && bi == 0 {
                if let Some(s) = first {
                    login(s, "团支部管理员（团支书，同时是团员）", &b);
                }
            }
            orgs += 1;
        }
        progress(ci + 1);
    }
    meetings::load(&*tx, ctx, &with_meetings).await?;
    tx.commit().await?;
    Ok(DemoSummary {
        orgs,
        members: seq as usize,
        logins,
    })
}
