//! The `monkey` command.

// Linked for its `inventory` registrations only: without a reference the linker drops the
// crate and the built-in checks vanish.
use monkey_auditors as _;

fn main() -> std::process::ExitCode {
    monkey::main()
}
