//! What an import has seen so far, for "与第N行重复": a key per row and the row it was first
//! seen in. A million-row file keeps two million of these, so each takes 12 bytes (plus
//! the table's one control byte) instead of a `HashMap<u64, u32>`'s padded 16.

use hashbrown::HashTable;

/// `#[repr(packed(4))]`: the 8-byte key need not be 8-aligned, so the entry is 12 bytes. Fields
/// are only ever copied out, never borrowed.
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
struct Entry {
    key: u64,
    row: u32,
}

#[derive(Default)]
pub(super) struct FirstSeen {
    table: HashTable<Entry>,
}

/// The keys are already spread (a keyed hash, or mixed below), so their low bits are the hash.
fn spread(key: u64) -> u64 {
    // splitmix64's finaliser: sequential keys (12-digit numbers) land far apart.
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl FirstSeen {
    /// The row `key` was first seen in, if it was.
    pub(super) fn get(&self, key: u64) -> Option<u32> {
        self.table
            .find(spread(key), |e| {
                let k = e.key;
                k == key
            })
            .map(|e| e.row)
    }

    /// Remembers `key` as first seen in `row` (a key seen before keeps its first row).
    pub(super) fn insert(&mut self, key: u64, row: u32) {
        if self.get(key).is_none() {
            self.table
                .insert_unique(spread(key), Entry { key, row }, |e| spread(e.key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_key_is_kept() {
        let mut s = FirstSeen::default();
        for row in 0..10_000u32 {
            s.insert(u64::from(row) * 7 + 120_100_000_000, row + 2);
        }
        assert_eq!(s.get(120_100_000_000), Some(2));
        assert_eq!(s.get(120_100_000_007), Some(3));
        s.insert(120_100_000_007, 99);
        assert_eq!(
            s.get(120_100_000_007),
            Some(3),
            "a later row does not replace the first"
        );
        assert_eq!(s.get(5), None);
        assert_eq!(std::mem::size_of::<Entry>(), 12);
    }
}
