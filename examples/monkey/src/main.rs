//! The `monkey` command.

// Linked for its `inventory` registrations only: without a reference the linker drops the
// crate and the built-in checks vanish.
use monkey_auditors as _;

// Configurations are trees of many small allocations; glibc's malloc spends more time freeing
// them than monkey spends hashing them (see benches/).
#[global_allocator]
static ALLOCATOR: monkey_alloc::Mimalloc = monkey_alloc::Mimalloc;

fn main() -> std::process::ExitCode {
    // Each collection frees about as much as the next one allocates (see monkey_alloc).
    monkey_alloc::keep_freed_memory();
    monkey::main()
}
