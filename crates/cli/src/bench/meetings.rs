//! MTG-1 at university scale for `tuanwu bench`: 600 branches with a year of meeting records
//! (~10 a quarter each) and the quarter's compliance view of the university, next to a
//! hand-written count on the closure table.

use anyhow::Context as _;
use sea_orm::{ConnectionTrait, EntityTrait, Set, Statement};
use time::{Duration, OffsetDateTime};
use tuanwu_app::Context;
use tuanwu_domain::meeting::{MeetingKind, Quarter};
use tuanwu_domain::OrgId;
use tuanwu_store::entity::meeting;

use super::{add, median_ms, Tree};

const COLLEGES: usize = 20;
const BRANCHES_PER_COLLEGE: usize = 30;
const PER_BRANCH_A_YEAR: usize = 40;

/// A university of 20 colleges × 30 branches, each with 40 records spread over the year
/// before `now`, kinds in the mix a branch holds them.
pub(super) async fn build_meetings(
    ctx: &Context,
    tree: &Tree,
) -> anyhow::Result<(i64, usize, usize)> {
    let tx = ctx.db.write().await?;
    let now = ctx.clock.now();
    let province = tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(tree.province))
        .await?
        .context("no province")?;
    let uni = add(
        ctx,
        &*tx,
        &province,
        "共青团组织生活基准大学委员会".into(),
        "committee",
        "普通高等院校",
        false,
    )
    .await?;
    let kinds = [
        MeetingKind::Committee,
        MeetingKind::Committee,
        MeetingKind::Committee,
        MeetingKind::Assembly,
        MeetingKind::Lecture,
        MeetingKind::ThemeDay,
        MeetingKind::Group,
        MeetingKind::OrgLife,
        MeetingKind::Committee,
        MeetingKind::Lecture,
    ];
    let mut branches = 0;
    let mut records = 0;
    for c in 0..COLLEGES {
        let college = add(
            ctx,
            &*tx,
            &uni,
            format!("基准第{}学院团委", c + 1),
            "committee",
            "普通高等院校",
            true,
        )
        .await?;
        for b in 0..BRANCHES_PER_COLLEGE {
            let branch = add(
                ctx,
                &*tx,
                &college,
                format!("基准第{}学院第{}团支部", c + 1, b + 1),
                "branch",
                "普通高等院校",
                false,
            )
            .await?;
            branches += 1;
            // A few branches fall behind: they skip the last weeks' records.
            let n = if b % 7 == 0 {
                PER_BRANCH_A_YEAR - 6
            } else {
                PER_BRANCH_A_YEAR
            };
            let rows = (0..n).map(|i| {
                let at =
                    now - Duration::hours(1 + (i as i64) * 365 * 24 / PER_BRANCH_A_YEAR as i64);
                meeting::ActiveModel {
                    org_id: Set(branch.id.0),
                    kind: Set(kinds[i % kinds.len()].key().into()),
                    started_at: Set(at),
                    place: Set("团员活动室".into()),
                    topic: Set(format!("第{}次组织生活", i + 1)),
                    content: Set("学习与讨论。".into()),
                    created_by: Set(1),
                    created_at: Set(at),
                    updated_at: Set(at),
                    ..Default::default()
                }
            });
            meeting::Entity::insert_many(rows).exec(&*tx).await?;
            records += n;
        }
    }
    tx.commit().await?;
    Ok((uni.id.0, branches, records))
}

/// The quarter's compliance of the university through the store (what the view reads), and the
/// same counts by hand on the closure table.
pub(super) async fn compliance(ctx: &Context, uni: i64) -> anyhow::Result<(f64, f64)> {
    let c = ctx.db.conn();
    let q = Quarter::of(ctx.clock.today());
    let at = |d: time::Date| {
        d.with_time(time::Time::MIDNIGHT)
            .assume_offset(tuanwu_app::clock::CST)
    };
    let (from, before): (OffsetDateTime, OffsetDateTime) = (at(q.first_day()), at(q.end()));
    let project = median_ms(|| async move {
        tuanwu_store::meeting::branch_counts(c, OrgId(uni), from, before).await?;
        Ok(())
    })
    .await?;
    let backend = c.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT m.org_id, m.kind, COUNT(*) FROM org_closure c JOIN meetings m ON m.org_id = c.descendant \
             WHERE c.ancestor = $1 AND m.deleted_at IS NULL AND m.started_at >= $2 AND m.started_at < $3 \
             GROUP BY m.org_id, m.kind"
        }
        _ => {
            "SELECT m.org_id, m.kind, COUNT(*) FROM org_closure c JOIN meetings m ON m.org_id = c.descendant \
             WHERE c.ancestor = ? AND m.deleted_at IS NULL AND m.started_at >= ? AND m.started_at < ? \
             GROUP BY m.org_id, m.kind"
        }
    };
    let raw = median_ms(|| async move {
        c.query_all(Statement::from_sql_and_values(
            backend,
            sql,
            [uni.into(), from.into(), before.into()],
        ))
        .await?;
        Ok(())
    })
    .await?;
    Ok((project, raw))
}
