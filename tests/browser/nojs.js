// Pages with JavaScript turned off: what a resident sees of the search page and of the share
// calculator. Usage: node nojs.js SITE SEARCH_PAGE PROJECT_PAGE
'use strict';
const { launch, url, main } = require('./lib');

main(async () => {
  const [site, searchPage, projectPage] = process.argv.slice(2);
  const { context, close } = await launch({ javaScript: false });
  try {
    const tab = await context.newPage();
    await tab.goto(url(site, searchPage));
    const search = await tab.evaluate(() => ({
      text: document.querySelector('main').innerText,
      links: Array.from(document.querySelectorAll('main a'))
        .filter((a) => a.checkVisibility())
        .map((a) => a.getAttribute('href')),
    }));
    await tab.goto(url(site, projectPage));
    const project = await tab.evaluate(() => ({
      text: document.querySelector('[data-share-calc]').innerText,
      formVisible: document.querySelector('[data-calc-form]').checkVisibility(),
    }));
    return { search, project };
  } finally {
    await close();
  }
});
