//! Demo branch life (GRP-1, MTG-3, EVT-2): two groups in each class branch with leaders, a
//! sitting committee (every fifth branch's term overdue, so the college's list has entries, with
//! the posts on the cadre list), and a training the university publishes for all its members.

use sea_orm::ConnectionTrait;
use time::Duration;
use tuanwu_domain::cadre::NewCadre;
use tuanwu_domain::committee::CommitteePost;
use tuanwu_domain::event::{Audience, NewEvent};
use tuanwu_domain::AccountId;
use tuanwu_store::{cadre, committee, event, group};

use crate::{roster, AppError, Context};

/// Groups and a committee for a class branch; `overdue` starts its term long enough ago that
/// its 换届 is due.
pub(super) async fn seed_branch<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    branch: &tuanwu_domain::org::Org,
    overdue: bool,
) -> Result<(), AppError> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let id = branch.id;
    let people = roster::roster(c, id).await?;
    if people.len() < 4 {
        return Ok(());
    }
    // The roster is by name; the first member added (the 团支书 who can log in) leads.
    let mut members: Vec<_> = people.iter().map(|(m, _)| *m).collect();
    members.sort_unstable();
    for (gi, name) in ["第一团小组", "第二团小组"].iter().enumerate() {
        let g = group::insert(c, id, (*name).to_string(), now).await?;
        let mine: Vec<_> = members.iter().skip(gi).step_by(2).copied().collect();
        for m in &mine {
            group::join(c, g.id, id, *m, today - Duration::days(60), now).await?;
        }
        group::update(c, g.id, name, mine.first().copied()).await?;
    }
    let started_on = today - Duration::days(if overdue { 420 } else { 75 });
    let posts = [
        (CommitteePost::Secretary, members[0]),
        (CommitteePost::Organisation, members[1]),
        (CommitteePost::Publicity, members[2]),
    ];
    committee::record_sitting(c, id, &posts, started_on, now).await?;
    for (post, member) in posts {
        cadre::insert(
            c,
            NewCadre {
                org: id,
                member,
                post: post.label().to_string(),
                started_on,
                created_at: now,
            },
        )
        .await?;
    }
    Ok(())
}

/// A training the university publishes to all its members, open for sign-up.
pub(super) async fn seed_event<C: ConnectionTrait>(
    c: &C,
    ctx: &Context,
    uni: &tuanwu_domain::org::Org,
    by: AccountId,
) -> Result<(), AppError> {
    let now = ctx.clock.now();
    event::insert(
        c,
        NewEvent {
            org: uni.id,
            title: "海河大学第十二期团干部培训班".into(),
            starts_at: now + Duration::days(14),
            place: "海河大学学生活动中心报告厅".into(),
            capacity: Some(200),
            signup_deadline: now + Duration::days(10),
            audience: Audience::All,
        },
        by,
        now,
    )
    .await?;
    Ok(())
}
