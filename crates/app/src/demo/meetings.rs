//! A year of 三会一课 records for the demo university's first colleges: each quarter a 支部大会,
//! a 支委会 a month, a 团课 and a 主题团日, all held and on the roster of their day; every third
//! branch has not held this quarter's 支部大会 yet, so the compliance view has branches behind.
//! Each record goes through the checks of one entered by hand.

use sea_orm::ConnectionTrait;
use time::{Date, Month, Time};
use tuanwu_domain::meeting::{MeetingKind, Quarter};
use tuanwu_domain::AccountId;

use crate::clock::CST;
use crate::meeting::input::{AbsenteeInput, MeetingInput};
use crate::meeting::record::record_for_demo;
use crate::meeting::OrgInfo;
use crate::{AppError, Context};

/// (kind, month of the quarter 0..3, day, hour, minute, topic).
const PLAN: [(MeetingKind, u8, u8, u8, u8, &str); 6] = [
    (
        MeetingKind::Committee,
        0,
        5,
        12,
        30,
        "研究本月团支部工作安排",
    ),
    (
        MeetingKind::Assembly,
        0,
        10,
        19,
        0,
        "支部大会：通报工作、推优与评议",
    ),
    (
        MeetingKind::Committee,
        1,
        5,
        12,
        30,
        "研究团课安排与团员发展",
    ),
    (
        MeetingKind::Lecture,
        1,
        20,
        19,
        0,
        "团课：学习团章与青年使命",
    ),
    (MeetingKind::Committee, 2, 5, 12, 30, "总结本季度工作"),
    (
        MeetingKind::ThemeDay,
        2,
        15,
        14,
        0,
        "主题团日：志愿服务进社区",
    ),
];

pub(super) async fn load<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    branches: &[(tuanwu_domain::org::Org, i64)],
) -> Result<usize, AppError> {
    let now = ctx.clock.now();
    let this = Quarter::of(ctx.clock.today());
    let mut quarters = vec![this];
    for _ in 0..3 {
        let q = quarters[quarters.len() - 1];
        let prev = match q.number() {
            1 => Quarter::new(q.year() - 1, 4)?,
            n => Quarter::new(q.year(), n - 1)?,
        };
        quarters.push(prev);
    }
    let mut recorded = 0;
    for (bi, (b, by)) in branches.iter().enumerate() {
        let info = OrgInfo {
            id: b.id,
            name: b.name.clone(),
            path: b.path.clone(),
            is_branch: true,
        };
        for q in quarters.iter().rev() {
            for (ri, (kind, month, day, hour, minute, topic)) in PLAN.iter().enumerate() {
                if *q == this && *kind == MeetingKind::Assembly && bi % 3 == 0 {
                    continue;
                }
                let first = q.first_day();
                let m = Month::try_from(u8::from(first.month()) + month).unwrap_or(Month::January);
                let Ok(date) = Date::from_calendar_date(q.year(), m, *day) else {
                    continue;
                };
                let Ok(time) = Time::from_hms(*hour, *minute, 0) else {
                    continue;
                };
                let at = date.with_time(time).assume_offset(CST);
                if at > now {
                    continue;
                }
                let roster = tuanwu_store::meeting::roster(c, info.id, at).await?;
                if roster.is_empty() {
                    continue;
                }
                // Now and then someone is away, with the reason a secretary writes down.
                let away =
                    (roster.len() > 2 && (bi + ri) % 4 == 0).then(|| roster[roster.len() - 1].0);
                let input = MeetingInput {
                    kind: kind.key().into(),
                    started_at: crate::audit::format_time(at),
                    place: "学生活动中心团员活动室".into(),
                    topic: (*topic).into(),
                    content: format!("{}。会议按议程进行，形成记录。", topic),
                    presenter: Some("团支部书记".into()),
                    recorder: Some("组织委员".into()),
                    speaker: None,
                    invitees: None,
                    attendee_ids: roster
                        .iter()
                        .map(|(m, _)| m.0)
                        .filter(|m| Some(*m) != away.map(|a| a.0))
                        .collect(),
                    absentees: away
                        .map(|a| AbsenteeInput {
                            member_id: a.0,
                            reason: Some("请假（课程冲突）".into()),
                        })
                        .into_iter()
                        .collect(),
                    group_id: None,
                    file_ids: None,
                };
                record_for_demo(ctx, c, info.clone(), AccountId(*by), input).await?;
                recorded += 1;
            }
        }
    }
    Ok(recorded)
}
