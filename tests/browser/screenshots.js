// The README's screenshots: a page at phone width (390 px) and one at desktop width (1280 px).
// Usage: node screenshots.js SITE PHONE_PAGE PHONE_PNG DESKTOP_PAGE DESKTOP_PNG
'use strict';
const { launch, url, main } = require('./lib');

main(async () => {
  const [site, phonePage, phonePng, desktopPage, desktopPng] = process.argv.slice(2);
  const { context, close } = await launch();
  try {
    const tab = await context.newPage();
    await tab.setViewportSize({ width: 390, height: 844 });
    await tab.goto(url(site, phonePage));
    await tab.evaluate(() => document.fonts.ready);
    await tab.screenshot({ path: phonePng });
    await tab.setViewportSize({ width: 1280, height: 900 });
    await tab.goto(url(site, desktopPage));
    await tab.evaluate(() => document.fonts.ready);
    await tab.screenshot({ path: desktopPng });
    return { phone: phonePng, desktop: desktopPng };
  } finally {
    await close();
  }
});
