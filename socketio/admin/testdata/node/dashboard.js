// Drives the admin UI (ui/dist of @socket.io/admin-ui, served by the Go
// test) in Debian's chromium through playwright-core, against an
// instrumented sio-fast server with live socket.io-client clients, and
// prints one JSON line per case.
// Usage: node dashboard.js UI_URL SERVER_URL CHROMIUM_PATH USER_DATA_DIR SCREENSHOT_DIR PASSWORD
// The server's main namespace handles "enter" (join the room given).
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');
const { io } = require('socket.io-client');

const [ui, server, executablePath, userDataDir, shotDir, password] = process.argv.slice(2);
const STEP_MS = 15000;

function report(name, ok, detail) {
  console.log(JSON.stringify({ case: name, ok, detail }));
}

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout after ' + STEP_MS + ' ms')), STEP_MS); }),
    ]);
    report(name, true, detail);
    return true;
  } catch (e) {
    report(name, false, String((e && e.message) || e));
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function client(room) {
  return new Promise((resolve, reject) => {
    const s = io(server, { forceNew: true, reconnection: false });
    s.once('connect', () => { s.emit('enter', room); resolve(s); });
    s.once('connect_error', reject);
  });
}

// text waits until the page's visible text satisfies pred and returns it.
async function text(page, pred, what) {
  try {
    await page.waitForFunction(pred, null, { timeout: STEP_MS - 1000, polling: 100 });
  } catch (e) {
    const body = await page.evaluate(() => document.body.innerText).catch(() => '?');
    throw new Error('page never showed ' + what + '; it shows: ' + body.replace(/\s+/g, ' ').slice(0, 600));
  }
  return page.evaluate(() => document.body.innerText.replace(/\s+/g, ' '));
}

async function main() {
  const clients = [await client('lobby'), await client('lobby'), await client('vip')];
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // Only the UI and the server are reachable: fonts and icons from CDNs are refused at once.
  await browser.route('**/*', (r) => {
    const u = r.request().url();
    return u.startsWith(ui) || u.startsWith(server) ? r.continue() : r.abort();
  });
  const page = browser.pages()[0] || await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  try {
    await run('login', async () => {
      await page.goto(ui + '/', { waitUntil: 'domcontentloaded', timeout: STEP_MS });
      await page.getByLabel('Server URL').fill(server);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Connect' }).click();
      await text(page, () => document.body.innerText.includes('Invalid credentials'), 'the refusal');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Connect' }).click();
      // The modal closes on connect. (The UI listens to "session" only
      // after "connect", so it misses the session id sent before the
      // CONNECT reply, with Node's server too: it is not checked here.)
      const t = await text(page, () => /Status:\s*CONNECTED/.test(document.body.innerText), 'the connected status');
      await page.getByLabel('Password').waitFor({ state: 'hidden', timeout: 5000 }); // the dialog's closing transition
      return t.slice(0, 120);
    });
    await run('dashboard-counts', async () => {
      // the namespaces card: "/" with the 3 clients, "/admin" with the UI itself
      const rows = () => [...document.querySelectorAll('tr')].map((tr) => tr.innerText.replace(/\s+/g, ' ').trim());
      await text(page, () => {
        const rows = [...document.querySelectorAll('tr')].map((tr) => tr.innerText.replace(/\s+/g, ' ').trim());
        return rows.includes('/ 3') && rows.includes('/admin 1');
      }, 'the namespaces "/ 3" and "/admin 1"');
      return page.evaluate(rows);
    });
    await run('screenshot-dashboard', async () => {
      const file = path.join(shotDir, 'admin-dashboard.png');
      await page.screenshot({ path: file, fullPage: true });
      return file;
    });
    await run('sockets-list', async () => {
      await page.goto(ui + '/#/sockets/', { waitUntil: 'domcontentloaded' });
      const ids = clients.map((c) => c.id);
      await page.waitForFunction((ids) => ids.every((id) => document.body.innerText.includes(id)), ids, { timeout: STEP_MS - 1000 })
        .catch(async () => { throw new Error('sockets page: ' + (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ').slice(0, 600)); });
      await page.screenshot({ path: path.join(shotDir, 'admin-sockets.png'), fullPage: true });
      return ids;
    });
    await run('rooms-list', async () => {
      await page.goto(ui + '/#/rooms/', { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => /lobby/.test(document.body.innerText) && /vip/.test(document.body.innerText), null, { timeout: STEP_MS - 1000 })
        .catch(async () => { throw new Error('rooms page: ' + (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ').slice(0, 600)); });
      const t = await page.evaluate(() => document.body.innerText.replace(/\s+/g, ' '));
      return t.slice(t.indexOf('lobby') - 40, t.indexOf('lobby') + 80);
    });
    await run('live-updates', async () => {
      await page.goto(ui + '/#/sockets/', { waitUntil: 'domcontentloaded' });
      const late = await client('lobby');
      clients.push(late);
      await page.waitForFunction((id) => document.body.innerText.includes(id), late.id, { timeout: STEP_MS - 1000 });
      const goneId = clients[0].id;
      clients[0].disconnect();
      await page.waitForFunction((id) => !document.body.innerText.includes(id), goneId, { timeout: STEP_MS - 1000 });
      return { appeared: late.id, gone: goneId };
    });
  } finally {
    clients.forEach((c) => c.disconnect());
    await browser.close();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
