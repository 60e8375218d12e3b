//! Running code that may panic (progenitor, typify) so that its panic becomes an error: caught,
//! and without the panic hook's message on stderr, since the caller reports it in its own words.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs a guarded call: its panics are caught and reported as
    /// errors, so the panic hook must not also print them.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `call`, catching a panic without the panic hook's `thread '…' panicked at` line (and
/// backtrace) on stderr: the caller turns it into one clear error. Only this thread's panics
/// inside the call are silenced; every other panic still reaches the previous hook.
pub fn quietly<T>(call: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(call));
    QUIET.with(|q| q.set(was));
    outcome
}

/// The text of a caught panic.
pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-text payload".to_string())
}
