//! ACC-8 identity verification (身份核验): the pluggable verifier, admins' offline confirmation,
//! the figures per status, and the periodic re-check.

pub mod confirm;
pub mod job;
pub mod stats;
pub mod verifier;

pub use confirm::{confirm, ConfirmIdentityInput};
pub use job::{recheck, recheck_after, RecheckSummary};
pub use stats::{stats, IdentityCounts, IdentityStatItem, IdentityStats};
pub use verifier::{HttpVerifier, IdentityVerifier, OfflineVerifier, Verdict};
