//! A template's context with a print of everything put into it. `serve` renders a file again
//! exactly when its print changes, so a value a context builder adds is guarded the moment it
//! is added: no second list of what each file shows can forget it. A build that prints
//! nothing pays nothing: a value is printed only when the print is asked for.
//!
//! A value built from parts that are printed already (a page's summary, its Markdown, a list
//! of summaries) is a [`Printed`] made of those parts, and prints from their prints: ten
//! thousand pages showing their neighbours' summaries do not serialise them again.

use std::hash::Hash;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::{Context, Value};

use crate::digest::{hash_of, hash_of_serialized};
use crate::markdown::Rendered;

/// A value with what it was made of, printed from that.
#[derive(Debug, Clone)]
pub struct Printed {
    value: Value,
    parts: Parts,
}

/// What a [`Printed`] value prints from.
#[derive(Debug, Clone)]
enum Parts {
    /// Its serialisation.
    Whole,
    /// A shared value, printed once.
    Shared(Arc<Shared>),
    /// One view of a file's Markdown, made by a function of it and of `extra` alone.
    Markdown(Arc<Rendered>, u64),
    /// The items of a list.
    Items(Vec<Printed>),
    /// A map's base (its other keys) and the keys set on it.
    Map(Option<Box<Printed>>, Vec<(&'static str, Printed)>),
}

impl Printed {
    /// A value printed from its serialisation.
    pub fn plain(value: Value) -> Printed {
        Printed {
            value,
            parts: Parts::Whole,
        }
    }

    /// A shared value, printed once however many values hold it.
    pub fn shared(shared: &Arc<Shared>) -> Printed {
        Printed {
            value: shared.value().clone(),
            parts: Parts::Shared(Arc::clone(shared)),
        }
    }

    /// What `show` makes of a file's Markdown and `extra`; printed from the Markdown's print
    /// and `extra`, which is all `show` (a function, not a closure) can read.
    pub fn markdown<E: Hash>(
        md: &Arc<Rendered>,
        extra: E,
        show: fn(&Rendered, &E) -> Value,
    ) -> Printed {
        Printed {
            value: show(md, &extra),
            parts: Parts::Markdown(Arc::clone(md), hash_of(&extra)),
        }
    }

    /// A list of values.
    pub fn list(items: Vec<Printed>) -> Printed {
        let value = Value::from(items.iter().map(|i| i.value.clone()).collect::<Vec<_>>());
        Printed {
            value,
            parts: Parts::Items(items),
        }
    }

    /// The map `base` (none: an empty map) with `fields` set on it.
    pub fn map(base: Option<Printed>, fields: Vec<(&'static str, Printed)>) -> Printed {
        let start = base.as_ref().and_then(|b| b.value.clone().into_map());
        let mut map = start.unwrap_or_default();
        for (key, field) in &fields {
            map.insert((*key).into(), field.value.clone());
        }
        Printed {
            value: Value::from(map),
            parts: Parts::Map(base.map(Box::new), fields),
        }
    }

    /// The value itself.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The print of the value, from its parts.
    pub fn print(&self) -> u64 {
        match &self.parts {
            Parts::Whole => hash_of_serialized(&self.value),
            Parts::Shared(shared) => shared.print(),
            Parts::Markdown(md, extra) => hash_of(&(md.print(), extra)),
            Parts::Items(items) => hash_of(&items.iter().map(Printed::print).collect::<Vec<_>>()),
            Parts::Map(base, fields) => {
                let fields: Vec<(&str, u64)> =
                    fields.iter().map(|(k, f)| (*k, f.print())).collect();
                hash_of(&(base.as_ref().map(|b| b.print()), fields))
            }
        }
    }
}

/// A value shared by many files (a section's lists, the site's settings, a page's summary),
/// printed at most once however many files show it.
#[derive(Debug)]
pub struct Shared {
    printed: Printed,
    print: OnceLock<u64>,
}

impl Shared {
    /// A value to share.
    pub fn new(value: Value) -> Arc<Shared> {
        Shared::of(Printed::plain(value))
    }

    /// A value to share, printed from its parts.
    pub fn of(printed: Printed) -> Arc<Shared> {
        Arc::new(Shared {
            printed,
            print: OnceLock::new(),
        })
    }

    /// The value itself.
    pub fn value(&self) -> &Value {
        &self.printed.value
    }

    /// The print of the value, worked out on first use.
    pub fn print(&self) -> u64 {
        *self.print.get_or_init(|| self.printed.print())
    }
}

/// A template context being filled, and how to print each value in it.
#[derive(Default)]
pub struct PrintedContext {
    context: Context,
    /// Each key, with the value it holds and what it prints from.
    keys: Vec<(&'static str, Printed)>,
}

impl PrintedContext {
    /// An empty context.
    pub fn new() -> PrintedContext {
        PrintedContext::default()
    }

    /// Sets `key` to `value`.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        self.insert_printed(key, Printed::plain(value));
    }

    /// Sets `key` to any serialisable value.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert_value(key, Value::from_serializable(value));
    }

    /// Sets `key` to a value shared with other files.
    pub fn insert_shared(&mut self, key: &'static str, shared: &Arc<Shared>) {
        self.insert_printed(key, Printed::shared(shared));
    }

    /// Sets `key` to a value printed from its parts.
    pub fn insert_printed(&mut self, key: &'static str, printed: Printed) {
        self.context.insert_value(key, printed.value.clone());
        self.keys.retain(|(k, _)| *k != key);
        self.keys.push((key, printed));
    }

    /// The print of everything the context holds, whatever order it was filled in.
    pub fn print(&self) -> u64 {
        let mut prints: Vec<(&str, u64)> = self
            .keys
            .iter()
            .map(|(key, printed)| (*key, printed.print()))
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

    fn markdown(html: &str) -> Arc<Rendered> {
        let mut md = Rendered::failed(crate::diagnostics::Diagnostic::general("unread"));
        md.html = html.to_string();
        Arc::new(md)
    }

    fn page(md: &Arc<Rendered>, summary: &Arc<Shared>, next: &str) -> Printed {
        Printed::map(
            Some(Printed::shared(summary)),
            vec![
                (
                    "content",
                    Printed::markdown(md, (), |md, _| Value::safe_string(&md.html)),
                ),
                ("next", Printed::plain(Value::from(next))),
            ],
        )
    }

    #[test]
    fn a_value_made_of_printed_parts_follows_each_part() {
        let summary = Shared::new(Value::from("A summary"));
        let before = page(&markdown("<p>One</p>"), &summary, "/b/");
        assert_eq!(
            before.print(),
            page(&markdown("<p>One</p>"), &summary, "/b/").print(),
            "the same Markdown read again prints the same"
        );
        let edited = page(&markdown("<p>Two</p>"), &summary, "/b/");
        assert_ne!(before.print(), edited.print(), "the body changed");
        let other = Shared::new(Value::from("Another summary"));
        let retitled = page(&markdown("<p>One</p>"), &other, "/b/");
        assert_ne!(before.print(), retitled.print(), "the summary changed");
        let moved = page(&markdown("<p>One</p>"), &summary, "/c/");
        assert_ne!(before.print(), moved.print(), "a plain field changed");
        let value = before.value();
        assert_eq!(value.get_from_path("next"), Some(&Value::from("/b/")));
        let content = value.get_from_path("content");
        assert_eq!(content.and_then(Value::as_str), Some("<p>One</p>"));
    }

    #[test]
    fn a_list_prints_its_items_in_order() {
        let (a, b) = (Shared::new(Value::from("a")), Shared::new(Value::from("b")));
        let ab = Printed::list(vec![Printed::shared(&a), Printed::shared(&b)]);
        let ba = Printed::list(vec![Printed::shared(&b), Printed::shared(&a)]);
        assert_ne!(ab.print(), ba.print());
        assert_eq!(ab.value().as_array().map(<[Value]>::len), Some(2));
    }
}
