// Every page of a site in the browser: axe-core's serious and critical violations, and the
// document's width at each phone width (no horizontal page scroll).
// Usage: node audit.js SITE WIDTH...
'use strict';
const path = require('path');
const { launch, pages, url, main } = require('./lib');

// Opens a page; a page with a query waits until the search has shown its results.
async function open(tab, site, page) {
  const [file, query] = page.split('?');
  await tab.goto(url(site, file) + (query ? '?' + query : ''));
  if (query) {
    await tab.waitForSelector('#search-results[data-state]', { state: 'attached', timeout: 20000 });
  }
}

main(async () => {
  const [site, ...widths] = process.argv.slice(2);
  const axe = path.join(process.env.SANWU_TOOLS, 'node_modules', 'axe-core', 'axe.min.js');
  const { context, close } = await launch();
  const report = {};
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    // Every page as built, and the search page showing results (its markup is made by script);
    // or, with SANWU_AUDIT_ONLY (comma-separated path prefixes), only the pages it names.
    const only = (process.env.SANWU_AUDIT_ONLY || '').split(',').filter((p) => p);
    const todo = only.length
      ? pages(site).filter((p) => only.some((prefix) => p.startsWith(prefix)))
      : pages(site).concat(['search.html?q=' + encodeURIComponent('会所 招标')]);
    for (const page of todo) {
      const entry = { violations: [], widths: {}, errors: [] };
      for (const width of widths) {
        await tab.setViewportSize({ width: Number(width), height: 800 });
        await open(tab, site, page);
        entry.widths[width] = await tab.evaluate(() => document.documentElement.scrollWidth);
      }
      await tab.setViewportSize({ width: 1280, height: 900 });
      await open(tab, site, page);
      await tab.addScriptTag({ path: axe });
      const result = await tab.evaluate(() =>
        window.axe.run(document, { resultTypes: ['violations'] }));
      entry.violations = result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + n.failureSummary),
        }));
      entry.errors = errors.splice(0);
      report[page] = entry;
    }
    return report;
  } finally {
    await close();
  }
});
