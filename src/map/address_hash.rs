//! `AddressMap`: a hash map keyed by the address of a spec's XPath, hashed by a multiply instead of SipHash (the map is read for every field of every record).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from an address to `V`.
pub(crate) type AddressMap<K, V> = HashMap<K, V, BuildHasherDefault<AddressHasher>>;

/// Hashes one address: the keys are the program's own pointers, not input a user controls.
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (self.0 ^ address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_put_by_address() {
        let names = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let mut map: AddressMap<*const String, usize> = AddressMap::default();
        for (i, name) in names.iter().enumerate() {
            map.insert(std::ptr::from_ref(name), i);
        }
        for (i, name) in names.iter().enumerate() {
            assert_eq!(map.get(&std::ptr::from_ref(name)), Some(&i));
        }
        assert_eq!(map.len(), 3);
    }
}
