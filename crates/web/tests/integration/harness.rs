//! A fresh server per test: its own database (SQLite in a temp dir, or a fresh PostgreSQL
//! database when `TUANWU_TEST_DATABASE_URL` is set), its own data dir and a manual clock.
//!
//! Migrating and bootstrapping (an argon2 hash for root) once per test cost most of a test's
//! time, so each process does it once into a [`Seed`] and every test starts from a copy: the
//! SQLite file is copied into the test's data dir; on PostgreSQL the test's database is created
//! with `CREATE DATABASE … TEMPLATE`. `Context::open` then finds the schema current and the
//! root account present, exactly as on a restart.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use reqwest::Method;
use serde_json::Value;
use time::OffsetDateTime;

pub const ROOT_PASSWORD: &str = "Root-Passw0rd";
/// "Now" for every test unless it moves the clock.
pub const START: OffsetDateTime = time::macros::datetime!(2026-11-29 10:00 +08:00);

/// The SQLite file's name in the data dir.
const SQLITE_FILE: &str = "tuanwu.db";
/// The encryption key `Context::open` creates in the data dir.
const KEY_FILE: &str = "tuanwu.key";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub ctx: tuanwu_app::Context,
    pub clock: tuanwu_app::Clock,
    /// Deleted when the server is dropped.
    pub data_dir: tempfile::TempDir,
    /// Tests that inspect SQLite files skip those checks on PostgreSQL.
    pub on_postgres: bool,
    /// For tests that write as another process would, past the application.
    pub database_url: String,
}

/// A database and data dir that servers start from, built once per process: nobody writes to
/// it after it is built, and every test gets its own copy.
pub struct Seed {
    /// The data dir's files (path relative to it, bytes), the SQLite database among them.
    files: Vec<(PathBuf, Vec<u8>)>,
    /// PostgreSQL: the database every test's database is created from.
    pg_template: Option<String>,
}

fn postgres_base() -> Option<String> {
    match std::env::var("TUANWU_TEST_DATABASE_URL") {
        Ok(base) if !base.trim().is_empty() => Some(base.trim().to_string()),
        _ => None,
    }
}

/// Migrated, with the top org and root (password [`ROOT_PASSWORD`]): what `Context::open`
/// leaves on an empty database.
pub fn bootstrapped() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    // The key file stays out: nothing in this seed is encrypted, so each test makes its own key
    // as before.
    SEED.get_or_init(|| build_seed(None, false, |server| async { (server, ()) }).0)
}

/// Builds a seed on its own thread and runtime, so that nothing it spawned (the server, the
/// change watcher, the pool) outlives it or ties a test's runtime to another test's.
/// `base`: the seed to start from (none: an empty database). `keep_key`: the seed carries the
/// data dir's encryption key (needed once `prepare` stored encrypted data).
pub fn build_seed<T, F, Fut>(base: Option<&Seed>, keep_key: bool, prepare: F) -> (Seed, T)
where
    T: Send,
    F: FnOnce(TestServer) -> Fut + Send,
    Fut: Future<Output = (TestServer, T)>,
{
    std::thread::scope(|scope| {
        let built = scope.spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("seed runtime");
            runtime.block_on(async move {
                let server = match base {
                    Some(seed) => TestServer::from_seed(seed, Default::default()).await,
                    None => {
                        let data_dir = tempfile::tempdir().expect("temp dir");
                        let url = match postgres_base() {
                            Some(base) => tuanwu_store::testing::fresh_postgres_database(&base)
                                .await
                                .expect("fresh PostgreSQL database"),
                            None => sqlite_url(data_dir.path()),
                        };
                        TestServer::open(url, data_dir, Default::default(), Default::default())
                            .await
                    }
                };
                let (server, value) = prepare(server).await;
                (server.into_seed(keep_key).await, value)
            })
        });
        built
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}/{SQLITE_FILE}?mode=rwc", data_dir.display())
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with_policy(Default::default()).await
    }

    /// A server whose `[policy]` differs from the defaults (e.g. an identity verifier URL).
    pub async fn start_with_policy(policy: tuanwu_app::Policy) -> TestServer {
        TestServer::from_seed(bootstrapped(), policy).await
    }

    /// A server whose `[server]` settings differ from the defaults (trusted proxies, …).
    pub async fn start_with_web(web: tuanwu_web::WebSettings) -> TestServer {
        TestServer::from_seed_with(bootstrapped(), Default::default(), web).await
    }

    /// A server on a copy of `seed`.
    pub async fn from_seed(seed: &Seed, policy: tuanwu_app::Policy) -> TestServer {
        TestServer::from_seed_with(seed, policy, Default::default()).await
    }

    /// A server on a copy of `seed` with `[server]`/`[import]` settings other than the defaults.
    pub async fn from_seed_with(
        seed: &Seed,
        policy: tuanwu_app::Policy,
        web: tuanwu_web::WebSettings,
    ) -> TestServer {
        let data_dir = tempfile::tempdir().expect("temp dir");
        for (path, bytes) in &seed.files {
            let path = data_dir.path().join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("seed dir");
            }
            std::fs::write(&path, bytes).expect("seed file");
        }
        let database_url = match (&seed.pg_template, postgres_base()) {
            (Some(template), Some(base)) => {
                tuanwu_store::testing::postgres_database_from(&base, template)
                    .await
                    .expect("PostgreSQL database from the seed")
            }
            _ => sqlite_url(data_dir.path()),
        };
        TestServer::open(database_url, data_dir, policy, web).await
    }

    async fn open(
        database_url: String,
        data_dir: tempfile::TempDir,
        policy: tuanwu_app::Policy,
        web: tuanwu_web::WebSettings,
    ) -> TestServer {
        let clock = tuanwu_app::Clock::manual(START);
        let config = tuanwu_app::Config {
            database_url: database_url.clone(),
            data_dir: data_dir.path().to_path_buf(),
            encryption_key: None,
            root_password: Some(ROOT_PASSWORD.to_string()),
            clock: clock.clone(),
            policy,
        };
        let ctx = tuanwu_app::Context::open(config)
            .await
            .expect("open the application context");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(tuanwu_web::serve_with(
            listener,
            ctx.clone(),
            web,
            std::future::pending::<()>(),
        ));
        TestServer {
            base: format!("http://{addr}"),
            client: new_client(false),
            on_postgres: !database_url.starts_with("sqlite:"),
            ctx,
            clock,
            data_dir,
            database_url,
        }
    }

    /// Closes the database and keeps what is in it. The clock must not have moved: every test
    /// starts at [`START`].
    async fn into_seed(self, keep_key: bool) -> Seed {
        use sea_orm::ConnectionTrait;
        assert_eq!(self.clock.now(), START, "a seed is built at START");
        let conn = self.ctx.db.conn().clone();
        if !self.on_postgres {
            // Everything into the main file, so that copying it alone copies all the data.
            let row = conn
                .query_one(sea_orm::Statement::from_string(
                    conn.get_database_backend(),
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ))
                .await
                .expect("checkpoint")
                .expect("checkpoint result");
            let busy: i64 = row.try_get_by_index(0).expect("checkpoint busy");
            assert_eq!(busy, 0, "the seed's WAL could not be checkpointed");
        }
        // Also ends the server's and the watcher's use of it (a PostgreSQL template must have
        // no sessions).
        conn.close().await.expect("close the seed's database");
        let mut files = Vec::new();
        for path in self.data_files() {
            let rel = path
                .strip_prefix(self.data_path())
                .expect("under the data dir")
                .to_path_buf();
            let name = rel.to_string_lossy().into_owned();
            if name.ends_with("-shm") || (name == KEY_FILE && !keep_key) {
                continue;
            }
            if name.ends_with("-wal") {
                let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                assert_eq!(len, 0, "the seed's WAL still holds data");
                continue;
            }
            files.push((rel, std::fs::read(&path).expect("read a seed file")));
        }
        let pg_template = self.on_postgres.then(|| {
            let (_, name) = self
                .database_url
                .rsplit_once('/')
                .expect("a database name in the URL");
            name.to_string()
        });
        Seed { files, pg_template }
    }

    pub fn data_path(&self) -> &Path {
        self.data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Requests carrying `Authorization: Bearer <token>`.
    pub fn api<'a>(&'a self, token: &'a str) -> Api<'a> {
        Api {
            server: self,
            client: &self.client,
            token: Some(token),
        }
    }

    /// Requests without any credentials.
    pub fn anon(&self) -> Api<'_> {
        Api {
            server: self,
            client: &self.client,
            token: None,
        }
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, by: time::Duration) {
        self.clock.advance(by);
    }

    pub async fn login_resp(&self, login: &str, password: &str) -> Resp {
        self.anon()
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({"login": login, "password": password}),
            )
            .await
    }

    /// Logs in and returns the session token; panics unless the answer is 200.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let body = self.login_resp(login, password).await.ok(200);
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login {login}: no token in {body}"))
            .to_string()
    }

    pub async fn root_token(&self) -> String {
        self.login("root", ROOT_PASSWORD).await
    }

    /// All files under the data dir (recursively).
    pub fn data_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.data_path(), &mut out);
        out
    }
}

pub fn new_client(cookies: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .cookie_store(cookies)
        .build()
        .expect("HTTP client")
}

pub struct Api<'a> {
    server: &'a TestServer,
    client: &'a reqwest::Client,
    token: Option<&'a str>,
}

impl<'a> Api<'a> {
    /// The same credentials, sent through another client (e.g. one with a cookie store).
    pub fn with_client(self, client: &'a reqwest::Client) -> Api<'a> {
        Api { client, ..self }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let mut req = self.client.request(method.clone(), self.server.url(path));
        if let Some(token) = self.token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let response = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: request failed: {e}"));
        Resp::read(format!("{method} {path}"), response).await
    }

    /// Sends raw bytes as `application/json` (for malformed bodies).
    pub async fn send_raw(&self, method: Method, path: &str, raw: &str) -> Resp {
        let mut req = self
            .client
            .request(method.clone(), self.server.url(path))
            .header("content-type", "application/json")
            .body(raw.to_string());
        if let Some(token) = self.token {
            req = req.bearer_auth(token);
        }
        let response = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: request failed: {e}"));
        Resp::read(format!("{method} {path} (raw)"), response).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }

    /// POST without a body.
    pub async fn post_empty(&self, path: &str) -> Resp {
        self.send(Method::POST, path, None).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn delete_with(&self, path: &str, body: &Value) -> Resp {
        self.send(Method::DELETE, path, Some(body)).await
    }
}

/// An answer: status, raw text and (when it is JSON) the parsed body.
pub struct Resp {
    pub what: String,
    pub status: u16,
    pub text: String,
    pub body: Value,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
}

impl fmt::Debug for Resp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {} {}", self.what, self.status, self.text)
    }
}

impl TestServer {
    /// POST a raw body (a hand-built multipart upload) with an optional bearer token.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let what = format!("POST {path}");
        let response = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        Resp::read(what, response).await
    }
}

impl Resp {
    /// An answer of a request a test built itself.
    pub async fn read_for_test(what: &str, response: reqwest::Response) -> Resp {
        Resp::read(what.to_string(), response).await
    }

    async fn read(what: String, response: reqwest::Response) -> Resp {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            what,
            status,
            text,
            body,
            content_type,
            headers,
        }
    }

    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn ok(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {self:?}");
        self.body
    }

    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }

    pub fn rule(&self) -> &str {
        self.body["error"]["rule"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or("")
    }

    /// Asserts an error answer: status, code and a Chinese message in the standard body.
    #[track_caller]
    pub fn err(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {self:?}");
        assert_eq!(self.code(), code, "unexpected error code: {self:?}");
        assert!(
            is_chinese(self.message()),
            "error message should be Chinese: {self:?}"
        );
        self
    }

    /// Asserts a 4xx answer with the standard error body (any code).
    #[track_caller]
    pub fn client_error(&self) -> &Self {
        assert!(
            (400..500).contains(&self.status),
            "expected a 4xx answer: {self:?}"
        );
        assert!(
            !self.code().is_empty(),
            "error body must be {{\"error\":{{\"code\",\"message\"}}}}: {self:?}"
        );
        assert!(
            is_chinese(self.message()),
            "error message should be Chinese: {self:?}"
        );
        self
    }

    /// Asserts the status and the standard error body (any code).
    #[track_caller]
    pub fn fails(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {self:?}");
        self.client_error()
    }

    #[track_caller]
    pub fn with_rule(&self, rule: &str) -> &Self {
        assert_eq!(self.rule(), rule, "unexpected rule: {self:?}");
        self
    }

    #[track_caller]
    pub fn with_field(&self, field: &str) -> &Self {
        assert_eq!(self.field(), field, "unexpected field: {self:?}");
        self
    }

    /// `items` of a list answer (panics unless 200).
    #[track_caller]
    pub fn items(self) -> Vec<Value> {
        let body = self.ok(200);
        body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items array in {body}"))
            .clone()
    }
}

pub fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The `id` field of a JSON object.
#[track_caller]
pub fn id_of(v: &Value) -> i64 {
    v["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no integer id in {v}"))
}

/// The ids of list items.
pub fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(id_of).collect()
}
