//! Answers kept between requests while the data they were read from is unchanged: each entry
//! remembers the database's data generation it was read under (`Db::data_generation`) and is
//! only served while that generation holds. Bounded: when full, entries of older generations go
//! first, then everything.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct AnswerCache<K, V> {
    entries: Mutex<HashMap<K, (u64, Arc<V>)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V> AnswerCache<K, V> {
    /// `capacity` 0 keeps nothing.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    pub fn get(&self, key: &K, generation: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        match entries.get(key) {
            Some((g, v)) if *g == generation => Some(v.clone()),
            _ => None,
        }
    }

    /// Keeps `value`, read under `generation` (taken before the read began).
    pub fn put(&self, key: K, generation: u64, value: Arc<V>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity {
            entries.retain(|_, (g, _)| *g == generation);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (generation, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_under_the_generation_it_was_read_in() {
        let c = AnswerCache::new(4);
        c.put("a", 7, Arc::new(1));
        assert_eq!(c.get(&"a", 7).as_deref(), Some(&1));
        assert_eq!(c.get(&"a", 8), None, "data changed since");
        assert_eq!(c.get(&"b", 7), None);
    }

    #[test]
    fn a_full_cache_drops_stale_entries_first_and_never_grows_past_its_capacity() {
        let c = AnswerCache::new(2);
        c.put(1, 1, Arc::new("old"));
        c.put(2, 2, Arc::new("new"));
        c.put(3, 2, Arc::new("newer"));
        assert_eq!(
            c.get(&2, 2).as_deref(),
            Some(&"new"),
            "same generation kept"
        );
        assert_eq!(c.get(&1, 1), None, "older generation dropped");
        c.put(4, 2, Arc::new("fourth"));
        assert!(c.entries.lock().unwrap().len() <= 2);
        let off = AnswerCache::new(0);
        off.put(1, 1, Arc::new(1));
        assert_eq!(off.get(&1, 1), None);
    }
}
