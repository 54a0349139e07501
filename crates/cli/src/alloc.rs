//! The allocator of the `diplomacy` binary and of `cargo xtask`: mimalloc (the release
//! allocates millions of small strings on two threads, which it does much faster than the
//! system allocator), and, where memory runs out, a clear message and exit code
//! [`EXIT_OUT_OF_MEMORY`] instead of an abort.
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
