//! Writes the benchmark corpus to a folder, for timing `pamphlet build` by hand:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 10000 --out /dev/shm/corpus10k
//! target/release/pamphlet build --root /dev/shm/corpus10k --out /dev/shm/out10k --now 2026-11-24T12:00
//! ```
//!
//! Options: `--pages N` (at least 20), `--out DIR`, `--seed S` (default 42) and `--force`
//! (delete DIR first when it is not empty). Prints the corpus manifest as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

const USAGE: &str = "usage: gen_corpus --pages N --out DIR [--seed S] [--force]";

struct Args {
    pages: usize,
    out: PathBuf,
    seed: u64,
    force: bool,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut pages, mut out, mut seed, mut force) = (None, None, corpus::DEFAULT_SEED, false);
    while let Some(arg) = argv.next() {
        let mut value = |name: &str| argv.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--pages" => {
                let v = value("--pages")?;
                pages = Some(
                    v.parse()
                        .map_err(|_| format!("--pages: {v:?} is not a number"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: {v:?} is not a number"))?;
            }
            "--force" => force = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let pages = pages.ok_or("--pages is required")?;
    if pages < corpus::MIN_PAGES {
        return Err(format!("--pages must be at least {}", corpus::MIN_PAGES));
    }
    let out = out.ok_or("--out is required")?;
    Ok(Args {
        pages,
        out,
        seed,
        force,
    })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Ok(mut entries) = std::fs::read_dir(&args.out) {
        if entries.next().is_some() {
            if !args.force {
                eprintln!(
                    "error: {} exists and is not empty (use --force to replace it)",
                    args.out.display()
                );
                return ExitCode::from(2);
            }
            if let Err(e) = std::fs::remove_dir_all(&args.out) {
                eprintln!("error: cannot remove {}: {e}", args.out.display());
                return ExitCode::FAILURE;
            }
        }
    }
    match corpus::generate(&args.out, args.pages, args.seed) {
        Ok(manifest) => {
            println!("{}", manifest.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
