// Offline search over the per-compound indexes <slug>/search-index.js written by sanwu
// (src/render/search.rs). Each index is loaded through a <script> element, which works from
// file:// too, where browsers refuse fetch(). The matching rules are those of Index::search in
// Rust: terms are split at spaces, a "quoted phrase" is one term, a page matches when its title or
// text contains every term. Every page of the compound is scanned: one compound's text is small.
(function () {
  'use strict';

  // One step searches at most this many compounds or stops after this many results; the
  // resident goes on with a button (a city portal's compounds are not all loaded at once).
  var MAX_HITS = 50;
  var MAX_COMPOUNDS = 20;
  var form = document.getElementById('search-form');
  if (!form) {
    return;
  }
  var root = form.getAttribute('data-root') || '';
  var input = document.getElementById('search-q');
  var scope = document.getElementById('search-c');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');

  // Interface texts come from the template (data-msg-* on the form), with {name} placeholders.
  function msg(name, values) {
    var text = form.getAttribute('data-msg-' + name) || '';
    return text.replace(/\{(\w+)\}/g, function (_, key) {
      return values && key in values ? String(values[key]) : '';
    });
  }

  function normalize(text) {
    var out = '';
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (code === 0x3000) {
        ch = ' ';
      } else if ((code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) {
        ch = String.fromCodePoint(code - 0xfee0);
      }
      out += ch;
    }
    return out.replace(/\s+/g, ' ').trim().toLowerCase();
  }

  function terms(query) {
    var parts = normalize(query.replace(/[“”]/g, '"')).split('"');
    var result = [];
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var phrase = part.trim();
        if (phrase) {
          result.push(phrase);
        }
      } else {
        part.split(' ').forEach(function (w) {
          if (w) {
            result.push(w);
          }
        });
      }
    });
    return result;
  }

  function occurrences(text, term) {
    var n = 0;
    var at = text.indexOf(term);
    while (at !== -1) {
      n++;
      at = text.indexOf(term, at + term.length);
    }
    return n;
  }

  function search(index, query) {
    var ts = terms(query);
    if (ts.length === 0) {
      return [];
    }
    var hits = [];
    index.docs.forEach(function (doc) {
      var inTitle = false;
      var count = 0;
      for (var term of ts) {
        var t = doc.t.indexOf(term) !== -1;
        var n = occurrences(doc.x, term);
        if (!t && n === 0) {
          return;
        }
        inTitle = inTitle || t;
        count += n;
      }
      hits.push({ doc: doc, inTitle: inTitle, count: count, terms: ts });
    });
    hits.sort(function (a, b) {
      if (a.inTitle !== b.inTitle) {
        return a.inTitle ? -1 : 1;
      }
      if (a.count !== b.count) {
        return b.count - a.count;
      }
      return a.doc.u < b.doc.u ? -1 : a.doc.u > b.doc.u ? 1 : 0;
    });
    return hits;
  }

  // The text around the first occurrence of a term, with every term marked.
  function snippet(hit) {
    var text = hit.doc.x;
    var first = -1;
    hit.terms.forEach(function (term) {
      var at = text.indexOf(term);
      if (at !== -1 && (first === -1 || at < first)) {
        first = at;
      }
    });
    var chars = Array.from(text);
    var start = first === -1 ? 0 : Math.max(0, Array.from(text.slice(0, first)).length - 30);
    var piece = chars.slice(start, start + 90).join('');
    var p = document.createElement('p');
    p.className = 'search-snippet';
    if (start > 0) {
      p.appendChild(document.createTextNode('…'));
    }
    var rest = piece;
    while (rest) {
      var best = -1;
      var bestTerm = '';
      hit.terms.forEach(function (term) {
        var at = rest.indexOf(term);
        if (at !== -1 && (best === -1 || at < best)) {
          best = at;
          bestTerm = term;
        }
      });
      if (best === -1) {
        p.appendChild(document.createTextNode(rest));
        break;
      }
      p.appendChild(document.createTextNode(rest.slice(0, best)));
      var mark = document.createElement('mark');
      mark.textContent = bestTerm;
      p.appendChild(mark);
      rest = rest.slice(best + bestTerm.length);
    }
    if (start + 90 < chars.length) {
      p.appendChild(document.createTextNode('…'));
    }
    return p;
  }

  function show(hit, compoundName) {
    var li = document.createElement('li');
    li.className = 'search-hit';
    var a = document.createElement('a');
    a.href = root + hit.doc.u;
    a.textContent = hit.doc.t || hit.doc.u;
    var h = document.createElement('h2');
    h.className = 'search-hit-title';
    h.appendChild(a);
    li.appendChild(h);
    var where = document.createElement('p');
    where.className = 'search-hit-where muted';
    where.textContent = compoundName;
    li.appendChild(where);
    li.appendChild(snippet(hit));
    list.appendChild(li);
  }

  // Scripts hand over what they hold through a callback; one script is loaded at a time.
  var waiting = null;
  function loaded(value) {
    if (waiting) {
      waiting(value);
    }
  }
  window.sanwuSearchLoaded = loaded;
  window.sanwuAreaLoaded = loaded;

  function load(path) {
    return new Promise(function (resolve) {
      var script = document.createElement('script');
      waiting = function (value) {
        waiting = null;
        resolve(value);
      };
      script.onload = function () {
        script.remove();
      };
      script.onerror = function () {
        script.remove();
        waiting = null;
        resolve(null);
      };
      script.src = root + path;
      document.head.appendChild(script);
    });
  }

  var params = new URLSearchParams(window.location.search);
  var query = params.get('q') || '';
  var only = params.get('c') || '';
  input.value = query;
  // What the scope list offers: on a small portal every compound; on a city portal every area
  // (`@<key>`, with its number of compounds), whose compounds are loaded from areas/<key>.js when
  // the search reaches them.
  var offered = Array.from(scope.options).filter(function (o) { return o.value; });
  var compounds = offered
    .filter(function (o) { return o.value.charAt(0) !== '@'; })
    .map(function (o) { return { slug: o.value, name: o.textContent }; });
  var areas = offered
    .filter(function (o) { return o.value.charAt(0) === '@'; })
    .map(function (o) {
      return { key: o.value.slice(1), count: Number(o.getAttribute('data-count')) || 0 };
    });
  if (only.charAt(0) === '@') {
    var area = areas.filter(function (a) { return a.key === only.slice(1); });
    if (area.length) {
      scope.value = only;
      areas = area;
    }
  } else if (only) {
    var listed = compounds.filter(function (c) { return c.slug === only; });
    if (listed.length) {
      scope.value = only;
      compounds = listed;
      areas = [];
    } else if (areas.length && /^[a-z0-9][a-z0-9_-]*$/.test(only)) {
      // A compound of a city portal, from the link on its pages: offered while it is chosen,
      // named once its index has loaded.
      var option = document.createElement('option');
      option.value = only;
      option.textContent = only;
      scope.insertBefore(option, scope.options[1] || null);
      scope.value = only;
      compounds = [{ slug: only, name: only, option: option }];
      areas = [];
    }
  }
  var total = compounds.length + areas.reduce(function (n, a) { return n + a.count; }, 0);
  if (!terms(query).length) {
    return;
  }

  // `next` indexes `compounds`; `searched` also counts the compounds of an area whose list failed.
  var next = 0;
  var searched = 0;
  var found = 0;
  var failed = 0;

  // state: 'running', 'paused' (the button goes on) or 'done'.
  function describe(state) {
    var text = msg('found', { query: query.trim(), count: found });
    if (total > 1) {
      text += msg('progress-' + state, { searched: searched, total: total });
    }
    if (failed) {
      text += msg('failed', { count: failed });
    }
    status.textContent = text + msg(state === 'done' && found === 0 ? 'none' : 'end');
  }

  // The next compound to search, loading the next area's list when the listed ones are done; null
  // at the end. An area whose list cannot be loaded counts its compounds as failed.
  async function following() {
    while (next >= compounds.length && areas.length) {
      var area = areas.shift();
      var list = await load('areas/' + area.key + '.js');
      if (list && list.compounds) {
        compounds = compounds.concat(list.compounds);
      } else {
        failed += area.count;
        searched += area.count;
      }
    }
    return next < compounds.length ? compounds[next] : null;
  }

  async function run() {
    more.hidden = true;
    var budget = found + MAX_HITS;
    var last = searched + MAX_COMPOUNDS;
    var c;
    while (found < budget && searched < last && (c = await following())) {
      next++;
      searched++;
      var index = await load(c.slug + '/search-index.js');
      if (!index) {
        failed++;
        continue;
      }
      if (index.name) {
        c.name = index.name;
        if (c.option) {
          c.option.textContent = index.name;
        }
      }
      search(index, query).forEach(function (hit) {
        show(hit, c.name);
        found++;
      });
      describe('running');
    }
    var done = !areas.length && next >= compounds.length;
    describe(done ? 'done' : 'paused');
    more.hidden = done;
    list.setAttribute('data-state', done ? 'done' : 'paused');
  }

  more.addEventListener('click', run);
  status.textContent = msg('searching');
  run();
})();
