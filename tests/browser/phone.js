// A page at phone width: horizontal overflow, and where given texts are visible.
// Usage: node phone.js SITE PAGE WIDTH TEXT...
'use strict';
const { launch, url, main } = require('./lib');

main(async () => {
  const [site, page, width, ...texts] = process.argv.slice(2);
  const { context, close } = await launch();
  try {
    const tab = await context.newPage();
    await tab.setViewportSize({ width: Number(width), height: 844 });
    await tab.goto(url(site, page));
    const scrollWidth = await tab.evaluate(() => document.documentElement.scrollWidth);
    const visible = {};
    for (const text of texts) {
      // The innermost elements showing the text, and whether one is visible and inside the
      // viewport's width.
      visible[text] = await tab.evaluate(([text, width]) => {
        const hits = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          if (walker.currentNode.nodeValue.includes(text)) {
            hits.push(walker.currentNode.parentElement);
          }
        }
        return hits.some((el) => {
          if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) {
            return false;
          }
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= width;
        });
      }, [text, Number(width)]);
    }
    return { scrollWidth, visible };
  } finally {
    await close();
  }
});
