//! chromedriver + headless Chromium, and the few page helpers the browser tests share.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const INSTALL: &str =
    "install chromium chromium-driver (Debian/Ubuntu: `apt-get install chromium chromium-driver`)";
/// How long to wait for an element, a page or chromedriver before failing.
const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// Browser tests share the machine with the rest of the suite: one browser at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn find_executable(candidates: &[&str]) -> Option<PathBuf> {
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    for name in candidates {
        let direct = Path::new(name);
        if direct.is_absolute() {
            if direct.is_file() {
                return Some(direct.to_path_buf());
            }
            continue;
        }
        for dir in &path_dirs {
            let full = dir.join(name);
            if full.is_file() {
                return Some(full);
            }
        }
    }
    None
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

/// A chromedriver process in its own process group; dropping it kills the group (chromedriver
/// and any Chromium it started).
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let exe = find_executable(&["/usr/bin/chromedriver", "chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver not found: {INSTALL}"));
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("HTTP client");
        for _attempt in 0..3 {
            let port = free_port();
            let child = Command::new(&exe)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL}", exe.display()));
            let mut driver = ChromeDriver {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let started = Instant::now();
            loop {
                if let Ok(Some(_)) = driver.child.try_wait() {
                    break; // exited (port taken?): try another port
                }
                if let Ok(resp) = http.get(format!("{}/status", driver.url)).send().await {
                    if resp.status().is_success() {
                        return driver;
                    }
                }
                if started.elapsed() > WAIT {
                    panic!("chromedriver did not answer on port {port} within {WAIT:?}");
                }
                tokio::time::sleep(POLL).await;
            }
        }
        panic!("chromedriver exited right after starting three times: {INSTALL}");
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !killed {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One headless Chromium session against one server.
pub struct Browser {
    pub client: Client,
    base: String,
    // Dropped in this order after `client`: the processes, then their profile, then the turn.
    _driver: ChromeDriver,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium whose viewport is `width` × `height`.
    pub async fn open(base: &str, width: u32, height: u32) -> Browser {
        let turn = ONE_AT_A_TIME.lock().await;
        let chromium = find_executable(&[
            "/usr/bin/chromium",
            "chromium",
            "chromium-browser",
            "google-chrome",
        ])
        .unwrap_or_else(|| panic!("Chromium not found: {INSTALL}"));
        let driver = ChromeDriver::start().await;
        let profile = tempfile::tempdir().expect("profile dir");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            "--lang=zh-CN".to_string(),
            "--window-size=1280,900".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": args,
            },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver could not start Chromium ({}): {e}; {INSTALL}",
                    chromium.display()
                )
            });
        let browser = Browser {
            client,
            base: base.to_string(),
            _driver: driver,
            _profile: profile,
            _turn: turn,
        };
        browser.resize_viewport(width, height).await;
        browser
    }

    /// Ends the WebDriver session (Chromium exits); dropping then stops chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Makes the viewport (`innerWidth` × `innerHeight`) exactly `width` × `height`.
    pub async fn resize_viewport(&self, width: u32, height: u32) {
        // Headless Chromium keeps some window decoration height: measure it and add it.
        self.client
            .set_window_size(width, height)
            .await
            .expect("set window size");
        let inner = self
            .js("return [window.innerWidth, window.innerHeight]")
            .await;
        let inner_w = inner[0].as_u64().unwrap_or(0);
        let inner_h = inner[1].as_u64().unwrap_or(0);
        let extra_h = u64::from(height).saturating_sub(inner_h);
        if extra_h > 0 {
            let outer_h = u32::try_from(u64::from(height) + extra_h).expect("height");
            self.client
                .set_window_size(width, outer_h)
                .await
                .expect("set window size");
        }
        assert_eq!(
            inner_w,
            u64::from(width),
            "the viewport should be {width} px wide"
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Runs a script and returns its value (a failed script fails the test).
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Opens `path` on the server and waits until it has loaded.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    }

    /// The current path with its query string.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Where the browser is and what it shows, for failure messages.
    pub async fn where_am_i(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let text: String = self.body_text().await.chars().take(800).collect();
        format!("at {url}, the page says:\n{text}")
    }

    pub async fn body_text(&self) -> String {
        match self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
        {
            Ok(Value::String(s)) => s,
            _ => String::new(),
        }
    }

    /// The HTTP status of the current document.
    pub async fn status(&self) -> u64 {
        let v = self
            .js("const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : null")
            .await;
        v.as_u64()
            .unwrap_or_else(|| panic!("no response status for the current page ({v})"))
    }

    /// Waits (polling, up to 30 s) until `css` matches an element and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                return el;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "no element matches `{css}` after {WAIT:?}; {}",
                    self.where_am_i().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// All elements matching `css` right now.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find_all {css}: {e}"))
    }

    /// The visible text of the first element matching `css` (waits for it).
    pub async fn text(&self, css: &str) -> String {
        let el = self.wait_for(css).await;
        el.text()
            .await
            .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// Waits until the path (with query) satisfies `ok`; returns it.
    pub async fn wait_for_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let path = self.path().await;
            if ok(&path) {
                return path;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "expected to be on {what} after {WAIT:?}; {}",
                    self.where_am_i().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks `el` and waits until a new document has replaced the current one and loaded.
    pub async fn click_and_load(&self, el: &Element) {
        self.js("document.documentElement.setAttribute('data-before-click', '1'); return null")
            .await;
        el.click().await.expect("click");
        let started = Instant::now();
        loop {
            let fresh = self
                .client
                .execute(
                    "return document.readyState === 'complete' \
                     && !document.documentElement.hasAttribute('data-before-click')",
                    vec![],
                )
                .await;
            if let Ok(Value::Bool(true)) = fresh {
                return;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "no new page loaded {WAIT:?} after the click; {}",
                    self.where_am_i().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks the element matching `css` (waits for it) and waits for the next page.
    pub async fn click(&self, css: &str) {
        let el = self.wait_for(css).await;
        self.click_and_load(&el).await;
    }

    /// Types values into the named fields of the form matching `form_css` (replacing what was
    /// there); `<select>`s are set by option value.
    pub async fn fill_form(&self, form_css: &str, fields: &[(&str, &str)]) {
        let form = self.wait_for(form_css).await;
        for (name, value) in fields {
            let el = form
                .find(Locator::Css(&format!("[name=\"{name}\"]")))
                .await
                .unwrap_or_else(|e| panic!("{form_css} has no field named {name}: {e}"));
            let tag = el.tag_name().await.expect("tag name");
            if tag.eq_ignore_ascii_case("select") {
                el.select_by_value(value)
                    .await
                    .unwrap_or_else(|e| panic!("select {name} = {value}: {e}"));
            } else {
                el.clear()
                    .await
                    .unwrap_or_else(|e| panic!("clear {name}: {e}"));
                if !value.is_empty() {
                    el.send_keys(value)
                        .await
                        .unwrap_or_else(|e| panic!("type into {name}: {e}"));
                }
            }
        }
    }

    /// The current value of the named field of the form matching `form_css`.
    pub async fn field_value(&self, form_css: &str, name: &str) -> String {
        let form = self.wait_for(form_css).await;
        let el = form
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("{form_css} has no field named {name}: {e}"));
        el.prop("value")
            .await
            .expect("value property")
            .unwrap_or_default()
    }

    /// Logs in through `/login` and waits for the 工作台.
    pub async fn login(&self, login: &str, password: &str) {
        self.goto("/login").await;
        self.fill_form(
            "form#login-form",
            &[("login", login), ("password", password)],
        )
        .await;
        self.click("form#login-form button[type=submit]").await;
        self.wait_for_path("/ (工作台) after logging in", |p| p == "/")
            .await;
    }

    /// `document.documentElement.scrollWidth` and `window.innerWidth`.
    pub async fn widths(&self) -> (u64, u64) {
        let v = self
            .js("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await;
        (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
    }

    /// Saves a PNG of the whole page (the viewport is stretched to the page's height, then
    /// restored) to `path`, replacing the file atomically.
    pub async fn screenshot_page(&self, path: &Path) -> Vec<u8> {
        let (_, width) = self.widths().await;
        let size = self
            .js("return [window.innerHeight, document.documentElement.scrollHeight]")
            .await;
        let old_h = size[0].as_u64().unwrap_or(900);
        let page_h = size[1].as_u64().unwrap_or(900).clamp(old_h, 6000);
        let width = u32::try_from(width).expect("width");
        self.resize_viewport(width, u32::try_from(page_h).expect("height"))
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        self.resize_viewport(width, u32::try_from(old_h).expect("height"))
            .await;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        }
        let tmp = path.with_extension("png.tmp");
        std::fs::write(&tmp, &png).unwrap_or_else(|e| panic!("write {}: {e}", tmp.display()));
        std::fs::rename(&tmp, path).unwrap_or_else(|e| panic!("rename to {}: {e}", path.display()));
        png
    }
}
