//! A browser without JavaScript, for the page tests: GET a page, POST its form (or a multipart
//! upload) with the session's CSRF token, follow redirects, and read what the page shows.

use reqwest::Client;

use crate::harness::{new_client, TestServer};

/// What a page answered: status, final path (after redirects) and the HTML.
pub struct Page {
    pub status: u16,
    pub path: String,
    pub html: String,
}

impl Page {
    pub async fn read(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let path = match r.url().query() {
            Some(q) => format!("{}?{q}", r.url().path()),
            None => r.url().path().to_string(),
        };
        Page {
            status,
            path,
            html: r.text().await.expect("page text"),
        }
    }

    #[track_caller]
    pub fn has(&self, text: &str) -> &Self {
        assert!(
            self.html.contains(text),
            "the page {} ({}) should show {text:?}:\n{}",
            self.path,
            self.status,
            visible(&self.html)
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, text: &str) -> &Self {
        assert!(
            !self.html.contains(text),
            "the page {} should not show {text:?}:\n{}",
            self.path,
            visible(&self.html)
        );
        self
    }

    #[track_caller]
    pub fn status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "{}: unexpected status:\n{}",
            self.path,
            visible(&self.html)
        );
        self
    }

    /// The session's CSRF token, as every form of the page carries it.
    pub fn csrf(&self) -> String {
        attr_after(&self.html, "name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF token on {}", self.path))
    }

    /// The value of the `value` attribute of the input named `name`.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let at = self.html.find(&format!("name=\"{name}\""))?;
        let tag_start = self.html[..at].rfind('<')?;
        let tag_end = at + self.html[at..].find('>')?;
        attr_after(&self.html[tag_start..tag_end], "value=\"")
    }

    /// The HTML of the table row with this id attribute.
    pub fn row(&self, id: &str) -> String {
        let start = self
            .html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no row #{id} on {}:\n{}", self.path, visible(&self.html)));
        let tag = self.html[..start].rfind("<tr").expect("row start");
        let end = start + self.html[start..].find("</tr>").expect("row end");
        self.html[tag..end].to_string()
    }
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    html.split(marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

/// The page without tags, for failure messages.
pub fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub async fn get(client: &Client, server: &TestServer, path: &str) -> Page {
    Page::read(client.get(server.url(path)).send().await.expect("GET")).await
}

/// Forms posted before a session exists: they carry the token of the visitor's pre-session.
const PUBLIC_FORMS: [&str; 1] = ["/login"];

/// The pre-session a public form page hands out: its form token and the cookie it belongs to.
pub async fn pre_session(client: &Client, server: &TestServer, path: &str) -> (String, String) {
    let resp = client.get(server.url(path)).send().await.expect("GET");
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tuanwu_pre="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string();
    let page = Page::read(resp).await;
    (page.csrf(), cookie)
}

/// POSTs a form like a browser: a public form gets its pre-session token when the test gave
/// none (the client's cookie store keeps the pre-session cookie, as a browser does).
pub async fn post(client: &Client, server: &TestServer, path: &str, form: &[(&str, &str)]) -> Page {
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    let pre;
    if PUBLIC_FORMS.contains(&path) && !form.iter().any(|(k, _)| *k == "csrf") {
        pre = pre_session(client, server, path).await;
        fields.push(("csrf", pre.0.as_str()));
    }
    Page::read(
        client
            .post(server.url(path))
            .form(&fields)
            .send()
            .await
            .expect("POST"),
    )
    .await
}

/// A browser-like client logged in through the login page.
pub async fn logged_in(server: &TestServer, login: &str, password: &str) -> Client {
    let client = new_client(true);
    let home = post(
        &client,
        server,
        "/login",
        &[("login", login), ("password", password)],
    )
    .await;
    home.status(200).has("工作台");
    client
}

const BOUNDARY: &str = "----tuanwu-page-test-boundary-41c2";

/// A multipart form body: the text `fields`, then one file in the part named `file`.
pub fn upload_form(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> Vec<u8> {
    upload_files(fields, "file", &[(file_name, bytes)])
}

/// A multipart form body: the text `fields` (a name may repeat), then each file in a part
/// named `file_field`.
pub fn upload_files(fields: &[(&str, &str)], file_field: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub async fn post_upload(client: &Client, server: &TestServer, path: &str, body: Vec<u8>) -> Page {
    Page::read(
        client
            .post(server.url(path))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST multipart"),
    )
    .await
}
