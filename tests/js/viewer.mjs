// Open the AsyncAPI React viewer page in headless Chromium (requests off 127.0.0.1
// blocked) and wait until it shows the document.
// usage: node viewer.mjs URL SCREENSHOT EXPECTED_TEXT
import { chromium } from 'playwright-core';

const [url, shot, expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { consoleErrors: [], pageErrors: [], blocked: [], shown: false };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (msg) => { if (msg.type() === 'error') result.consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => result.pageErrors.push(String(err)));
  await page.route('**/*', (route) => {
    if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
    result.blocked.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  try {
    await page.waitForFunction((text) => document.body.innerText.includes(text), expected,
                               { timeout: 30000 });
    result.shown = true;
  } catch (e) {
    result.waitError = String(e);
  }
  result.title = await page.title();
  await page.screenshot({ path: shot });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
