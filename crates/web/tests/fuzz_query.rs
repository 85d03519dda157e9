//! Issue 16, fuzzing: every query struct the API takes (the `IntoParams` structs of
//! `tuanwu_web::api` and the `app` ones the routes read with `ApiQuery`), fed arbitrary query
//! strings through `ApiQuery`, the extractor the routes use. Never a panic; every refusal is a
//! 400 in the API's error format whose message is Chinese (no library English, only the name of
//! the field it is about). `corpus/query.txt` holds nasty inputs replayed on every run (and
//! again under a memory and time limit by `scripts/test`).

use axum::extract::FromRequestParts;
use axum::response::IntoResponse;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use tuanwu_web::extract::ApiQuery;

type Check = fn(&str) -> Result<(), String>;

/// (name, check) for every query struct a route reads.
const TARGETS: &[(&str, Check)] = &[
    (
        "api::grant::ListQuery",
        check::<tuanwu_web::api::grant::ListQuery>,
    ),
    (
        "api::org::SearchQuery",
        check::<tuanwu_web::api::org::SearchQuery>,
    ),
    (
        "api::org::DeleteQuery",
        check::<tuanwu_web::api::org::DeleteQuery>,
    ),
    (
        "api::org::ChildrenQuery",
        check::<tuanwu_web::api::org::ChildrenQuery>,
    ),
    (
        "api::audit::AuditQuery",
        check::<tuanwu_web::api::audit::AuditQuery>,
    ),
    (
        "api::continuity::TrendQuery",
        check::<tuanwu_web::api::continuity::TrendQuery>,
    ),
    (
        "api::request::ReportQuery",
        check::<tuanwu_web::api::request::ReportQuery>,
    ),
    (
        "api::member::SearchQuery",
        check::<tuanwu_web::api::member::SearchQuery>,
    ),
    (
        "api::transfer::LookupQuery",
        check::<tuanwu_web::api::transfer::LookupQuery>,
    ),
    ("member::ListQuery", check::<tuanwu_app::member::ListQuery>),
    (
        "transfer::ListTransfersQuery",
        check::<tuanwu_app::transfer::ListTransfersQuery>,
    ),
    (
        "request::ListRequestsQuery",
        check::<tuanwu_app::request::ListRequestsQuery>,
    ),
    (
        "floating::ListFloatingQuery",
        check::<tuanwu_app::floating::ListFloatingQuery>,
    ),
    (
        "meeting::ListMeetingsQuery",
        check::<tuanwu_app::meeting::ListMeetingsQuery>,
    ),
    (
        "meeting::ComplianceQuery",
        check::<tuanwu_app::meeting::compliance::ComplianceQuery>,
    ),
    (
        "event::EventsQuery",
        check::<tuanwu_app::event::read::EventsQuery>,
    ),
    (
        "graduation::GraduatesQuery",
        check::<tuanwu_app::graduation::GraduatesQuery>,
    ),
    (
        "graduation::BranchesQuery",
        check::<tuanwu_app::graduation::list::BranchesQuery>,
    ),
    (
        "graduation::DelayedListQuery",
        check::<tuanwu_app::graduation::exception::DelayedListQuery>,
    ),
    (
        "graduation::ContinuityQuery",
        check::<tuanwu_app::graduation::continuity::ContinuityQuery>,
    ),
];

/// Every field name of the structs above: the generator uses them as keys most of the time.
const FIELDS: &[&str] = &[
    "org_id",
    "q",
    "province_id",
    "reason",
    "include_deleted",
    "page",
    "per_page",
    "year",
    "subtree",
    "per_branch",
    "full",
    "quarter",
    "name",
    "resident_id",
    "sort",
    "identity",
    "status",
    "direction",
    "initiator",
    "kind",
    "from",
    "to",
    "overdue",
    "role",
    "state",
    "deleted",
    "exception",
    "include_revoked",
    "list",
    "order",
];

/// Runs `ApiQuery::<T>` on `/x?{query}` as a route would; an `Err` says what was wrong.
fn check<T: DeserializeOwned + Send + 'static>(query: &str) -> Result<(), String> {
    let Ok(req) = axum::http::Request::builder()
        .uri(format!("/x?{query}"))
        .body(())
    else {
        // Not a URI hyper would have accepted: never reaches an extractor.
        return Ok(());
    };
    let (mut parts, ()) = req.into_parts();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let refused = match rt.block_on(ApiQuery::<T>::from_request_parts(&mut parts, &())) {
        Ok(_) => return Ok(()),
        Err(e) => e.into_response(),
    };
    if refused.status().as_u16() != 400 {
        return Err(format!("status {} for {query:?}", refused.status()));
    }
    let body = rt
        .block_on(axum::body::to_bytes(refused.into_body(), 1 << 20))
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| format!("not JSON for {query:?}: {}", String::from_utf8_lossy(&body)))?;
    let message = v["error"]["message"].as_str().unwrap_or_default();
    if v["error"]["code"].as_str().is_none_or(str::is_empty) {
        return Err(format!("no error code for {query:?}: {v}"));
    }
    if !message
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        return Err(format!("not Chinese for {query:?}: {message}"));
    }
    // Apart from the field's own name and the literal values `true`/`false` it asks for, no
    // Latin letters: no library text leaks through.
    let mut rest = message.replace("true", "").replace("false", "");
    if let Some(field) = v["error"]["field"].as_str() {
        if !FIELDS.contains(&field) {
            return Err(format!("unknown field {field:?} named for {query:?}: {v}"));
        }
        rest = rest.replace(field, "");
    }
    if rest.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(format!("English in the message for {query:?}: {message}"));
    }
    Ok(())
}

fn check_all(query: &str) -> Result<(), String> {
    for (name, check) in TARGETS {
        check(query).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn percent(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(b) {
                (*b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A value: a plausible one, a number at the edges, or arbitrary bytes percent-encoded.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| format!("{n}{n}")),
        prop::sample::select(vec![
            "true",
            "false",
            "1",
            "0",
            "-1",
            "yes",
            "null",
            "NaN",
            "1e9",
            "0x10",
            "%00",
            "%FF",
            "%E4%B8",
            "2026-13",
            "2026-02-30",
            "+1",
            "99999999999999999999",
            "active",
            "a[]",
        ])
        .prop_map(str::to_string),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| percent(&b)),
        "[ -~]{0,30}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELDS).prop_map(str::to_string),
        1 => "[a-z_\\[\\]%.]{0,12}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec((key(), value()), 0..6).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }),
        "[ -~]{0,80}",
        proptest::collection::vec(any::<u8>(), 0..80).prop_map(|b| percent(&b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn arbitrary_query_strings_are_read_or_refused_in_chinese(q in query()) {
        if let Err(e) = check_all(&q) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn the_corpus_of_nasty_query_strings_is_read_or_refused_in_chinese() {
    let corpus = include_str!("corpus/query.txt");
    let lines: Vec<&str> = corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(lines.len() >= 40, "the corpus is there");
    let failures: Vec<String> = lines.iter().filter_map(|q| check_all(q).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}
