//! The demo's members: generated deterministically, each one passed through the entry's own
//! checks before it is inserted.

use sea_orm::ConnectionTrait;
use time::{Date, Duration};
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::{Gender, NewMember, PoliticalStatus};
use tuanwu_domain::{ResidentId, YearMonth};
use tuanwu_store::account as accounts;

use super::archives::{self, DemoArchive};
use super::names;
use crate::member::CreateMemberInput;
use crate::{AppError, Context};

pub(super) struct Gen {
    pub(super) state: u64,
}

impl Gen {
    pub(super) fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, so every demo database is the same.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Inserts `count` members into a branch, with accounts and member roles. The first one gets
/// the demo password and, when `secretary`, the branch's admin role.
#[allow(clippy::too_many_arguments)]
pub(super) async fn add_members<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    g: &mut Gen,
    branch: &tuanwu_domain::org::Org,
    count: usize,
    entry_year: i32,
    student_prefix: &str,
    seq: &mut u64,
    hash: &str,
    secretary: bool,
    form: DemoArchive,
) -> Result<Option<String>, AppError> {
    if count == 0 {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let mut rows = Vec::with_capacity(count);
    let mut first_student_no = None;
    for i in 0..count {
        *seq += 1;
        let birth_year = entry_year - 18 - i32::from(g.below(10) == 0);
        let birth = Date::from_calendar_date(birth_year, time::Month::January, 1).unwrap_or(today)
            + Duration::days(g.below(365) as i64);
        // (region, sequence) is unique per person, so no two demo IDs collide.
        const PROVINCES: [u32; 8] = [12, 13, 11, 37, 41, 32, 44, 51];
        let block = *seq / 1000;
        let province = PROVINCES[((block / 99) % 8) as usize];
        let region = province * 10_000 + 101 + (block % 99) as u32;
        let rid = ResidentId::compose(region, birth, (*seq % 1000) as u16);
        let gender = rid.gender();
        let name = names::person(g.next(), gender == Gender::Female);
        // MEM-2: joined at 14 or later (the month of the 14th birthday at the earliest), within
        // four years, and before this year.
        let fourteen = YearMonth::of(birth).add_years(14);
        let months = fourteen.year() * 12 + i32::from(fourteen.month()) - 1 + g.below(48) as i32;
        let joined_on = YearMonth::new(months / 12, (months % 12 + 1) as u8)?
            .min(YearMonth::new(today.year() - 1, 12)?);
        let development_no =
            (joined_on.year() >= 2017).then(|| format!("{:012}", 120_000_000_000u64 + *seq));
        let student_no = format!("{student_prefix}{:03}", i + 1);
        if i == 0 {
            first_student_no = Some(student_no.clone());
        }
        let phone = format!("13{:09}", g.below(1_000_000_000));
        let political_status = if g.below(15) == 0 {
            PoliticalStatus::ProbationaryPartyMember
        } else {
            PoliticalStatus::LeagueMember
        };
        // Every demo member passes the checks of a member entered by hand (MEM-1, MEM-2, …).
        let entry = CreateMemberInput {
            branch_id: branch.id.0,
            name,
            resident_id: rid.as_str().to_string(),
            ethnicity: if g.below(12) == 0 { "回族" } else { "汉族" }.into(),
            joined_on: joined_on.to_string(),
            development_no,
            political_status: Some(political_status.key().into()),
            student_no: Some(student_no),
            phone: Some(phone),
            email: None,
            admission_major: None,
            actual_major: None,
            native_place: Some("天津市南开区".into()),
            education: Some("普通高中".into()),
            offline_note: None,
        };
        let m = crate::member::create::check(&entry, today)?;
        rows.push(NewMember {
            branch: branch.id,
            province: branch.province_id,
            name: m.name,
            resident_id: m.id.resident_id,
            ethnicity: m.ethnicity,
            joined_on: m.id.joined_on,
            development_no: m.id.development_no,
            student_no: m.student_no,
            political_status: m.political_status,
            phone: m.phone,
            email: m.email,
            admission_major: m.admission_major,
            actual_major: m.actual_major,
            native_place: m.native_place,
            education: m.education,
            offline_managed: m.id.offline_managed,
            offline_note: m.offline_note,
            identity_check: if g.below(5) == 0 {
                IdentityCheck::Pending
            } else {
                IdentityCheck::Verified
            },
        });
    }
    // Registered at enrolment, so the year of meeting records before today has its rosters.
    let enrolled = Date::from_calendar_date(entry_year, time::Month::September, 1)
        .map(|d| {
            d.with_time(time::Time::from_hms(9, 0, 0).unwrap_or(time::Time::MIDNIGHT))
                .assume_offset(crate::clock::CST)
        })
        .map_or(now, |t| t.min(now));
    let ids = tuanwu_store::member::insert_many(c, &ctx.cipher, enrolled, &rows).await?;
    let verified: Vec<i64> = ids
        .iter()
        .zip(&rows)
        .filter(|(_, r)| r.identity_check == IdentityCheck::Verified)
        .map(|(id, _)| id.0)
        .collect();
    archives::approve_for(c, ctx, form, &verified).await?;
    // The first member of each branch can log in with the demo password (and, for class
    // branches, is its 团支书).
    if let Some(first) = ids.first() {
        if let Some(m) = tuanwu_store::member::of_record(c, *first).await? {
            let now = ctx.clock.now();
            let acct = crate::account::of_member::ensure(c, &m, now).await?;
            accounts::set_password(c, acct.id, hash, false).await?;
            if secretary {
                accounts::role::ensure_admin(c, acct.id, branch.id, branch.province_id, now)
                    .await?;
            }
        }
    }
    Ok(first_student_no)
}
