// The share calculator: types each floor area into a page's calculator and reads the result.
// Usage: node calc.js SITE PAGE AREAS_JSON   (also reports what the page shows before any input)
'use strict';
const { launch, url, main } = require('./lib');

main(async () => {
  const [site, page, areasJson] = process.argv.slice(2);
  const { context, close } = await launch();
  const errors = [];
  try {
    const tab = await context.newPage();
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(url(site, page));
    const formVisible = await tab.isVisible('[data-calc-form]');
    const out = {};
    for (const area of JSON.parse(areasJson)) {
      await tab.fill('[data-calc-form] input', area);
      await tab.click('[data-calc-form] button');
      out[area] = await tab.evaluate(() => ({
        results: Array.from(document.querySelectorAll('.calc-item output')).map((o) => (o.hidden ? null : o.textContent)),
        error: (() => {
          const e = document.querySelector('.calc-error');
          return e.hidden ? null : e.textContent;
        })(),
      }));
    }
    return { formVisible, results: out, errors };
  } finally {
    await close();
  }
});
