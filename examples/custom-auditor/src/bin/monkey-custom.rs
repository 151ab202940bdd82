//! The `monkey` command with the example plugin linked in.

// Both are linked for their `inventory` registrations only; without a reference the linker
// would drop them and their checks would vanish.
use custom_auditor as _;
use monkey_auditors as _;

fn main() -> std::process::ExitCode {
    monkey::main()
}
