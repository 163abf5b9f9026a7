// The evaluation behind docs/search.md: recall of Pagefind's search on the demo portal with the
// Chinese fixture (tests/data/search/), in Chromium. Not part of `cargo test` (Pagefind is not
// a dependency); see docs/search.md for the commands that prepare SITE and run this.
// Usage: node pagefind-eval.js ORIGIN SITE QUERIES_FILE   (ORIGIN: http://127.0.0.1:PORT serving SITE)
'use strict';
const fs = require('fs');
const { launch, pages, main } = require('./lib');

main(async () => {
  const [origin, site, queriesFile] = process.argv.slice(2);
  const queries = fs.readFileSync(queriesFile, 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const { context, close } = await launch();
  try {
    const tab = await context.newPage();
    // Ground truth: the text of each page's <main> without its breadcrumb, folded as sanwu's
    // search folds it; unit-level (noindex) pages are left out.
    const texts = {};
    for (const page of pages(site)) {
      if (page.startsWith('pagefind/')) {
        continue;
      }
      await tab.goto(origin + '/' + page);
      const text = await tab.evaluate(() => {
        if (document.querySelector('meta[name=robots][content*=noindex]')) {
          return null;
        }
        const m = document.querySelector('main');
        if (!m) {
          return null;
        }
        const copy = m.cloneNode(true);
        copy.querySelectorAll('nav').forEach((n) => n.remove());
        return copy.textContent.replace(/\s+/g, ' ').toLowerCase();
      });
      if (text !== null) {
        texts[page] = text;
      }
    }
    await tab.goto(origin + '/index.html');
    const rows = [];
    for (const q of queries) {
      const terms = q.split('"').flatMap((part, i) => (i % 2 ? [part.trim()] : part.split(/\s+/)))
        .filter(Boolean).map((t) => t.toLowerCase());
      const expected = Object.keys(texts).filter((p) => terms.every((t) => texts[p].includes(t)));
      const found = await tab.evaluate(async (q) => {
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const r = await pf.search(q);
        const data = await Promise.all(r.results.map((x) => x.data()));
        return data.map((d) => d.url.replace(/^\//, '').replace(/(^|\/)$/, '$1index.html'));
      }, q);
      const hit = expected.filter((p) => found.includes(p));
      rows.push({
        query: q,
        expected: expected.length,
        found: hit.length,
        returned: found.length,
        missed: expected.filter((p) => !found.includes(p)),
      });
    }
    const expected = rows.reduce((n, r) => n + r.expected, 0);
    const found = rows.reduce((n, r) => n + r.found, 0);
    const returned = rows.reduce((n, r) => n + r.returned, 0);
    return { pages: Object.keys(texts).length, expected, found, returned, recall: found / expected, rows };
  } finally {
    await close();
  }
});
