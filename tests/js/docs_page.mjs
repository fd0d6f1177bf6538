// Load a docs page in headless Chromium with every request off 127.0.0.1 blocked.
// usage: node docs_page.mjs URL SCREENSHOT_DIR
// Prints JSON: the event names and schema fields on the page, console errors, blocked
// requests, whether anything overflows a phone screen (390 px), code in descriptions.
import { chromium } from 'playwright-core';

const [url, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { consoleErrors: [], pageErrors: [], blocked: [], views: {} };
try {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }],
                                  ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport, isMobile: name === 'phone' });
    const page = await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error') result.consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => result.pageErrors.push(String(err)));
    await page.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === '127.0.0.1') return route.continue();
      result.blocked.push(route.request().url());
      return route.abort();
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    const view = await page.evaluate(() => ({
      title: document.title,
      events: [...document.querySelectorAll('article h4 code')].map((e) => e.textContent),
      anchors: [...document.querySelectorAll('article[id]')].map((e) => e.id),
      fields: [...document.querySelectorAll('td:first-child code')].map((e) => e.textContent),
      links: [...document.querySelectorAll('header a')].map((e) => e.getAttribute('href')),
      overflowX: document.documentElement.scrollWidth > window.innerWidth,
      // anything wider than the screen, or scrolling sideways inside its own box
      overflowing: [...document.querySelectorAll('body *')].filter((e) => {
        const box = e.getBoundingClientRect();
        const scrolls = e.scrollWidth > e.clientWidth + 1
          && !['visible', 'clip'].includes(getComputedStyle(e).overflowX);
        return box.width > 0 && (box.right > window.innerWidth + 0.5 || box.left < -0.5 || scrolls);
      }).map((e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '')),
      // descriptions: code spans rendered, no backtick left as text
      descriptionCode: [...document.querySelectorAll('.desc code, td[data-label=Description] code')]
        .map((e) => e.textContent),
      backticks: [...document.querySelectorAll('.desc, td')]
        .filter((e) => e.textContent.includes('`')).map((e) => e.textContent),
    }));
    view.status = response.status();
    result.views[name] = view;
    await page.screenshot({ path: `${shots}/docs-${name}.png`, fullPage: name === 'desktop' });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
