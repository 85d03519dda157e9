//! Graduation pages (GRD-1 … GRD-5): the school branches of an org with ticks, filters by
//! college, 年级 and name, the batch marking form (ticked or every match; year-month or 混合支部)
//! and change requests (`branches.rs`); the graduate list of a year with delayed/teacher marking
//! (single and batch), revoking, and destinations (`graduates.rs`).

mod branches;
mod graduates;

pub use branches::{branches, mark, request_change};
pub use graduates::{delayed_batch, delayed_one, destination, graduates, revoke};

use super::member::Pager;

const PER_PAGE: u64 = 100;

fn pager(page: u64, total: u64, base: String) -> Pager {
    Pager {
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
        base,
    }
}

fn pairs_get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn pairs_ids(pairs: &[(String, String)], key: &str) -> Vec<i64> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}
