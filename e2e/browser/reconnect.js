// Drives two demo chat pages of a running sio-fast with Debian's chromium
// (headless, through playwright-core) while the Go test stops the server and
// starts it again on the same port, and prints one JSON line per case.
// Usage: node reconnect.js BASE_URL CHROMIUM_PATH USER_DATA_DIR
//
// The Go test reads the case lines and answers on stdin: after "connected"
// and each "reconnected-after-*" case it stops the server (SIGTERM, then
// SIGKILL) and writes "stopped"; after each "disconnected-*" case it starts
// the server again and writes "restarted". Nothing here reloads a page: the
// page's own socket.io client must notice the loss and reconnect by itself.
'use strict';
const readline = require('readline');
const { report, run: runCase, launch } = require('./harness');

const [base, executablePath, userDataDir] = process.argv.slice(2);
// Generous: a reconnection waits for the client's backoff (up to 5 s) and
// the machine may be busy; the Go test bounds the whole run too.
const STEP_MS = 30000;

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// command waits for the Go test's next line on stdin.
async function command(want) {
  const { value, done } = await lines.next();
  if (done) throw new Error('stdin closed while waiting for "' + want + '"');
  if (value.trim() !== want) throw new Error('got "' + value.trim() + '", want "' + want + '"');
}

const run = (name, fn) => runCase(name, fn, STEP_MS);

async function status(page) {
  return page.textContent('#status').catch(() => '?');
}

// connected waits until the page says it is connected over WebSocket with
// both pages online.
async function connected(page) {
  try {
    await page.waitForFunction(
      () => /^connected over websocket · 2 online$/.test(document.getElementById('status').textContent),
      null, { timeout: STEP_MS });
  } catch (e) {
    throw new Error('page status "' + (await status(page)) + '": ' + e.message.split('\n')[0]);
  }
  return status(page);
}

// disconnected waits until the page's client has noticed the server is gone.
async function disconnected(page) {
  try {
    await page.waitForFunction(() => document.getElementById('status').textContent === 'disconnected',
      null, { timeout: STEP_MS });
  } catch (e) {
    throw new Error('page status "' + (await status(page)) + '": ' + e.message.split('\n')[0]);
  }
  return status(page);
}

// say types text into from's form and waits until to shows it as received:
// a message through the server, one way.
async function say(from, to, text) {
  await from.fill('#msg', text);
  await from.press('#msg', 'Enter');
  await to.waitForFunction(
    (t) => [...document.querySelectorAll('#log p')].some((p) => p.textContent === t && !p.classList.contains('me')),
    text, { timeout: STEP_MS });
  return text;
}

// roundTrip checks both pages are connected and a message goes each way.
async function roundTrip(p1, p2, tag) {
  const states = [await connected(p1), await connected(p2)];
  await say(p1, p2, 'ping ' + tag);
  await say(p2, p1, 'pong ' + tag);
  return states;
}

// engineIds is each page's Engine.IO session id: a reconnection to a
// restarted server must have a new one.
async function engineIds(pages) {
  return Promise.all(pages.map((p) => p.evaluate(() => socket.io.engine.id)));
}

(async () => {
  const names = ['connected',
    'disconnected-sigterm', 'reconnected-after-sigterm',
    'disconnected-sigkill', 'reconnected-after-sigkill'];
  const context = await launch(executablePath, userDataDir, names);
  try {
    const pages = [];
    let ids;
    const steps = [
      ['connected', async () => {
        for (let i = 0; i < 2; i++) {
          const page = await context.newPage();
          page.on('pageerror', (e) => console.error('page error:', e.message));
          await page.goto(base + '/', { waitUntil: 'load', timeout: STEP_MS });
          pages.push(page);
        }
        const states = await roundTrip(pages[0], pages[1], 'before restart');
        ids = await engineIds(pages);
        return states;
      }],
    ];
    for (const signal of ['sigterm', 'sigkill']) {
      steps.push(['disconnected-' + signal, async () => {
        await command('stopped');
        return [await disconnected(pages[0]), await disconnected(pages[1])];
      }]);
      steps.push(['reconnected-after-' + signal, async () => {
        await command('restarted');
        const states = await roundTrip(pages[0], pages[1], 'after ' + signal);
        const now = await engineIds(pages);
        if (now.some((id, i) => id === ids[i])) throw new Error('same Engine.IO session after restart: ' + now);
        ids = now;
        return states;
      }]);
    }
    for (const [i, [name, fn]] of steps.entries()) {
      if (!(await run(name, fn))) {
        for (const [n] of steps.slice(i + 1)) report(n, false, 'not run: ' + name + ' failed');
        return;
      }
    }
  } finally {
    await context.close().catch(() => {});
    process.exit(0); // stdin stays open
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
