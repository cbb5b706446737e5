//! `pamphlet serve`: build, serve on loopback, watch the sources, rebuild on change and reload
//! open pages. A broken edit keeps the last good build on screen with the error over it.
//!
//! Each rebuild writes a fresh generation folder under a private temporary directory and then
//! points the server at it, so a request never sees a half-written site.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::build::{build_with_cache, BuildCache, BuildOptions};

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
    current: RwLock<Option<PathBuf>>,
    error: RwLock<Option<String>>,
    signals: broadcast::Sender<Signal>,
}

impl Shared {
    fn current(&self) -> Option<PathBuf> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    fn last_error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }
}

/// The builds of one serve session, in a temporary folder removed at the end.
struct Generations {
    base: PathBuf,
    root: PathBuf,
    drafts: bool,
    next: usize,
    live: Vec<PathBuf>,
    cache: BuildCache,
    cleaners: Vec<std::thread::JoinHandle<()>>,
}

impl Generations {
    fn new(root: &Path, drafts: bool) -> std::io::Result<Generations> {
        let base = std::env::temp_dir().join(format!("pamphlet-serve-{}", std::process::id()));
        std::fs::create_dir_all(&base)?;
        Ok(Generations {
            base,
            root: root.to_path_buf(),
            drafts,
            next: 0,
            live: Vec::new(),
            cache: BuildCache::persistent(),
            cleaners: Vec::new(),
        })
    }

    /// Builds the site into a new generation; on success it becomes current.
    fn rebuild(&mut self, shared: &Shared) {
        let started = Instant::now();
        self.next += 1;
        let out = self.base.join(format!("gen-{}", self.next));
        let options = BuildOptions {
            root: self.root.clone(),
            out: Some(out.clone()),
            drafts: self.drafts,
            write: true,
            ..BuildOptions::default()
        };
        match build_with_cache(&options, &mut self.cache) {
            Ok(report) => {
                report.warnings.iter().for_each(|w| eprint!("{w}"));
                if let Ok(mut c) = shared.current.write() {
                    *c = Some(out.clone());
                }
                if let Ok(mut e) = shared.error.write() {
                    *e = None;
                }
                self.live.push(out);
                println!(
                    "Rebuilt {} pages in {:.0} ms",
                    report.pages,
                    started.elapsed().as_secs_f64() * 1000.0
                );
                let _ = shared.signals.send(Signal::Reload);
                // Keep the previous generation for requests still reading it; remove older
                // ones in the background, so the next rebuild does not wait for it.
                while self.live.len() > 2 {
                    let old = self.live.remove(0);
                    self.cleaners.retain(|c| !c.is_finished());
                    self.cleaners.push(std::thread::spawn(move || {
                        let _ = std::fs::remove_dir_all(old);
                    }));
                }
            }
            Err(failure) => {
                let text: String = failure
                    .diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                eprint!("{text}");
                eprintln!("The last good build is still being served.");
                if let Ok(mut e) = shared.error.write() {
                    *e = Some(text.clone());
                }
                let _ = shared.signals.send(Signal::Failed(text));
            }
        }
    }
}

impl Drop for Generations {
    fn drop(&mut self) {
        for cleaner in self.cleaners.drain(..) {
            let _ = cleaner.join();
        }
        let _ = std::fs::remove_dir_all(&self.base);
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
    let (signals, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(None),
        error: RwLock::new(None),
        signals,
    });
    let mut generations = Generations::new(&options.root, options.drafts)
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    generations.rebuild(&shared);
    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{}/", display_addr(address));
    println!(
        "Serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let watcher = watch::start(&options.root, generations, shared.clone())
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
    println!("Stopped.");
    result.map_err(|e| e.to_string())
}

async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, String> {
    for candidate in port..port.saturating_add(20) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(l) => {
                if candidate != port {
                    println!("Port {port} is in use; using port {candidate} instead.");
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
