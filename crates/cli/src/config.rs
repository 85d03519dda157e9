//! Configuration: defaults → tuanwu.toml (in the working directory) → TUANWU_* → flags.
//! clap already merges the environment and flags; this adds the file and the defaults.

use std::path::PathBuf;

use anyhow::Context as _;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database_url: Option<String>,
    data_dir: Option<String>,
    listen: Option<String>,
    /// 64 hex characters; otherwise the key file in the data directory.
    encryption_key: Option<String>,
    /// `[policy]`: code lifetimes, the identity verifier (see `tuanwu_app::Policy`).
    #[serde(default)]
    policy: tuanwu_app::Policy,
    /// `[server]`: `trusted_proxies` (reverse proxies whose X-Forwarded-For is believed) and
    /// `secure_cookies` (on when served over HTTPS).
    #[serde(default)]
    server: tuanwu_web::WebSettings,
    /// `[import]`: `max_concurrent` uploads imported at once (default 2) and `time_limit_secs`
    /// for one (default 600).
    #[serde(default)]
    import: tuanwu_web::ImportSettings,
}

pub struct Settings {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub key: Option<String>,
    listen: Option<String>,
    pub policy: tuanwu_app::Policy,
    pub server: tuanwu_web::WebSettings,
}

impl Settings {
    pub fn resolve(
        db: Option<String>,
        data_dir: Option<String>,
        _listen: Option<String>,
    ) -> anyhow::Result<Self> {
        let file: File = match std::fs::read_to_string("tuanwu.toml") {
            Ok(text) => toml::from_str(&text).context("tuanwu.toml 格式有误")?,
            Err(_) => File::default(),
        };
        let data_dir = PathBuf::from(
            data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| "tuanwu-data".into()),
        );
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("无法创建数据目录 {}", data_dir.display()))?;
        let database_url = db.or(file.database_url).unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("tuanwu.db").display())
        });
        Ok(Self {
            database_url,
            data_dir,
            key: std::env::var("TUANWU_ENCRYPTION_KEY")
                .ok()
                .or(file.encryption_key),
            listen: file.listen,
            policy: file.policy,
            server: tuanwu_web::WebSettings {
                import: file.import,
                ..file.server
            },
        })
    }

    pub fn resolve_listen(flag: Option<String>, s: &Settings) -> String {
        flag.or_else(|| s.listen.clone())
            .unwrap_or_else(|| "127.0.0.1:8080".into())
    }

    /// The URL without a password.
    pub fn database_url_for_display(&self) -> String {
        match (self.database_url.find("://"), self.database_url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!(
                    "{}://***{}",
                    &self.database_url[..scheme],
                    &self.database_url[at..]
                )
            }
            _ => self.database_url.clone(),
        }
    }
}
