//! The `pamphlet` command: parses arguments, calls the library, prints diagnostics and maps
//! the outcome to an exit code (0 ok, 1 content or template errors, 2 usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use pamphlet::diagnostics::Diagnostic;
use pamphlet::{say, say_err, say_err_text, BuildFailure, BuildOptions, BuildReport};

#[derive(Parser)]
#[command(
    name = "pamphlet",
    version,
    about = "A static microsite generator for public-health campaigns"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check everything a build checks, writing nothing.
    Check(CheckCommand),
    /// Build, serve the site locally, rebuild on change and reload open pages.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; loopback unless you need otherwise.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Show pages dated after now, each with a "scheduled for" banner.
        #[arg(long)]
        future: bool,
        /// Open the site in a web browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site in DIR that uses the default theme.
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Write JSON Schema of site.yaml and of each kind's front matter, for editors.
    Schema(ToolArgs),
    /// Write a Decap CMS config.yml with a collection per section.
    Cms(ToolArgs),
    /// Write a new draft page with a complete front matter skeleton.
    New {
        /// post, event, video, chapter or page.
        kind: String,
        /// The page title (the file name is made from it).
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write a translation in this language of site.yaml's `languages:` (`*.cy.md`).
        #[arg(long)]
        lang: Option<String>,
    },
}

#[derive(Args)]
struct ToolArgs {
    /// The site folder (with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The folder to write into [schema: <root>/schemas, cms: <root>/static/admin].
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    /// The site folder (with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// Include pages dated after now (a preview: each shows a "scheduled for" banner).
    #[arg(long)]
    future: bool,
    /// "Now" for upcoming and past events and scheduled pages: 2017-03-14T10:00 or RFC 3339.
    #[arg(long)]
    now: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct CheckCommand {
    #[command(flatten)]
    check: CheckArgs,
    /// Also try every http(s) link over the network (the only command that does).
    #[arg(long)]
    external: bool,
    /// How long the results of --external are kept in .pamphlet-cache/: 12h, 30m, 0s, 1d.
    #[arg(long, default_value = "1d", value_parser = pamphlet::external::parse_max_age, requires = "external")]
    max_age: std::time::Duration,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overrides base_url from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args().any(|a| a == "--json") => {
            // A pipeline that asked for JSON reads the usage error as JSON too.
            let message = e.kind().to_string();
            let detail = e.render().to_string();
            let first = detail.lines().next().unwrap_or(&message);
            let failure = BuildFailure::usage(first.trim_start_matches("error: ").to_string());
            say!("{}", json_report(&Err(failure), None));
            return ExitCode::from(2);
        }
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Build(args) => run(
            BuildOptions {
                root: args.check.root,
                out: args.out,
                base_url: args.base_url,
                drafts: args.check.drafts,
                future: args.check.future,
                now: args.check.now,
                write: true,
                at_host_root: false,
                external: false,
            },
            args.check.json,
            None,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            future,
            open,
        } => {
            match pamphlet::serve::serve(pamphlet::serve::ServeOptions {
                root,
                port,
                bind,
                drafts,
                future,
                open,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => usage_error(&e),
            }
        }
        Command::Init { dir } => match pamphlet::scaffold::init(&dir, jiff::Timestamp::now()) {
            Ok(files) => {
                say!(
                    "Created a new site in {} ({} files). Next: cd {} && pamphlet build",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(&e),
        },
        Command::New {
            kind,
            title,
            root,
            lang,
        } => {
            let Some(kind) = pamphlet::content::Kind::from_name(&kind) else {
                return usage_error(&format!(
                    "`{kind}` is not a kind of page; use {}",
                    pamphlet::scaffold::kind_list()
                ));
            };
            let today = jiff::ZonedDateTime::now().date();
            match pamphlet::scaffold::new_page(&root, kind, &title, today, lang.as_deref()) {
                Ok(path) => {
                    say!(
                        "Wrote {} (a draft: build with --drafts to see it)",
                        pamphlet::diagnostics::display_path(&path)
                    );
                    ExitCode::SUCCESS
                }
                Err(pamphlet::scaffold::NewError::Usage(e)) => usage_error(&e),
                Err(pamphlet::scaffold::NewError::Site(diagnostics)) => {
                    diagnostics.iter().for_each(|d| say_err_text!("{d}"));
                    ExitCode::from(1)
                }
            }
        }
        Command::Schema(args) => {
            match pamphlet::schema::write_for_site(&args.root, args.out.as_deref()) {
                Ok(written) => {
                    written.warnings.iter().for_each(|d| say_err_text!("{d}"));
                    let shown = written.files.first().and_then(|f| f.parent());
                    say!(
                        "Wrote {} schemas into {}",
                        written.files.len(),
                        shown.map_or_else(String::new, pamphlet::diagnostics::display_path)
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e),
            }
        }
        Command::Cms(args) => {
            match pamphlet::cms::write_for_site(&args.root, args.out.as_deref()) {
                Ok(path) => {
                    say!(
                        "Wrote {} (set its `backend` to your repository's)",
                        pamphlet::diagnostics::display_path(&path)
                    );
                    ExitCode::SUCCESS
                }
                Err(pamphlet::cms::CmsError::Usage(e)) => usage_error(&e),
                Err(pamphlet::cms::CmsError::Site(diagnostics)) => {
                    diagnostics.iter().for_each(|d| say_err_text!("{d}"));
                    ExitCode::from(1)
                }
            }
        }
        Command::Check(CheckCommand {
            check: args,
            external,
            max_age,
        }) => run(
            BuildOptions {
                root: args.root,
                drafts: args.drafts,
                future: args.future,
                now: args.now,
                write: false,
                external,
                ..BuildOptions::default()
            },
            args.json,
            external.then(|| pamphlet::external::Options::new(max_age)),
        ),
    }
}

fn usage_error(message: &str) -> ExitCode {
    say_err!("error: {message}");
    ExitCode::from(2)
}

/// Builds or checks, then tries the external links if `external` says how, and prints the
/// outcome.
fn run(
    options: BuildOptions,
    json: bool,
    external: Option<pamphlet::external::Options>,
) -> ExitCode {
    let write = options.write;
    let mut result = pamphlet::build(&options);
    let tried = match (&mut result, external) {
        (Ok(report), Some(how)) => {
            let tried = pamphlet::external::check(&options.root, &report.external, &how);
            report.warnings.extend(tried.warnings.iter().cloned());
            pamphlet::diagnostics::sort(&mut report.warnings);
            Some(tried)
        }
        _ => None,
    };
    if json {
        say!("{}", json_report(&result, tried.as_ref()));
    } else {
        print_human(&result, write);
        if let Some(t) = &tried {
            let plural = |n: usize, one: &str, many: &str| match n {
                1 => format!("1 {one}"),
                n => format!("{n} {many}"),
            };
            say!(
                "External links: {}, {} tried now ({} remembered), {} broken",
                plural(t.addresses, "address", "addresses"),
                t.tried,
                t.addresses - t.tried,
                t.broken
            );
        }
    }
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(f) if f.usage => ExitCode::from(2),
        Err(_) => ExitCode::from(1),
    }
}

fn print_human(result: &Result<BuildReport, BuildFailure>, write: bool) {
    let color = std::io::stderr().is_terminal();
    let print = |d: &Diagnostic| {
        let text = d.to_string();
        if color {
            let (label, code) = if d.is_error() {
                ("error", "\x1b[1;31m")
            } else {
                ("warning", "\x1b[1;33m")
            };
            say_err_text!(
                "{}",
                text.replacen(label, &format!("{code}{label}\x1b[0m"), 1)
            );
        } else {
            say_err_text!("{text}");
        }
    };
    match result {
        Ok(report) => {
            report.warnings.iter().for_each(print);
            let secs = report.elapsed.as_secs_f64();
            if write {
                say!(
                    "Built {} pages ({} files) in {secs:.2} s into {}",
                    report.pages,
                    report.files,
                    pamphlet::diagnostics::display_path(&report.out)
                );
            } else {
                say!("Checked {} pages in {secs:.2} s: no errors", report.pages);
            }
        }
        Err(f) => {
            f.diagnostics.iter().for_each(print);
            let errors = f.diagnostics.iter().filter(|d| d.is_error()).count();
            if !f.usage {
                say_err!(
                    "{} {} found; {}",
                    errors,
                    if errors == 1 { "error" } else { "errors" },
                    if write {
                        "the previous output was left untouched"
                    } else {
                        "nothing was written"
                    }
                );
            }
        }
    }
}

fn json_report(
    result: &Result<BuildReport, BuildFailure>,
    external: Option<&pamphlet::external::Report>,
) -> String {
    let split = |all: &[Diagnostic]| -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        all.iter().cloned().partition(|d| d.is_error())
    };
    let value = match result {
        Ok(r) => serde_json::json!({
            "ok": true,
            "pages": r.pages,
            "files": r.files,
            "elapsed_ms": r.elapsed.as_millis() as u64,
            "out": pamphlet::diagnostics::display_path(&r.out),
            "warnings": r.warnings,
            "errors": [],
            "next_change": r.next_change.map(pamphlet::dates::utc_rfc3339),
        }),
        Err(f) => {
            let (errors, warnings) = split(&f.diagnostics);
            serde_json::json!({
                "ok": false,
                "usage_error": f.usage,
                "pages": 0,
                "files": 0,
                "elapsed_ms": f.elapsed.as_millis() as u64,
                "warnings": warnings,
                "errors": errors,
                "next_change": null,
            })
        }
    };
    let mut value = value;
    if let Some(t) = external {
        value["external"] = serde_json::json!({
            "addresses": t.addresses,
            "tried": t.tried,
            "remembered": t.addresses - t.tried,
            "broken": t.broken,
        });
    }
    value.to_string()
}
