// The search page from file://: types a query into the box and reads the results; then, for each
// query of a list, the results of search.html?q=… (to compare with the Rust index).
// Usage: node search.js SITE TYPED_QUERY QUERIES_JSON
'use strict';
const { launch, url, main } = require('./lib');

async function results(tab) {
  await tab.waitForSelector('#search-results[data-state]', { state: 'attached', timeout: 20000 });
  return tab.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    hits: Array.from(document.querySelectorAll('#search-results a')).map((a) => ({
      href: a.getAttribute('href'),
      title: a.textContent,
      snippet: a.closest('li').querySelector('.search-snippet').textContent,
      marked: Array.from(a.closest('li').querySelectorAll('mark')).map((m) => m.textContent),
    })),
  }));
}

main(async () => {
  const [site, typed, queriesJson] = process.argv.slice(2);
  const { context, close } = await launch();
  const errors = [];
  try {
    const tab = await context.newPage();
    tab.on('pageerror', (e) => errors.push(String(e)));
    tab.on('console', (m) => {
      if (m.type() === 'error') {
        errors.push(m.text());
      }
    });
    await tab.setViewportSize({ width: 390, height: 844 });
    await tab.goto(url(site, 'index.html'));
    await tab.click('a.search-link');
    await tab.fill('#search-q', typed);
    await tab.press('#search-q', 'Enter');
    const typedResult = await results(tab);
    typedResult.url = tab.url();
    const each = {};
    for (const q of JSON.parse(queriesJson)) {
      await tab.goto(url(site, 'search.html') + '?q=' + encodeURIComponent(q));
      each[q] = (await results(tab)).hits.map((h) => h.href);
    }
    return { typed: typedResult, each, errors };
  } finally {
    await close();
  }
});
