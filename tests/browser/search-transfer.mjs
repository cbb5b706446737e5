#!/usr/bin/env node
// What a first search costs a reader, measured in the browser: serves a built site gzipped (as
// static hosts do), opens its search page in Chromium, searches for the rarest word of the index
// and for its most common one, each in a fresh browser (nothing cached), and adds up the bytes
// of the index files fetched: their transferSize as Chromium reports it (headers included) and
// the gzipped bodies the server sent. Also reports the index's size on disk.
//
// Usage: node search-transfer.mjs OUT_DIR      (a site built by `pamphlet build`)
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium).
//
// For the 10,000-page figures in the README:
//   python3 ../shared/bench/gen_corpus.py --pages 10000 --out /dev/shm/corpus-search --flavor pamphlet
//   target/release/pamphlet build --root /dev/shm/corpus-search --out /dev/shm/out-search --now 2026-11-24T12:00
//   node tests/browser/search-transfer.mjs /dev/shm/out-search

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const out = path.resolve(process.argv[2] || '');
if (!process.argv[2] || !fs.existsSync(path.join(out, 'search', 'index.json'))) {
  console.error('usage: node search-transfer.mjs OUT_DIR (a built site with search/index.json)');
  process.exit(2);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };

// Sent bytes (gzipped body) per path, for the current measurement.
let sent = new Map();

function serve(root) {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    let file = path.join(root, path.posix.normalize(pathname));
    if (!file.startsWith(root)) file = root;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const body = fs.readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-store' };
    let payload = body;
    const compressible = !type.startsWith('image/') || type === 'image/svg+xml';
    if (compressible && /gzip/.test(req.headers['accept-encoding'] || '')) {
      payload = zlib.gzipSync(body, { level: 6 });
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = payload.length;
    sent.set(pathname, (sent.get(pathname) || 0) + payload.length);
    res.writeHead(200, headers);
    res.end(payload);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function readJson(rel) {
  return JSON.parse(fs.readFileSync(path.join(out, rel), 'utf8'));
}

// The stems with the fewest and the most pages that search.js stems to themselves (so typing
// the stem searches for it).
function pickWords() {
  const sandbox = { window: {}, document: { currentScript: null, querySelector: () => null, getElementById: () => null }, URL, URLSearchParams };
  vm.runInNewContext(fs.readFileSync(path.join(repo, 'themes', 'default', 'static', 'search.js'), 'utf8'), sandbox);
  const { stem } = sandbox.window.pamphletSearch;
  const manifest = readJson('search/index.json');
  const counts = [];
  for (let n = 0; n < manifest.parts; n++) {
    for (const [s, postings] of Object.entries(readJson(`search/terms/${n}.json`))) {
      if (stem(s) === s) counts.push([s, postings.length / 2]);
    }
  }
  counts.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  return { rare: counts[0], common: counts[counts.length - 1], manifest };
}

function onDisk(dir) {
  let bytes = 0;
  let files = 0;
  let blocks = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = onDisk(full);
      bytes += inner.bytes;
      files += inner.files;
      blocks += inner.blocks;
    } else if (entry.name.endsWith('.json')) {
      const stat = fs.statSync(full);
      bytes += stat.size;
      blocks += stat.blocks * 512;
      files++;
    }
  }
  return { bytes, files, blocks };
}

async function measure(browser, base, word) {
  sent = new Map();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/search/`);
  await page.fill('#search-query', word);
  await page.click('form.search button[type=submit]');
  await page.waitForFunction(() => / for “/.test(document.getElementById('search-status').textContent) || !document.getElementById('search-error').hidden, null, { timeout: 60000 });
  const result = await page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    entries: performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, transfer: e.transferSize, body: e.encodedBodySize })),
  }));
  await context.close();
  const index = result.entries.filter((e) => /^\/search\/.+\.json$/.test(e.path));
  const assets = result.entries.filter((e) => !/^\/search\/.+\.json$/.test(e.path));
  const sum = (list, key) => list.reduce((n, e) => n + e[key], 0);
  const sentIndex = [...sent].filter(([p]) => /^\/search\/.+\.json$/.test(p)).reduce((n, [, b]) => n + b, 0);
  return { word, status: result.status, files: index.map((e) => e.path), transfer: sum(index, 'transfer'), body: sum(index, 'body'), sent: sentIndex, assets: sum(assets, 'transfer') };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  const { rare, common, manifest } = pickWords();
  const disk = onDisk(path.join(out, 'search'));
  const server = await serve(fs.realpathSync(out));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    console.log(`index: ${manifest.pages} pages, ${disk.files} files, ${(disk.bytes / 1048576).toFixed(1)} MiB (${(disk.blocks / 1048576).toFixed(1)} MiB of disk blocks), ${manifest.parts} term files`);
    for (const [what, [word, pages]] of [['rare', rare], ['common', common]]) {
      const m = await measure(browser, base, word);
      console.log(`${what} word "${word}" (in ${pages} pages): ${m.status}; ${m.files.length} index files, ${kib(m.transfer)} transferred (${kib(m.body)} gzipped bodies, ${kib(m.sent)} sent); page, style and script besides: ${kib(m.assets)}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
