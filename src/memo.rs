//! Memos: answers worked out from a text alone (a line's boilerplate patterns, a sentence's
//! loaded words), remembered per thread by text, because syndicated copies repeat lines and
//! sentences word for word. At 10,000 articles the benchmark corpus has 301,467 lines but only
//! 54,190 distinct ones.

use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh owner id for [`TextMemo`], for data (a lexicon, a set of patterns) that can be built
/// more than once in a process.
pub fn owner_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Answers worked out from a text alone, remembered per thread by text: syndicated copies repeat
/// sentences word for word. Each answer also belongs to an owner (an [`owner_id`]; 0 where there
/// is only one), and a new owner starts the memo afresh, as does reaching `MEMO_SIZE` texts.
/// Remembering cannot change any output.
pub struct TextMemo<V: ?Sized> {
    owner: u64,
    by_text: rustc_hash::FxHashMap<Box<str>, std::rc::Rc<V>>,
}

impl<V: ?Sized> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo { owner: 0, by_text: Default::default() }
    }
}

/// The most texts a memo holds before starting afresh.
const MEMO_SIZE: usize = 100_000;

impl<V: ?Sized> TextMemo<V> {
    /// The answer for `text`, worked out with `make` the first time it is asked for.
    pub fn get(
        memo: &'static std::thread::LocalKey<std::cell::RefCell<TextMemo<V>>>,
        owner: u64,
        text: &str,
        make: impl FnOnce() -> std::rc::Rc<V>,
    ) -> std::rc::Rc<V> {
        memo.with(|memo| {
            if let Some(found) = memo.borrow().by_text.get(text).filter(|_| memo.borrow().owner == owner) {
                return found.clone();
            }
            let found = make();
            let mut memo = memo.borrow_mut();
            if memo.owner != owner || memo.by_text.len() >= MEMO_SIZE {
                memo.owner = owner;
                memo.by_text.clear();
            }
            memo.by_text.insert(text.into(), found.clone());
            found
        })
    }
}
