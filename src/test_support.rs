//! What the library's own tests share.

/// Numbers in [0, 1) from `seed`, the same every run (xorshift64): test data at random,
/// repeatable.
pub fn random(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}
