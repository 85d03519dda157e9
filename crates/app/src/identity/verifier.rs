//! ACC-8: the pluggable identity verifier. The built-in one checks the number itself (GB 11643:
//! format, province code, birth date, check digit) and otherwise leaves the record 待核验; an
//! external service configured as `policy.identity_verifier_url` compares name and number.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::Date;
use tuanwu_domain::ResidentId;

use crate::{AppError, Policy};

/// What a verifier says about one name + resident ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Name and number belong together: 已认证.
    Match,
    /// They do not, or the number cannot exist: 未通过, with the reason a user reads.
    Mismatch(String),
    /// The verifier cannot decide (the built-in check, about a number that can exist): stays as
    /// it is. The text is for the log.
    Undecided(String),
    /// The verifier could not be asked (unreachable, timed out, an error answer): stays as it
    /// is, and the next run asks again. The text is for the log.
    Unavailable(String),
}

/// A boxed future, so that `dyn IdentityVerifier` works without an async-trait macro.
pub type VerdictFuture<'a> = Pin<Box<dyn Future<Output = Verdict> + Send + 'a>>;

/// Checks a name against a resident ID. `today` bounds birth dates.
pub trait IdentityVerifier: Send + Sync {
    fn verify<'a>(&'a self, name: &'a str, resident_id: &'a str, today: Date) -> VerdictFuture<'a>;
}

/// The built-in check: refuses numbers that cannot exist, and cannot decide about the rest.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfflineVerifier;

impl OfflineVerifier {
    /// The same answer as `verify`, without a future.
    pub fn check(resident_id: &str, today: Date) -> Verdict {
        match ResidentId::parse(resident_id, today) {
            Ok(_) => Verdict::Undecided("号码本身有效；未配置外部身份核验服务".into()),
            Err(e) => Verdict::Mismatch(e.message),
        }
    }
}

impl IdentityVerifier for OfflineVerifier {
    fn verify<'a>(
        &'a self,
        _name: &'a str,
        resident_id: &'a str,
        today: Date,
    ) -> VerdictFuture<'a> {
        Box::pin(std::future::ready(Self::check(resident_id, today)))
    }
}

/// An external service: `POST {url}` with `{"name", "resident_id"}`, answering
/// `{"match": true|false, "reason": "..."}`. Numbers that cannot exist are refused before asking.
pub struct HttpVerifier {
    pub url: String,
    client: reqwest::Client,
}

/// How long one question to the external service may take.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Serialize)]
struct Question<'a> {
    name: &'a str,
    resident_id: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "match")]
    matches: bool,
    #[serde(default)]
    reason: Option<String>,
}

impl HttpVerifier {
    pub fn new(url: &str) -> Result<Self, AppError> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(AppError::Internal(format!(
                "身份核验服务地址“{url}”无效：应以 http:// 或 https:// 开头，请修改配置 policy.identity_verifier_url"
            )));
        }
        let client = reqwest::Client::builder()
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| AppError::Internal(format!("无法创建身份核验服务的客户端：{e}")))?;
        Ok(Self {
            url: url.to_string(),
            client,
        })
    }

    async fn ask(&self, name: &str, resident_id: &str) -> Verdict {
        // The log says which service failed, not whose number was asked: not even a masked ID
        // goes into a file (issue 16 item 10).
        let sent = self
            .client
            .post(&self.url)
            .json(&Question { name, resident_id })
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let what = if e.is_timeout() {
                    "超时"
                } else {
                    "无法连接"
                };
                tracing::warn!(url = %self.url, error = %e, "identity verifier {what}");
                return Verdict::Unavailable(format!("身份核验服务{what}"));
            }
        };
        let status = response.status();
        if !status.is_success() {
            tracing::warn!(url = %self.url, %status, "identity verifier answered an error");
            return Verdict::Unavailable(format!("身份核验服务返回错误 {status}"));
        }
        match response.json::<Answer>().await {
            Ok(Answer { matches: true, .. }) => Verdict::Match,
            Ok(Answer {
                matches: false,
                reason,
            }) => Verdict::Mismatch(
                reason
                    .map(|r| r.trim().chars().take(200).collect::<String>())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| {
                        "身份核验服务认定姓名与身份证号不一致：请对照身份证核对姓名和号码；核对无误的，可由管理员查验身份证原件后确认线下通过".into()
                    }),
            ),
            Err(e) => {
                let what = if e.is_timeout() { "超时" } else { "答复无法读取" };
                tracing::warn!(url = %self.url, error = %e, "identity verifier {what}");
                Verdict::Unavailable(format!("身份核验服务{what}"))
            }
        }
    }
}

impl IdentityVerifier for HttpVerifier {
    fn verify<'a>(&'a self, name: &'a str, resident_id: &'a str, today: Date) -> VerdictFuture<'a> {
        Box::pin(async move {
            match OfflineVerifier::check(resident_id, today) {
                Verdict::Mismatch(reason) => Verdict::Mismatch(reason),
                _ => self.ask(name, resident_id.trim()).await,
            }
        })
    }
}

/// The verifier a configuration asks for: the external service when a URL is set, else the
/// built-in check.
pub fn from_policy(policy: &Policy) -> Result<Arc<dyn IdentityVerifier>, AppError> {
    match policy
        .identity_verifier_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(url) => Ok(Arc::new(HttpVerifier::new(url)?)),
        None => Ok(Arc::new(OfflineVerifier)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    #[test]
    fn offline_refuses_impossible_numbers_and_leaves_the_rest_pending() {
        let valid = ResidentId::compose(120101, date!(2005 - 03 - 04), 17);
        assert!(matches!(
            OfflineVerifier::check(valid.as_str(), TODAY),
            Verdict::Undecided(_)
        ));
        let wrong_province = format!("99{}", &valid.as_str()[2..]);
        let Verdict::Mismatch(reason) = OfflineVerifier::check(&wrong_province, TODAY) else {
            panic!("99 is no province");
        };
        assert!(reason.contains("行政区划"), "{reason}");
        let future = ResidentId::compose(120101, date!(2027 - 01 - 01), 17);
        assert!(matches!(
            OfflineVerifier::check(future.as_str(), TODAY),
            Verdict::Mismatch(_)
        ));
    }

    #[test]
    fn policy_picks_the_verifier_and_refuses_bad_urls() {
        assert!(from_policy(&Policy::default()).is_ok());
        let bad = Policy {
            identity_verifier_url: Some("ftp://example.cn".into()),
            ..Policy::default()
        };
        assert!(from_policy(&bad).is_err());
    }
}
