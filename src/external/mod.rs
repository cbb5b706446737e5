//! `pamphlet check --external`: every `http(s)` link of the site tried over the network — a
//! bounded number at a time, each with a timeout, `HEAD` then `GET` where `HEAD` is refused —
//! and each broken one a warning at every place it is written. Results, good and broken, are
//! kept in `.pamphlet-cache/` for `--max-age`. This is the only code that goes to the network,
//! and `build` never calls it.

mod cache;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::build::ExternalLink;
use crate::diagnostics::Diagnostic;
use cache::{Cache, Entry};

pub use cache::DIR as CACHE_DIR;

/// The environment variable that sets each request's timeout in milliseconds (tests use a
/// short one); 10 seconds without it.
pub const TIMEOUT_VARIABLE: &str = "PAMPHLET_EXTERNAL_TIMEOUT_MS";

/// How the links are tried.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long a result is kept: a link tried more recently is not tried again.
    pub max_age: Duration,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many requests may be under way at once.
    pub at_once: usize,
}

impl Options {
    /// Results kept for `max_age`, 8 requests at a time, each with the timeout of
    /// [`TIMEOUT_VARIABLE`], else 10 seconds.
    pub fn new(max_age: Duration) -> Options {
        let timeout = std::env::var(TIMEOUT_VARIABLE)
            .ok()
            .and_then(|ms| ms.trim().parse().ok())
            .map_or(Duration::from_secs(10), Duration::from_millis);
        Options {
            max_age,
            timeout,
            at_once: 8,
        }
    }
}

/// What came of trying an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It answered with a page (after any redirects).
    Good,
    /// It did not: why (`404 Not Found`, `no such host`, `timed out after 10 s`).
    Broken(String),
}

/// What a run of the check did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// A warning at each place a broken link is written.
    pub warnings: Vec<Diagnostic>,
    /// How many addresses the site links to.
    pub addresses: usize,
    /// How many were tried over the network (the others' results were remembered).
    pub tried: usize,
    /// How many are broken.
    pub broken: usize,
}

/// `--max-age`: a number and a unit, `s`, `m`, `h` or `d` (`12h`, `30m`, `0s`, `1d`), or
/// several (`1h30m`).
pub fn parse_max_age(text: &str) -> Result<Duration, String> {
    let wrong =
        || format!("\"{text}\" is not a duration; write a number and a unit: 12h, 30m, 0s, 1d");
    let mut seconds = 0u64;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return Err(wrong()),
        };
        let n: u64 = number.parse().map_err(|_| wrong())?;
        seconds = seconds.saturating_add(n.saturating_mul(unit));
        number.clear();
    }
    match number.is_empty() && !text.trim().is_empty() {
        true => Ok(Duration::from_secs(seconds)),
        false => Err(wrong()),
    }
}

/// Tries every address `links` name that the cache of the site at `root` does not remember
/// from less than `max_age` ago, remembers the results, and warns of each broken link at
/// each place it is written.
pub fn check(root: &Path, links: &[ExternalLink], options: &Options) -> Report {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = Cache::load(root);
    let addresses: BTreeSet<&str> = links.iter().map(|l| address(&l.url)).collect();
    let max_age = options.max_age.as_secs();
    let stale: Vec<&str> = addresses
        .iter()
        .copied()
        .filter(|a| cache.fresh(a, now, max_age).is_none())
        .collect();
    for (url, outcome) in try_all(&stale, options) {
        cache.insert(
            url.to_string(),
            Entry {
                checked: now,
                outcome,
            },
        );
    }
    let mut report = Report {
        addresses: addresses.len(),
        tried: stale.len(),
        ..Report::default()
    };
    if let Err(e) = cache.save(root) {
        report.warnings.push(
            Diagnostic::general(format!(
                "cannot keep the results in {}: {e}",
                cache::path(root).display()
            ))
            .into_warning(),
        );
    }
    let mut broken = BTreeSet::new();
    for link in links {
        let Some(Outcome::Broken(why)) = cache.fresh(address(&link.url), now, u64::MAX) else {
            continue;
        };
        broken.insert(address(&link.url));
        report.warnings.extend(warnings(root, link, why, options));
    }
    report.broken = broken.len();
    crate::diagnostics::sort(&mut report.warnings);
    report
}

/// An address without its fragment: what is asked for.
fn address(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// The warnings for a broken link: one at each place it is written.
fn warnings(root: &Path, link: &ExternalLink, why: &str, options: &Options) -> Vec<Diagnostic> {
    let hint = match why {
        "no such host" => "the address's host does not exist: check its spelling, or link to where the page is now".to_string(),
        why if why.starts_with("timed out") || why == "connection refused" => format!(
            "the server did not answer; it may be down for a while: check again later (results are kept for {}; --max-age 0s asks again now)",
            shown(options.max_age)
        ),
        _ => "the page may have moved or gone: open the address in a browser and link to where it is now, or remove the link".to_string(),
    };
    let mut texts: BTreeMap<&Path, String> = BTreeMap::new();
    link.places
        .iter()
        .map(|place| {
            let text = texts.entry(place.file.as_path()).or_insert_with(|| {
                std::fs::read_to_string(root.join(&place.file)).unwrap_or_default()
            });
            let field = place
                .field
                .as_deref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            let message = format!("{field}external link {} is broken: {why}", link.url);
            Diagnostic::warning(&place.file, place.line, place.col, message)
                .with_hint(hint.clone())
                .with_source(text)
        })
        .collect()
}

/// A duration as `--max-age` takes it.
fn shown(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// Tries each address, `options.at_once` at a time.
fn try_all<'a>(addresses: &[&'a str], options: &Options) -> Vec<(&'a str, Outcome)> {
    if addresses.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "pamphlet/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(addresses.len()));
    std::thread::scope(|scope| {
        for _ in 0..options.at_once.clamp(1, addresses.len()) {
            scope.spawn(|| {
                while let Some(url) = addresses.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let outcome = try_one(&agent, url, options.timeout);
                    if let Ok(mut done) = results.lock() {
                        done.push((*url, outcome));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.0.cmp(b.0));
    results
}

/// `HEAD`, then `GET` if the server refuses `HEAD` (405, 501).
fn try_one(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    let head = agent.head(url).call();
    let refused = |r: &ureq::http::Response<ureq::Body>| matches!(r.status().as_u16(), 405 | 501);
    match head {
        Ok(r) if refused(&r) => judge(agent.get(url).call(), url, timeout),
        other => judge(other, url, timeout),
    }
}

/// What a response, or the failure to get one, says of an address.
fn judge(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    url: &str,
    timeout: Duration,
) -> Outcome {
    let timed_out = || {
        let ms = timeout.as_millis();
        match ms % 1000 {
            0 => format!("timed out after {} s", ms / 1000),
            _ => format!("timed out after {ms} ms"),
        }
    };
    let status = match result {
        Ok(response) => response.status(),
        Err(ureq::Error::Timeout(_)) => return Outcome::Broken(timed_out()),
        Err(ureq::Error::HostNotFound) => return Outcome::Broken("no such host".into()),
        Err(ureq::Error::Io(e)) => {
            return Outcome::Broken(match e.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
                std::io::ErrorKind::TimedOut => timed_out(),
                _ if !resolves(url) => "no such host".into(),
                _ => e.to_string(),
            })
        }
        Err(e) => return Outcome::Broken(e.to_string()),
    };
    match status.as_u16() {
        code if code < 400 => Outcome::Good,
        code => Outcome::Broken(
            format!("{code} {}", status.canonical_reason().unwrap_or_default())
                .trim_end()
                .to_string(),
        ),
    }
}

/// Whether the host of an `http(s)` URL has an address.
fn resolves(url: &str) -> bool {
    use std::net::ToSocketAddrs;
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    let with_port = match authority.rsplit_once(':') {
        Some((_, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            authority.to_string()
        }
        _ => format!("{authority}:{port}"),
    };
    with_port
        .to_socket_addrs()
        .is_ok_and(|mut a| a.next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_ages_are_a_number_and_a_unit() {
        assert_eq!(parse_max_age("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_max_age("30m"), Ok(Duration::from_secs(1_800)));
        assert_eq!(parse_max_age("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_max_age("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_max_age("1h30m"), Ok(Duration::from_secs(5_400)));
        for wrong in ["", "12", "h", "1w", "-1d", "1.5h"] {
            assert!(parse_max_age(wrong).is_err(), "{wrong:?}");
        }
    }
}
