//! `pamphlet serve`: build, serve on loopback, watch the sources, rebuild on change and reload
//! open pages. A broken edit keeps the last good build on screen with the error over it.
//!
//! The site is built in memory and kept up to date by an incremental [`Session`]; each rebuild
//! makes a new set of files current at once, so a request never sees a half-written site, and
//! nothing is written to disk.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::build::BuildOptions;
use crate::incremental::Session;
use crate::output::Files;

pub use http::{safe_segments, LIVE_PATH};

/// What `pamphlet serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The first port to try.
    pub port: u16,
    /// The address to listen on (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// Include drafts.
    pub drafts: bool,
    /// Include pages dated after now, each with a "scheduled for" banner.
    pub future: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

/// What the live-reload channel tells open pages.
#[derive(Debug, Clone)]
pub enum Signal {
    /// A rebuild succeeded.
    Reload,
    /// A rebuild failed: the diagnostics as text.
    Failed(String),
    /// The server is stopping: live-reload streams end.
    Stop,
}

/// State shared by the server and the rebuild loop.
pub struct Shared {
    current: RwLock<Option<Arc<Files>>>,
    error: RwLock<Option<String>>,
    signals: broadcast::Sender<Signal>,
}

impl Shared {
    fn current(&self) -> Option<Arc<Files>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    fn last_error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }
}

/// The rebuild side of the server: a build session whose result replaces what is served.
struct Rebuilder {
    session: Session,
}

impl Rebuilder {
    /// Brings the build up to date after `changed` files; on success it is served at once.
    fn rebuild(&mut self, changed: &[PathBuf], shared: &Shared) {
        match self.session.update(changed) {
            Ok(update) => {
                update.warnings.iter().for_each(|w| say_err_text!("{w}"));
                if let Ok(mut c) = shared.current.write() {
                    *c = Some(self.session.files());
                }
                if let Ok(mut e) = shared.error.write() {
                    *e = None;
                }
                say!(
                    "Rebuilt in {:.0} ms: {} of {} files rendered again",
                    update.elapsed.as_secs_f64() * 1000.0,
                    update.rendered,
                    update.files
                );
                let _ = shared.signals.send(Signal::Reload);
            }
            Err(failure) => {
                let text: String = failure
                    .diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                say_err_text!("{text}");
                match self.session.files().is_empty() {
                    true => {
                        say_err!("Nothing is served until the site builds: fix the error above.")
                    }
                    false => say_err!("The last good build is still being served."),
                }
                if let Ok(mut e) = shared.error.write() {
                    *e = Some(text.clone());
                }
                let _ = shared.signals.send(Signal::Failed(text));
            }
        }
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), String> {
    if !options.root.is_dir() {
        return Err(format!(
            "--root {}: there is no such folder",
            options.root.display()
        ));
    }
    let (signals, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(None),
        error: RwLock::new(None),
        signals,
    });
    let mut rebuilder = Rebuilder {
        session: Session::new(BuildOptions {
            root: options.root.clone(),
            drafts: options.drafts,
            future: options.future,
            at_host_root: true,
            ..BuildOptions::default()
        }),
    };
    rebuilder.rebuild(&[], &shared);
    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{}/", display_addr(address));
    say!(
        "Serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let watcher = watch::start(&options.root, rebuilder, shared.clone())
        .map_err(|e| format!("cannot watch the site: {e}"))?;
    let signals = shared.signals.clone();
    let app = axum::Router::new()
        .route(LIVE_PATH, axum::routing::get(http::live))
        .fallback(http::file)
        .with_state(shared);
    let stopping = async move {
        shutdown().await;
        let _ = signals.send(Signal::Stop);
    };
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(stopping)
        .await;
    watcher.stop();
    say!("Stopped.");
    result.map_err(|e| e.to_string())
}

async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, String> {
    for candidate in port..port.saturating_add(20) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(l) => {
                if candidate != port {
                    say!("Port {port} is in use; using port {candidate} instead.");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(format!("cannot listen on {ip}:{candidate}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {} are all in use; pass --port with a free one",
        port.saturating_add(19)
    ))
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
