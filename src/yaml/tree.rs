//! Where everything in a YAML document is written: the one reader of positions and keys.
//!
//! The typed parse says what is wrong and roughly where; this tree, parsed from the same text
//! with the parser's own spans, answers the questions a good message asks next: which key a
//! value belongs to, what the value says, where the value of `venue.name` is. It is right in
//! block and flow (`{ a: 1 }`) style alike, because the parser, not a scan of lines, found it.

use std::ops::Range;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Budget, DuplicateKeyPolicy, Location, NonFiniteFloatPolicy, Spanned};

/// How deeply the tree may be nested. Each level of a spanned parse takes much of a thread's
/// stack (some 40 kB in a debug build), so this is well below the parser's own limit of 64;
/// no front matter or site.yaml comes near it.
const MAX_DEPTH: usize = 32;

/// A 1-based line and column (counted in characters, as the parser counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A YAML document reduced to its shape and where each of its parts is written.
#[derive(Debug, Clone)]
pub(super) struct Tree {
    root: Node,
}

/// One value and where it is written.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// Where it starts (where it is used, for a value an alias brings).
    pub at: Pos,
    /// The byte offset where it starts, and for a scalar the length of its text as written
    /// (quotes included).
    bytes: (usize, usize),
    pub kind: Kind,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// Text, a number, true/false, or nothing.
    Scalar,
    /// A mapping, its entries in the order written (a repeated key is kept twice).
    Map(Vec<Entry>),
    /// A list.
    Seq(Vec<Node>),
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The key as the parser reads it (unquoted, escapes resolved).
    pub key: String,
    /// Where the key is written.
    pub key_at: Pos,
    /// The byte offset of the key.
    pub key_byte: usize,
    pub value: Node,
}

impl Tree {
    /// Parses `yaml`; `None` when it is not YAML (a syntax error, an unknown alias, too many
    /// values) or is nested more than [`MAX_DEPTH`] levels. A key written twice is kept
    /// twice, so that both can be pointed at.
    pub fn parse(yaml: &str) -> Option<Tree> {
        let mut budget = Budget::default();
        budget.max_depth = MAX_DEPTH;
        let options = serde_saphyr::options! {
            budget: Some(budget),
            duplicate_keys: DuplicateKeyPolicy::PassThrough,
            non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
            with_snippet: false,
        };
        let root = serde_saphyr::from_str_with_options::<Spanned<Shape>>(yaml, options).ok()?;
        Some(Tree { root: node(root)? })
    }

    /// The entries of the top-level mapping; `None` when the document is not one.
    pub fn top_level(&self) -> Option<&[Entry]> {
        match &self.root.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Where the document's top-level mapping starts, to tell a block mapping (it starts at
    /// its first key) from a flow one (`{`).
    pub fn root_at(&self) -> Pos {
        self.root.at
    }

    /// The node at a dotted `key_path` (`venue.name`; a number picks a list item,
    /// `menu.2.url`), and the entry holding it when it is a mapping's value. The first of
    /// a key written twice.
    pub fn find(&self, key_path: &str) -> Option<(&Node, Option<&Entry>)> {
        let mut found = (&self.root, None);
        for part in key_path.split('.') {
            found = match &found.0.kind {
                Kind::Map(entries) => {
                    let entry = entries.iter().find(|e| e.key == part)?;
                    (&entry.value, Some(entry))
                }
                Kind::Seq(items) => (items.get(part.parse::<usize>().ok()?)?, None),
                Kind::Scalar => return None,
            };
        }
        Some(found)
    }

    /// The entry whose key is written at `at`.
    pub fn key_at(&self, at: Pos) -> Option<&Entry> {
        self.entries().find(|e| e.key_at == at)
    }

    /// The dotted path of the entry a value or key written at `at` belongs to
    /// (`registration.capacity`): the innermost entry holding it, itself or inside a list
    /// (`tags` for the `[b]` of `tags: [a, [b]]`), after the entries holding that one; a
    /// list item between two keys is its number (`menu.0.url`). A block mapping starts
    /// where its first key is written: an error there is about the entry holding the mapping
    /// (`title:` given `a: b` below it), not about `a`. `None` when no entry holds it or the
    /// innermost key is empty.
    pub fn path_at(&self, at: Pos) -> Option<String> {
        let mut steps = holder(&self.root, at)?;
        steps.reverse();
        while let Some(Step::Item(_)) = steps.last() {
            steps.pop();
        }
        match steps.last() {
            Some(Step::Key(key)) if !key.is_empty() => {}
            _ => return None,
        }
        let parts: Vec<String> = steps
            .iter()
            .map(|s| match s {
                Step::Key(key) => key.to_string(),
                Step::Item(n) => n.to_string(),
            })
            .collect();
        Some(parts.join("."))
    }

    /// The scalar value (not a key) written at `at`.
    pub fn scalar_at(&self, at: Pos) -> Option<&Node> {
        let mut nodes = Vec::new();
        collect(&self.root, &mut nodes);
        nodes
            .into_iter()
            .find(|n| n.at == at && matches!(n.kind, Kind::Scalar))
    }

    /// Every mapping entry of the document, outermost first.
    fn entries(&self) -> impl Iterator<Item = &Entry> {
        let mut nodes = Vec::new();
        collect(&self.root, &mut nodes);
        nodes.into_iter().flat_map(|n| match &n.kind {
            Kind::Map(entries) => entries.as_slice(),
            _ => &[],
        })
    }
}

impl Node {
    /// The bytes of `yaml` each entry of a mapping takes, from its key to the next key (the
    /// comma between them included), to leave it out and read the others without it. The
    /// last runs to `end` (where the mapping's entry ends) in block style, to the closing
    /// brace in flow style. `None` when the node is not a mapping or the bytes cannot be told.
    pub fn entry_spans(&self, yaml: &str, end: usize) -> Option<Vec<(&Entry, Range<usize>)>> {
        let Kind::Map(entries) = &self.kind else {
            return None;
        };
        let block = entries.first().is_some_and(|e| e.key_at == self.at);
        let last_end = match entries.last() {
            Some(last) if !block => closing(yaml, last.value.end(yaml)?)?,
            _ => end,
        };
        let ends = entries.iter().skip(1).map(|e| e.key_byte);
        let spans: Vec<_> = entries
            .iter()
            .zip(ends.chain([last_end]))
            .map(|(e, end)| (e, e.key_byte..end))
            .collect();
        let in_order = spans.iter().all(|(_, r)| r.start < r.end && r.end <= end);
        in_order.then_some(spans)
    }

    /// The byte just after the node in `yaml`, for a node written in flow style (a scalar, or
    /// a collection that ends with its closing bracket).
    fn end(&self, yaml: &str) -> Option<usize> {
        let (start, len) = self.bytes;
        let last = match &self.kind {
            Kind::Scalar => return Some(start + len),
            Kind::Map(entries) => entries.last().map(|e| &e.value),
            Kind::Seq(items) => items.last(),
        };
        let inside = match last {
            Some(node) => node.end(yaml)?,
            None => start + 1,
        };
        closing(yaml, inside).map(|at| at + 1)
    }

    /// The node's text as written in `yaml`, for a scalar (quotes included).
    pub fn text<'y>(&self, yaml: &'y str) -> Option<&'y str> {
        let (start, len) = self.bytes;
        match self.kind {
            Kind::Scalar => yaml.get(start..start + len),
            _ => None,
        }
    }
}

/// One step of the way from the root to a value: a mapping's key or a list's item.
enum Step<'t> {
    Key(&'t str),
    Item(usize),
}

/// The steps from `node` to the value or key written at `at`, innermost first: `None` when
/// nothing under `node` is written there.
fn holder(node: &Node, at: Pos) -> Option<Vec<Step<'_>>> {
    if node.at == at {
        return Some(Vec::new());
    }
    match &node.kind {
        Kind::Map(entries) => entries.iter().find_map(|e| {
            let mut steps = match e.key_at == at {
                true => Vec::new(),
                false => holder(&e.value, at)?,
            };
            steps.push(Step::Key(&e.key));
            Some(steps)
        }),
        Kind::Seq(items) => items.iter().enumerate().find_map(|(n, i)| {
            let mut steps = holder(i, at)?;
            steps.push(Step::Item(n));
            Some(steps)
        }),
        Kind::Scalar => None,
    }
}

/// The closing bracket of a flow collection after `from`, the end of its last value: only
/// blanks, commas and comments may come between.
fn closing(yaml: &str, from: usize) -> Option<usize> {
    let mut rest = yaml.get(from..)?.char_indices();
    while let Some((i, c)) = rest.next() {
        match c {
            '}' | ']' => return Some(from + i),
            '#' => {
                rest.find(|(_, c)| matches!(c, '\n' | '\r'));
            }
            ',' => {}
            ' ' | '\t' | '\n' | '\r' => {}
            _ => return None,
        }
    }
    None
}

/// Every node under `node` (itself included), outermost first.
fn collect<'t>(node: &'t Node, out: &mut Vec<&'t Node>) {
    out.push(node);
    match &node.kind {
        Kind::Map(entries) => entries.iter().for_each(|e| collect(&e.value, out)),
        Kind::Seq(items) => items.iter().for_each(|i| collect(i, out)),
        Kind::Scalar => {}
    }
}

fn pos(at: &Location) -> Option<Pos> {
    (at.line() > 0).then(|| Pos {
        line: at.line() as usize,
        col: at.column().max(1) as usize,
    })
}

fn byte_offset(at: &Location) -> Option<usize> {
    usize::try_from(at.span().byte_offset()?).ok()
}

/// A [`Node`] from what the parser read; `None` if a part has no position (it always has
/// one when read from text).
fn node(read: Spanned<Shape>) -> Option<Node> {
    let at = &read.referenced;
    let start = byte_offset(at)?;
    let len = at
        .span()
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    let kind = match read.value {
        Shape::Scalar => Kind::Scalar,
        Shape::Seq(items) => Kind::Seq(items.into_iter().map(node).collect::<Option<_>>()?),
        Shape::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    Some(Entry {
                        key_at: pos(&key.referenced)?,
                        key_byte: byte_offset(&key.referenced)?,
                        key: key.value.0,
                        value: node(value)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
    };
    Some(Node {
        at: pos(at)?,
        bytes: (start, len),
        kind,
    })
}

/// The shape of a value as the parser reads it, each part with its position.
enum Shape {
    Map(Vec<(Spanned<KeyText>, Spanned<Shape>)>),
    Seq(Vec<Spanned<Shape>>),
    Scalar,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

/// Builds a [`Shape`] from whatever the YAML holds.
struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_i128<E>(self, _: i128) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_u128<E>(self, _: u128) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Shape::Map(entries))
    }
}

/// A mapping key as text, whatever scalar it is written as.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyText;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_i128<E>(self, v: i128) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_u128<E>(self, v: u128) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}
