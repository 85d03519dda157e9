//! ACC-7: failed logins (and failed code attempts, ACC-5/ACC-6) are limited per account and per
//! address. Kept in memory: a restart
//! forgets them, which only gives an attacker what a restart costs them anyway.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

use crate::AppError;

const WINDOW: Duration = Duration::minutes(15);
const PER_ACCOUNT: usize = 5;
const PER_ADDRESS: usize = 30;

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<OffsetDateTime>>>,
}

impl LoginLimiter {
    fn keys(login: &str, address: &str) -> [(String, usize); 2] {
        [
            (
                format!("login:{}", login.trim().to_uppercase()),
                PER_ACCOUNT,
            ),
            (format!("addr:{address}"), PER_ADDRESS),
        ]
    }

    pub fn check(&self, login: &str, address: &str, now: OffsetDateTime) -> Result<(), AppError> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, limit) in Self::keys(login, address) {
            let Some(q) = map.get_mut(&key) else { continue };
            while q.front().is_some_and(|t| *t + WINDOW <= now) {
                q.pop_front();
            }
            if q.len() >= limit {
                let until = q.front().map(|t| *t + WINDOW).unwrap_or(now);
                let secs = (until - now).whole_seconds().max(1) as u64;
                return Err(AppError::TooManyRequests {
                    message: format!(
                        "失败次数过多，已暂时锁定：请在{}分钟后再试，或联系管理员帮您处理",
                        secs.div_ceil(60)
                    ),
                    retry_after_secs: secs,
                });
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, login: &str, address: &str, now: OffsetDateTime) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| *t + WINDOW > now));
        }
        for (key, _) in Self::keys(login, address) {
            map.entry(key).or_default().push_back(now);
        }
    }

    pub fn record_success(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("login:{}", login.trim().to_uppercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn locks_after_five_failures_and_unlocks_after_the_window() {
        let l = LoginLimiter::default();
        let t = datetime!(2026-11-29 10:00 UTC);
        for i in 0..5 {
            assert!(l.check("root", "1.1.1.1", t).is_ok(), "attempt {i}");
            l.record_failure("root", "1.1.1.1", t);
        }
        assert!(l.check("ROOT", "2.2.2.2", t).is_err());
        assert!(l.check("other", "2.2.2.2", t).is_ok());
        assert!(l
            .check("root", "2.2.2.2", t + Duration::minutes(16))
            .is_ok());
    }
}
