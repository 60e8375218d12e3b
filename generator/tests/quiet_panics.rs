//! A panic caught by the generator prints nothing (its message comes back as an error), while
//! every other panic still reaches the hook that was there before. In its own test binary: the
//! panic hook is process-wide.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::sync::atomic::{AtomicUsize, Ordering};

static PRINTED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn caught_panics_are_silent_and_others_are_not() {
    std::panic::set_hook(Box::new(|_| {
        PRINTED.fetch_add(1, Ordering::SeqCst);
    }));

    let caught = generator::quietly(|| -> u32 { panic!("inside progenitor") });
    assert!(caught.is_err());
    assert_eq!(
        PRINTED.load(Ordering::SeqCst),
        0,
        "a caught panic was printed"
    );

    // A panic outside a guarded call (here on another thread) still reaches the hook.
    let other = std::thread::spawn(|| panic!("elsewhere")).join();
    assert!(other.is_err());
    assert_eq!(PRINTED.load(Ordering::SeqCst), 1);

    // And after a guarded call, this thread's own panics are printed again.
    let after = std::panic::catch_unwind(|| panic!("after"));
    assert!(after.is_err());
    assert_eq!(PRINTED.load(Ordering::SeqCst), 2);
}
