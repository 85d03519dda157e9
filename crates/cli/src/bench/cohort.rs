//! GRD-6 at university scale for `tuanwu bench`: a marked cohort of 10,000 graduates and the
//! continuity figure against hand-written aggregate SQL.

use anyhow::Context as _;
use sea_orm::Set;
use tuanwu_app::Context;
use tuanwu_store::Backend;

use super::{add, app, median_ms, Tree};

/// GRD-6 at university scale: a university of 20 colleges × 15 branches marked for `year`,
/// 10,000 graduates in them with a realistic mix of destinations, delayed graduates and
/// transfers (completed to a company or the floating branch, or pending).
pub(super) async fn build_cohort(
    ctx: &Context,
    tree: &Tree,
    year: i32,
) -> anyhow::Result<(i64, usize)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    use tuanwu_store::entity::{destination, graduation_exception, member, transfer};
    const GRADUATES: usize = 10_000;
    let tx = ctx.db.write().await?;
    let now = ctx.clock.now();
    let province = tuanwu_store::org::get(&*tx, tuanwu_domain::OrgId(tree.province))
        .await?
        .context("no province")?;
    let uni = add(
        ctx,
        &*tx,
        &province,
        "共青团学社衔接基准大学委员会".into(),
        "committee",
        "普通高等院校",
        false,
    )
    .await?;
    let floating = add(
        ctx,
        &*tx,
        &uni,
        "基准大学流动团员团支部".into(),
        "branch",
        "普通高等院校",
        false,
    )
    .await?;
    let company = add(
        ctx,
        &*tx,
        &province,
        "共青团基准集团委员会".into(),
        "committee",
        "国有企业",
        false,
    )
    .await?;
    let company_branch = add(
        ctx,
        &*tx,
        &company,
        "基准集团第一团支部".into(),
        "branch",
        "国有企业",
        false,
    )
    .await?;
    let mut branches = Vec::new();
    for c in 0..20 {
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
        for b in 0..15 {
            let branch = add(
                ctx,
                &*tx,
                &college,
                format!("基准第{}学院{}级第{}团支部", c + 1, year - 4, b + 1),
                "branch",
                "普通高等院校",
                false,
            )
            .await?;
            let june =
                tuanwu_domain::YearMonth::new(year, 6).map_err(|e| anyhow::anyhow!("{e}"))?;
            tuanwu_store::graduation::mark::set_mark(
                &*tx,
                branch.id,
                tuanwu_domain::graduation::GraduationMark::On(june),
                now,
            )
            .await?;
            branches.push(branch.id.0);
        }
    }
    let mut members = Vec::new();
    let mut plans = Vec::new();
    for i in 0..GRADUATES {
        let branch = branches[i % branches.len()];
        // 0–39 completed to the company, 40–49 pending, 50–59 kept at school, rest nothing.
        let fate = i % 100;
        let org_id = match fate {
            0..=39 => company_branch.id.0,
            50..=59 => floating.id.0,
            _ => branch,
        };
        members.push(member::ActiveModel {
            org_id: Set(org_id),
            province_id: Set(Some(tree.province)),
            name: Set(format!("毕业生{}", i % 97)),
            resident_id_enc: Set(format!("grd-{i}").into_bytes()),
            resident_id_index: Set(format!("grd-index-{i}").into_bytes()),
            gender: Set("female".into()),
            ethnicity: Set("汉族".into()),
            birth_date: Set(time::Date::from_calendar_date(2004, time::Month::March, 1)
                .unwrap_or(time::Date::MIN)),
            joined_on: Set("2019-05".into()),
            student_no: Set(Some(format!("G{i:08}"))),
            political_status: Set("league_member".into()),
            offline_managed: Set(false),
            identity_check: Set("verified_offline".into()),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        plans.push((branch, fate));
    }
    for chunk in members.chunks(500) {
        member::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    // The ids back in the order built (student numbers G00000000…).
    let mut by_no: Vec<(i64, Option<String>)> = member::Entity::find()
        .filter(member::Column::StudentNo.starts_with("G"))
        .select_only()
        .columns([member::Column::Id, member::Column::StudentNo])
        .into_tuple()
        .all(&*tx)
        .await?;
    by_no.sort_by(|a, b| a.1.cmp(&b.1));
    let ids: Vec<i64> = by_no.into_iter().map(|(id, _)| id).collect();
    anyhow::ensure!(ids.len() == GRADUATES, "毕业生插入数量不符");
    let mut transfers = Vec::new();
    let mut dests = Vec::new();
    let mut exceptions = Vec::new();
    for (id, (branch, fate)) in ids.iter().zip(&plans) {
        let (target, status) = match fate {
            0..=39 => (company_branch.id.0, "completed"),
            40..=49 => (company_branch.id.0, "pending"),
            50..=59 => (floating.id.0, "completed"),
            _ => (0, ""),
        };
        if target != 0 {
            transfers.push(transfer::ActiveModel {
                member_id: Set(*id),
                active_member_id: Set((status == "pending").then_some(*id)),
                kind: Set("internal".into()),
                status: Set(status.into()),
                initiator: Set("source".into()),
                initiator_name: Set("基准".into()),
                source_org_id: Set(*branch),
                target_org_id: Set(Some(target)),
                assigned_branch_id: Set((status == "completed").then_some(target)),
                reason: Set("graduation".into()),
                archives_checked: Set(status == "completed"),
                created_at: Set(now),
                decided_at: Set((status == "completed").then_some(now)),
                ..Default::default()
            });
        }
        let dest = match id % 20 {
            0..=9 => Some("employed"),
            10..=12 => Some("further_study"),
            13 => Some("abroad"),
            14 => Some("preparing_job"),
            _ => None,
        };
        if let Some(d) = dest {
            dests.push(destination::ActiveModel {
                member_id: Set(*id),
                destination: Set(d.into()),
                note: Set(None),
                updated_by: Set(1),
                updated_at: Set(now),
            });
        }
        if id % 33 == 0 {
            exceptions.push(graduation_exception::ActiveModel {
                member_id: Set(*id),
                kind: Set("delayed".into()),
                expected: Set(format!("{}-06", year + 1)),
                reason: Set("基准".into()),
                created_by: Set(1),
                created_at: Set(now),
                ..Default::default()
            });
        }
    }
    for chunk in transfers.chunks(500) {
        transfer::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    for chunk in dests.chunks(500) {
        destination::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    for chunk in exceptions.chunks(500) {
        graduation_exception::Entity::insert_many(chunk.to_vec())
            .exec(&*tx)
            .await?;
    }
    tx.commit().await?;
    Ok((uni.id.0, GRADUATES))
}

/// The use case (`continuity`, as the root admin) against the same per-state counts written by
/// hand as two aggregate queries on the closure table. Returns (project ms, raw ms).
pub(super) async fn continuity(ctx: &Context, uni: i64, year: i32) -> anyhow::Result<(f64, f64)> {
    let actor = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(app)?;
    let query = tuanwu_app::graduation::continuity::ContinuityQuery {
        year: Some(year),
        ..Default::default()
    };
    let view = tuanwu_app::graduation::continuity::continuity(
        ctx,
        &actor,
        tuanwu_domain::OrgId(uni),
        query.clone(),
    )
    .await
    .map_err(app)?;
    let (actor, q) = (&actor, &query);
    let project = median_ms(|| async move {
        tuanwu_app::graduation::continuity::continuity(
            ctx,
            actor,
            tuanwu_domain::OrgId(uni),
            q.clone(),
        )
        .await
        .map_err(app)?;
        Ok(())
    })
    .await?;

    let pg = ctx.db.backend() == Backend::Postgres;
    let schools = "'普通高等院校','高等职业（专科）院校','普通高中','中等职业院校','完全中学','初级中学','小学','九年一贯制学校','十二年一贯制学校'";
    let excluded = "EXISTS (SELECT 1 FROM graduation_exceptions e WHERE e.member_id = m.id AND e.revoked_at IS NULL) \
                    OR d.destination IN ('further_study', 'abroad')";
    let marked = format!(
        "FROM org_closure c JOIN orgs o ON o.id = c.descendant \
         JOIN_HERE WHERE c.ancestor = {uni} AND o.kind = 'branch' AND o.graduation LIKE '{year}-%'"
    );
    let stayers = format!(
        "SELECT CASE WHEN {excluded} THEN 'excluded' WHEN t.id IS NOT NULL THEN 'in_progress' ELSE 'not_started' END AS s, COUNT(*) {}",
        marked.replace(
            "JOIN_HERE",
            "JOIN members m ON m.org_id = o.id AND m.status = 'active' \
             LEFT JOIN destinations d ON d.member_id = m.id \
             LEFT JOIN transfers t ON t.active_member_id = m.id"
        )
    ) + " GROUP BY 1";
    let leavers = format!(
        "SELECT CASE WHEN {excluded} THEN 'excluded' WHEN t.kind = 'internal' AND EXISTS (SELECT 1 FROM org_closure sc \
         JOIN orgs sa ON sa.id = sc.ancestor WHERE sc.descendant = t.assigned_branch_id AND sa.category IN ({schools})) \
         THEN 'kept_at_school' ELSE 'complete' END AS s, COUNT(*) {}",
        marked.replace(
            "JOIN_HERE",
            &format!(
                "JOIN transfers t ON t.source_org_id = o.id AND t.status = 'completed' AND t.decided_at >= {} \
                 JOIN members m ON m.id = t.member_id LEFT JOIN destinations d ON d.member_id = m.id",
                if pg { "$1" } else { "?" }
            )
        )
    ) + " GROUP BY 1";
    let start = time::Date::from_calendar_date(year, time::Month::January, 1)?
        .with_time(time::Time::MIDNIGHT)
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0)?)
        .to_offset(time::UtcOffset::UTC);
    let c = ctx.db.conn();
    let (stayers, leavers) = (stayers.as_str(), leavers.as_str());
    let counts = std::sync::Mutex::new(std::collections::BTreeMap::<String, i64>::new());
    let counts_ref = &counts;
    let raw = median_ms(|| async move {
        let mut got = std::collections::BTreeMap::new();
        macro_rules! run {
            ($pool:expr) => {{
                for r in sqlx::query_as::<_, (String, i64)>(stayers)
                    .fetch_all($pool)
                    .await?
                {
                    *got.entry(r.0).or_insert(0) += r.1;
                }
                for r in sqlx::query_as::<_, (String, i64)>(leavers)
                    .bind(start)
                    .fetch_all($pool)
                    .await?
                {
                    *got.entry(r.0).or_insert(0) += r.1;
                }
            }};
        }
        match ctx.db.backend() {
            Backend::Postgres => run!(c.get_postgres_connection_pool()),
            Backend::Sqlite => run!(c.get_sqlite_connection_pool()),
        }
        *counts_ref.lock().unwrap_or_else(|e| e.into_inner()) = got;
        Ok(())
    })
    .await?;
    let counts = counts.into_inner().unwrap_or_else(|e| e.into_inner());
    let get = |k: &str| counts.get(k).copied().unwrap_or(0) as u64;
    let v = &view.counts;
    anyhow::ensure!(
        (
            v.not_started,
            v.in_progress,
            v.complete,
            v.kept_at_school,
            v.excluded
        ) == (
            get("not_started"),
            get("in_progress"),
            get("complete"),
            get("kept_at_school"),
            get("excluded")
        ),
        "学社衔接：用例与手写SQL的计数不一致：{:?} / {counts:?}",
        view.counts
    );
    Ok((project, raw))
}
