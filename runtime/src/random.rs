//! Random bits for idempotency tokens and backoff jitter, without a random-number dependency.
//!
//! Neither needs cryptographic quality, only values that differ across calls and processes:
//! std's `RandomState` is seeded from the OS (per thread, its keys bumped on every `new`), and
//! hashing a process-wide counter with it gives a fresh value each call.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// 64 random bits.
pub(crate) fn u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// A uniform number in `[0, 1)`: 53 random bits as an `f64`.
pub(crate) fn unit() -> f64 {
    (u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_differ_and_stay_in_range() {
        let a: Vec<u64> = (0..32).map(|_| super::u64()).collect();
        let mut b = a.clone();
        b.sort_unstable();
        b.dedup();
        assert_eq!(a.len(), b.len());
        assert!((0..1000)
            .map(|_| super::unit())
            .all(|x| (0.0..1.0).contains(&x)));
    }
}
