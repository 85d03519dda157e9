//! A token for the forms people post before they have a session (login, registration, password
//! reset): without it another site could post our login form and log a visitor into an account
//! of the attacker's choosing. The visitor gets a random cookie with the form page; the form
//! carries a keyed hash of it; a post whose token does not match the cookie is refused.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use rand::RngCore;
use tuanwu_app::Context;

pub const PRE_COOKIE: &str = "tuanwu_pre";

/// The visitor's pre-session for a public form page.
pub struct PreSession {
    /// What the form carries in its hidden `csrf` field.
    pub token: String,
    /// Set when the visitor had no pre-session cookie yet.
    new_cookie: Option<String>,
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, v)| *k == PRE_COOKIE && v.len() == 64)
        .map(|(_, v)| v.to_string())
}

fn token_for(ctx: &Context, cookie: &str) -> String {
    hex::encode(ctx.cipher.blind_index(&format!("pre-session:{cookie}")))
}

impl PreSession {
    pub fn for_form(ctx: &Context, headers: &HeaderMap) -> PreSession {
        match cookie_of(headers) {
            Some(cookie) => PreSession {
                token: token_for(ctx, &cookie),
                new_cookie: None,
            },
            None => {
                let mut raw = [0u8; 32];
                rand::thread_rng().fill_bytes(&mut raw);
                let cookie = hex::encode(raw);
                PreSession {
                    token: token_for(ctx, &cookie),
                    new_cookie: Some(cookie),
                }
            }
        }
    }

    /// Adds the cookie to the form page's answer when it is new.
    pub fn apply(self, mut resp: Response, secure: bool) -> Response {
        if let Some(cookie) = self.new_cookie {
            let secure = if secure { "; Secure" } else { "" };
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{PRE_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{secure}"
            )) {
                resp.headers_mut().append(SET_COOKIE, v);
            }
        }
        resp
    }
}

/// A public form's post carries the token of the visitor's own pre-session cookie.
pub fn matches(ctx: &Context, headers: &HeaderMap, submitted: &str) -> bool {
    let Some(cookie) = cookie_of(headers) else {
        return false;
    };
    let expected = token_for(ctx, &cookie);
    let (a, b) = (submitted.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
