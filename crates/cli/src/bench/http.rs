//! The HTTP figures of `tuanwu bench`: requests/s and p99 of one URL under concurrent load.

use std::path::Path;
use std::time::{Duration, Instant};

use tuanwu_app::{Clock, Config, Context};

use super::{app, import, Args, Tree};

/// Requests/s and p99 (ms) of GETs of `urls` in turn with `connections` concurrent clients for
/// `secs`.
pub(super) async fn load(
    urls: Vec<String>,
    token: Option<String>,
    connections: usize,
    secs: u64,
) -> anyhow::Result<(f64, f64)> {
    anyhow::ensure!(!urls.is_empty(), "没有要压测的地址");
    let urls = std::sync::Arc::new(urls);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for start in 0..connections {
        let (client, urls, token) = (client.clone(), urls.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = start;
            while Instant::now() < deadline {
                let t = Instant::now();
                i = (i + 1) % urls.len();
                let mut req = client.get(&urls[i]);
                if let Some(tok) = &token {
                    req = req.bearer_auth(tok);
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => {}
                }
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?);
    }
    anyhow::ensure!(!all.is_empty(), "没有成功的请求：{}", urls[0]);
    all.sort_by(|a, b| a.total_cmp(b));
    let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)];
    Ok((all.len() as f64 / secs as f64, p99))
}

/// The member-list figures: a scoped college admin reading one branch page of 50 rows, against
/// `/healthz` on the same server, then the same page from a server that keeps no pages.
pub(super) async fn member_list(
    ctx: &Context,
    url: &str,
    dir: &Path,
    tree: &Tree,
    n: usize,
    args: &Args,
) -> anyhow::Result<Vec<(String, String, String, String)>> {
    let mut rows = Vec::new();
    // HTTP: a scoped college admin reading one branch page of 50 rows, against /healthz.
    let college = tuanwu_app::org::add_admin(
        ctx,
        &tuanwu_app::account::session::operator(ctx)
            .await
            .map_err(app)?,
        tuanwu_domain::OrgId(tree.college),
        tuanwu_app::org::AddAdminInput {
            login: Some("bench_college".into()),
            password: Some("Bench-2026x".into()),
            name: Some("压测管理员".into()),
            member_id: None,
        },
    )
    .await
    .map_err(app)?;
    let _ = college;
    let base = serve(ctx).await?;
    let http = reqwest::Client::new();
    let token = Some(admin_token(&base, "bench_college", "Bench-2026x").await?);
    let branch = tree
        .branches
        .iter()
        .find(|(_, p)| p.contains("第1学院第1团支部"))
        .map(|(id, _)| *id)
        .unwrap_or(tree.branches[0].0);
    // "one branch page, 50 rows": the branch gets members beyond the generated ~33.
    let branch_path = tree
        .branches
        .iter()
        .find(|(id, _)| *id == branch)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    import::fill_branch(ctx, dir, &branch_path, n, 50).await?;
    let list_url = format!("{base}/api/v1/orgs/{branch}/members?per_page=50");
    let page: serde_json::Value = http
        .get(&list_url)
        .bearer_auth(token.clone().unwrap_or_default())
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let listed = page["items"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(listed == 50, "压测的团支部页应有50行，实际{listed}行");
    let with_wrk = use_wrk();
    let measure = |url: String, token: Option<String>| measure(vec![url], token, args);
    println!(
        "  压测工具：{}，{} 个连接，每项 {} 秒",
        if with_wrk {
            "wrk（独立进程）"
        } else {
            "进程内 Rust 客户端"
        },
        args.connections,
        args.http_secs
    );
    let (h_rps, h_p99) = measure(format!("{base}/healthz"), None).await?;
    let (m_rps, m_p99) = measure(list_url.clone(), token.clone()).await?;
    // The same page from a second server on the same database that keeps no pages: what every
    // request costs when the data changed since the page was last read.
    let uncached = Context::open(Config {
        database_url: url.to_string(),
        data_dir: dir.to_path_buf(),
        encryption_key: None,
        root_password: None,
        clock: Clock::system(),
        policy: tuanwu_app::Policy {
            member_page_cache: 0,
            ..Default::default()
        },
    })
    .await
    .map_err(app)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let cold_url = list_url.replace(&base, &format!("http://{}", listener.local_addr()?));
    tokio::spawn(
        async move { tuanwu_web::serve(listener, uncached, std::future::pending()).await },
    );
    let (c_rps, c_p99) = measure(cold_url, token).await?;
    rows.push((
        "团员列表接口（请求/秒）".into(),
        format!("{m_rps:.0}"),
        format!("{h_rps:.0}（/healthz）"),
        format!("{:.2}×", m_rps / h_rps),
    ));
    rows.push((
        "团员列表接口 p99（毫秒）".into(),
        format!("{m_p99:.1}"),
        format!("{h_p99:.1}（/healthz）"),
        "目标 < 25".into(),
    ));
    rows.push((
        "团员列表接口，不保留页面（请求/秒，p99 毫秒）".into(),
        format!("{c_rps:.0}，{c_p99:.1}"),
        format!("{h_rps:.0}，{h_p99:.1}（/healthz）"),
        format!("{:.2}×", c_rps / h_rps),
    ));

    Ok(rows)
}

/// Which load generator measures: `wrk` (a separate process, as the issue asks) when it is
/// installed, else the one above, in this process. `TUANWU_BENCH_LOADGEN=rust` forces the latter.
pub(super) fn use_wrk() -> bool {
    std::env::var("TUANWU_BENCH_LOADGEN").as_deref() != Ok("rust")
        && std::process::Command::new("wrk")
            .arg("--version")
            .output()
            .is_ok()
}

/// Serves `ctx` on a loopback port of its own; returns the base URL.
pub(super) async fn serve(ctx: &Context) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server_ctx = ctx.clone();
    tokio::spawn(
        async move { tuanwu_web::serve(listener, server_ctx, std::future::pending()).await },
    );
    Ok(format!("http://{addr}"))
}

/// Logs a new admin in and replaces the initial password (a new admin must, before anything
/// else); returns the session's bearer token.
pub(super) async fn admin_token(base: &str, login: &str, password: &str) -> anyhow::Result<String> {
    let http = reqwest::Client::new();
    let answer: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"login": login, "password": password}))
        .send()
        .await?
        .json()
        .await?;
    let token = answer["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("{login} 登录失败：{answer}"))?
        .to_string();
    http.post(format!("{base}/api/v1/me/password"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"old_password": password, "new_password": format!("{password}-2")}),
        )
        .send()
        .await?
        .error_for_status()?;
    Ok(token)
}

/// Requests/s and p99 (ms) of GETs of `urls` in turn, by `wrk` when installed (else in
/// process), with the bench's connections and duration.
pub(super) async fn measure(
    urls: Vec<String>,
    token: Option<String>,
    args: &Args,
) -> anyhow::Result<(f64, f64)> {
    if use_wrk() {
        wrk(urls, token, args.connections, args.http_secs).await
    } else {
        load(urls, token, args.connections, args.http_secs).await
    }
}

/// Requests/s and p99 (ms) measured by `wrk` (2 threads), over `urls` in turn (a Lua script
/// when there are several). Any non-2xx answer fails the run: a figure of refused requests
/// would flatter the server.
pub(super) async fn wrk(
    urls: Vec<String>,
    token: Option<String>,
    connections: usize,
    secs: u64,
) -> anyhow::Result<(f64, f64)> {
    let first = urls
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("没有要压测的地址"))?;
    let mut cmd = std::process::Command::new("wrk");
    cmd.args([
        "-t2".to_string(),
        format!("-c{connections}"),
        format!("-d{secs}s"),
        "--latency".to_string(),
    ]);
    if let Some(t) = &token {
        cmd.args(["-H".to_string(), format!("Authorization: Bearer {t}")]);
    }
    let script = if urls.len() > 1 {
        let path = std::env::temp_dir().join(format!("tuanwu-bench-{}.lua", std::process::id()));
        std::fs::write(&path, rotation_script(&urls, token.as_deref()))?;
        cmd.arg("-s").arg(&path);
        Some(path)
    } else {
        None
    };
    cmd.arg(&first);
    // The server shares this process's runtime: wait for wrk off its worker threads.
    let out = tokio::task::spawn_blocking(move || cmd.output()).await??;
    if let Some(path) = script {
        let _ = std::fs::remove_file(path);
    }
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    anyhow::ensure!(out.status.success(), "wrk 失败：{text}");
    anyhow::ensure!(
        !text.contains("Non-2xx or 3xx responses"),
        "wrk 收到了错误应答（{first}）：{text}"
    );
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("读不出 wrk 的 Requests/sec：{text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .and_then(|v| duration_ms(v.trim()))
        .ok_or_else(|| anyhow::anyhow!("读不出 wrk 的 99% 延迟：{text}"))?;
    Ok((rps, p99))
}

/// A wrk script that requests the paths of `urls` in turn (each thread from its own start).
fn rotation_script(urls: &[String], token: Option<&str>) -> String {
    let paths: Vec<String> = urls
        .iter()
        .map(|u| {
            let path = u.splitn(4, '/').nth(3).unwrap_or("");
            format!("\"/{path}\"")
        })
        .collect();
    let header = token
        .map(|t| format!("[\"Authorization\"] = \"Bearer {t}\""))
        .unwrap_or_default();
    format!(
        "local paths = {{{}}}\nlocal i = math.random(#paths)\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i], {{{header}}})\nend\n",
        paths.join(",")
    )
}

/// "635.91us", "2.05ms", "1.10s" → milliseconds.
fn duration_ms(v: &str) -> Option<f64> {
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = v.split_at(split);
    let n: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(n / 1000.0),
        "ms" => Some(n),
        "s" => Some(n * 1000.0),
        "m" => Some(n * 60_000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrk_latencies_read_in_milliseconds() {
        assert_eq!(super::duration_ms("635.00us"), Some(0.635));
        assert_eq!(super::duration_ms("2.05ms"), Some(2.05));
        assert_eq!(super::duration_ms("1.10s"), Some(1100.0));
        assert_eq!(super::duration_ms("abc"), None);
    }
}
