//! `[server]` settings the HTTP layer needs: which peers are reverse proxies whose
//! `X-Forwarded-For` names the real client, and whether the session cookie is `Secure`.

use std::net::{IpAddr, SocketAddr};

use axum::http::request::Parts;
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// Addresses of the reverse proxies in front of the server. Only a request from one of them
    /// has its `X-Forwarded-For` believed; from anyone else the header is ignored, or a client
    /// could pick its own address and escape the login limits.
    pub trusted_proxies: Vec<IpAddr>,
    /// Mark the session cookie `Secure` (set when the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// `[import]` of `tuanwu.toml` (its own table there, kept here because the HTTP layer
    /// enforces it).
    #[serde(skip)]
    pub import: ImportSettings,
}

/// `[import]`: how many uploaded files are imported at once and how long one may take. Each
/// running import holds a reading thread, a write transaction and its upload (up to 64 MB).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSettings {
    /// Imports running at once; the next upload waits a moment, then is told to retry (429
    /// `busy`).
    pub max_concurrent: usize,
    /// An uploaded file's import stops after this many seconds and writes nothing.
    pub time_limit_secs: u64,
}

impl ImportSettings {
    const DEFAULT: ImportSettings = ImportSettings {
        max_concurrent: 2,
        time_limit_secs: 600,
    };
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl WebSettings {
    /// The client's address: the TCP peer, or — behind trusted proxies — the nearest address in
    /// `X-Forwarded-For` that is not one of them.
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusted_proxies.contains(&peer) {
            return Some(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|a| !self.trusted_proxies.contains(a))
                .unwrap_or(peer),
        )
    }

    pub(crate) fn of(parts: &Parts) -> &WebSettings {
        static DEFAULT: WebSettings = WebSettings {
            trusted_proxies: Vec::new(),
            secure_cookies: false,
            import: ImportSettings::DEFAULT,
        };
        parts
            .extensions
            .get::<std::sync::Arc<WebSettings>>()
            .map_or(&DEFAULT, |s| s.as_ref())
    }

    pub(crate) fn peer(parts: &Parts) -> Option<IpAddr> {
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let s = WebSettings {
            trusted_proxies: vec![proxy],
            ..Default::default()
        };
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            s.client_address(Some(stranger), &xff("1.2.3.4")),
            Some(stranger)
        );
        // A client's own claim stays on the left; the proxy appends the address it saw.
        assert_eq!(
            s.client_address(Some(proxy), &xff("6.6.6.6, 198.51.100.7")),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(
            s.client_address(Some(proxy), &HeaderMap::new()),
            Some(proxy)
        );
    }
}
