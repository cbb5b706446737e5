#!/usr/bin/env bash
# The image benchmark: an image-heavy site (1,000 posts, 300 of them with a 3000 x 2000 photo
# drawn by examples/image_bench.rs) built cold (empty cache), warm (nothing changed) and after
# one photo changes; then what a phone (375 px wide, DPR 2: it picks the 960w candidate) downloads
# for a post with a photo, before (the original) and after (the 960w WebP). Release build:
#
#   bash benches/images.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/pamphlet-image-bench}
cargo build --release --quiet --bin pamphlet --example image_bench
bin=target/release/pamphlet
bench=target/release/examples/image_bench
rm -rf "$work"
mkdir -p "$work"
"$bench" codecs
"$bench" corpus "$work/site" --pages 1000 --photos 300
photos=$(find "$work/site/content" -name photo.jpg | wc -l)
bytes=$(find "$work/site/content" -name photo.jpg -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: 1000 pages, $photos photos of 3000x2000, $((bytes / 1048576)) MiB of JPEG"
build() {
  local started ended
  started=$(date +%s.%N)
  "$bin" build --root "$work/site" --out "$work/out" --now 2026-11-24T12:00 >/dev/null
  ended=$(date +%s.%N)
  python3 -c "print('$1: %.1f s' % ($ended - $started))"
}
build "cold build (empty cache)"
build "warm build (nothing changed)"
one=$(find "$work/site/content" -name photo.jpg | sort | head -1)
"$bench" photo "$one" 99999
build "rebuild after one photo changed"
post=$(dirname "$one")
page="$work/out/blog/$(basename "$post" | sed 's/^[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}-//')/index.html"
original=$(stat -c %s "$one")
phone=$(grep -o 'srcset="[^"]*webp[^"]*"' "$page" | head -1 | tr ',' '\n' | grep ' 960w' | awk '{print $1}' | sed 's|^srcset="||')
after=$(stat -c %s "$work/out${phone}")
html=$(stat -c %s "$page")
echo "a phone downloads for one post: before $((html + original)) bytes (page $html + original $original), after $((html + after)) bytes (page $html + ${phone##*/} $after)"
