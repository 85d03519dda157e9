//! `tuanwu bench --hostile`: the hostile uploads of issue 16, each sent to a fresh `tuanwu serve`
//! child process, whose peak memory (`VmHWM` of /proc/PID/status: the child's own, not this
//! process's) is read after it answered. Target: under 300 MB for every file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tuanwu_sheets::hostile;

const ROOT_PASSWORD: &str = "Bench-hostile-2026";
const BOUNDARY: &str = "----tuanwu-bench-hostile-7f3a";

/// The files: name and how to write it.
fn files(dir: &Path) -> anyhow::Result<Vec<(&'static str, PathBuf)>> {
    let mut out = Vec::new();
    let mut make =
        |name: &'static str,
         write: &dyn Fn(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>|
         -> anyhow::Result<()> {
            let path = dir.join(name);
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
            write(&mut f)?;
            f.flush()?;
            out.push((name, path));
            Ok(())
        };
    // 60 MB each, as in the issue (the upload limit is 64 MB).
    make("未闭合引号-60MB.csv", &|f| {
        Ok(hostile::unterminated_quote_csv(f, 30_000_000)?)
    })?;
    make("单个单元格-60MB.csv", &|f| {
        Ok(hostile::one_cell_csv(f, 60_000_000)?)
    })?;
    make("内联字符串-512MiB.xlsx", &|f| {
        hostile::inline_string_xlsx(f, 512 << 20).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    })?;
    Ok(out)
}

/// A `tuanwu serve` child on a fresh SQLite database in `dir`, listening on `port`.
fn serve(dir: &Path, port: u16) -> anyhow::Result<Child> {
    let exe = std::env::current_exe()?;
    Ok(Command::new(exe)
        .current_dir(dir)
        .args([
            "serve",
            "--data-dir",
            &dir.display().to_string(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("TUANWU_DATABASE_URL")
        .env("TUANWU_ROOT_PASSWORD", ROOT_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

/// The child's peak resident memory in MB.
fn peak_mb(child: &Child) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("VmHWM 不可读")?;
    Ok(kb / 1024.0)
}

fn multipart(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nvalid\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `path` to a fresh server; returns (status, message, seconds, peak MB at idle, peak MB
/// after the upload).
async fn one(dir: &Path, name: &str, path: &Path) -> anyhow::Result<(u16, String, f64, f64, f64)> {
    let data = dir.join(format!("data-{}", name.len()));
    std::fs::create_dir_all(&data)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = serve(&data, port)?;
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(1800))
        .build()?;
    let result = async {
        let mut up = false;
        for _ in 0..600 {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::ensure!(up, "服务没有启动");
        let login: serde_json::Value = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "root", "password": ROOT_PASSWORD}))
            .send()
            .await?
            .json()
            .await?;
        let token = login["token"].as_str().context("登录失败")?.to_string();
        let idle = peak_mb(&child)?;
        let body = multipart(name, &std::fs::read(path)?);
        let started = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/imports"))
            .bearer_auth(token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await?;
        let status = r.status().as_u16();
        let answer: serde_json::Value = r.json().await.unwrap_or_default();
        let secs = started.elapsed().as_secs_f64();
        let message = answer["message"]
            .as_str()
            .or(answer["error"]["message"].as_str())
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        Ok((status, message, secs, idle, peak_mb(&child)?))
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    result
}

pub async fn run() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("tuanwu-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    println!("tuanwu bench --hostile：每个文件上传到一个新的 tuanwu serve 子进程，读它的 VmHWM");
    println!("| 文件 | 大小 | 应答 | 耗时（秒） | 空闲峰值（MB） | 上传后峰值（MB，目标 < 300） |");
    println!("|---|---|---|---|---|---|");
    let result = async {
        for (name, path) in files(&dir)? {
            let size = std::fs::metadata(&path)?.len() as f64 / 1e6;
            let (status, message, secs, idle, peak) = one(&dir, name, &path).await?;
            println!(
                "| {name} | {size:.1} MB | {status} {message} | {secs:.1} | {idle:.0} | {peak:.0} |"
            );
        }
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}
