// Searching all compounds of a larger portal: the first step stops after 20 compounds, the
// button goes on. Usage: node paging.js SITE QUERY
'use strict';
const { launch, url, main } = require('./lib');

async function state(tab) {
  return tab.evaluate(() => ({
    state: document.getElementById('search-results').getAttribute('data-state'),
    status: document.getElementById('search-status').textContent,
    hits: document.querySelectorAll('#search-results li').length,
    more: !document.getElementById('search-more').hidden,
  }));
}

main(async () => {
  const [site, query] = process.argv.slice(2);
  const { context, close } = await launch();
  try {
    const tab = await context.newPage();
    await tab.goto(url(site, 'search.html') + '?q=' + encodeURIComponent(query));
    await tab.waitForSelector('#search-results[data-state]', { state: 'attached', timeout: 20000 });
    const first = await state(tab);
    await tab.click('#search-more');
    await tab.waitForSelector('#search-results[data-state=done]', { state: 'attached', timeout: 20000 });
    const second = await state(tab);
    return { first, second };
  } finally {
    await close();
  }
});
