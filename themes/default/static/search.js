// Full-text search on a static host: the index is split into small files (see the build's
// `render::search`) and this script fetches only those a query needs, from the site itself.
// Nothing is sent anywhere else. Words are split and stemmed by the same rules as the build's.
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Words, as the build splits and stems them (src/render/search/words.rs).

  var WORD = /[\p{Alphabetic}\p{N}]+(?:['\u2019][\p{Alphabetic}\p{N}]+)*/gu;

  // Lowercase words of a text with where each is: [{ word, start, end }].
  function wordsOf(text, maxChars) {
    var found = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var word = m[0].toLowerCase().replace(/\u2019/g, "'");
      if (Array.from(word).length <= maxChars) found.push({ word: word, start: m.index, end: m.index + m[0].length });
    }
    return found;
  }

  // The Snowball English (Porter 2) stemmer, as the build's rust-stemmers runs it.
  var english = (function () {
    var EXCEPTIONS = {
      skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
      ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
      atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes',
    };
    var INVARIANT = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed'];
    var STEP2 = [
      ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
      ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'],
      ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'],
      ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'],
      ['ogi', 'og'], ['li', ''],
    ];
    var STEP3 = [
      ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''],
      ['ical', 'ic'], ['ness', ''], ['ful', ''],
    ];
    var STEP4 = [
      'ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
      'ion', 'al', 'er', 'ic',
    ];
    function vowel(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
    function hasVowel(s) { for (var i = 0; i < s.length; i++) if (vowel(s[i])) return true; return false; }
    // The position after the first non-vowel that follows a vowel, from `from` on.
    function region(w, from) {
      var i = from;
      while (i < w.length && !vowel(w[i])) i++;
      if (i >= w.length) return w.length;
      i++;
      while (i < w.length && vowel(w[i])) i++;
      return i >= w.length ? w.length : i + 1;
    }
    // Whether the word up to `end` ends in a short syllable.
    function shortSyllable(w, end) {
      var a = w[end - 1];
      var b = w[end - 2];
      if (end >= 3 && !vowel(a) && a !== 'w' && a !== 'x' && a !== 'Y' && vowel(b) && !vowel(w[end - 3])) return true;
      return end === 2 && !vowel(a) && vowel(b);
    }
    function longest(w, table) {
      for (var i = 0; i < table.length; i++) {
        var s = typeof table[i] === 'string' ? table[i] : table[i][0];
        if (w.length >= s.length && w.slice(w.length - s.length) === s) return table[i];
      }
      return null;
    }
    return function stem(word) {
      if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
      if (Array.from(word).length < 3) return word;
      var w = word.charAt(0) === "'" ? word.slice(1) : word;
      if (w.charAt(0) === 'y') w = 'Y' + w.slice(1);
      for (var i = 1; i < w.length; i++) {
        if (w[i] === 'y' && vowel(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
      }
      var p1 = /^(gener|commun|arsen)/.test(w) ? /^(gener|commun|arsen)/.exec(w)[0].length : region(w, 0);
      var p2 = region(w, p1);

      // Step 1a
      if (/'s'$/.test(w)) w = w.slice(0, -3);
      else if (/'s$/.test(w)) w = w.slice(0, -2);
      else if (/'$/.test(w)) w = w.slice(0, -1);
      if (/sses$/.test(w)) w = w.slice(0, -2);
      else if (/ie[ds]$/.test(w)) w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
      else if (/(us|ss)$/.test(w)) { /* kept */ }
      else if (/s$/.test(w) && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
      if (INVARIANT.indexOf(w) === -1) {
        // Step 1b
        var m = /(eedly|ingly|edly|eed|ing|ed)$/.exec(w);
        if (m && (m[1] === 'eed' || m[1] === 'eedly')) {
          if (w.length - m[1].length >= p1) w = w.slice(0, -m[1].length) + 'ee';
        } else if (m && hasVowel(w.slice(0, -m[1].length))) {
          w = w.slice(0, -m[1].length);
          if (/(at|bl|iz)$/.test(w)) w += 'e';
          else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
          else if (w.length === p1 && shortSyllable(w, w.length)) w += 'e';
        }
        // Step 1c
        var last = w.charAt(w.length - 1);
        if ((last === 'y' || last === 'Y') && w.length > 2 && !vowel(w[w.length - 2])) w = w.slice(0, -1) + 'i';
        // Step 2
        var s2 = longest(w, STEP2);
        if (s2 && w.length - s2[0].length >= p1) {
          var before = w[w.length - s2[0].length - 1];
          if (s2[0] === 'ogi') { if (before === 'l') w = w.slice(0, -3) + 'og'; }
          else if (s2[0] === 'li') { if (before && 'cdeghkmnrt'.indexOf(before) !== -1) w = w.slice(0, -2); }
          else w = w.slice(0, -s2[0].length) + s2[1];
        }
        // Step 3
        var s3 = longest(w, STEP3);
        if (s3 && w.length - s3[0].length >= p1) {
          if (s3[0] !== 'ative' || w.length - 5 >= p2) w = w.slice(0, -s3[0].length) + s3[1];
        }
        // Step 4
        var s4 = longest(w, STEP4);
        if (s4 && w.length - s4.length >= p2) {
          var prev = w[w.length - 4];
          if (s4 !== 'ion' || prev === 's' || prev === 't') w = w.slice(0, -s4.length);
        }
        // Step 5
        if (/e$/.test(w)) {
          if (w.length - 1 >= p2 || (w.length - 1 >= p1 && !shortSyllable(w, w.length - 1))) w = w.slice(0, -1);
        } else if (/ll$/.test(w) && w.length - 1 >= p2) {
          w = w.slice(0, -1);
        }
      }
      return w.replace(/Y/g, 'y');
    };
  })();

  // The term file a stem is in: FNV-1a over its characters, as the build computes it.
  function partOf(stem, parts) {
    var h = 0x811c9dc5;
    for (var ch of stem) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h % Math.max(parts, 1);
  }

  // Exposed for the browser tests, which check them against the build's.
  window.pamphletSearch = { wordsOf: wordsOf, stem: english, partOf: partOf };

  // ---------------------------------------------------------------------------------------
  // The page

  var script = document.currentScript;
  var form = document.querySelector('form.search');
  var input = document.getElementById('search-query');
  var status = document.getElementById('search-status');
  var alertBox = document.getElementById('search-error');
  var results = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var filters = document.getElementById('search-filters');
  var kindSelect = document.getElementById('search-kind');
  var tagSelect = document.getElementById('search-tag');
  // The page's words, in its language (the theme writes them from its strings files).
  function said(name, fallback) {
    return (form && form.getAttribute('data-' + name)) || fallback;
  }
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || 'en') : null;
  function resultsFor(n, query) {
    var category = n === 0 && said('results-zero') ? 'zero' : plurals ? plurals.select(n) : (n === 1 ? 'one' : 'other');
    var text = said('results-' + category, '') || said('results-other', '{count} results for \u201c{query}\u201d');
    return text.split('{count}').join(String(n)).split('{query}').join(query);
  }
  if (!script || !form || !input || !results) return;

  // The index sits in the folder of the search page the form goes to (`/search/`, or
  // `/cy/search/` for a language's), wherever the site is published; its tags beside it.
  var base = new URL(form.getAttribute('action') || 'search/', document.baseURI);
  var topics = new URL('../tags/', base);
  var PER_PAGE = 10;
  var manifest = null;
  var loaded = {};
  var shown = [];
  var excerpts = 0;
  var run = 0;

  // A file of the index, fetched once; a failure rejects (and is tried again next time).
  function load(path) {
    if (!loaded[path]) {
      var url = new URL(path, base);
      if (manifest) url.searchParams.set('v', manifest.version);
      loaded[path] = fetch(url.href, path === 'index.json' ? { cache: 'no-cache' } : {}).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + url.href);
        return r.json();
      });
      loaded[path].catch(function () { delete loaded[path]; });
    }
    return loaded[path];
  }

  function loadManifest() {
    return load('index.json').then(function (m) {
      if (!manifest) {
        manifest = m;
        fillFilters(m);
      }
      return manifest;
    });
  }

  function fillFilters(m) {
    if (!filters || !kindSelect || !tagSelect) return;
    m.kinds.forEach(function (k) { kindSelect.add(new Option(k.label, k.name)); });
    m.tags.forEach(function (t) { tagSelect.add(new Option(t.name, t.slug)); });
    var params = new URLSearchParams(location.search);
    kindSelect.value = params.get('kind') || '';
    tagSelect.value = params.get('tag') || '';
    filters.hidden = false;
  }

  // Page ids from a list of differences.
  function undelta(list) {
    var ids = [];
    var id = 0;
    for (var i = 0; i < list.length; i++) { id += list[i]; ids.push(id); }
    return ids;
  }

  // The pages with every stem of the query, best first: [{ id, score }].
  function rank(stems, parts, allowed) {
    var scores = null;
    stems.forEach(function (stem, n) {
      var postings = parts[n][stem] || [];
      var next = new Map();
      var id = 0;
      for (var i = 0; i < postings.length; i += 2) {
        id += postings[i];
        if (scores === null) next.set(id, postings[i + 1]);
        else if (scores.has(id)) next.set(id, scores.get(id) + postings[i + 1]);
      }
      scores = next;
    });
    var found = [];
    scores.forEach(function (score, id) {
      if (allowed.every(function (set) { return set.has(id); })) found.push({ id: id, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return found;
  }

  // The stretch of a page's text around the most query words, with them marked.
  function excerpt(text, stems, maxChars) {
    var cache = {};
    var tokens = wordsOf(text, maxChars);
    var isHit = tokens.map(function (t) {
      if (!(t.word in cache)) cache[t.word] = stems.indexOf(manifest.stemmer === 'english' ? english(t.word) : t.word);
      return cache[t.word];
    });
    var WINDOW = 30;
    var best = 0;
    var bestCount = 0;
    for (var i = 0; i < tokens.length; i++) {
      if (isHit[i] < 0) continue;
      var distinct = {};
      for (var j = i; j < Math.min(tokens.length, i + WINDOW); j++) if (isHit[j] >= 0) distinct[isHit[j]] = true;
      var count = Object.keys(distinct).length;
      if (count > bestCount) { best = i; bestCount = count; }
    }
    var from = Math.max(0, best - 8);
    var to = Math.min(tokens.length, from + WINDOW + 8);
    var p = document.createElement('p');
    if (!tokens.length) return p;
    var start = tokens[from].start;
    var end = to < tokens.length ? tokens[to - 1].end : text.length;
    var at = start;
    if (from > 0) p.append('… ');
    for (var k = from; k < to; k++) {
      if (isHit[k] < 0) continue;
      p.append(text.slice(at, tokens[k].start));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(tokens[k].start, tokens[k].end);
      p.appendChild(mark);
      at = tokens[k].end;
    }
    p.append(text.slice(at, end));
    if (to < tokens.length) p.append(' …');
    return p;
  }

  function resultItem(page, stems) {
    var li = document.createElement('li');
    li.className = 'item';
    var h = document.createElement('h2');
    var a = document.createElement('a');
    a.href = page.url;
    a.textContent = page.title;
    h.appendChild(a);
    li.appendChild(h);
    var kind = manifest.kinds.filter(function (k) { return k.name === page.kind; })[0];
    var meta = [kind ? kind.label.replace(/s$/, '') : page.kind, page.date, page.place].filter(Boolean);
    var m = document.createElement('p');
    m.className = 'meta';
    m.textContent = meta.join(' · ');
    li.appendChild(m);
    li.appendChild(excerpt(page.text || '', stems, manifest.max_word));
    return li;
  }

  function failed(error) {
    status.textContent = '';
    if (!alertBox) return;
    alertBox.replaceChildren(said('failed', 'The search index could not be loaded, so search is not available right now. Try again later, or '));
    var link = document.createElement('a');
    link.href = topics.href;
    link.textContent = said('browse-topic', 'browse by topic');
    alertBox.append(link, '.');
    alertBox.hidden = false;
    if (window.console) console.warn('search:', error);
  }

  // Shows the next results of the current search, with their excerpts.
  function showMore(mine, stems) {
    var next = shown.slice(excerpts, excerpts + PER_PAGE);
    excerpts += next.length;
    return Promise.all(next.map(function (r) { return load('pages/' + r.id + '.json'); })).then(function (pages) {
      if (mine !== run) return;
      pages.forEach(function (page) { results.appendChild(resultItem(page, stems)); });
      if (more) more.hidden = excerpts >= shown.length;
    });
  }

  function search(query) {
    var mine = ++run;
    results.replaceChildren();
    if (more) more.hidden = true;
    if (alertBox) alertBox.hidden = true;
    status.textContent = said('searching', 'Searching\u2026');
    return loadManifest().then(function (m) {
      var stems = [];
      wordsOf(query, m.max_word).forEach(function (t) {
        var s = m.stemmer === 'english' ? english(t.word) : t.word;
        if (stems.indexOf(s) === -1) stems.push(s);
      });
      if (!stems.length) { status.textContent = ''; return; }
      var kind = kindSelect && kindSelect.value;
      var tag = tagSelect && tagSelect.value;
      var wanted = stems.map(function (s) { return load('terms/' + partOf(s, m.parts) + '.json'); });
      if (kind) wanted.push(load('kinds/' + kind + '.json'));
      var tagNumber = m.tags.map(function (t) { return t.slug; }).indexOf(tag);
      if (tag) wanted.push(tagNumber < 0 ? Promise.resolve([]) : load('tags/' + tagNumber + '.json'));
      return Promise.all(wanted).then(function (files) {
        if (mine !== run) return;
        var allowed = files.slice(stems.length).map(function (list) { return new Set(undelta(list)); });
        shown = rank(stems, files.slice(0, stems.length), allowed);
        excerpts = 0;
        var n = shown.length;
        // Said once the first results are on the page, so a screen reader announces what is there.
        return showMore(mine, stems).then(function () {
          if (mine !== run) return;
          status.textContent = resultsFor(n, query.trim());
        });
      });
    }).catch(function (e) {
      if (mine === run) failed(e);
    });
  }

  function submit() {
    var params = new URLSearchParams();
    params.set('q', input.value);
    if (kindSelect && kindSelect.value) params.set('kind', kindSelect.value);
    if (tagSelect && tagSelect.value) params.set('tag', tagSelect.value);
    history.replaceState(null, '', '?' + params.toString());
    search(input.value);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
  });
  [kindSelect, tagSelect].forEach(function (select) {
    if (select) select.addEventListener('change', function () { if (input.value.trim()) submit(); });
  });
  if (more) {
    more.addEventListener('click', function () {
      var stems = [];
      wordsOf(input.value, manifest.max_word).forEach(function (t) {
        var s = manifest.stemmer === 'english' ? english(t.word) : t.word;
        if (stems.indexOf(s) === -1) stems.push(s);
      });
      showMore(run, stems).catch(failed);
    });
  }
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    search(initial);
  } else {
    loadManifest().catch(failed);
  }
})();
