//! Eight bytes at a time: tests on a block of text read as one 64-bit number (SWAR), for the
//! scans that look for a few byte values in long text (what JSON escapes, spaces). Each answers
//! for the whole block; a caller that needs the place looks byte by byte inside a block that
//! answered yes.

/// Each byte of the block set to 1.
pub const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// The high bit of each byte of the block.
pub const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each byte of `block` below `n` (at most 128), by the classic test from Bit
/// Twiddling Hacks, which never misses one, and perhaps of bytes above the lowest such one (a
/// borrow can mark a byte after one that is below, never before): the lowest mark, read
/// little-endian, is always the first byte below `n`.
pub fn bytes_below(block: u64, n: u8) -> u64 {
    debug_assert!(n <= 128);
    block.wrapping_sub(ONES * u64::from(n)) & !block & HIGHS
}

/// The high bit of each byte of `block` that is `byte`, and perhaps of bytes above the lowest
/// (as in [`bytes_below`]).
pub fn bytes_equal(block: u64, byte: u8) -> u64 {
    bytes_below(block ^ (ONES * u64::from(byte)), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn blocks_answer_as_their_bytes_do(bytes in proptest::array::uniform8(proptest::num::u8::ANY), n in 0u8..=128) {
            let block = u64::from_ne_bytes(bytes);
            proptest::prop_assert_eq!(bytes_below(block, n) != 0, bytes.iter().any(|&b| b < n));
            proptest::prop_assert_eq!(bytes_equal(block, n) != 0, bytes.contains(&n));
            proptest::prop_assert!(bytes_equal(block, bytes[3]) != 0);
            // The lowest mark is the first such byte, read little-endian.
            let first = |marks: u64| (marks != 0).then(|| marks.trailing_zeros() as usize / 8);
            let le = u64::from_le_bytes(bytes);
            proptest::prop_assert_eq!(first(bytes_below(le, n)), bytes.iter().position(|&b| b < n));
            proptest::prop_assert_eq!(first(bytes_equal(le, n)), bytes.iter().position(|&b| b == n));
        }
    }
}
