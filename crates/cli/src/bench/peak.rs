//! The peak-season figure of `tuanwu bench`: a university admin reading the member pages of the
//! university's branches in turn while another admin edits a member every 50 ms (graduation
//! season, registration deadlines: writes never stop), against `/healthz` of the same server
//! under the same writer, in the same run.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tuanwu_app::Context;

use super::http::{admin_token, measure, serve};
use super::{app, Args, Tree};

/// As the issue measures it: a university of about 600 branches.
const MAX_BRANCHES: usize = 600;
const WRITE_EVERY: Duration = Duration::from_millis(50);

type Row = (String, String, String, String);

pub(super) async fn peak_season(
    ctx: &Context,
    tree: &Tree,
    args: &Args,
) -> anyhow::Result<Vec<Row>> {
    let operator = tuanwu_app::account::session::operator(ctx)
        .await
        .map_err(app)?;
    for login in ["bench_university", "bench_writer"] {
        tuanwu_app::org::add_admin(
            ctx,
            &operator,
            tuanwu_domain::OrgId(tree.university),
            tuanwu_app::org::AddAdminInput {
                login: Some(login.into()),
                password: Some("Bench-2026x".into()),
                name: Some("压测管理员".into()),
                member_id: None,
            },
        )
        .await
        .map_err(app)?;
    }
    let base = serve(ctx).await?;
    let reader = admin_token(&base, "bench_university", "Bench-2026x").await?;
    let writer = admin_token(&base, "bench_writer", "Bench-2026x").await?;
    let branches: Vec<i64> = tree
        .university_branches
        .iter()
        .copied()
        .take(MAX_BRANCHES)
        .collect();
    let urls: Vec<String> = branches
        .iter()
        .map(|b| format!("{base}/api/v1/orgs/{b}/members?per_page=50"))
        .collect();
    let edited = members_to_edit(&base, &writer, &branches).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let (done, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let edits = tokio::spawn(edit_until(
        base.clone(),
        writer,
        edited,
        stop.clone(),
        done.clone(),
        failed.clone(),
    ));
    let healthz = measure(vec![format!("{base}/healthz")], None, args).await;
    let pages = measure(urls, Some(reader), args).await;
    stop.store(true, Ordering::Release);
    edits.await?;
    let ((h_rps, h_p99), (m_rps, m_p99)) = (healthz?, pages?);
    let (done, failed) = (done.load(Ordering::Acquire), failed.load(Ordering::Acquire));
    anyhow::ensure!(failed == 0, "高峰期压测中有 {failed} 次修改失败");
    Ok(vec![
        (
            format!(
                "高峰期：全校{}个团支部的团员列表轮流读取，同时每50毫秒修改一名团员（请求/秒）",
                branches.len()
            ),
            format!("{m_rps:.0}"),
            format!("{h_rps:.0}（同一服务器的 /healthz，同样有修改在进行）"),
            format!("{:.2}×（目标 ≥ 0.3×）", m_rps / h_rps),
        ),
        (
            "高峰期团员列表 p99（毫秒）".into(),
            format!("{m_p99:.1}"),
            format!("{h_p99:.1}（/healthz）"),
            "目标 < 20".into(),
        ),
        (
            "高峰期间完成的修改（次）".into(),
            format!("{done}"),
            "—".into(),
            "全部成功".into(),
        ),
    ])
}

/// A few members of each of the first branches, read through the API as the writer sees them.
async fn members_to_edit(base: &str, token: &str, branches: &[i64]) -> anyhow::Result<Vec<i64>> {
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for b in branches.iter().take(20) {
        let page: serde_json::Value = http
            .get(format!("{base}/api/v1/orgs/{b}/members?per_page=5"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ids.extend(
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["id"].as_i64()),
        );
    }
    anyhow::ensure!(!ids.is_empty(), "没有可供修改的团员");
    Ok(ids)
}

/// Edits one member's phone every `WRITE_EVERY` until told to stop, through the API as an admin
/// would.
async fn edit_until(
    base: String,
    token: String,
    members: Vec<i64>,
    stop: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
) {
    let http = reqwest::Client::new();
    let mut tick = tokio::time::interval(WRITE_EVERY);
    let mut i = 0usize;
    while !stop.load(Ordering::Acquire) {
        tick.tick().await;
        let id = members[i % members.len()];
        let phone = format!("139{:08}", i % 100_000_000);
        i += 1;
        let ok = http
            .patch(format!("{base}/api/v1/members/{id}"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "phone": phone }))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            done.fetch_add(1, Ordering::AcqRel);
        } else {
            failed.fetch_add(1, Ordering::AcqRel);
        }
    }
}
