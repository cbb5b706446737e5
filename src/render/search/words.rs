//! Words as the search finds them: text split into lowercase words, each reduced to its stem
//! ("webinars" and "webinar" are one word to a reader). `search.js` splits and stems a query
//! by the same rules, so what a reader types meets what the index holds.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Words longer than this are not indexed (and not looked up): they are identifiers or
/// addresses, not words a reader types.
pub const MAX_WORD_CHARS: usize = 40;

/// Splits text into lowercase words: runs of letters and digits, an apostrophe between two
/// of them kept ("mind's", typographic or not, is one word, whose stem is "mind"). Words
/// longer than [`MAX_WORD_CHARS`] are left out.
pub fn words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    each_word(text, |w| found.push(w.to_string()));
    found
}

/// Calls `f` with each word of `text` as [`words`] splits it, without allocating a string
/// for each (the index reads every word of every page).
pub fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lower = String::with_capacity(4 * MAX_WORD_CHARS);
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let (c, len) = char_at(text, at);
        if !c.is_alphanumeric() {
            at += len;
            continue;
        }
        let end = at + word_end(&text[at..]);
        let word = &text[at..end];
        at = end;
        if word.len() > MAX_WORD_CHARS && word.chars().nth(MAX_WORD_CHARS).is_some() {
            continue;
        }
        if word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'')
        {
            f(word);
        } else {
            lower.clear();
            lower.extend(word.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }));
            let lowered = lower.to_lowercase();
            f(&lowered);
        }
    }
}

/// The character at byte `at` of `text` and its length, ASCII read as a byte.
#[inline]
fn char_at(text: &str, at: usize) -> (char, usize) {
    match text.as_bytes()[at] {
        b if b.is_ascii() => (b as char, 1),
        _ => text[at..]
            .chars()
            .next()
            .map_or(('\0', 1), |c| (c, c.len_utf8())),
    }
}

/// The length of the word at the start of `text`.
fn word_end(text: &str) -> usize {
    let starts_word = |at: usize| text[at..].chars().next().is_some_and(char::is_alphanumeric);
    let (mut at, mut end) = (0, 0);
    let bytes = text.as_bytes();
    while at < bytes.len() {
        if bytes[at].is_ascii_alphanumeric() {
            at += 1;
            end = at;
            continue;
        }
        let (c, len) = char_at(text, at);
        if c.is_alphanumeric() {
            end = at + len;
        } else if !(is_apostrophe(c) && starts_word(at + len)) {
            break;
        }
        at += len;
    }
    end
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Reduces words to their stems in the site's language, and numbers the stems: a site uses
/// the same few thousand words over and over, so each word is stemmed once and a page's words
/// are counted by number.
pub struct Stemmer {
    snowball: Option<rust_stemmers::Stemmer>,
    /// Word -> the number of its stem.
    seen: HashMap<String, u32, Quick>,
    /// Stem -> its number.
    numbers: HashMap<Box<str>, u32, Quick>,
    /// The stems, by number.
    stems: Vec<Box<str>>,
}

impl Stemmer {
    /// A stemmer for a site in `language` (`en-GB`): English words are stemmed with the
    /// Snowball (Porter 2) algorithm, the only one `search.js` knows; words of other
    /// languages are kept whole.
    pub fn for_language(language: &str) -> Stemmer {
        Stemmer {
            snowball: is_english(language)
                .then(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)),
            seen: HashMap::default(),
            numbers: HashMap::default(),
            stems: Vec::new(),
        }
    }

    /// The number of the stem of a lowercase word.
    pub fn number(&mut self, word: &str) -> u32 {
        if let Some(n) = self.seen.get(word) {
            return *n;
        }
        let stem: Box<str> = match &self.snowball {
            Some(snowball) => snowball.stem(word).into(),
            None => word.into(),
        };
        let next = self.stems.len() as u32;
        let n = *self.numbers.entry(stem.clone()).or_insert(next);
        if n == next {
            self.stems.push(stem);
        }
        self.seen.insert(word.to_string(), n);
        n
    }

    /// The stem of a lowercase word.
    pub fn stem(&mut self, word: &str) -> &str {
        let n = self.number(word);
        &self.stems[n as usize]
    }

    /// The stems met so far, by number.
    pub fn into_stems(self) -> Vec<Box<str>> {
        self.stems
    }
}

/// A quicker hash than the standard library's for the words of a site's own text, which no
/// one picks to collide: the index looks up every word of every page.
type Quick = BuildHasherDefault<QuickHasher>;

/// The hasher of [`Quick`]: eight bytes at a time, multiplied and rotated.
#[derive(Default)]
pub struct QuickHasher(u64);

impl std::hash::Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The name of the stemmer `search.js` uses for a site's language, if it stems at all.
pub fn stemmer_name(language: &str) -> Option<&'static str> {
    is_english(language).then_some("english")
}

fn is_english(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        words(text)
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_in_lowercase() {
        assert_eq!(
            split("The Concordat’s 2017 launch — in Leeds (LS1 5JD), co-produced; café."),
            [
                "the",
                "concordat's",
                "2017",
                "launch",
                "in",
                "leeds",
                "ls1",
                "5jd",
                "co",
                "produced",
                "café"
            ]
        );
        assert_eq!(split("'quoted' rock'n'roll ''"), ["quoted", "rock'n'roll"]);
        assert!(split(&"x".repeat(MAX_WORD_CHARS + 1)).is_empty());
        assert_eq!(split(&"x".repeat(MAX_WORD_CHARS)).len(), 1);
    }

    #[test]
    fn english_words_are_stemmed_as_search_js_stems_them() {
        let mut stemmer = Stemmer::for_language("en-GB");
        // The same words and stems are checked against search.js in tests/browser.
        for (word, stem) in [
            ("webinars", "webinar"),
            ("webinar", "webinar"),
            ("volunteering", "volunt"),
            ("voluntary", "voluntari"),
            ("communities", "communiti"),
            ("generously", "generous"),
            ("concordat's", "concordat"),
            ("prevention", "prevent"),
            ("running", "run"),
            ("hoping", "hope"),
            ("skies", "sky"),
            ("news", "news"),
            ("ties", "tie"),
            ("cries", "cri"),
            ("gas", "gas"),
            ("yearly", "year"),
            ("sayyid", "sayyid"),
            ("2017", "2017"),
        ] {
            assert_eq!(stemmer.stem(word), stem, "{word}");
        }
        assert_eq!(Stemmer::for_language("cy").stem("webinars"), "webinars");
        assert_eq!(stemmer_name("EN"), Some("english"));
        assert_eq!(stemmer_name("fr-CA"), None);
    }
}
