//! Answers kept between requests while the data they were read from is unchanged: each entry
//! remembers the generation it was read under (`Db::generation_of` the org it is about) and is
//! only served while that generation holds. Bounded: when full, a quarter of the entries go (in
//! the map's own, effectively random, order), so a working set a little larger than the capacity
//! still mostly hits instead of emptying the cache over and over.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct AnswerCache<K, V, G = u64> {
    entries: Mutex<HashMap<K, (G, Arc<V>)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V, G: Copy + Eq> AnswerCache<K, V, G> {
    /// `capacity` 0 keeps nothing.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    pub fn get(&self, key: &K, generation: G) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        match entries.get(key) {
            Some((g, v)) if *g == generation => Some(v.clone()),
            _ => None,
        }
    }

    /// Keeps `value`, read under `generation` (taken before the read began).
    pub fn put(&self, key: K, generation: G, value: Arc<V>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let mut dropping = self.capacity.div_ceil(4);
            entries.retain(|_, _| {
                let keep = dropping == 0;
                dropping = dropping.saturating_sub(1);
                keep
            });
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
    fn a_full_cache_never_grows_past_its_capacity() {
        let c = AnswerCache::new(2);
        c.put(1, 1, Arc::new("old"));
        c.put(2, 2, Arc::new("new"));
        c.put(2, 3, Arc::new("newer"));
        assert_eq!(c.get(&2, 3).as_deref(), Some(&"newer"), "replaced in place");
        c.put(3, 2, Arc::new("third"));
        assert!(c.entries.lock().unwrap().len() <= 2);
        assert_eq!(c.get(&3, 2).as_deref(), Some(&"third"));
        let off = AnswerCache::new(0);
        off.put(1, 1, Arc::new(1));
        assert_eq!(off.get(&1, 1), None);
    }
}
