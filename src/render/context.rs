//! A template's context with a print of everything put into it. `serve` renders a file again
//! exactly when its print changes, so a value a context builder adds is guarded the moment it
//! is added: no second list of what each file shows can forget it.

use serde::Serialize;
use tera::{Context, Value};

use crate::digest::{hash_of, hash_of_serialized};

/// A value with its print, for a value shared by many files (a section's lists, the site's
/// settings): printed once when it is built, not once per file that shows it.
pub type Printed = (Value, u64);

/// A value with the print of what it serialises to.
pub fn printed(value: Value) -> Printed {
    let print = hash_of_serialized(&value);
    (value, print)
}

/// A template context being filled, and the print of each value in it.
#[derive(Default)]
pub struct PrintedContext {
    context: Context,
    /// Each key with the print of its value.
    prints: Vec<(&'static str, u64)>,
}

impl PrintedContext {
    /// An empty context.
    pub fn new() -> PrintedContext {
        PrintedContext::default()
    }

    /// Sets `key` to `value`, printed from what it serialises to.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        let print = hash_of_serialized(&value);
        self.insert_printed(key, (value, print));
    }

    /// Sets `key` to any serialisable value.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert_value(key, Value::from_serializable(value));
    }

    /// Sets `key` to a value whose print is known already ([`printed`]).
    pub fn insert_printed(&mut self, key: &'static str, (value, print): Printed) {
        self.prints.retain(|(k, _)| *k != key);
        self.prints.push((key, print));
        self.context.insert_value(key, value);
    }

    /// The print of everything the context holds, whatever order it was filled in.
    pub fn print(&self) -> u64 {
        let mut prints = self.prints.clone();
        prints.sort_unstable();
        hash_of(&prints)
    }

    /// The context to render with.
    pub fn context(&self) -> &Context {
        &self.context
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_follows_every_value_and_not_the_order_of_insertion() {
        let mut a = PrintedContext::new();
        a.insert("title", "Home");
        a.insert("lang", "en");
        let mut b = PrintedContext::new();
        b.insert("lang", "en");
        b.insert("title", "Home");
        assert_eq!(a.print(), b.print());
        b.insert("title", "Hafan");
        assert_ne!(a.print(), b.print(), "a value set again is printed again");
        b.insert("title", "Home");
        b.insert("extra", &1);
        assert_ne!(a.print(), b.print(), "a value added is in the print");
    }
}
