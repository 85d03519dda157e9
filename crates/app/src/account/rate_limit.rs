//! ACC-7: failed logins (and failed code attempts, ACC-5/ACC-6) are limited — without handing
//! out lockouts. A hard limit per login would let anyone lock an admin out by typing their
//! name five times, so the limits are:
//!
//! - per (login, address): 5 failures in 15 minutes stop that guesser on that login;
//! - per address: 30 failures in 15 minutes stop one address trying many logins;
//! - per login: 50 failures in 15 minutes (many addresses guessing one login) stop new
//!   addresses only — an address this login has succeeded from before still gets its password
//!   checked, so the victim of a distributed guess keeps working from their usual network (and
//!   anyone else can still use a reset code).
//!
//! Kept in memory: a restart forgets failures and known addresses alike, which gives an
//! attacker only what a restart costs them anyway.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

use crate::AppError;

const WINDOW: Duration = Duration::minutes(15);
const PER_PAIR: usize = 5;
const PER_ADDRESS: usize = 30;
const PER_LOGIN: usize = 50;
/// Addresses remembered per login (the usual networks of one person).
const KNOWN_ADDRESSES: usize = 8;

#[derive(Default)]
pub struct LoginLimiter {
    inner: Mutex<State>,
}

#[derive(Default)]
struct State {
    failures: HashMap<String, VecDeque<OffsetDateTime>>,
    known: HashMap<String, VecDeque<String>>,
}

fn login_key(login: &str) -> String {
    login.trim().to_uppercase()
}

impl State {
    /// Failures of `key` still inside the window.
    fn recent(&mut self, key: &str, now: OffsetDateTime) -> (usize, OffsetDateTime) {
        let Some(q) = self.failures.get_mut(key) else {
            return (0, now);
        };
        while q.front().is_some_and(|t| *t + WINDOW <= now) {
            q.pop_front();
        }
        (q.len(), q.front().map_or(now, |t| *t + WINDOW))
    }

    fn is_known(&self, login: &str, address: &str) -> bool {
        self.known
            .get(login)
            .is_some_and(|a| a.iter().any(|k| k == address))
    }
}

fn too_many(until: OffsetDateTime, now: OffsetDateTime, message: &str) -> AppError {
    let secs = (until - now).whole_seconds().max(1) as u64;
    AppError::TooManyRequests {
        message: format!(
            "{message}：请在{}分钟后再试，或联系管理员帮您处理",
            secs.div_ceil(60)
        ),
        retry_after_secs: secs,
    }
}

impl LoginLimiter {
    pub fn check(&self, login: &str, address: &str, now: OffsetDateTime) -> Result<(), AppError> {
        let login = login_key(login);
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (pair, until) = s.recent(&format!("pair:{login}|{address}"), now);
        if pair >= PER_PAIR {
            return Err(too_many(until, now, "失败次数过多，已暂时限制"));
        }
        let (from_address, until) = s.recent(&format!("addr:{address}"), now);
        if from_address >= PER_ADDRESS {
            return Err(too_many(until, now, "此网络地址失败次数过多，已暂时限制"));
        }
        let (on_login, until) = s.recent(&format!("login:{login}"), now);
        if on_login >= PER_LOGIN && !s.is_known(&login, address) {
            return Err(too_many(
                until,
                now,
                "该账号近期被多处反复尝试，已暂时限制从新的网络登录（常用网络不受影响，也可用重置码重设密码）",
            ));
        }
        Ok(())
    }

    pub fn record_failure(&self, login: &str, address: &str, now: OffsetDateTime) {
        let login = login_key(login);
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if s.failures.len() > 100_000 {
            s.failures
                .retain(|_, q| q.back().is_some_and(|t| *t + WINDOW > now));
        }
        for key in [
            format!("pair:{login}|{address}"),
            format!("addr:{address}"),
            format!("login:{login}"),
        ] {
            s.failures.entry(key).or_default().push_back(now);
        }
    }

    /// The right secret from `address`: its failures are forgiven and the address is one this
    /// login is known to use.
    pub fn record_success(&self, login: &str, address: &str) {
        let login = login_key(login);
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        s.failures.remove(&format!("pair:{login}|{address}"));
        if s.known.len() > 100_000 {
            s.known.clear();
        }
        let known = s.known.entry(login).or_default();
        if !known.iter().any(|a| a == address) {
            known.push_back(address.to_string());
            if known.len() > KNOWN_ADDRESSES {
                known.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T: OffsetDateTime = datetime!(2026-11-29 10:00 UTC);

    #[test]
    fn a_guesser_is_stopped_on_its_own_address_only() {
        let l = LoginLimiter::default();
        for i in 0..PER_PAIR {
            assert!(l.check("root", "1.1.1.1", T).is_ok(), "attempt {i}");
            l.record_failure("root", "1.1.1.1", T);
        }
        assert!(l.check("ROOT", "1.1.1.1", T).is_err());
        // The owner, elsewhere, is not locked out.
        assert!(l.check("root", "2.2.2.2", T).is_ok());
        assert!(l
            .check("root", "1.1.1.1", T + Duration::minutes(16))
            .is_ok());
    }

    #[test]
    fn many_guessers_stop_new_addresses_but_not_the_owners_usual_one() {
        let l = LoginLimiter::default();
        l.record_success("college01", "10.0.0.7");
        for i in 0..PER_LOGIN {
            l.record_failure("college01", &format!("10.9.{}.{}", i / 200, i % 200), T);
        }
        assert!(l.check("college01", "10.0.0.7", T).is_ok());
        assert!(l.check("college01", "10.8.8.8", T).is_err());
        assert!(l.check("someone_else", "10.8.8.8", T).is_ok());
    }

    #[test]
    fn one_address_trying_many_logins_is_stopped() {
        let l = LoginLimiter::default();
        for i in 0..PER_ADDRESS {
            l.record_failure(&format!("user{i}"), "3.3.3.3", T);
        }
        assert!(l.check("anyone", "3.3.3.3", T).is_err());
    }
}
