// Drives a sio-fast server configured with msgpack.Parser using the official
// socket.io-client and socket.io-msgpack-parser from npm, and prints one
// JSON line per case (see interop_test.go). Usage: node client.js URL
'use strict';
const { io } = require('socket.io-client');
const parser = require('socket.io-msgpack-parser');
const url = process.argv[2];

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

function connect(opts, nsp = '/') {
  return new Promise((resolve, reject) => {
    const s = io(url + nsp, Object.assign({ forceNew: true, reconnection: false, parser }, opts));
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

async function expectConnectError(nsp) {
  try {
    const s = await connect({ transports: ['websocket'] }, nsp);
    s.disconnect();
  } catch (e) {
    return e;
  }
  throw new Error('connected to ' + nsp);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const assert = (cond, msg) => { if (!cond) throw new Error(msg); };
const J = JSON.stringify;
const same = (a, b) => Buffer.isBuffer(a) && Buffer.from(b).equals(a);
// emitAll emits with an ack callback and resolves with every ack argument.
const emitAll = (s, ev, ...args) => new Promise((resolve) => s.emit(ev, ...args, (...all) => resolve(all)));

async function main() {
  // Events and acks with every JSON kind, on each transport (polling
  // carries the binary messages as base64).
  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    await run('echo-ack-' + transports.join('+'), async () => {
      const s = await connect({ transports });
      const value = { t: 123456789012, f: 1.5, neg: -7, s: 'é\n"', n: null, b: true, a: [1, [2, {}]], big: 2 ** 60 };
      const reply = await s.timeout(5000).emitWithAck('echo', value);
      s.disconnect();
      assert(J(reply) === J(value), 'ack ' + J(reply));
      return J(reply);
    });
  }
  for (const transports of [['polling'], ['websocket']]) {
    await run('binary-' + transports.join('+'), async () => {
      const s = await connect({ transports });
      const reply = await s.timeout(5000).emitWithAck('echo-bin', { a: [1, { b: Buffer.from([1, 2, 3]) }], c: Buffer.from([4, 5]), u8: new Uint8Array([6]) });
      const all = await emitAll(s, 'echo-all', 'x', Buffer.from('yz'), Buffer.alloc(0));
      s.disconnect();
      assert(same(reply.a[1].b, [1, 2, 3]) && same(reply.c, [4, 5]) && same(reply.u8, [6]), 'nested binary ' + J(reply));
      assert(all.length === 3 && all[0] === 'x' && same(all[1], Buffer.from('yz')) && same(all[2], []), 'spliced args ' + J(all));
      return 'ok';
    });
  }
  await run('date-undefined', async () => {
    const s = await connect({ transports: ['websocket'] });
    const reply = await emitAll(s, 'echo-all', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), undefined);
    s.disconnect();
    assert(J(reply) === J(['2024-01-02T03:04:05.006Z', null]), 'got ' + J(reply));
    return J(reply);
  });
  await run('server-ack-to-client', async () => {
    const s = await connect({ transports: ['websocket'] });
    s.on('question', (x, cb) => cb(x * 2, Buffer.from([9])));
    const r = await s.timeout(5000).emitWithAck('ask', 21);
    s.disconnect();
    assert(r.n === 42 && same(r.bin, [9]), 'got ' + J(r));
    return r.n;
  });
  await run('namespaces', async () => {
    const a = await connect({ transports: ['websocket'] }, '/admin');
    const w = await a.timeout(5000).emitWithAck('whoami');
    const id = a.id;
    a.disconnect();
    assert(w.nsp === '/admin' && w.id === id, 'whoami ' + J(w) + ' ' + id);
    const bad = await expectConnectError('/nowhere');
    assert(bad.message === 'Invalid namespace', 'invalid namespace: ' + bad.message);
    const refused = await expectConnectError('/private');
    assert(refused.message === 'not allowed' && refused.data && refused.data.code === 42, 'middleware: ' + refused.message + ' ' + J(refused.data));
    return [w.nsp, bad.message, refused.message];
  });
  await run('multiplex', async () => {
    const m = io(url, { reconnection: false, parser, forceNew: true });
    const b = m.io.socket('/admin');
    await Promise.all([new Promise((r) => m.once('connect', r)), new Promise((r) => { b.once('connect', r); b.connect(); })]);
    const [wa, wb] = await Promise.all([m.timeout(5000).emitWithAck('whoami'), b.timeout(5000).emitWithAck('whoami')]);
    m.io.engine.close();
    assert(wa.nsp === '/' && wb.nsp === '/admin', 'nsp ' + J([wa, wb]));
    return [wa.nsp, wb.nsp];
  });
  await run('rooms-broadcast', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    const c = await connect({ transports: ['websocket'] });
    await a.timeout(5000).emitWithAck('join', 'r1');
    await b.timeout(5000).emitWithAck('join', 'r1');
    const received = [];
    for (const [name, s] of [['a', a], ['b', b], ['c', c]]) {
      s.on('broadcast', (d, bin) => received.push(name + ':' + d.t + ':' + Buffer.from(bin).toString('hex')));
    }
    c.emit('to-room', 'r1', { t: 7 });
    await sleep(500);
    for (const s of [a, b, c]) s.disconnect();
    received.sort();
    assert(received.join(',') === 'a:7:010203,b:7:010203', 'got ' + received.join(','));
    return received.join(',');
  });
  await run('broadcast-ack', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    await a.timeout(5000).emitWithAck('join', 'r2');
    await b.timeout(5000).emitWithAck('join', 'r2');
    a.on('poll', (q, cb) => cb('a-' + q));
    b.on('poll', (q, cb) => cb('b-' + q));
    const r = await a.timeout(5000).emitWithAck('bcast-ack', 'r2');
    a.disconnect();
    b.disconnect();
    assert(r.err === null && J(r.res.sort()) === J(['a-q', 'b-q']), 'got ' + J(r));
    return J(r);
  });
}

main().then(() => process.exit(0));
