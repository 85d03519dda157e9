//! What this process knows of committed changes, as generations that kept answers are checked
//! against: one for "anything may have changed" and one per org (hashed into a fixed number of
//! buckets, so memory stays bounded however many orgs there are; two orgs sharing a bucket only
//! cost an extra re-read). A commit that names its footprint moves the buckets of those orgs and
//! every org above them; any other commit, and any commit of another process, moves everything.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, DbErr};

const BUCKETS: usize = 4096;

pub struct Changes {
    global: AtomicU64,
    orgs: Box<[AtomicU64]>,
}

impl Default for Changes {
    fn default() -> Self {
        Self {
            global: AtomicU64::new(0),
            orgs: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

/// What an answer about one org was read under; equal values mean nothing it shows has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generation {
    global: u64,
    org: u64,
}

impl Changes {
    fn bucket(&self, org: i64) -> &AtomicU64 {
        &self.orgs[org.rem_euclid(BUCKETS as i64) as usize]
    }

    pub fn global(&self) -> u64 {
        self.global.load(Ordering::Acquire)
    }

    pub fn of(&self, org: i64) -> Generation {
        Generation {
            global: self.global(),
            org: self.bucket(org).load(Ordering::Acquire),
        }
    }

    pub fn everything(&self) {
        self.global.fetch_add(1, Ordering::AcqRel);
    }

    pub fn orgs(&self, ids: &[i64]) {
        for id in ids {
            self.bucket(*id).fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// `orgs` and every org above them (the closure table holds each org as its own ancestor at
/// depth 0): a subtree's answers change when anything below it does.
pub(super) async fn with_ancestors<C: ConnectionTrait>(
    c: &C,
    orgs: &[i64],
) -> Result<Vec<i64>, DbErr> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let q = Query::select()
        .distinct()
        .column(Alias::new("ancestor"))
        .from(Alias::new("org_closure"))
        .and_where(Expr::col(Alias::new("descendant")).is_in(orgs.iter().copied()))
        .to_owned();
    let rows = c.query_all(c.get_database_backend().build(&q)).await?;
    rows.iter().map(|r| r.try_get_by_index::<i64>(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_to_one_org_leaves_other_orgs_current() {
        let c = Changes::default();
        let (a, b) = (c.of(7), c.of(8));
        c.orgs(&[7, 3]);
        assert_ne!(c.of(7), a, "the changed org");
        assert_eq!(c.of(8), b, "another org's answers stay current");
        c.everything();
        assert_ne!(c.of(8), b, "a change without a footprint reaches every org");
    }

    #[test]
    fn buckets_wrap_without_growing() {
        let c = Changes::default();
        let far = c.of(7 + BUCKETS as i64);
        c.orgs(&[7]);
        assert_ne!(
            c.of(7 + BUCKETS as i64),
            far,
            "a shared bucket only costs a re-read"
        );
        assert_eq!(c.orgs.len(), BUCKETS);
    }
}
