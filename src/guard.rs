//! Panics turned into errors, for code run on hostile input that we cannot make total ourselves:
//! other crates' parsers. Fuzzing found dom_smoothie 0.19 panicking on a plain page (a character
//! of several bytes just before a video site's name), which ended the whole run; with this guard
//! one odd article costs a warning, not the brief.
//!
//! The panic's message goes into the error, not to standard error: the panic hook stays quiet
//! for panics inside a guard on the same thread, and passes every other panic on unchanged.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

/// Runs `f`; a panic inside it becomes `Err` with the panic's message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    GUARDS.with(|depth| depth.set(depth.get() + 1));
    // Whatever `f` left half-done is dropped with the panic: nothing it touched is used again.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDS.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

thread_local! {
    /// How many guards this thread is inside: guards nest (an article's reading holds the
    /// page's readability pass).
    static GUARDS: Cell<usize> = const { Cell::new(0) };
}

/// Installs, once, a panic hook that passes every panic to the hook before it, except those on a
/// thread inside a guard.
fn install_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDS.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_pass_and_panics_become_their_message() {
        assert_eq!(catch(|| 7), Ok(7));
        assert_eq!(catch(|| -> u8 { panic!("odd page") }), Err("odd page".to_string()));
        let at = 3;
        assert_eq!(catch(|| -> u8 { panic!("byte {at}") }), Err("byte 3".to_string()));
        assert_eq!(catch(|| -> u8 { std::panic::panic_any(5u8) }), Err("a panic without a message".to_string()));
    }

    #[test]
    fn guards_nest_and_unwind_to_zero() {
        let outer = catch(|| {
            let inner = catch(|| -> u8 { panic!("inner") });
            assert_eq!(GUARDS.with(Cell::get), 1);
            assert_eq!(inner, Err("inner".to_string()));
            panic!("outer");
        });
        assert_eq!(outer, Err::<(), _>("outer".to_string()));
        assert_eq!(GUARDS.with(Cell::get), 0);
    }
}
