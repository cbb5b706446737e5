//! A template's context with a print of everything put into it. `serve` renders a file again
//! exactly when its print changes, so a value a context builder adds is guarded the moment it
//! is added: no second list of what each file shows can forget it. A build that prints
//! nothing pays nothing: a value is printed only when the print is asked for.

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::{Context, Value};

use crate::digest::{hash_of, hash_of_serialized};

/// A value shared by many files (a section's lists, the site's settings), printed at most
/// once however many files show it.
#[derive(Debug)]
pub struct Shared {
    value: Value,
    print: OnceLock<u64>,
}

impl Shared {
    /// A value to share.
    pub fn new(value: Value) -> Arc<Shared> {
        Arc::new(Shared {
            value,
            print: OnceLock::new(),
        })
    }

    /// The value itself.
    pub fn value(&self) -> &Value {
        &self.value
    }

    fn print(&self) -> u64 {
        *self.print.get_or_init(|| hash_of_serialized(&self.value))
    }
}

/// A template context being filled, and how to print each value in it.
#[derive(Default)]
pub struct PrintedContext {
    context: Context,
    /// Each key, with the shared value it holds (printed once for all files) if it is one.
    keys: Vec<(&'static str, Option<Arc<Shared>>)>,
}

impl PrintedContext {
    /// An empty context.
    pub fn new() -> PrintedContext {
        PrintedContext::default()
    }

    /// Sets `key` to `value`.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        self.set(key, None);
        self.context.insert_value(key, value);
    }

    /// Sets `key` to any serialisable value.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert_value(key, Value::from_serializable(value));
    }

    /// Sets `key` to a value shared with other files.
    pub fn insert_shared(&mut self, key: &'static str, shared: &Arc<Shared>) {
        self.context.insert_value(key, shared.value.clone());
        self.set(key, Some(Arc::clone(shared)));
    }

    fn set(&mut self, key: &'static str, shared: Option<Arc<Shared>>) {
        self.keys.retain(|(k, _)| *k != key);
        self.keys.push((key, shared));
    }

    /// The print of everything the context holds, whatever order it was filled in.
    pub fn print(&self) -> u64 {
        let mut prints: Vec<(&str, u64)> = self
            .keys
            .iter()
            .map(|(key, shared)| {
                let print = match shared {
                    Some(shared) => shared.print(),
                    None => self.context.get(key).map_or(0, hash_of_serialized),
                };
                (*key, print)
            })
            .collect();
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

    #[test]
    fn a_shared_value_prints_as_the_same_value_given_alone() {
        let list = Value::from(vec![Value::from("a"), Value::from("b")]);
        let mut alone = PrintedContext::new();
        alone.insert_value("pages", list.clone());
        let mut shared = PrintedContext::new();
        shared.insert_shared("pages", &Shared::new(list));
        assert_eq!(alone.print(), shared.print());
    }
}
