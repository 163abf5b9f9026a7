// Shared by the browser checks that tests/browser.rs runs: starts Debian's Chromium through
// playwright-core (never a downloaded browser), headless, with no network but the local files,
// and reads a site's pages. Results go to stdout as one JSON document; the Rust test asserts.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const tools = process.env.SANWU_TOOLS;
if (!tools) {
  throw new Error('SANWU_TOOLS (the .ci/tools folder) is not set');
}
const { chromium } = require(path.join(tools, 'node_modules', 'playwright-core'));

async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(require('os').tmpdir(), 'sanwu-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    javaScriptEnabled: options.javaScript !== false,
    executablePath: process.env.SANWU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ],
  });
  const close = async () => {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context: browser, close };
}

// Every .html file below `site`, as paths relative to it, sorted.
function pages(site) {
  const out = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) {
        walk(full);
      } else if (name.endsWith('.html')) {
        out.push(path.relative(site, full).split(path.sep).join('/'));
      }
    }
  };
  walk(site);
  return out;
}

function url(site, rel) {
  return pathToFileURL(path.join(site, rel)).href;
}

// Runs `body` and prints its result as JSON; any error fails the process with its message.
function main(body) {
  body()
    .then((result) => {
      process.stdout.write(JSON.stringify(result));
    })
    .catch((error) => {
      process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
      process.exit(1);
    });
}

module.exports = { launch, pages, url, main };
