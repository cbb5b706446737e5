#!/usr/bin/env node
// Browser checks of the example site built by pamphlet.
//
// Builds the repository's example site with the release binary (or PAMPHLET_BIN) into a temporary directory,
// serves it on 127.0.0.1 and drives Debian's Chromium through playwright-core (no browser
// download). For one page of every kind it checks: axe-core (WCAG 2.0/2.1/2.2 A and AA) finds
// nothing, no request leaves 127.0.0.1, no cookie is set, the skip link is the first Tab stop and
// moves focus to <main>, and nothing overflows sideways at 375 px. It takes screenshots at 375 and
// 1280 px into target/screenshots/. It checks the click-to-load video player on every page that
// has one, and runs html-validate over every .html file of the build.
//
// Usage: node run.mjs            (or ./run.sh, which runs `npm ci` first)
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium),
//              PAMPHLET_BIN=path/to/pamphlet to test that binary as it is (CI passes the debug
//              binary `cargo test` built, sparing a release build),
//              PAMPHLET_SKIP_CARGO=1 to use an existing target/release/pamphlet.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { HtmlValidate } from 'html-validate';
import { checkLighthouse } from './lighthouse.mjs';

const require = createRequire(import.meta.url);
const axe = require('axe-core');

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const NOW = '2026-11-24T12:00';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [375, 1280];
const VIDEO_HOSTS = ['www.youtube-nocookie.com', 'player.vimeo.com'];
const shotDir = path.join(repo, 'target', 'screenshots');

// ---------------------------------------------------------------------------------------------
// Bookkeeping

let passed = 0;
let failed = 0;
const failures = [];
const stats = { pagesChecked: 0, axeViolations: 0, invalidPages: 0, htmlFiles: 0, htmlErrors: 0, thirdParty: 0, videoPages: 0 };

function check(ok, what, detail) {
  if (ok) {
    passed++;
    return true;
  }
  failed++;
  failures.push(what);
  console.log(`  FAIL ${what}${detail ? `\n${detail}` : ''}`);
  return false;
}

function log(msg) {
  console.log(msg);
}

// ---------------------------------------------------------------------------------------------
// Build

// The pamphlet binary under test: PAMPHLET_BIN (a relative path is from the repository, as
// run.sh moves into tests/browser), else the release build.
const bin = process.env.PAMPHLET_BIN
  ? path.resolve(repo, process.env.PAMPHLET_BIN)
  : path.join(repo, 'target', 'release', process.platform === 'win32' ? 'pamphlet.exe' : 'pamphlet');

function build(out) {
  if (!process.env.PAMPHLET_BIN && !process.env.PAMPHLET_SKIP_CARGO) {
    log('$ cargo build --release');
    const r = spawnSync('cargo', ['build', '--release'], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`cargo build --release failed (exit ${r.status})`);
  }
  const args = ['build', '--root', repo, '--out', out, '--now', NOW];
  log(`$ ${bin} ${args.join(' ')}`);
  const r = spawnSync(bin, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`pamphlet build failed (exit ${r.status})`);
}

function htmlFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(full));
    else if (entry.name.endsWith('.html')) found.push(full);
  }
  return found.sort();
}

// ---------------------------------------------------------------------------------------------
// A tiny static server: loopback only, directory -> index.html, missing -> 404.html with 404.

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.woff2': 'font/woff2',
};

function serve(root) {
  const server = http.createServer((req, res) => {
    let file = null;
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
      const candidate = path.resolve(root, '.' + path.posix.normalize(pathname));
      if (candidate === root || candidate.startsWith(root + path.sep)) {
        let stat = fs.statSync(candidate, { throwIfNoEntry: false });
        if (stat && stat.isDirectory()) {
          if (!pathname.endsWith('/')) {
            res.writeHead(301, { Location: pathname + '/' });
            res.end();
            return;
          }
          const index = path.join(candidate, 'index.html');
          stat = fs.statSync(index, { throwIfNoEntry: false });
          if (stat && stat.isFile()) file = index;
        } else if (stat && stat.isFile()) {
          file = candidate;
        }
      }
    } catch {
      file = null;
    }
    const status = file ? 200 : 404;
    if (!file) file = path.join(root, '404.html');
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('not found');
        return;
      }
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Which pages: one of every kind, found in the build.

function pickPages(out) {
  const rel = (f) => '/' + path.relative(out, path.dirname(f)).split(path.sep).join('/') + '/';
  const all = htmlFiles(out);
  const under = (prefix, exclude = []) =>
    all
      .filter((f) => f.endsWith(`${path.sep}index.html`))
      .map((f) => ({ file: f, url: rel(f) }))
      .filter(({ url }) => url.startsWith(prefix) && url !== prefix && url.split('/').length === prefix.split('/').length + 1)
      .filter(({ url }) => !exclude.some((x) => url.startsWith(x)));
  const first = (list, prefer) => {
    if (prefer) {
      const hit = list.find(({ file }) => prefer(fs.readFileSync(file, 'utf8')));
      if (hit) return hit.url;
    }
    return list.length ? list[0].url : null;
  };
  const pages = [
    { name: 'home', url: '/' },
    { name: 'page', url: '/about/' },
    // The richest post: one with a figure or a video if there is one.
    { name: 'post', url: first(under('/blog/', ['/blog/page/']), (h) => h.includes('class="video-play"') || h.includes('<figure')) },
    { name: 'post-list', url: '/blog/' },
    { name: 'tag', url: first(under('/tags/')) },
    // A hybrid event with a venue, a join link and registration shows the most fields.
    { name: 'event', url: first(under('/events/', ['/events/page/']), (h) => h.includes('<dt>Where</dt>') && h.includes('<dt>Online</dt>') && h.includes('<dt>Registration</dt>')) },
    { name: 'event-list', url: '/events/' },
    { name: 'video', url: first(under('/videos/', ['/videos/page/']), (h) => h.includes('class="video-play"')) },
    { name: 'chapter', url: '/concordat/01-introduction/' },
    { name: 'concordat-all', url: '/concordat/all/' },
    { name: '404', url: '/this-page-does-not-exist/', status: 404 },
    { name: 'search', url: '/search/?q=concordat' },
    // The Welsh translations: the same checks in the other language of the site.
    { name: 'home-cy', url: '/cy/', lang: 'cy' },
    { name: 'page-cy', url: '/cy/am-y-rhaglen/', lang: 'cy' },
    { name: 'event-cy', url: first(under('/cy/events/', ['/cy/events/page/'])), lang: 'cy' },
  ];
  for (const p of pages) {
    if (!p.url) throw new Error(`no ${p.name} page found in the build`);
  }
  const videoPages = all
    .filter((f) => fs.readFileSync(f, 'utf8').includes('class="video-play"'))
    .map((f) => (path.basename(f) === 'index.html' ? rel(f) : '/' + path.relative(out, f).split(path.sep).join('/')));
  return { pages, videoPages, all };
}

// ---------------------------------------------------------------------------------------------
// Browser checks

function isLocal(url) {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1';
}

async function newGuardedContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const log = { local: [], blocked: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) {
      log.local.push(url);
      await route.continue();
    } else {
      log.blocked.push(url);
      await route.abort('blockedbyclient');
    }
  });
  return { context, log };
}

async function runAxe(page) {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(
    (tags) =>
      window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => ({
        violations: r.violations,
        incomplete: r.incomplete.map((i) => ({ id: i.id, nodes: i.nodes.length })),
        passes: r.passes.length,
      })),
    AXE_TAGS,
  );
}

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `        ${n.target.join(' ')}${n.failureSummary ? `\n          ${n.failureSummary.replace(/\n/g, '\n          ')}` : ''}`)
        .join('\n');
      return `      [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

async function checkPage(browser, base, spec) {
  const { name, url } = spec;
  const expected = spec.status || 200;
  log(`\n${name}: ${url}`);
  stats.pagesChecked++;
  const { context, log: requests } = await newGuardedContext(browser);
  const page = await context.newPage();
  // Script errors, and local files that fail to load (the 404 page's own document is expected).
  const consoleErrors = [];
  const broken = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') broken.push(`${r.status()} ${r.url()}`);
  });
  // An image request the browser abandons is no broken file (a missing one answers 404, above):
  // resizing the window to the next width picks another srcset candidate, and the navigation
  // that follows cancels the one in flight.
  page.on('requestfailed', (r) => {
    const abandoned = r.resourceType() === 'image' && r.failure() && r.failure().errorText === 'net::ERR_ABORTED';
    if (isLocal(r.url()) && !abandoned) broken.push(`${r.failure() ? r.failure().errorText : 'failed'} ${r.url()}`);
  });

  const seen = new Set();
  let violationsHere = 0;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const response = await page.goto(base + url, { waitUntil: 'load' });
    check(response && response.status() === expected, `${name}: HTTP status ${response && response.status()} (expected ${expected})`);
    if (spec.lang || spec.dir) {
      const root = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
      if (spec.lang) check(root.lang === spec.lang, `${name}: <html lang="${spec.lang}"> (got "${root.lang}")`);
      if (spec.dir) check(root.dir === spec.dir, `${name}: <html dir="${spec.dir}"> (got "${root.dir}")`);
    }

    // axe-core, at each width (the layout changes; each distinct problem is counted once).
    const result = await runAxe(page);
    const fresh = result.violations
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !seen.has(v.id + ' ' + n.target.join(' '))) }))
      .filter((v) => v.nodes.length > 0);
    for (const v of fresh) for (const n of v.nodes) seen.add(v.id + ' ' + n.target.join(' '));
    violationsHere += fresh.reduce((sum, v) => sum + v.nodes.length, 0);
    check(fresh.length === 0, `${name} @${width}px: axe found ${fresh.length} violation(s)`, describeViolations(fresh));
    check(result.passes > 0, `${name} @${width}px: axe ran its rules`);
    if (result.incomplete.length) log(`  note @${width}px: axe could not decide (check by hand): ${result.incomplete.map((i) => `${i.id} (${i.nodes})`).join(', ')}`);

    // Nothing wider than the viewport (a 375 px phone must not scroll sideways).
    const overflow = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > vw + 1 && getComputedStyle(el).position !== 'absolute') {
          // Report the outermost offenders only.
          if (!wide.some((w) => w.el.contains(el))) wide.push({ el, desc: `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} right=${Math.round(r.right)}` });
        }
      }
      return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 5).map((w) => w.desc) };
    });
    check(overflow.scroll <= overflow.vw, `${name} @${width}px: page scrolls sideways (scrollWidth ${overflow.scroll} > ${overflow.vw})`, `      ${overflow.wide.join('\n      ')}`);

    fs.mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: path.join(shotDir, `${name}-${width}.png`), fullPage: true });
  }
  stats.axeViolations += violationsHere;

  // Keyboard: first Tab reaches the skip link, which is visible when focused; Enter moves focus to main.
  await page.goto(base + url, { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return {
      skip: el.matches('a.skip-link'),
      desc: el.outerHTML.slice(0, 120),
      visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
    };
  });
  check(first.skip, `${name}: first Tab focuses a.skip-link`, `      focused: ${first.desc}`);
  check(first.visible, `${name}: the focused skip link is visible on screen`);
  await page.keyboard.press('Enter');
  const afterEnter = await page.evaluate(() => ({ id: document.activeElement && document.activeElement.id, hash: location.hash }));
  check(afterEnter.id === 'main', `${name}: Enter on the skip link moves focus to #main`, `      focused: #${afterEnter.id}`);

  // Privacy: no cookie, no request off the machine.
  const cookies = await context.cookies();
  check(cookies.length === 0, `${name}: no cookies`, `      ${cookies.map((c) => c.name).join(', ')}`);
  stats.thirdParty += requests.blocked.length;
  check(requests.blocked.length === 0, `${name}: no third-party request`, requests.blocked.map((u) => `      ${u}`).join('\n'));
  check(consoleErrors.length === 0, `${name}: no JavaScript errors`, consoleErrors.map((e) => `      ${e}`).join('\n'));
  check(broken.length === 0, `${name}: every stylesheet, script and image loads`, broken.map((e) => `      ${e}`).join('\n'));
  log(`  axe violations: ${violationsHere}, requests: ${requests.local.length} local, ${requests.blocked.length} blocked`);
  await context.close();
}

async function checkVideoFacade(browser, base, url) {
  log(`\nvideo player: ${url}`);
  stats.videoPages++;
  const { context, log: requests } = await newGuardedContext(browser);
  // Provider hosts: recorded and answered locally; never let a request leave the machine.
  const provider = [];
  await context.route(/^https?:\/\/([^/]*\.)?(youtube\.com|youtube-nocookie\.com|youtu\.be|ytimg\.com|vimeo\.com|vimeocdn\.com)(\/|$)/, async (route) => {
    provider.push(route.request().url());
    const host = new URL(route.request().url()).hostname;
    if (VIDEO_HOSTS.includes(host) && route.request().resourceType() === 'document') {
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html lang="en"><title>stub player</title><p>stub player</p></html>' });
    } else {
      await route.abort('blockedbyclient');
    }
  });
  const page = await context.newPage();
  await page.goto(base + url, { waitUntil: 'load' });
  const players = page.locator('[data-video] button.video-play');
  const count = await players.count();
  check(count > 0, `${url}: has a video play button`);
  if (count === 0) {
    await context.close();
    return;
  }
  const button = players.first();
  const title = await button.getAttribute('data-title');
  check(provider.length === 0, `${url}: no request to the video provider before the click`, provider.map((u) => `      ${u}`).join('\n'));
  check(await button.isVisible(), `${url}: the play button is visible (video.js unhides it)`);
  const fallbackHidden = await page.evaluate(() => {
    const f = document.querySelector('[data-video] .video-fallback');
    return !f || f.hidden;
  });
  check(fallbackHidden, `${url}: the no-JavaScript link is hidden once the button is shown`);
  const named = await page.getByRole('button', { name: title }).count();
  check(!!title && named > 0, `${url}: the play button's accessible name contains the video title "${title}"`);

  await button.click();
  const frame = page.locator('[data-video] iframe').first();
  await frame.waitFor({ state: 'attached', timeout: 5000 }).catch(() => {});
  const info = await page.evaluate(() => {
    const f = document.querySelector('[data-video] iframe');
    return f ? { src: f.src, title: f.getAttribute('title'), focused: document.activeElement === f } : null;
  });
  if (check(!!info, `${url}: pressing play puts an iframe in place of the facade`)) {
    const host = new URL(info.src).hostname;
    check(VIDEO_HOSTS.includes(host), `${url}: the iframe loads from ${VIDEO_HOSTS.join(' or ')}`, `      src: ${info.src}`);
    if (host === 'player.vimeo.com') check(new URL(info.src).searchParams.get('dnt') === '1', `${url}: the Vimeo player is asked not to track (dnt=1)`, `      src: ${info.src}`);
    check(!!info.title && info.title.trim().length > 0, `${url}: the iframe has a title attribute`);
    check(info.focused, `${url}: focus moves to the player after the click`);
    await page.waitForTimeout(200);
    check(provider.length > 0 && provider.every((u) => VIDEO_HOSTS.includes(new URL(u).hostname)), `${url}: after the click, requests go only to the privacy-enhanced player host`, provider.map((u) => `      ${u}`).join('\n'));
  }
  stats.thirdParty += requests.blocked.length;
  check(requests.blocked.length === 0, `${url}: no other third-party request`, requests.blocked.map((u) => `      ${u}`).join('\n'));
  check((await context.cookies()).length === 0, `${url}: no cookies`);
  await context.close();

  // Without JavaScript the player is a plain link to the video.
  const noJs = await newGuardedContext(browser, { javaScriptEnabled: false });
  const p2 = await noJs.context.newPage();
  await p2.goto(base + url, { waitUntil: 'load' });
  check(await p2.locator('[data-video] a.video-fallback').first().isVisible(), `${url}: without JavaScript the video is a visible link`);
  check(!(await p2.locator('[data-video] button.video-play').first().isVisible()), `${url}: without JavaScript the play button stays hidden`);
  stats.thirdParty += noJs.log.blocked.length;
  check(noJs.log.blocked.length === 0, `${url} (no JS): no third-party request`, noJs.log.blocked.map((u) => `      ${u}`).join('\n'));
  await noJs.context.close();
}

// ---------------------------------------------------------------------------------------------
// html-validate over every page of the build

const HTML_VALIDATE_CONFIG = {
  root: true,
  extends: ['html-validate:recommended'],
  rules: {
    // Stylistic only: the generator's whitespace and void-element style, a style attribute for
    // the video poster, and titles that carry the site name after the page title.
    'no-trailing-whitespace': 'off',
    'void-style': 'off',
    'no-inline-style': 'off',
    'long-title': 'off',
  },
};

async function validateHtml(out, files) {
  log(`\nhtml-validate: ${files.length} files`);
  const validator = new HtmlValidate(HTML_VALIDATE_CONFIG);
  for (const file of files) {
    stats.htmlFiles++;
    const report = await validator.validateFile(file);
    const messages = report.results.flatMap((r) => r.messages).filter((m) => m.severity >= 2);
    const relFile = path.relative(out, file);
    if (messages.length) {
      stats.invalidPages++;
      stats.htmlErrors += messages.length;
    }
    check(
      messages.length === 0,
      `${relFile}: ${messages.length} html-validate error(s)`,
      messages.map((m) => `      ${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`).join('\n'),
    );
  }
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Search

// search.js's words, stemmer and term-file hash, run in node (the script exposes them).
function searchScript() {
  const sandbox = {
    window: {},
    document: { currentScript: null, querySelector: () => null, getElementById: () => null },
    URL,
    URLSearchParams,
  };
  vm.runInNewContext(fs.readFileSync(path.join(repo, 'themes', 'default', 'static', 'search.js'), 'utf8'), sandbox);
  return sandbox.window.pamphletSearch;
}

function readJson(out, rel) {
  return JSON.parse(fs.readFileSync(path.join(out, rel), 'utf8'));
}

// search.js stems every word of the site as the build did: each stem it makes of a page's words
// is one the index holds, in the term file it looks in.
// The result files of the default language's index. A page's id is its place among all the
// site's pages, so the ids skip the Welsh pages (their files are in /cy/search/).
function resultFiles(out) {
  return fs
    .readdirSync(path.join(out, 'search', 'pages'))
    .sort()
    .map((f) => readJson(out, `search/pages/${f}`));
}

function checkStemmer(out) {
  log('\nsearch: search.js stems as the build does');
  const { wordsOf, stem, partOf } = searchScript();
  // The same words and stems as src/render/search/words.rs checks against rust-stemmers.
  const pairs = { webinars: 'webinar', webinar: 'webinar', volunteering: 'volunt', voluntary: 'voluntari', communities: 'communiti', generously: 'generous', "concordat's": 'concordat', prevention: 'prevent', running: 'run', hoping: 'hope', skies: 'sky', news: 'news', ties: 'tie', cries: 'cri', gas: 'gas', yearly: 'year', sayyid: 'sayyid', 2017: '2017' };
  const wrong = Object.entries(pairs).filter(([w, s]) => stem(w) !== s).map(([w, s]) => `${w}: ${stem(w)} (expected ${s})`);
  check(wrong.length === 0, 'search.js stems the checked words as rust-stemmers does', wrong.join('\n'));
  const manifest = readJson(out, 'search/index.json');
  const parts = new Map();
  const missing = new Set();
  let words = 0;
  const pages = resultFiles(out);
  check(pages.length === manifest.pages, `the index has a result file for each of its ${manifest.pages} pages (found ${pages.length})`);
  for (const page of pages) {
    for (const { word } of wordsOf(`${page.title} ${page.text}`, manifest.max_word)) {
      words++;
      const s = stem(word);
      const n = partOf(s, manifest.parts);
      if (!parts.has(n)) parts.set(n, readJson(out, `search/terms/${n}.json`));
      if (!(s in parts.get(n))) missing.add(`${word} -> ${s}`);
    }
  }
  check(words > 10000 && missing.size === 0, `every stem search.js makes of the site's ${words} words is in the index`, [...missing].slice(0, 20).join('\n'));
}

// Runs a query on the search page and waits for its results (or its error).
async function searchFor(page, query) {
  await page.fill('#search-query', query);
  await page.click('form.search button[type=submit]');
  await page
    .waitForFunction(() => {
      const status = document.getElementById('search-status').textContent;
      return / for “/.test(status) || !document.getElementById('search-error').hidden;
    }, null, { timeout: 10000 })
    .catch(() => {});
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    error: document.getElementById('search-error').hidden ? null : document.getElementById('search-error').textContent,
    results: [...document.querySelectorAll('#search-results li')].map((li) => ({
      href: li.querySelector('h2 a').getAttribute('href'),
      meta: li.querySelector('.meta').textContent,
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  }));
}

// The search page: a word found only in one event's body shows that event first, filters
// narrow the results, only the files a query needs are fetched, and nothing leaves the host.
async function checkSearch(browser, base, out) {
  log('\nsearch: /search/');
  const { wordsOf } = searchScript();
  const manifest = readJson(out, 'search/index.json');
  const word = 'overnight';
  const having = [];
  for (const p of resultFiles(out)) {
    if (wordsOf(p.text, 40).some((w) => w.word === word)) having.push(p);
  }
  const only = having.length === 1 && having[0].kind === 'event' && !having[0].title.toLowerCase().includes(word) ? having[0] : null;
  check(!!only, `"${word}" is in the body of one event only`, having.map((p) => `      ${p.kind} ${p.url}`).join('\n'));

  const { context, log: requests } = await newGuardedContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${base}/search/`);
    const found = await searchFor(page, word);
    const first = found.results[0];
    check(!!only && !!first && first.href === only.url, `search: "${word}" shows ${only && only.url} first`, `      ${JSON.stringify(found)}`);
    check(!!first && first.marks.some((m) => m.toLowerCase() === word), `search: the excerpt marks "${word}"`, `      ${JSON.stringify(first)}`);
    check(!!first && first.meta.startsWith('Event'), 'search: the result says it is an event', `      ${first && first.meta}`);
    const searchFiles = requests.local.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/search/') && p !== '/search/');
    const unexpected = searchFiles.filter((p) => !/^\/search\/(index\.json|terms\/\d+\.json|pages\/\d+\.json)$/.test(p));
    check(unexpected.length === 0 && searchFiles.filter((p) => p.startsWith('/search/terms/')).length === 1, 'search: one word fetches the manifest, one term file and its results only', searchFiles.join('\n'));

    const webinar = await searchFor(page, 'webinars');
    check(webinar.results.length > 1, `search: "webinars" finds pages (${webinar.results.length}, status "${webinar.status}")`);
    await page.selectOption('#search-kind', 'event');
    const events = await searchFor(page, 'webinars');
    check(events.results.length > 0 && events.results.length < webinar.results.length && events.results.every((r) => r.meta.startsWith('Event')), `search: the kind filter keeps the events (${events.results.length} of ${webinar.results.length})`, `      ${events.results.map((r) => r.meta).join('\n      ')}`);
    check(new URL(page.url()).searchParams.get('kind') === 'event', 'search: the filter is kept in the address', `      ${page.url()}`);
    await page.selectOption('#search-kind', '');
    await page.selectOption('#search-tag', 'consultation');
    const tagged = await searchFor(page, 'webinars');
    const tagPage = fs.readFileSync(path.join(out, 'tags', 'consultation', 'index.html'), 'utf8');
    check(tagged.results.length > 0 && tagged.results.length < webinar.results.length && tagged.results.every((r) => tagPage.includes(`href="${r.href}"`)), `search: the topic filter keeps the pages of the tag (${tagged.results.length})`);
    const axeResult = await runAxe(page);
    check(axeResult.violations.length === 0, 'search: axe finds nothing on a page of results', describeViolations(axeResult.violations));
    check(requests.blocked.length === 0, 'search: no request leaves 127.0.0.1', requests.blocked.join('\n'));
  } finally {
    await context.close();
  }

  // An index that cannot be fetched is said so, with a way on, instead of "Searching…" forever.
  for (const [what, pattern] of [['the manifest', '**/search/index.json*'], ['a term file', '**/search/terms/**']]) {
    const broken = await newGuardedContext(browser);
    try {
      await broken.context.route(pattern, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
      const page = await broken.context.newPage();
      await page.goto(`${base}/search/?q=${word}`);
      await page.waitForSelector('#search-error:not([hidden])', { timeout: 10000 }).catch(() => {});
      const shown = await page.evaluate(() => {
        const e = document.getElementById('search-error');
        return { hidden: e.hidden, role: e.getAttribute('role'), text: e.textContent, topics: e.querySelector('a') && e.querySelector('a').pathname, status: document.getElementById('search-status').textContent };
      });
      check(!shown.hidden && shown.role === 'alert' && shown.text.includes('The search index could not be loaded'), `search: when ${what} fails to load, an alert says so`, `      ${JSON.stringify(shown)}`);
      check(shown.topics === '/tags/' && !/…/.test(shown.status), `search: the alert links to the topics and nothing says it is still loading (${what})`, `      ${JSON.stringify(shown)}`);
    } finally {
      await broken.context.close();
    }
  }

  // Without JavaScript the page says why there is no search, and where to browse instead.
  const noJs = await newGuardedContext(browser, { javaScriptEnabled: false });
  try {
    const page = await noJs.context.newPage();
    await page.goto(`${base}/search/`);
    const text = await page.locator('main').innerText();
    check(text.includes('Search needs JavaScript') && (await page.locator('main a[href="/tags/"]').count()) > 0, 'search without JavaScript: says why and links to the topics');
    check(await page.locator('#search-filters').isHidden(), 'search without JavaScript: no filters that could not work');
  } finally {
    await noJs.context.close();
  }
}

// The search of a site published under a sub-path finds its index and links under that path.
async function checkSearchUnderSubPath(browser, tmp) {
  log('\nsearch: a site under /campaign/');
  const www = path.join(tmp, 'www');
  const out = path.join(www, 'campaign');
  const r = spawnSync(bin, ['build', '--root', repo, '--out', out, '--now', NOW, '--base-url', 'https://host.example/campaign'], { cwd: repo, stdio: 'inherit' });
  if (!check(r.status === 0, 'the example site builds for /campaign/')) return;
  const server = await serve(fs.realpathSync(www));
  const { context, log: requests } = await newGuardedContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/campaign/search/`);
    const found = await searchFor(page, 'overnight');
    check(found.results.length > 0 && found.results.every((r) => r.href.startsWith('/campaign/')), 'search under /campaign/: results link under the path', `      ${JSON.stringify(found)}`);
    const wrong = requests.local.filter((u) => !new URL(u).pathname.startsWith('/campaign/'));
    check(wrong.length === 0, 'search under /campaign/: every file comes from under the path', wrong.join('\n'));
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

// A right-to-left site (Arabic, tests/fixtures/rtl): axe, the validator, no sideways scroll, and a
// layout that mirrors (the skip link and the breadcrumbs start at the right).
async function checkRightToLeft(browser, tmp) {
  log('\nright to left: tests/fixtures/rtl');
  const out = path.join(tmp, 'rtl');
  const r = spawnSync(bin, ['build', '--root', path.join(repo, 'tests', 'fixtures', 'rtl'), '--out', out, '--now', NOW], { cwd: repo, stdio: ['ignore', 'inherit', 'ignore'] });
  if (!check(r.status === 0, 'the right-to-left site builds')) return;
  await validateHtml(out, htmlFiles(out));
  const server = await serve(fs.realpathSync(out));
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    for (const spec of [
      { name: 'rtl-home', url: '/', lang: 'ar', dir: 'rtl' },
      { name: 'rtl-post', url: '/blog/first/', lang: 'ar', dir: 'rtl' },
    ]) {
      await checkPage(browser, base, spec);
    }
    const { context } = await newGuardedContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(base + '/blog/first/', { waitUntil: 'load' });
    // A short title's text sits at the right end of its line, as Arabic readers start there.
    const sides = await page.evaluate(() => {
      const h1 = document.querySelector('h1');
      const range = document.createRange();
      range.selectNodeContents(h1);
      const text = range.getBoundingClientRect();
      const box = h1.getBoundingClientRect();
      return { textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right, direction: getComputedStyle(h1).direction };
    });
    check(sides.direction === 'rtl', `rtl-post: the title is laid out right to left (direction ${sides.direction})`);
    check(sides.boxRight - sides.textRight < 4 && sides.textLeft - sides.boxLeft > 100, 'rtl-post: the title starts at the right of its line', `      ${JSON.stringify(sides)}`);
    await context.close();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

// `pamphlet serve` on a copy of the site: an open page shows an edit without a manual reload.
async function checkLiveReload(browser) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pamphlet-serve-browser-'));
  const root = path.join(tmp, 'site');
  fs.mkdirSync(root);
  // The images the first build derived come along: serve need not derive them again.
  for (const entry of ['site.yaml', 'content', 'static', '.pamphlet-cache']) {
    if (entry !== '.pamphlet-cache' || fs.existsSync(path.join(repo, entry))) {
      fs.cpSync(path.join(repo, entry), path.join(root, entry), { recursive: true });
    }
  }
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(bin, ['serve', '--root', root, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const { context } = await newGuardedContext(browser);
  try {
    const deadline = Date.now() + 30000;
    let url = null;
    while (!url && Date.now() < deadline) {
      const m = output.match(/Serving .* at (http:\/\/[^ ]+)/);
      if (m) url = m[1];
      else await new Promise((r) => setTimeout(r, 100));
    }
    check(Boolean(url), 'pamphlet serve starts and prints its address', output);
    if (!url) return;
    const page = await context.newPage();
    await page.goto(`${url}about/`);
    const file = path.join(root, 'content', 'about.md');
    const text = fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited while the page was open');
    let reloaded = false;
    page.on('load', () => { reloaded = true; });
    fs.writeFileSync(file, text);
    try {
      await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Edited while the page was open'), null, { timeout: 20000 });
      check(true, 'an open page shows an edit without a manual reload');
    } catch (e) {
      check(false, 'an open page shows an edit without a manual reload', output);
    }
    check(reloaded, 'the page was reloaded by the live-reload script');
  } finally {
    await context.close();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pamphlet-browser-'));
  const out = path.join(tmp, 'site');
  let server;
  let browser;
  let lighthouseScores = [];
  try {
    build(out);
    const { pages, videoPages, all } = pickPages(out);
    server = await serve(fs.realpathSync(out));
    const base = `http://127.0.0.1:${server.address().port}`;
    log(`serving ${out} at ${base}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    for (const spec of pages) await checkPage(browser, base, spec);
    check(videoPages.length > 0, 'the build has at least one click-to-load video player');
    for (const url of videoPages) await checkVideoFacade(browser, base, url);
    await validateHtml(out, all);
    checkStemmer(out);
    await checkSearch(browser, base, out);
    await checkSearchUnderSubPath(browser, tmp);
    await checkLiveReload(browser);
    await checkRightToLeft(browser, tmp);
    const scored = pages.filter((p) => !p.status);
    lighthouseScores = await checkLighthouse(CHROMIUM, base, scored, check);
  } finally {
    if (browser) await browser.close();
    if (server) await new Promise((r) => server.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  log('\nSummary');
  log(`  pages checked in the browser: ${stats.pagesChecked} (+ ${stats.videoPages} video players)`);
  log(`  axe violations:               ${stats.axeViolations}`);
  log(`  invalid pages (html-validate): ${stats.invalidPages} of ${stats.htmlFiles} (${stats.htmlErrors} errors)`);
  log(`  third-party requests:          ${stats.thirdParty}`);
  const worstCls = Math.max(0, ...lighthouseScores.map((s) => s.cls));
  log(`  lighthouse runs:               ${lighthouseScores.length} (worst CLS ${worstCls.toFixed(3)})`);
  log(`  screenshots:                   ${path.relative(repo, shotDir)}/`);
  if (failures.length) log(`\nFailed checks:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  log(`\nbrowser: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(2);
  },
);
