//! LZ4 blocks with their length in front: how configurations and issue sets are stored.
//!
//! Both are JSON with the same keys and texts over and over; compressed they take a third to
//! two thirds of the bytes, and a write transaction copies, checksums and writes fewer pages.

use super::keys::describe;
use monkey_core::ModelError;
use monkey_core::store::{StoreError, StoreResult};

/// LZ4 expands at most 255 times; a larger stated length is a damaged record.
const MAX_EXPANSION: usize = 255;

/// `prefix`, then the length of `bytes` (4 bytes, little-endian), then their LZ4 block.
pub(crate) fn compress_after(prefix: &[u8], bytes: &[u8]) -> StoreResult<Vec<u8>> {
    let too_big = |why: String| {
        StoreError::Invalid(ModelError::Field {
            field: "record",
            input: format!("{} bytes", bytes.len()),
            reason: format!("it cannot be compressed: {why}"),
        })
    };
    let length = u32::try_from(bytes.len()).map_err(|_| too_big("it is 4 GiB or more".into()))?;
    let start = prefix.len() + 4;
    let mut out = vec![0; start + lz4_flex::block::get_maximum_output_size(bytes.len())];
    out[..prefix.len()].copy_from_slice(prefix);
    out[prefix.len()..start].copy_from_slice(&length.to_le_bytes());
    let written = lz4_flex::block::compress_into(bytes, &mut out[start..]).map_err(|e| too_big(e.to_string()))?;
    out.truncate(start + written);
    Ok(out)
}

/// The bytes of a block from [`compress_after`] (without its prefix): `what` names the part of
/// the record under `key` in the error when it is damaged.
pub(crate) fn decompress(key: &[u8], what: &str, compressed: &[u8]) -> StoreResult<Vec<u8>> {
    let damaged = |why: String| StoreError::Corrupt { what: format!("{what} in {}: {why}", describe(key)) };
    let (length, block) = compressed.split_first_chunk::<4>().ok_or_else(|| damaged("it is cut short".into()))?;
    let length = u32::from_le_bytes(*length) as usize;
    if length > block.len().saturating_mul(MAX_EXPANSION) {
        return Err(damaged(format!("it claims {length} bytes from {}", block.len())));
    }
    lz4_flex::decompress(block, length).map_err(|e| damaged(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_after_their_prefix() {
        for bytes in [&b""[..], b"{}", &b"[{\"check\":\"x\"},{\"check\":\"x\"}]".repeat(50)] {
            let stored = compress_after(b"\0", bytes).unwrap();
            assert_eq!(stored[0], 0);
            assert_eq!(decompress(b"k", "the set", &stored[1..]).unwrap(), bytes);
        }
    }

    #[test]
    fn a_damaged_block_is_an_error_naming_what_it_was() {
        let stored = compress_after(b"", &b"abc".repeat(100)).unwrap();
        for damaged in
            [stored[..3].to_vec(), [&u32::MAX.to_le_bytes()[..], &stored[4..]].concat(), vec![9, 0, 0, 0, 0xF0]]
        {
            let error = decompress(b"k", "the set", &damaged).unwrap_err();
            assert!(matches!(&error, StoreError::Corrupt { what } if what.starts_with("the set in")), "{error}");
        }
    }
}
