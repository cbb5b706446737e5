// Client-side search over search-index.json: works on any static host, sends nothing anywhere.
(function () {
  // The index sits beside this script, at the site's root wherever the site is published.
  var script = document.currentScript;
  var indexUrl = script ? new URL('search-index.json', script.src).href : '/search-index.json';
  var form = document.querySelector('form.search');
  var input = document.getElementById('search-query');
  var status = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  if (!form || !input) { return; }
  var index = null;
  function words(text) { return (text || '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function show(query) {
    var terms = words(query);
    results.replaceChildren();
    if (!terms.length) { status.textContent = ''; return; }
    var found = index.filter(function (entry) {
      var text = [entry.title, entry.summary, (entry.tags || []).join(' ')].join(' ').toLowerCase();
      return terms.every(function (t) { return text.indexOf(t) !== -1; });
    });
    status.textContent = found.length === 1 ? '1 result' : found.length + ' results';
    found.slice(0, 50).forEach(function (entry) {
      var li = document.createElement('li');
      li.className = 'item';
      var h = document.createElement('h2');
      var a = document.createElement('a');
      a.href = entry.url;
      a.textContent = entry.title;
      h.appendChild(a);
      var p = document.createElement('p');
      p.textContent = entry.summary || '';
      li.append(h, p);
      results.appendChild(li);
    });
  }
  function run(query) {
    if (index) { show(query); return; }
    status.textContent = 'Loading…';
    fetch(indexUrl).then(function (r) { return r.json(); }).then(function (data) {
      index = data;
      show(query);
    });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    run(input.value);
  });
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) { input.value = initial; run(initial); }
})();
