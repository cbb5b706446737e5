//! `cargo bench --bench rebuild`: what `pamphlet serve` does after a save, on the 10,000-page
//! synthetic corpus — an incremental update of the session, from the saved file to the new
//! output in memory, after editing one post's body, one post's title (lists change) or a
//! template. The watcher's debounce (120 ms) comes on top of these numbers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

mod corpus;

fn pages() -> usize {
    std::env::var("PAMPHLET_BENCH_PAGES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(10_000)
}

fn scratch() -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("pamphlet-rebuild-");
    match Path::new("/dev/shm").is_dir() {
        true => builder
            .tempdir_in("/dev/shm")
            .or_else(|_| builder.tempdir()),
        false => builder.tempdir(),
    }
    .expect("create a temporary folder")
}

/// The first post of the corpus, whose body and title the edits change.
fn first_post(root: &Path) -> PathBuf {
    let mut posts: Vec<PathBuf> = std::fs::read_dir(root.join("content/blog"))
        .expect("read the corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .collect();
    posts.sort();
    posts.remove(0)
}

fn bench_rebuild(c: &mut Criterion) {
    let scratch = scratch();
    let root = scratch.path().join("corpus");
    corpus::generate(&root, pages(), corpus::DEFAULT_SEED).expect("generate the corpus");
    let opts = pamphlet::BuildOptions {
        root: root.clone(),
        now: Some("2026-11-24T12:00".into()),
        ..Default::default()
    };
    let mut session = pamphlet::Session::new(opts);
    session.update(&[]).expect("first build");
    let post = first_post(&root);
    let post_changed = [post.clone()];
    let original = std::fs::read_to_string(&post).expect("read a post");
    let mut group = c.benchmark_group("rebuild");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    let mut n = 0u64;
    group.bench_function("body edit", |b| {
        b.iter(|| {
            n += 1;
            std::fs::write(&post, format!("{original}\nEdited {n}.\n")).expect("edit");
            session.update(&post_changed).expect("rebuild")
        })
    });
    group.bench_function("title edit", |b| {
        b.iter(|| {
            n += 1;
            let edited = original.replacen("title: ", &format!("title: Edit {n} "), 1);
            std::fs::write(&post, edited).expect("edit");
            session.update(&post_changed).expect("rebuild")
        })
    });
    let template = root.join("templates/partials/tags.html");
    let template_changed = [template.clone()];
    group.bench_function("template edit", |b| {
        b.iter(|| {
            n += 1;
            std::fs::create_dir_all(root.join("templates/partials")).expect("templates folder");
            let text = format!("<p class=\"tags\">Topics ({n}): {{% for t in page.tags %}}<a href=\"{{{{ t.url }}}}\">{{{{ t.name }}}}</a> {{% endfor %}}</p>");
            std::fs::write(&template, text).expect("edit");
            session.update(&template_changed).expect("rebuild")
        })
    });
    group.finish();
    std::fs::write(&post, original).expect("restore");
}

criterion_group!(benches, bench_rebuild);
criterion_main!(benches);
