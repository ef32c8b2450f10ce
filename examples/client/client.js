// Drives an example server with the official socket.io-client and prints
// one JSON line per case. Usage: node client.js BASE_URL
// BASE_URL is http://host:port or https://host:port (trust a test CA with
// NODE_EXTRA_CA_CERTS). Every case runs over polling only, WebSocket only,
// and polling upgraded to WebSocket.
'use strict';
const { io } = require('socket.io-client');
const http = require('http');
const https = require('https');
const base = process.argv[2];
const N = 1000;

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 30000); timer.unref(); })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  } finally {
    clearTimeout(timer);
  }
}

function connect(transports) {
  return new Promise((resolve, reject) => {
    const s = io(base, { forceNew: true, reconnection: false, transports });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

// upgraded resolves once s runs on a WebSocket (at once if it already does).
function upgraded(s) {
  if (s.io.engine.transport.name === 'websocket') return Promise.resolve();
  return new Promise((resolve) => s.io.engine.once('upgrade', () => resolve()));
}

// rest GETs the example's REST route.
function rest() {
  const mod = base.startsWith('https') ? https : http;
  return new Promise((resolve, reject) => {
    mod.get(base + '/api/ping', (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(res.statusCode + ' ' + body));
    }).on('error', reject);
  });
}

const assert = (cond, msg) => { if (!cond) throw new Error(msg); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// messages sends N "echo" events and asks for N "burst" events, checking
// order and count both ways; the REST route is asked meanwhile.
async function messages(s) {
  const echoes = [];
  const bursts = [];
  const gotAll = new Promise((resolve) => {
    const check = () => { if (echoes.length === N && bursts.length === N) resolve(); };
    s.on('echo', (n) => { echoes.push(n); check(); });
    s.on('burst', (n) => { bursts.push(n); check(); });
  });
  const restReply = rest();
  for (let i = 0; i < N; i++) s.emit('echo', i);
  s.emit('burst', N);
  await gotAll;
  for (let i = 0; i < N; i++) {
    assert(echoes[i] === i, 'echo ' + i + ' is ' + echoes[i]);
    assert(bursts[i] === i, 'burst ' + i + ' is ' + bursts[i]);
  }
  const r = await restReply;
  assert(r === '200 pong', 'REST route: ' + r);
  return r;
}

async function binary(s) {
  const sent = Buffer.alloc(1024);
  for (let i = 0; i < sent.length; i++) sent[i] = i % 251;
  const got = await new Promise((resolve) => { s.once('binary', resolve); s.emit('binary', sent); });
  assert(Buffer.compare(Buffer.from(got), sent) === 0, 'binary echo differs');
}

async function rooms(transports) {
  const [a, b, c] = await Promise.all([connect(transports), connect(transports), connect(transports)]);
  try {
    await Promise.all([a.emitWithAck('join', 'r1'), b.emitWithAck('join', 'r1'), c.emitWithAck('join', 'r2')]);
    let cGot = null;
    c.on('room-message', (m) => { cGot = m; });
    const bGot = new Promise((resolve) => b.once('room-message', resolve));
    a.emit('to-room', 'r1', 'hello r1');
    assert(await bGot === 'hello r1', 'room member missed the message');
    await sleep(200);
    assert(cGot === null, 'a client of another room got ' + cGot);
  } finally {
    a.disconnect(); b.disconnect(); c.disconnect();
  }
}

async function main() {
  const modes = { polling: ['polling'], websocket: ['websocket'], upgrade: ['polling', 'websocket'] };
  for (const [mode, transports] of Object.entries(modes)) {
    await run(mode + '-messages', async () => {
      const s = await connect(transports);
      try {
        if (mode === 'upgrade') await upgraded(s);
        const r = await messages(s);
        return { transport: s.io.engine.transport.name, rest: r };
      } finally { s.disconnect(); }
    });
    await run(mode + '-binary', async () => {
      const s = await connect(transports);
      try {
        if (mode === 'upgrade') await upgraded(s);
        await binary(s);
        return { transport: s.io.engine.transport.name };
      } finally { s.disconnect(); }
    });
    await run(mode + '-rooms', () => rooms(transports));
  }
}

main().then(() => process.exit(0));
