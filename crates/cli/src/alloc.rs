//! The allocator of the `diplomacy` binary and of `cargo xtask`: mimalloc (the release
//! allocates millions of small strings on two threads, which it does much faster than the
//! system allocator), and, where memory runs out, a clear message and exit code
//! [`EXIT_OUT_OF_MEMORY`] instead of an abort.
//!
//! On Linux two of mimalloc's settings are changed before the program starts (where the
//! environment does not set them, as `MIMALLOC_ARENA_EAGER_COMMIT` and
//! `MIMALLOC_PURGE_DELAY`): its memory is committed as it is used rather than a whole arena
//! at once, and memory freed is given back to the system after 100 ms rather than 1 s. Each
//! lowers the peak memory of a run without slowing it: at 1,000,000 records, validation's
//! from about 1.9 to 1.5 GB and a release's from about 3.6 to 2.4 GB (BENCHMARKS.md). A
//! process that validates again and again (the language server) keeps what it freed for the
//! next run instead, and gives it back after 10 s without one ([`for_repeated_runs`]).
//!
//! Running out of memory never half-writes a release: it is built in a temporary directory
//! beside its target and moved into place only when complete, and the next run removes what
//! an interrupted one left.

// The one place the workspace allows `unsafe`: implementing `GlobalAlloc` needs it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::io::Write as _;

/// The exit code of a command that ran out of memory.
pub const EXIT_OUT_OF_MEMORY: u8 = 3;

/// mimalloc, exiting with a message on an allocation it cannot make.
///
/// ```no_run
/// #[global_allocator]
/// static GLOBAL: diplomacy_cli::alloc::Allocator = diplomacy_cli::alloc::Allocator;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

// SAFETY: every method forwards to mimalloc's with the same arguments, and returns what it
// returns; where that is null, `out_of_memory` never returns.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let p = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

/// Says that `bytes` could not be allocated and exits with [`EXIT_OUT_OF_MEMORY`]. Allocates
/// nothing itself: the message is formatted on the stack.
fn out_of_memory(bytes: usize) -> ! {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = bytes;
    loop {
        at -= 1;
        // `n % 10` is below 10.
        digits[at] = b'0' + u8::try_from(n % 10).unwrap_or(0);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"error: out of memory: could not allocate ");
    let _ = err.write_all(&digits[at..]);
    let _ = err.write_all(
        b" bytes. Nothing is left half-written: a release is moved into \
place only when complete, and the next run removes what this one left. Free memory or raise \
the limit (ulimit -v), and run again.\n",
    );
    let _ = err.flush();
    drop(err);
    std::process::exit(i32::from(EXIT_OUT_OF_MEMORY))
}

/// For a process that validates again and again, as the language server does on each
/// edit: memory freed is kept for the next run and given back only after 10 s without one,
/// rather than after 100 ms (which at 100,000 records makes each edit's diagnostics about
/// 1.7 times slower, the memory given back between edits faulted in again), unless
/// `MIMALLOC_PURGE_DELAY` says otherwise. Does nothing on other systems than Linux.
pub fn for_repeated_runs() {
    #[cfg(target_os = "linux")]
    tuning::set_unless_in_environment(tuning::PURGE_DELAY, c"MIMALLOC_PURGE_DELAY", 10_000);
}

/// mimalloc's options set here, by their place in its `mi_option_e` (mimalloc 3, which
/// `libmimalloc-sys` builds; a test checks the places by the options' defaults around them).
#[cfg(target_os = "linux")]
mod tuning {
    use libmimalloc_sys::mi_option_t;
    use std::ffi::{CStr, c_char};

    /// `mi_option_arena_eager_commit`: 0 commits an arena's memory as it is used.
    pub(crate) const ARENA_EAGER_COMMIT: mi_option_t = 4;
    /// `mi_option_purge_delay`: milliseconds before freed memory is given back.
    pub(crate) const PURGE_DELAY: mi_option_t = 15;

    /// Each option, the environment variable that overrides it, and the value set here.
    pub(crate) const SETTINGS: [(mi_option_t, &CStr, std::ffi::c_long); 2] = [
        (ARENA_EAGER_COMMIT, c"MIMALLOC_ARENA_EAGER_COMMIT", 0),
        (PURGE_DELAY, c"MIMALLOC_PURGE_DELAY", 100),
    ];

    unsafe extern "C" {
        /// The C library's `getenv`: Rust's own allocates, and this runs before the first
        /// allocation, which reserves mimalloc's first arena.
        fn getenv(name: *const c_char) -> *const c_char;
    }

    /// Runs before `main` (and before any allocation): sets each option the environment
    /// does not.
    extern "C" fn tune() {
        for (option, variable, value) in SETTINGS {
            set_unless_in_environment(option, variable, value);
        }
    }

    /// Sets `option` to `value` unless the environment variable `variable` is set.
    pub(crate) fn set_unless_in_environment(
        option: mi_option_t,
        variable: &CStr,
        value: std::ffi::c_long,
    ) {
        // SAFETY: `variable` is a NUL-terminated string; `getenv` only reads it and the
        // environment, which this program never writes.
        let set = unsafe { !getenv(variable.as_ptr()).is_null() };
        if !set {
            // SAFETY: `option` is one of mimalloc's options (a test checks the places), and
            // setting one is allowed at any time, before mimalloc starts too.
            unsafe { libmimalloc_sys::mi_option_set(option, value) }
        }
    }

    /// `tune`, run by the loader with the program's other initialisers, before `main`.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static TUNE: extern "C" fn() = tune;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::tuning::SETTINGS;
    use libmimalloc_sys::{mi_option_get, mi_option_t};

    /// The options set are where this module says: mimalloc 3's defaults of the options
    /// around them are where they should be, and the two hold the values set before `main`
    /// (unless this test's environment set them).
    #[test]
    fn the_options_set_are_mimallocs_arena_commit_and_purge_delay() {
        // (place, default) of options that no one sets: `deprecated_eager_commit_delay`,
        // `os_tag`, `max_errors`, `max_warnings`, `deprecated_max_segment_reclaim`,
        // `retry_on_oom`.
        let defaults: [(mi_option_t, std::ffi::c_long); 6] =
            [(14, 1), (18, 100), (19, 32), (20, 32), (21, 10), (27, 400)];
        for (option, default) in defaults {
            // SAFETY: reading an option is allowed at any time.
            let value = unsafe { mi_option_get(option) };
            assert_eq!(value, default, "mimalloc option {option}");
        }
        let expected = |variable: &std::ffi::CStr, value: std::ffi::c_long| {
            std::env::var(variable.to_str().unwrap()).map_or(value, |v| v.parse().unwrap())
        };
        for (option, variable, value) in SETTINGS {
            // SAFETY: as above.
            let set = unsafe { mi_option_get(option) };
            assert_eq!(set, expected(variable, value), "{variable:?}");
        }
        // A process that validates again and again keeps freed memory longer. (In this
        // test, not another: the options are the whole process's.)
        super::for_repeated_runs();
        // SAFETY: as above.
        let delay = unsafe { mi_option_get(super::tuning::PURGE_DELAY) };
        assert_eq!(delay, expected(c"MIMALLOC_PURGE_DELAY", 10_000));
    }
}
