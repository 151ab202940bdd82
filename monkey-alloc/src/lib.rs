//! The global allocator of monkey's programs (the `monkey` binary, the benchmarks): mimalloc,
//! asked through its plain entry points wherever they give the alignment Rust asks for.
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: monkey_alloc::Mimalloc = monkey_alloc::Mimalloc;
//!
//! let configuration = vec![String::from("sg-0123"); 3];
//! assert_eq!(configuration.len(), 3);
//! ```
//!
//! Why not the `mimalloc` crate: it passes every allocation to `mi_malloc_aligned`, and
//! mimalloc 3 serves an aligned request from its fast path only when a page of that exact size
//! already has a free block, and falls back to over-allocating (a bigger block, and its page
//! marked as holding interior pointers) for every size that is not a power of two. Nearly all of
//! monkey's allocations are 8-aligned and of such sizes (24-byte strings, 32-byte JSON values,
//! lists of policy texts), so no page of those sizes is ever filled and every allocation of
//! them took the slow path: 43% of the allocations of a policy parse, 7% of the instructions of
//! an S3 bucket audit. Plain `mi_malloc` already returns blocks aligned to 16 bytes when they are 16
//! bytes or more, and to 8 below that, which is what the standard library's own allocator
//! relies on for the C allocator; only larger alignments need the aligned entry points.
//! Measured with callgrind (instructions, the same run each way): a large policy went from
//! 83,302 to 76,133 instructions, an S3 bucket audit from 21,631 to 21,056 (20,000 buckets
//! audited once each).
//!
//! [`keep_freed_memory`] is the one setting monkey's programs change: see there why.

use libmimalloc_sys as ffi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc's `mi_option_purge_delay` in its version 3 (`mimalloc.h`): how many milliseconds
/// freed memory waits before it goes back to the operating system, `-1` for never. The
/// bindings do not name it; a test reads it back from mimalloc's own environment variable to
/// prove the number.
const PURGE_DELAY: ffi::mi_option_t = 15;

/// Keeps the memory the program frees for the program's own reuse, instead of handing it back
/// to the operating system about a second later (mimalloc's purge delay). Call it at the start
/// of `main`; it takes effect for every thread at once.
///
/// Why: a collection frees one unit of work's configurations and allocates the next unit's at
/// once, a few hundred megabytes each way for a large account. Returned, those pages came back
/// from the kernel zeroed on their next use: a million-item first pass made 75,000 `madvise`
/// calls and spent 18 to 22 s of its 110 s of processor time in the kernel (clearing pages,
/// faults). Kept, the kernel time is 10 to 13 s, and the pass took 62 to 71 s instead of 72
/// to 73 s on two cores. The cost: the resident size stays at its peak between collections
/// (1.58 to 1.60 GiB became 1.73 to 1.84 GiB), which the next collection needs again.
pub fn keep_freed_memory() {
    // SAFETY: `mi_option_set` only stores the value; mimalloc reads the option on each purge,
    // from any thread, and a negative delay is its documented "never".
    #[allow(unsafe_code)]
    unsafe {
        ffi::mi_option_set(PURGE_DELAY, -1);
    }
}

/// The allocator: `#[global_allocator] static ALLOCATOR: Mimalloc = Mimalloc;`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mimalloc;

/// The largest alignment plain `mi_malloc` guarantees for a block at least that big
/// (`MI_MAX_ALIGN_SIZE`); smaller blocks are aligned to their word size or more.
const PLAIN_ALIGNMENT: usize = 16;

/// Whether a block of `size` bytes from plain `mi_malloc` is aligned to `align`: mimalloc
/// aligns blocks of 16 bytes or more to 16, and smaller ones to 8 (its blocks are whole words),
/// and `align <= size` keeps a small block from being asked for more than its size gives.
fn plain_is_aligned(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGNMENT && align <= size
}

/// mimalloc's entry point for a block of a size.
type Plain = unsafe extern "C" fn(usize) -> *mut c_void;
/// mimalloc's entry point for a block of a size and an alignment.
type Aligned = unsafe extern "C" fn(usize, usize) -> *mut c_void;

/// A block for `layout` from `plain` where its blocks meet the alignment, else from `aligned`.
///
/// # Safety
///
/// `plain` and `aligned` are mimalloc's allocating entry points of one kind (both zeroing or
/// neither), and `layout` has a non-zero size, as `GlobalAlloc` guarantees its callers do.
#[allow(unsafe_code)]
#[inline]
unsafe fn allocate(layout: Layout, plain: Plain, aligned: Aligned) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: the caller passes mimalloc's entry points and a valid, non-zero size; the plain
    // one is taken only where `plain_is_aligned` says its blocks meet the alignment.
    let block = unsafe { if plain_is_aligned(size, align) { plain(size) } else { aligned(size, align) } };
    debug_assert!(block.is_null() || block.addr().is_multiple_of(align), "mimalloc misaligned a block");
    block.cast()
}

// SAFETY: every method hands mimalloc a size and alignment from a valid `Layout` (non-zero
// size, power-of-two alignment), frees and reallocates only pointers this allocator returned
// (mimalloc frees blocks from either entry point with `mi_free`), and takes the plain entry
// points only where `plain_is_aligned` holds, which is where mimalloc's blocks meet the
// alignment; it returns null when mimalloc cannot allocate, as `GlobalAlloc` requires.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's plain and aligned `malloc`, for a layout `GlobalAlloc` vouches for.
        unsafe { allocate(layout, ffi::mi_malloc, ffi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's plain and aligned `zalloc`, for a layout `GlobalAlloc` vouches for.
        unsafe { allocate(layout, ffi::mi_zalloc, ffi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { ffi::mi_free(block.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: see the impl; `new_size` is non-zero, as `GlobalAlloc::realloc` requires.
        let moved = unsafe {
            if plain_is_aligned(new_size, align) {
                ffi::mi_realloc(block.cast::<c_void>(), new_size)
            } else {
                ffi::mi_realloc_aligned(block.cast::<c_void>(), new_size, align)
            }
        };
        debug_assert!(moved.is_null() || moved.addr().is_multiple_of(align), "mimalloc misaligned a block");
        moved.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::{PURGE_DELAY, ffi, keep_freed_memory, plain_is_aligned};

    /// mimalloc's current purge delay.
    fn purge_delay() -> std::ffi::c_long {
        // SAFETY: reading an option is always allowed.
        #[allow(unsafe_code)]
        unsafe {
            ffi::mi_option_get(PURGE_DELAY)
        }
    }

    /// Set in the test process `purge_delay_is_the_option_mimalloc_reads_...` starts.
    const CHILD: &str = "MONKEY_ALLOC_PURGE_DELAY_CHILD";

    #[test]
    fn purge_delay_is_the_option_mimalloc_reads_from_its_purge_delay_variable() {
        let test = "tests::reads_the_purge_delay_mimalloc_was_started_with";
        let exe = std::env::current_exe().expect("the test binary");
        let output = std::process::Command::new(exe)
            .args(["--exact", test, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .env("MIMALLOC_PURGE_DELAY", "1234")
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("1 passed"), "{stdout}");
    }

    #[test]
    fn reads_the_purge_delay_mimalloc_was_started_with() {
        // Run by the test above, in a process started with MIMALLOC_PURGE_DELAY=1234.
        if std::env::var_os(CHILD).is_some() {
            assert_eq!(purge_delay(), 1234);
        }
    }

    #[test]
    fn freed_memory_is_kept_once_asked() {
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
        // Still allocates and frees as before.
        let kept: Vec<Vec<u8>> = (0..1_000).map(|size| vec![7; size]).collect();
        drop(kept);
        assert_eq!(vec![1u8; 4096].iter().map(|&b| usize::from(b)).sum::<usize>(), 4096);
    }

    #[test]
    fn only_alignments_plain_blocks_meet_take_the_plain_path() {
        assert!(plain_is_aligned(24, 8));
        assert!(plain_is_aligned(8, 8));
        assert!(plain_is_aligned(16, 16));
        assert!(plain_is_aligned(1, 1));
        // Asked for more alignment than its size: left to the aligned entry point, as the
        // standard library does for the C allocator.
        assert!(!plain_is_aligned(4, 8));
        // An 8-byte block sits at a multiple of 8, not always of 16.
        assert!(!plain_is_aligned(8, 16));
        assert!(!plain_is_aligned(4096, 32));
        assert!(!plain_is_aligned(1 << 20, 4096));
    }
}
