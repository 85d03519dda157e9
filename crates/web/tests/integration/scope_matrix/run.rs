//! Runs one case: sends the prepared request as the actor, judges the answer, and for a denied
//! write checks that nothing changed (the audit log's length and the probed resources).

use reqwest::Method;
use serde_json::Value;

use crate::harness::{is_chinese, Resp};

use super::world::World;
use super::{Expect, Shape, Spec, Who};

pub enum Body {
    None,
    Json(Value),
    /// A hand-built multipart upload: content type and bytes.
    Raw(String, Vec<u8>),
}

/// One request for one actor, with what to look at around it.
pub struct Prepared {
    pub method: Method,
    pub path: String,
    pub body: Body,
    /// Lists: the allowed answer contains it, a denied one must not.
    pub marker: Option<String>,
    /// Read by root before and after a denied write; they must answer the same.
    pub probes: Vec<String>,
    /// Statuses besides 2xx that count as allowed, each for a business reason said where set.
    pub also_ok: &'static [u16],
}

impl Prepared {
    pub fn new(method: Method, path: impl Into<String>) -> Prepared {
        Prepared {
            method,
            path: path.into(),
            body: Body::None,
            marker: None,
            probes: Vec::new(),
            also_ok: &[],
        }
    }
    pub fn get(path: impl Into<String>) -> Prepared {
        Prepared::new(Method::GET, path)
    }
    pub fn post(path: impl Into<String>, body: Value) -> Prepared {
        Prepared::new(Method::POST, path).json(body)
    }
    pub fn post_empty(path: impl Into<String>) -> Prepared {
        Prepared::new(Method::POST, path)
    }
    pub fn patch(path: impl Into<String>, body: Value) -> Prepared {
        Prepared::new(Method::PATCH, path).json(body)
    }
    pub fn put(path: impl Into<String>, body: Value) -> Prepared {
        Prepared::new(Method::PUT, path).json(body)
    }
    pub fn delete(path: impl Into<String>) -> Prepared {
        Prepared::new(Method::DELETE, path)
    }
    pub fn json(mut self, body: Value) -> Prepared {
        self.body = Body::Json(body);
        self
    }
    pub fn raw(mut self, content_type: String, bytes: Vec<u8>) -> Prepared {
        self.body = Body::Raw(content_type, bytes);
        self
    }
    pub fn marker(mut self, marker: impl Into<String>) -> Prepared {
        self.marker = Some(marker.into());
        self
    }
    pub fn probe(mut self, path: impl Into<String>) -> Prepared {
        self.probes.push(path.into());
        self
    }
    pub fn also_ok(mut self, statuses: &'static [u16]) -> Prepared {
        self.also_ok = statuses;
        self
    }
}

#[derive(Default)]
pub struct Report {
    pub cases: usize,
    pub leaks: Vec<String>,
    pub over_denials: Vec<String>,
    pub other: Vec<String>,
}

impl Report {
    /// Prints the tally and fails on any finding.
    pub fn finish(&self, area: &str) {
        eprintln!(
            "scope matrix [{area}]: {} cases, {} leaks, {} over-denials, {} other failures",
            self.cases,
            self.leaks.len(),
            self.over_denials.len(),
            self.other.len()
        );
        let all: Vec<String> = self
            .leaks
            .iter()
            .map(|f| format!("LEAK {f}"))
            .chain(self.over_denials.iter().map(|f| format!("OVER-DENIAL {f}")))
            .chain(self.other.iter().map(|f| format!("OTHER {f}")))
            .collect();
        for f in &all {
            eprintln!("  {f}");
        }
        assert!(
            all.is_empty(),
            "[{area}] {} failures:\n{}",
            all.len(),
            all.join("\n")
        );
    }
}

async fn send(w: &World<'_>, token: &str, p: &Prepared) -> Resp {
    match &p.body {
        Body::None => {
            w.server
                .api(token)
                .send(p.method.clone(), &p.path, None)
                .await
        }
        Body::Json(v) => {
            w.server
                .api(token)
                .send(p.method.clone(), &p.path, Some(v))
                .await
        }
        Body::Raw(ct, bytes) => {
            assert_eq!(p.method, Method::POST, "raw bodies are uploads");
            w.server
                .post_raw(&p.path, Some(token), ct, bytes.clone())
                .await
        }
    }
}

/// The audit log's length and the probes' answers, as root sees them.
async fn snapshot(w: &World<'_>, p: &Prepared) -> Vec<String> {
    let log = w.root_get("/api/v1/audit?per_page=1").await;
    let mut out = vec![format!("audit total {}", log["total"])];
    for path in &p.probes {
        let r = w.server.api(w.root()).get(path).await;
        out.push(format!("{path} -> {} {}", r.status, r.text));
    }
    out
}

/// A batch answer in which nothing was done and something failed (counts or item lists).
fn batch_all_failed(body: &Value) -> bool {
    let size = |k: &str| match &body[k] {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::Array(items) => items.len() as i64,
        _ => 0,
    };
    let done: i64 = ["decided", "marked", "started"]
        .iter()
        .map(|k| size(k))
        .sum();
    let failed: i64 = ["failed", "skipped"].iter().map(|k| size(k)).sum();
    done == 0 && failed > 0
}

fn standard_denial(r: &Resp) -> bool {
    (r.status == 403 || r.status == 404) && !r.code().is_empty() && is_chinese(r.message())
}

pub async fn case(w: &World<'_>, spec: &Spec, who: Who, p: Prepared, report: &mut Report) {
    report.cases += 1;
    let expect = spec.expect(who);
    let token = w.token(spec.level, spec.need, who).to_string();
    let write = p.method != Method::GET;
    let before = if write && expect != Expect::Allowed {
        Some(snapshot(w, &p).await)
    } else {
        None
    };
    let r = send(w, &token, &p).await;
    let label = format!("{} as {who:?} ({} {})", spec.op, p.method, p.path);
    let marked = p.marker.as_deref().is_some_and(|m| r.text.contains(m));
    match expect {
        Expect::Allowed => {
            let ok = (200..300).contains(&r.status) || p.also_ok.contains(&r.status);
            if [401, 403, 404].contains(&r.status) {
                report
                    .over_denials
                    .push(format!("{label}: expected allowed, got {r:?}"));
            } else if !ok {
                report
                    .other
                    .push(format!("{label}: expected allowed, got {r:?}"));
            } else if spec.shape == Shape::Batch && batch_all_failed(&r.body) {
                report
                    .over_denials
                    .push(format!("{label}: allowed but no item was done: {r:?}"));
            } else if p.marker.is_some() && !marked && r.status < 300 {
                report.over_denials.push(format!(
                    "{label}: allowed but the answer lacks {:?}: {r:?}",
                    p.marker
                ));
            }
        }
        Expect::Denied | Expect::Forbidden => {
            let denied = standard_denial(&r)
                || (spec.shape == Shape::List && r.status == 200 && !marked && p.marker.is_some())
                || (spec.shape == Shape::RowsRefused
                    && r.status == 200
                    && r.body["added"] == 0
                    && r.body["total_rows"].as_i64().is_some_and(|n| n > 0)
                    && r.body["error_rows"] == r.body["total_rows"])
                || (spec.shape == Shape::Batch && r.status == 200 && batch_all_failed(&r.body));
            // A batch refuses per item: each item must then say `forbidden`.
            let right_status = expect != Expect::Forbidden
                || r.status == 403
                || (spec.shape == Shape::Batch
                    && r.status == 200
                    && r.body["items"].as_array().is_some_and(|items| {
                        items.iter().all(|i| i["error"]["code"] == "forbidden")
                    }));
            if !denied {
                report
                    .leaks
                    .push(format!("{label}: expected {expect:?}, got {r:?}"));
            } else if !right_status {
                report
                    .other
                    .push(format!("{label}: expected exactly 403, got {r:?}"));
            }
        }
    }
    if let Some(before) = before {
        let after = snapshot(w, &p).await;
        if before != after {
            let changed = format!("a denied write changed something: {before:?} -> {after:?}");
            // One finding per case: a wrong answer that also changed things is one leak.
            match report.leaks.last_mut() {
                Some(last) if last.starts_with(&label) => {
                    last.push_str("; ");
                    last.push_str(&changed);
                }
                _ => report.leaks.push(format!("{label}: {changed}")),
            }
        }
    }
}

pub async fn no_setup(_: &World<'_>) {}

/// A test function running one table: one server, one world, every spec × every actor.
macro_rules! matrix_test {
    ($name:ident, $area:literal, $specs:expr, $build:path) => {
        matrix_test!(
            $name,
            $area,
            $specs,
            $build,
            crate::scope_matrix::run::no_setup
        );
    };
    ($name:ident, $area:literal, $specs:expr, $build:path, $setup:path) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let server = crate::harness::TestServer::start().await;
            let w = crate::scope_matrix::world::World::build(&server).await;
            $setup(&w).await;
            let started = std::time::Instant::now();
            let mut report = crate::scope_matrix::run::Report::default();
            for spec in $specs {
                for who in crate::scope_matrix::ACTORS {
                    let p = $build(&w, spec.op, who).await;
                    crate::scope_matrix::run::case(&w, spec, who, p, &mut report).await;
                }
            }
            eprintln!("scope matrix [{}]: ran in {:?}", $area, started.elapsed());
            report.finish($area);
        }
    };
}
