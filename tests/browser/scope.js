// The search page from file:// with a scope: the results of search.html?q=QUERY&c=SCOPE, and the
// scope (value and name) the form then shows.
// Usage: node scope.js SITE QUERY SCOPE
'use strict';
const { launch, url, main } = require('./lib');

main(async () => {
  const [site, query, scope] = process.argv.slice(2);
  const { context, close } = await launch();
  const errors = [];
  try {
    const tab = await context.newPage();
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(url(site, 'search.html') + '?q=' + encodeURIComponent(query) + '&c=' + encodeURIComponent(scope));
    await tab.waitForSelector('#search-results[data-state]', { state: 'attached', timeout: 20000 });
    return await tab.evaluate((errs) => ({
      scope: document.getElementById('search-c').value,
      scopeName: (document.getElementById('search-c').selectedOptions[0] || {}).textContent,
      status: document.getElementById('search-status').textContent,
      hits: Array.from(document.querySelectorAll('#search-results a')).map((a) => a.getAttribute('href')),
      errors: errs,
    }), errors);
  } finally {
    await close();
  }
});
