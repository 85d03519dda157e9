//! The HTTP figures of `tuanwu bench`: requests/s and p99 of one URL under concurrent load.

use std::time::{Duration, Instant};

/// Requests/s and p99 (ms) of GET `url` with `connections` concurrent clients for `secs`.
pub(super) async fn load(
    url: String,
    token: Option<String>,
    connections: usize,
    secs: u64,
) -> anyhow::Result<(f64, f64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut req = client.get(&url);
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
    anyhow::ensure!(!all.is_empty(), "没有成功的请求：{url}");
    all.sort_by(|a, b| a.total_cmp(b));
    let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)];
    Ok((all.len() as f64 / secs as f64, p99))
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

/// Requests/s and p99 (ms) measured by `wrk` (2 threads). Any non-2xx answer fails the run:
/// a figure of refused requests would flatter the server.
pub(super) async fn wrk(
    url: String,
    token: Option<String>,
    connections: usize,
    secs: u64,
) -> anyhow::Result<(f64, f64)> {
    let mut cmd = std::process::Command::new("wrk");
    cmd.args([
        "-t2".to_string(),
        format!("-c{connections}"),
        format!("-d{secs}s"),
        "--latency".to_string(),
    ]);
    if let Some(t) = token {
        cmd.args(["-H".to_string(), format!("Authorization: Bearer {t}")]);
    }
    cmd.arg(&url);
    // The server shares this process's runtime: wait for wrk off its worker threads.
    let out = tokio::task::spawn_blocking(move || cmd.output()).await??;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    anyhow::ensure!(out.status.success(), "wrk 失败：{text}");
    anyhow::ensure!(
        !text.contains("Non-2xx or 3xx responses"),
        "wrk 收到了错误应答（{url}）：{text}"
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
