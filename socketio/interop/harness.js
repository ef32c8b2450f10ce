// What client.js (socket.io-client 4.8) and client3.js (3.1) share: each
// case prints one JSON line {case, ok, detail} for scripttest.RunCases.
'use strict';

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 10000); timer.unref(); })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  } finally {
    clearTimeout(timer);
  }
}

// connector returns connect(opts, nsp, base) for a client library's io():
// a new Manager without reconnection, resolved on connect, rejected with
// the connect_error.
function connector(io, url) {
  const connect = (opts, nsp = '/', base = url) => new Promise((resolve, reject) => {
    const s = io(base + nsp, Object.assign({ forceNew: true, reconnection: false }, opts));
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
  // expectConnectError connects and returns the connect_error.
  const expectConnectError = async (opts, nsp) => {
    try {
      const s = await connect(opts, nsp);
      s.disconnect();
    } catch (e) {
      return e;
    }
    throw new Error('connected to ' + nsp);
  };
  return { connect, expectConnectError };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const once = (s, ev) => new Promise((r) => s.once(ev, r)); // first argument only
const assert = (cond, msg) => { if (!cond) throw new Error(msg); };

// waitFor polls cond every 10 ms for at most ms.
async function waitFor(cond, ms) {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(10);
  return cond();
}

module.exports = { run, connector, sleep, once, assert, waitFor, J: JSON.stringify };
