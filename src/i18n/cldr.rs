//! What CLDR knows about a language, through ICU4X's compiled data: its month and day names,
//! its date and time patterns, its plural categories and the direction of its script.
//!
//! The formatters are made once per language and shared by every page written in it.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{self, T};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_locale::{LanguageIdentifier, Locale, LocaleDirectionality};
use icu_plurals::{PluralCategory, PluralRules};
use icu_time::Time;
use jiff::civil;

/// The formatters of one language.
pub struct Cldr {
    full_date: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMDE>,
    long_date: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>,
    time: FixedCalendarDateTimeFormatter<Gregorian, T>,
    month: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::M>,
    short_month: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::M>,
    weekday: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::E>,
    short_weekday: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::E>,
    plurals: PluralRules,
    rtl: bool,
}

impl std::fmt::Debug for Cldr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cldr").field("rtl", &self.rtl).finish()
    }
}

/// The BCP 47 tag as ICU4X reads it; a tag it cannot read is taken as English (the caller
/// has already warned about the language).
pub fn locale_of(tag: &str) -> Locale {
    Locale::try_from_str(tag)
        .or_else(|_| Locale::try_from_str(tag.split(['-', '_']).next().unwrap_or("en")))
        .unwrap_or(icu_locale::locale!("en"))
}

/// Whether CLDR knows the language of `tag` at all (it knows the script, hence the direction,
/// of every language it describes): what tells a language suffix (`about.cy.md`) from a
/// part of a name (`report.v2.md`).
pub fn knows(tag: &str) -> bool {
    let Ok(locale) = Locale::try_from_str(tag) else {
        return false;
    };
    let id: &LanguageIdentifier = &locale.id;
    LocaleDirectionality::new_common().get(id).is_some()
}

impl Cldr {
    /// The formatters for `tag`, falling back as CLDR does (`cy-GB` → `cy` → root).
    pub fn new(tag: &str) -> Cldr {
        let locale = locale_of(tag);
        let prefs = (&locale).into();
        // Compiled data covers every locale, falling back to root: these cannot fail for the
        // field sets asked for, but if one ever did, English still gives a page.
        macro_rules! formatter {
            ($set:expr) => {
                FixedCalendarDateTimeFormatter::try_new(prefs, $set).unwrap_or_else(|_| {
                    FixedCalendarDateTimeFormatter::try_new(
                        (&icu_locale::locale!("en")).into(),
                        $set,
                    )
                    .expect("compiled CLDR data has English")
                })
            };
        }
        Cldr {
            full_date: formatter!(fieldsets::YMDE::long()),
            long_date: formatter!(fieldsets::YMD::long()),
            time: formatter!(T::hm()),
            month: formatter!(fieldsets::M::long()),
            short_month: formatter!(fieldsets::M::medium()),
            weekday: formatter!(fieldsets::E::long()),
            short_weekday: formatter!(fieldsets::E::medium()),
            plurals: PluralRules::try_new_cardinal((&locale).into())
                .or_else(|_| PluralRules::try_new_cardinal((&icu_locale::locale!("en")).into()))
                .expect("compiled CLDR data has English"),
            rtl: LocaleDirectionality::new_common().is_right_to_left(&locale.id),
        }
    }

    /// "Tuesday, 14 March 2017" in British English, "Dydd Mawrth, 14 Mawrth 2017" in Welsh.
    pub fn full_date(&self, d: civil::Date) -> String {
        self.full_date.format(&gregorian(d)).to_string()
    }

    /// "14 March 2017".
    pub fn long_date(&self, d: civil::Date) -> String {
        self.long_date.format(&gregorian(d)).to_string()
    }

    /// "10:00" (or "10:00 AM" where the language reads a 12-hour clock).
    pub fn time(&self, t: civil::Time) -> String {
        let time =
            Time::try_new(t.hour() as u8, t.minute() as u8, 0, 0).unwrap_or(Time::start_of_day());
        self.time.format(&time).to_string()
    }

    /// The month's name, in full ("Mawrth") or short ("Maw").
    pub fn month(&self, d: civil::Date, short: bool) -> String {
        let f = if short {
            &self.short_month
        } else {
            &self.month
        };
        f.format(&gregorian(d)).to_string()
    }

    /// The day of the week's name, in full ("Dydd Mawrth") or short.
    pub fn weekday(&self, d: civil::Date, short: bool) -> String {
        let f = if short {
            &self.short_weekday
        } else {
            &self.weekday
        };
        f.format(&gregorian(d)).to_string()
    }

    /// The CLDR plural category of `n` in this language ("one", "two", "few", ...).
    pub fn plural(&self, n: i64) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }
}

fn gregorian(d: civil::Date) -> Date<Gregorian> {
    Date::try_new_gregorian(i32::from(d.year()), d.month() as u8, d.day() as u8)
        .unwrap_or_else(|_| Date::try_new_gregorian(1970, 1, 1).expect("a valid date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> civil::Date {
        civil::date(2017, 3, 14)
    }

    #[test]
    fn welsh_and_english_dates_follow_cldr() {
        let cy = Cldr::new("cy");
        assert_eq!(cy.full_date(day()), "Dydd Mawrth, 14 Mawrth 2017");
        assert_eq!(cy.month(day(), false), "Mawrth");
        assert_eq!(cy.weekday(day(), false), "Dydd Mawrth");
        let en = Cldr::new("en-GB");
        assert_eq!(en.full_date(day()), "Tuesday, 14 March 2017");
        assert_eq!(en.long_date(day()), "14 March 2017");
        assert_eq!(en.time(civil::time(10, 0, 0, 0)), "10:00");
    }

    #[test]
    fn welsh_has_six_plural_categories() {
        let cy = Cldr::new("cy");
        let seen: Vec<&str> = [0, 1, 2, 3, 6, 7].iter().map(|n| cy.plural(*n)).collect();
        assert_eq!(seen, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(Cldr::new("en").plural(1), "one");
        assert_eq!(Cldr::new("en").plural(2), "other");
    }

    #[test]
    fn arabic_is_right_to_left() {
        assert!(Cldr::new("ar").is_rtl());
        assert!(Cldr::new("he").is_rtl());
        assert!(!Cldr::new("cy").is_rtl());
        assert!(knows("cy") && !knows("qq"));
    }
}
