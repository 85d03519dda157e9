//! `tuanwu backup` taken while a `tuanwu serve` keeps writing, and `tuanwu restore` into a fresh
//! data directory (and, with TUANWU_TEST_DATABASE_URL, a fresh PostgreSQL database): every write
//! acknowledged before the backup started is in the restored system, which serves and logs in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sqlx::Connection as _;
use time::macros::date;
use tuanwu_domain::ResidentId;

const BIN: &str = env!("CARGO_BIN_EXE_tuanwu");
const ROOT_PASSWORD: &str = "Root-Backup-Pass1";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// A data directory and the database URL that goes with it.
struct Place {
    data_dir: PathBuf,
    db: String,
}

fn fresh_dir(tag: &str) -> PathBuf {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let dir = std::env::temp_dir().join(format!(
        "tuanwu-backup-{}-{tag}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn fresh_place(tag: &str) -> Place {
    let data_dir = fresh_dir(tag);
    let db = match std::env::var("TUANWU_TEST_DATABASE_URL") {
        Ok(base) => {
            let name = format!(
                "tuanwu_t_backup_{}_{}",
                std::process::id(),
                tag.replace('-', "_")
            );
            let mut c = sqlx::PgConnection::connect(&base).await.expect("postgres");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut c)
                .await
                .expect("drop");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .await
                .expect("create");
            let (server, _) = base.rsplit_once('/').expect("a database in the URL");
            format!("{server}/{name}")
        }
        Err(_) => format!("sqlite://{}?mode=rwc", data_dir.join("tuanwu.db").display()),
    };
    Place { data_dir, db }
}

fn tuanwu(place: &Place, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--data-dir")
        .arg(&place.data_dir)
        .arg("--db")
        .arg(&place.db)
        .current_dir(&place.data_dir)
        .env_remove("TUANWU_ENCRYPTION_KEY")
        .env_remove("TUANWU_DATABASE_URL")
        .env_remove("TUANWU_DATA_DIR")
        .env("TUANWU_ROOT_PASSWORD", ROOT_PASSWORD)
        .env("RUST_LOG", "warn");
    cmd
}

async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("tuanwu runs"))
        .await
        .expect("join")
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

struct Server {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(place: &Place) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = tuanwu(place, &["serve", "--listen", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tuanwu serve starts");
    let server = Server {
        child,
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
    };
    for _ in 0..600 {
        if let Ok(r) = server
            .http
            .get(format!("{}/healthz", server.base))
            .send()
            .await
        {
            if r.status().is_success() {
                return server;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("tuanwu serve did not start on {addr}");
}

impl Server {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn login(&self) -> String {
        let resp = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"login": "root", "password": ROOT_PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status().as_u16(), 200, "root logs in");
        let body: Value = resp.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    async fn org(
        &self,
        token: &str,
        parent: i64,
        name: &str,
        kind: &str,
        category: &str,
        extra: Value,
    ) -> i64 {
        let mut body =
            json!({"parent_id": parent, "name": name, "kind": kind, "category": category});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let (status, org) = self
            .call(reqwest::Method::POST, "/api/v1/orgs", token, Some(body))
            .await;
        assert_eq!(status, 201, "org {name}: {org}");
        org["id"].as_i64().expect("org id")
    }
}

fn member_body(seq: u16, branch: i64) -> (Value, String) {
    let birth = date!(2005 - 01 - 01) + time::Duration::days(i64::from(seq % 300));
    let rid = ResidentId::compose(120101, birth, seq % 1000)
        .as_str()
        .to_string();
    let body = json!({
        "branch_id": branch,
        "name": format!("备份{}", ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"][usize::from(seq % 10)]),
        "resident_id": rid,
        "ethnicity": "汉族",
        "joined_on": "2020-05",
        "development_no": format!("1201{:08}", u32::from(seq) * 11 + 10_000_000),
        "political_status": "league_member",
        "student_no": format!("2023{:06}", u32::from(seq) * 7 + 13),
        "phone": format!("1391{:07}", u32::from(seq) * 37 + 1_000_000),
    });
    (body, rid)
}

/// (member id, resident ID) of each member whose creation was answered 201.
type Acked = Arc<Mutex<Vec<(i64, String)>>>;

async fn upload(server: &Server, token: &str) -> i64 {
    let boundary = "----tuanwu-backup-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"入团志愿书.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(PDF);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let resp = server
        .http
        .post(format!("{}/api/v1/files", server.base))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status().as_u16(), 201, "upload");
    let v: Value = resp.json().await.expect("json");
    v["id"].as_i64().expect("file id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_writes_run_restores_every_acknowledged_write() {
    let live = fresh_place("live").await;
    let server = serve(&live).await;
    let root = server.login().await;
    let (_, me) = server
        .call(reqwest::Method::GET, "/api/v1/me", &root, None)
        .await;
    let top = me["org_id"].as_i64().expect("org_id");
    let province = server
        .org(&root, top, "天津团市委", "committee", "党政机关", json!({}))
        .await;
    let school = server
        .org(
            &root,
            province,
            "某大学团委",
            "committee",
            "普通高等院校",
            json!({}),
        )
        .await;
    let college = server
        .org(
            &root,
            school,
            "计算机学院团总支",
            "general_branch",
            "普通高等院校",
            json!({"is_college": true}),
        )
        .await;
    let branch = server
        .org(
            &root,
            college,
            "计算机一班团支部",
            "branch",
            "普通高等院校",
            json!({"branch_type": "regular"}),
        )
        .await;
    let file_id = upload(&server, &root).await;

    // The writer: members created one after another until told to stop.
    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let server = Arc::new(server);
    let writer = {
        let (acked, stop, server, root) =
            (acked.clone(), stop.clone(), server.clone(), root.clone());
        tokio::spawn(async move {
            let mut seq = 1u16;
            while !stop.load(Ordering::SeqCst) && seq < 900 {
                let (body, rid) = member_body(seq, branch);
                let (status, m) = server
                    .call(reqwest::Method::POST, "/api/v1/members", &root, Some(body))
                    .await;
                assert_eq!(status, 201, "member {seq}: {m}");
                acked
                    .lock()
                    .expect("lock")
                    .push((m["id"].as_i64().expect("id"), rid));
                seq += 1;
            }
        })
    };
    while acked.lock().expect("lock").len() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let before: Vec<(i64, String)> = acked.lock().expect("lock").clone();
    let backup_dir = fresh_dir("backup").join("backup");
    let out = run({
        let mut c = tuanwu(&live, &["backup"]);
        c.arg(&backup_dir);
        c
    })
    .await;
    assert!(out.status.success(), "backup: {}", said(&out));
    let during = acked.lock().expect("lock").len() - before.len();
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("writer");
    println!(
        "{} writes acknowledged before the backup, {during} while it ran",
        before.len()
    );
    drop(server);

    // The key is kept apart, as README.txt in the backup says.
    let readme = std::fs::read_to_string(backup_dir.join("README.txt")).expect("README.txt");
    assert!(
        readme.contains("KEY-keep-apart.key") && readme.contains("单独保管"),
        "{readme}"
    );
    let vault = fresh_dir("vault").join("KEY-keep-apart.key");
    std::fs::rename(backup_dir.join("KEY-keep-apart.key"), &vault).expect("move the key");

    let fresh = fresh_place("restored").await;
    let restore = |place: &Place, force: bool| {
        let mut c = tuanwu(place, &["restore"]);
        c.arg(&backup_dir).arg("--key").arg(&vault);
        if force {
            c.arg("--force");
        }
        c
    };
    let out = run(restore(&fresh, false)).await;
    assert!(out.status.success(), "restore: {}", said(&out));

    // A second restore into the now non-empty place is refused unless forced.
    let out = run(restore(&fresh, false)).await;
    assert!(!out.status.success());
    assert!(
        said(&out).contains("目标不是空的") && said(&out).contains("--force"),
        "{}",
        said(&out)
    );

    let server = serve(&fresh).await;
    let root = server.login().await;
    for (id, rid) in &before {
        let (status, m) = server
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/members/{id}"),
                &root,
                None,
            )
            .await;
        assert_eq!(
            status, 200,
            "member {id} acknowledged before the backup is restored: {m}"
        );
        let shown = m["resident_id"].as_str().unwrap_or_default();
        assert_eq!(
            shown.get(14..),
            rid.get(14..),
            "member {id}'s resident ID reads with the restored key: {m}"
        );
    }
    let resp = server
        .http
        .get(format!("{}/api/v1/files/{file_id}", server.base))
        .bearer_auth(&root)
        .send()
        .await
        .expect("file");
    assert_eq!(resp.status().as_u16(), 200, "the uploaded file is restored");
    assert_eq!(resp.bytes().await.expect("bytes").as_ref(), PDF);
    drop(server);
    forget(&[live, fresh]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_backup_or_one_from_a_newer_version_is_refused() {
    let live = fresh_place("refusals").await;
    let out = run(tuanwu(&live, &["migrate"])).await;
    assert!(out.status.success(), "migrate: {}", said(&out));
    let backup_dir = fresh_dir("refusals-backup").join("b");
    let out = run({
        let mut c = tuanwu(&live, &["backup"]);
        c.arg(&backup_dir);
        c
    })
    .await;
    assert!(out.status.success(), "backup: {}", said(&out));
    let restore = |place: &Place| {
        let mut c = tuanwu(place, &["restore"]);
        c.arg(&backup_dir);
        c
    };

    // A backup directory that is not empty is never overwritten.
    let out = run({
        let mut c = tuanwu(&live, &["backup"]);
        c.arg(&backup_dir);
        c
    })
    .await;
    assert!(
        !out.status.success() && said(&out).contains("不是空的"),
        "{}",
        said(&out)
    );

    // Newer schema.
    let manifest_path = backup_dir.join("manifest.json");
    let original = std::fs::read_to_string(&manifest_path).expect("manifest");
    let m: Value = serde_json::from_str(&original).expect("json");
    let schema = m["schema"].as_str().expect("schema");
    std::fs::write(
        &manifest_path,
        original.replace(schema, "m29991231_000001_future"),
    )
    .expect("write");
    let target = fresh_place("refusals-target").await;
    let out = run(restore(&target)).await;
    assert!(
        !out.status.success() && said(&out).contains("更新的 tuanwu"),
        "{}",
        said(&out)
    );
    std::fs::write(&manifest_path, &original).expect("write");

    // One byte changed in the database copy.
    let db_part = backup_dir.join(m["database"]["path"].as_str().expect("path"));
    let mut bytes = std::fs::read(&db_part).expect("db part");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x5a;
    std::fs::write(&db_part, &bytes).expect("write");
    let out = run(restore(&target)).await;
    assert!(
        !out.status.success() && said(&out).contains("备份已损坏"),
        "{}",
        said(&out)
    );
    assert!(is_empty_target(&target), "nothing was written");
    forget(&[live, target]).await;
}

fn is_empty_target(p: &Place) -> bool {
    !p.data_dir.join("files").exists() && !p.data_dir.join("tuanwu.key").exists()
}

async fn forget(places: &[Place]) {
    for p in places {
        let _ = std::fs::remove_dir_all(&p.data_dir);
        if let (Ok(base), Some((_, name))) = (
            std::env::var("TUANWU_TEST_DATABASE_URL"),
            p.db.rsplit_once('/'),
        ) {
            if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c)
                    .await;
            }
        }
    }
}
