//! `cargo bench --bench build`: a full `pamphlet::build` (render and write) of the synthetic
//! corpus from `benches/corpus`, at 1,000 and 10,000 pages.
//!
//! The corpora are generated once, into a temporary folder under `/dev/shm` when it exists
//! (so the numbers measure pamphlet, not the disk). `PAMPHLET_BENCH_PAGES=1000,50000`
//! chooses other sizes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod corpus;

fn sizes() -> Vec<usize> {
    match std::env::var("PAMPHLET_BENCH_PAGES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("PAMPHLET_BENCH_PAGES: comma-separated page counts")
            })
            .collect(),
        Err(_) => vec![1_000, 10_000],
    }
}

fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let builder = {
        let mut b = tempfile::Builder::new();
        b.prefix("pamphlet-bench-");
        b
    };
    if shm.is_dir() {
        if let Ok(dir) = builder.tempdir_in(shm) {
            return dir;
        }
    }
    builder.tempdir().expect("create a temporary folder")
}

fn options(root: &Path, out: PathBuf) -> pamphlet::BuildOptions {
    pamphlet::BuildOptions {
        root: root.to_path_buf(),
        out: Some(out),
        write: true,
        now: Some("2026-11-24T12:00".into()),
        ..Default::default()
    }
}

fn bench_build(c: &mut Criterion) {
    let scratch = scratch();
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for pages in sizes() {
        let root = scratch.path().join(format!("corpus-{pages}"));
        let manifest = corpus::generate(&root, pages, corpus::DEFAULT_SEED)
            .unwrap_or_else(|e| panic!("generate {pages} pages in {}: {e}", root.display()));
        eprintln!("corpus {}: {}", root.display(), manifest.to_json());
        let opts = options(&root, scratch.path().join(format!("out-{pages}")));
        // One build up front: fail loudly (with the diagnostics) rather than time an error,
        // and size the measurement so criterion can take its ten samples without warning.
        let started = Instant::now();
        if let Err(failure) = pamphlet::build(&opts) {
            for d in failure.diagnostics.iter().take(20) {
                eprintln!("{}: {}", d.location(), d.message);
            }
            panic!(
                "building the {pages}-page corpus failed with {} diagnostics",
                failure.diagnostics.len()
            );
        }
        group.measurement_time((started.elapsed() * 12).max(Duration::from_secs(5)));
        group.throughput(Throughput::Elements(pages as u64));
        group.bench_with_input(BenchmarkId::from_parameter(pages), &opts, |b, opts| {
            b.iter(|| pamphlet::build(std::hint::black_box(opts)).expect("build"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_build);
criterion_main!(benches);
