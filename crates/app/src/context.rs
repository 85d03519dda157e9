use std::path::PathBuf;
use std::sync::Arc;

use time::Duration;
use tuanwu_domain::account::NewAccount;
use tuanwu_domain::org::{NewOrg, OrgKind, UnitCategory};
use tuanwu_store::{Cipher, Db};

use crate::account::password;
use crate::account::rate_limit::LoginLimiter;
use crate::{AppError, Clock};

/// Start-up configuration (defaults → tuanwu.toml → TUANWU_* → flags, resolved by the CLI).
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// 64 hex characters; `None` reads or creates `tuanwu.key` in `data_dir`.
    pub encryption_key: Option<String>,
    /// The root administrator's password on an empty database; `None` generates one.
    pub root_password: Option<String>,
    pub clock: Clock,
    pub policy: Policy,
}

/// Rules an operator may tune in `tuanwu.toml` (`[policy]`), with the SPEC's defaults.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// ACC-5: how long an admin registration code stays valid.
    pub registration_code_days: i64,
    /// ACC-6: how long a password reset code stays valid.
    pub reset_code_hours: i64,
    /// ACC-8: the external identity verifier (`POST {"name","resident_id"}`); none means the
    /// built-in offline check, and 线下通过 is how records become verified.
    pub identity_verifier_url: Option<String>,
    /// ACC-8: how often the periodic job re-checks pending and failed identities.
    pub identity_recheck_minutes: u64,
    /// TRF-8: a transfer waiting longer than this many days is highlighted as overdue.
    pub transfer_overdue_days: i64,
    /// GRD-6: the destinations counted as further study (out of the 学社衔接 figure).
    pub further_study: Vec<String>,
    /// Member-list pages kept between requests until the data changes (0: none). Each is
    /// at most ~50 KB, so the default bounds the cache near 50 MB.
    pub member_page_cache: usize,
    /// MTG-3: a student branch's committee term, in years (换届 every year).
    pub term_years_student: u8,
    /// MTG-3: every other branch's committee term, in years.
    pub term_years_other: u8,
}

impl Policy {
    /// `further_study` as destinations; unknown keys are ignored (and logged).
    pub fn study_destinations(&self) -> Vec<tuanwu_domain::graduation::Destination> {
        self.further_study
            .iter()
            .filter_map(|k| match tuanwu_domain::graduation::Destination::parse(k) {
                Ok(d) => Some(d),
                Err(_) => {
                    tracing::warn!(key = %k, "unknown destination in [policy] further_study");
                    None
                }
            })
            .collect()
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            registration_code_days: 7,
            reset_code_hours: 72,
            identity_verifier_url: None,
            identity_recheck_minutes: 60,
            transfer_overdue_days: 10,
            member_page_cache: 1024,
            term_years_student: 1,
            term_years_other: 3,
            further_study: tuanwu_domain::graduation::DEFAULT_STUDY
                .iter()
                .map(|d| d.key().to_string())
                .collect(),
        }
    }
}

/// Everything a use case needs: the database, the cipher for personal numbers, the clock.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub cipher: Cipher,
    pub clock: Clock,
    pub limiter: Arc<LoginLimiter>,
    pub actors: Arc<crate::account::cache::ActorCache>,
    /// (ancestor, descendant) pairs known to be in the closure table. Closure rows never change
    /// once written (orgs are not moved) and ids are never reused, so a positive answer stays true.
    pub known_in_scope: Arc<std::sync::Mutex<std::collections::HashSet<(i64, i64)>>>,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub data_dir: PathBuf,
    /// Set when this start created the root account with a generated password, so the CLI can
    /// print it once.
    pub generated_root_password: Option<String>,
    pub policy: Policy,
    /// ACC-8: the identity verifier chosen by `policy.identity_verifier_url`.
    pub verifier: Arc<dyn crate::identity::IdentityVerifier>,
    /// Member-list pages (MEM-8), served again while the data is unchanged.
    pub member_pages: Arc<
        crate::cache::AnswerCache<
            crate::member::read::PageKey,
            crate::member::read::MemberPage,
            tuanwu_store::db::Generation,
        >,
    >,
    /// Imports running now and how far they have got (for the import page).
    pub imports: Arc<crate::member::import::ProgressBoard>,
}

pub const TOP_ORG_NAME: &str = "共青团中央委员会";
pub const ROOT_LOGIN: &str = "root";

impl Context {
    pub async fn open(config: Config) -> Result<Self, AppError> {
        let cipher = match &config.encryption_key {
            Some(hex) => Cipher::from_hex(hex),
            None => Cipher::from_key_file(&config.data_dir),
        }
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let verifier = crate::identity::verifier::from_policy(&config.policy)?;
        let db = Db::connect(&config.database_url).await?;
        let member_pages = Arc::new(crate::cache::AnswerCache::new(
            config.policy.member_page_cache,
        ));
        let mut ctx = Context {
            db,
            cipher,
            limiter: Arc::new(LoginLimiter::default()),
            actors: Arc::new(Default::default()),
            known_in_scope: Arc::new(Default::default()),
            session_idle: Duration::minutes(30),
            session_absolute: Duration::hours(12),
            data_dir: config.data_dir.clone(),
            generated_root_password: None,
            clock: config.clock,
            policy: config.policy,
            verifier,
            member_pages,
            imports: Arc::new(Default::default()),
        };
        ctx.bootstrap(config.root_password).await?;
        Ok(ctx)
    }

    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// On an empty database: the top org and the root administrator bound to it.
    async fn bootstrap(&mut self, root_password: Option<String>) -> Result<(), AppError> {
        let tx = self.db.write().await?;
        if tuanwu_store::org::count(&*tx).await? > 0 {
            return Ok(());
        }
        let now = self.clock.now();
        let mut top = NewOrg::top(
            TOP_ORG_NAME.into(),
            OrgKind::Committee,
            UnitCategory::parse("党政机关")?,
        );
        top.short_name = Some("团中央".into());
        let top = tuanwu_store::org::insert(&*tx, top, now).await?;
        let (password, generated) = match root_password {
            Some(p) => (p, false),
            None => (password::generate(), true),
        };
        let root = NewAccount {
            login_name: Some(ROOT_LOGIN.into()),
            display_name: "系统管理员".into(),
            password_hash: Some(password::hash(&password)?),
            ..NewAccount::default()
        };
        let root = tuanwu_store::account::insert(&*tx, root, now).await?;
        tuanwu_store::account::role::ensure_admin(&*tx, root.id, top.id, None, now).await?;
        tx.commit().await?;
        if generated {
            self.generated_root_password = Some(password);
        }
        Ok(())
    }
}

impl Context {
    /// `actor.ensure_in_scope` for reads, answered from memory when the pair was seen before.
    pub async fn ensure_in_scope(
        &self,
        actor: &crate::Actor,
        org: tuanwu_domain::OrgId,
    ) -> Result<(), AppError> {
        let root = actor.admin_root().map_err(|_| AppError::NotFound)?;
        let key = (root.0, org.0);
        if self
            .known_in_scope
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&key)
        {
            return Ok(());
        }
        actor.ensure_in_scope(self.db.conn(), org).await?;
        let mut known = self
            .known_in_scope
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if known.len() > 200_000 {
            known.clear();
        }
        known.insert(key);
        Ok(())
    }
}
