//! A hook for the CLI's own tests: a panic injected into one of the generator's thread pools, to
//! prove that an internal bug in any worker ends the process promptly with the internal-error
//! message instead of leaving the other workers waiting. Nothing is injected unless the CLI's
//! `GENERATOR_TEST_PANIC` variable (see main.rs) asks for it.

use std::sync::atomic::{AtomicU8, Ordering};

/// The thread pools a panic can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Pool {
    /// The workers reading the spec's files (`prefetch`), on the first file after the root.
    Load = 1,
    /// The workers formatting the generated files (`emit::format`), on their first job.
    Format = 2,
}

/// 0: nothing injected.
static INJECTED: AtomicU8 = AtomicU8::new(0);
/// Calls to [`maybe_panic`] for the injected pool so far.
static SEEN: AtomicU8 = AtomicU8::new(0);

/// From now on, the pool `pool` panics in its second job (so that some other job, usually on
/// another worker, has been taken first).
pub fn inject_panic(pool: Pool) {
    INJECTED.store(pool as u8, Ordering::Relaxed);
}

pub(crate) fn maybe_panic(pool: Pool) {
    if INJECTED.load(Ordering::Relaxed) == pool as u8 && SEEN.fetch_add(1, Ordering::Relaxed) == 1 {
        panic!("a panic injected into the {pool:?} pool for a test (GENERATOR_TEST_PANIC)");
    }
}
