//! How far the imports running now have got, for the page that started one (the CLI draws its
//! own bar). Each import is known by a key its page made up, and only to the account that
//! started it; it leaves the board when it ends.

use std::collections::HashMap;
use std::sync::Mutex;

use tuanwu_domain::DomainError;

use super::Progress;
use crate::{Actor, AppError};

/// Imports running at once on one server stay few; the bound keeps a misbehaving client from
/// growing the board.
const MAX_RUNNING: usize = 256;

#[derive(Default)]
pub struct ProgressBoard {
    running: Mutex<HashMap<(i64, String), Progress>>,
}

/// A key as pages make them: 16 to 64 letters, digits or dashes.
pub fn parse_key(key: &str) -> Result<String, DomainError> {
    let ok = (16..=64).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(key.to_string())
    } else {
        Err(DomainError::new(
            "invalid_progress_key",
            "进度标识只能是16到64位字母、数字或短横线",
        )
        .field("progress_key"))
    }
}

/// An import on the board; it leaves when this is dropped, however the import ends (an answer,
/// an error, or the request given up when the browser went away).
pub(super) struct Entry<'a> {
    board: &'a ProgressBoard,
    id: (i64, String),
}

impl Entry<'_> {
    pub(super) fn update(&self, p: Progress) {
        if let Ok(mut r) = self.board.running.lock() {
            if let Some(slot) = r.get_mut(&self.id) {
                *slot = p;
            }
        }
    }
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        if let Ok(mut r) = self.board.running.lock() {
            r.remove(&self.id);
        }
    }
}

impl ProgressBoard {
    pub(super) fn enter(&self, account: i64, key: &str, total_bytes: u64) -> Entry<'_> {
        let id = (account, key.to_string());
        if let Ok(mut r) = self.running.lock() {
            if r.len() < MAX_RUNNING {
                let start = Progress {
                    total_bytes,
                    ..Default::default()
                };
                r.insert(id.clone(), start);
            }
        }
        Entry { board: self, id }
    }

    /// The progress of the actor's own import under `key`; unknown once it ended (or if
    /// it is someone else's).
    pub fn get(&self, actor: &Actor, key: &str) -> Result<Progress, AppError> {
        let key = parse_key(key)?;
        self.running
            .lock()
            .ok()
            .and_then(|r| r.get(&(actor.account().0, key)).copied())
            .ok_or(AppError::NotFound)
    }
}
