// What the browser scripts share: one JSON result line per case, a case
// run with a deadline, and Debian's chromium started headless through
// playwright-core.
'use strict';
const { chromium } = require('playwright-core');

function report(name, ok, detail) {
  console.log(JSON.stringify({ case: name, ok, detail }));
}

// run runs case name: fn's result is its detail; a throw or ms passing
// fails it. It reports whether the case passed.
async function run(name, fn, ms) {
  let timer;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout after ' + ms + ' ms')), ms); }),
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

// launch starts chromium with a persistent profile; when it cannot, every
// case of names fails with the reason and the process exits.
async function launch(executablePath, userDataDir, names) {
  try {
    return await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      timeout: 60000, // a first start on a busy machine can take longer than a step
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    for (const n of names) report(n, false, 'chromium launch: ' + String((e && e.message) || e));
    process.exit(1);
  }
}

module.exports = { report, run, launch };
