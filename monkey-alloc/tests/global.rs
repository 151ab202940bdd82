//! The allocator as a program's global allocator: every kind of allocation Rust makes comes
//! back aligned, zeroed when asked, and keeps its contents when it grows or shrinks.

#[global_allocator]
static ALLOCATOR: monkey_alloc::Mimalloc = monkey_alloc::Mimalloc;

/// A type that needs more alignment than plain blocks give.
#[repr(align(64))]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Line([u8; 64]);

/// A type whose alignment is exactly what plain blocks of 16 bytes or more give.
#[repr(align(16))]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair(u64, u64);

fn aligned<T>(items: &[T]) -> bool {
    items.as_ptr().addr().is_multiple_of(align_of::<T>())
}

#[test]
fn blocks_of_every_size_are_aligned_and_hold_what_was_written() {
    let mut kept = Vec::new();
    for size in (1..=600).chain([1_000, 4_096, 65_536, 1 << 20]) {
        let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let words: Vec<u64> = (0..size as u64).collect();
        let pairs: Vec<Pair> = (0..size as u64).map(|i| Pair(i, !i)).collect();
        let lines: Vec<Line> = (0..size.min(2_000)).map(|i| Line([(i % 256) as u8; 64])).collect();
        assert!(aligned(&words) && aligned(&pairs) && aligned(&lines), "size {size}");
        kept.push((bytes, words, pairs, lines));
    }
    // Read back after everything else was allocated: no block overlapped another.
    for (size, (bytes, words, pairs, lines)) in (1..=600).chain([1_000, 4_096, 65_536, 1 << 20]).zip(&kept) {
        assert!(bytes.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8), "size {size}");
        assert!(words.iter().enumerate().all(|(i, &w)| w == i as u64), "size {size}");
        assert!(pairs.iter().enumerate().all(|(i, p)| *p == Pair(i as u64, !(i as u64))), "size {size}");
        assert!(lines.iter().enumerate().all(|(i, l)| *l == Line([(i % 256) as u8; 64])), "size {size}");
    }
}

#[test]
fn zeroed_blocks_are_zero() {
    // Reuse freed memory first, so that zeroing is what makes them zero.
    for round in 0..50 {
        drop(vec![0xAAu8; 10_000 + round]);
        let zeroed = vec![0u64; 1_250 + round];
        assert!(zeroed.iter().all(|&w| w == 0));
        let lines = vec![Line([0; 64]); 3 + round];
        assert!(aligned(&lines) && lines.iter().all(|l| *l == Line([0; 64])));
    }
}

#[test]
fn growing_and_shrinking_keeps_contents_and_alignment() {
    let mut text = String::new();
    let mut pairs: Vec<Pair> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..5_000u64 {
        text.push(char::from(b'a' + (i % 26) as u8));
        pairs.push(Pair(i, i * 3));
        if i < 1_000 {
            lines.push(Line([(i % 256) as u8; 64]));
        }
        assert!(aligned(&pairs) && aligned(&lines));
    }
    pairs.truncate(7);
    pairs.shrink_to_fit();
    lines.truncate(3);
    lines.shrink_to_fit();
    text.truncate(30);
    text.shrink_to_fit();
    assert!(aligned(&pairs) && aligned(&lines));
    assert_eq!(pairs, (0..7).map(|i| Pair(i, i * 3)).collect::<Vec<_>>());
    assert_eq!(lines, (0..3).map(|i| Line([i as u8; 64])).collect::<Vec<_>>());
    assert_eq!(text, "abcdefghijklmnopqrstuvwxyzabcd");
}

#[test]
fn threads_free_what_others_allocated() {
    let made: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> =
            (0..4).map(|t| scope.spawn(move || (0..10_000).map(|i| format!("{t}-{i}")).collect::<Vec<_>>())).collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    assert_eq!(made.len(), 4);
    for (t, strings) in made.iter().enumerate() {
        assert_eq!(strings[9_999], format!("{t}-9999"));
    }
    drop(made);
}
