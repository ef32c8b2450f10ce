// Drives the demo chat page of a running sio-fast with Debian's chromium
// (headless, through playwright-core) and prints one JSON line per case.
// Usage: node chat.js BASE_URL CHROMIUM_PATH USER_DATA_DIR SCREENSHOT_DIR
'use strict';
const path = require('path');
const { report, run: runCase, launch } = require('./harness');

const [base, executablePath, userDataDir, shotDir] = process.argv.slice(2);
const STEP_MS = 10000; // per case; the Go test bounds the whole run too

const run = (name, fn, ms = STEP_MS) => runCase(name, fn, ms);

// openChat opens the demo in a new page and records the status of every
// response for the client bundle.
async function openChat(context) {
  const page = await context.newPage();
  const bundle = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/socket.io/socket.io.js') bundle.push(r.status());
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(base + '/', { waitUntil: 'load', timeout: STEP_MS });
  return { page, bundle };
}

// connected waits until the page says it is connected over WebSocket with
// two users online.
async function connected(page) {
  try {
    await page.waitForFunction(() => document.body.dataset.transport === 'websocket', null, { timeout: STEP_MS });
    await page.waitForFunction(
      () => /^connected over websocket · 2 online$/.test(document.getElementById('status').textContent),
      null, { timeout: STEP_MS });
  } catch (e) {
    const status = await page.textContent('#status').catch(() => '?');
    throw new Error('page status "' + status + '": ' + e.message.split('\n')[0]);
  }
  return page.textContent('#status');
}

// say types text into from's form, sends it with Enter, and waits until to
// shows it as a received (not own) message.
async function say(from, to, text) {
  await from.fill('#msg', text);
  await from.press('#msg', 'Enter');
  await to.waitForFunction(
    (t) => [...document.querySelectorAll('#log p')].some((p) => p.textContent === t && !p.classList.contains('me')),
    text, { timeout: STEP_MS });
  const own = await from.$$eval('#log p.me', (ps) => ps.map((p) => p.textContent));
  if (!own.includes(text)) throw new Error('sender did not show its own message');
  return text;
}

(async () => {
  const names = ['connect-upgrade', 'chat-1-to-2', 'chat-2-to-1', 'bundle-served', 'screenshot'];
  const context = await launch(executablePath, userDataDir, names);
  let p1, p2;
  try {
    const ok = await run('connect-upgrade', async () => {
      p1 = await openChat(context);
      p2 = await openChat(context);
      return [await connected(p1.page), await connected(p2.page)];
    }, 3 * STEP_MS); // two page loads, two connections and upgrades
    if (!ok) {
      for (const n of names.slice(1)) report(n, false, 'not connected');
      return;
    }
    await run('chat-1-to-2', () => say(p1.page, p2.page, 'hello from page 1 ✓'));
    await run('chat-2-to-1', () => say(p2.page, p1.page, 'and back from page 2 <b>'));
    await run('bundle-served', async () => {
      for (const p of [p1, p2]) {
        if (p.bundle.length === 0 || p.bundle.some((s) => s !== 200 && s !== 304)) throw new Error('bundle statuses ' + JSON.stringify(p.bundle));
      }
      if (p1.bundle[0] !== 200) throw new Error('first load of the bundle: ' + p1.bundle[0]);
      // the page really got the client: io is a function there.
      const kind = await p1.page.evaluate(() => typeof io);
      if (kind !== 'function') throw new Error('typeof io = ' + kind);
      return { page1: p1.bundle, page2: p2.bundle };
    });
    await run('screenshot', async () => {
      const files = [];
      for (const [i, p] of [p1, p2].entries()) {
        const file = path.join(shotDir, 'chat-' + (i + 1) + '.png');
        await p.page.screenshot({ path: file, fullPage: true });
        files.push(file);
      }
      return files;
    });
  } finally {
    await context.close().catch(() => {});
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
