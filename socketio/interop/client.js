// Drives a sio-fast server with the official socket.io-client and prints one
// JSON line per case. Usage: node client.js http://127.0.0.1:PORT
'use strict';
const { io } = require('socket.io-client');
const url = process.argv[2];

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 10000); })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  } finally {
    clearTimeout(timer);
  }
}

function connect(opts, nsp = '/') {
  return new Promise((resolve, reject) => {
    const s = io(url + nsp, Object.assign({ forceNew: true, reconnection: false }, opts));
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

(async () => {
  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    await run('echo-ack-' + transports.join('+'), async () => {
      const s = await connect({ transports });
      const reply = await s.timeout(5000).emitWithAck('echo', { t: 123456789012, p: 'x' }, 'two');
      const transport = s.io.engine.transport.name;
      s.disconnect();
      if (JSON.stringify(reply) !== JSON.stringify({ t: 123456789012, p: 'x' })) throw new Error('ack ' + JSON.stringify(reply));
      return transport;
    });
  }
  await run('upgrade-under-load', async () => {
    const s = await connect({ transports: ['polling', 'websocket'] });
    const n = 1000;
    const got = [];
    s.on('seq', (i) => got.push(i));
    for (let i = 0; i < n; i++) s.emit('seq', i);
    const deadline = Date.now() + 8000;
    while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const transport = s.io.engine.transport.name;
    s.disconnect();
    for (let i = 0; i < n; i++) if (got[i] !== i) throw new Error('order/loss at ' + i + ' (got ' + got.length + ')');
    return transport + ' ' + got.length;
  });
  await run('binary-nested', async () => {
    const s = await connect({ transports: ['websocket'] });
    const reply = await s.timeout(5000).emitWithAck('echo-bin', { a: [1, { b: Buffer.from([1, 2, 3]) }], c: Buffer.from([4, 5]) });
    s.disconnect();
    if (!Buffer.from(reply.a[1].b).equals(Buffer.from([1, 2, 3])) || !Buffer.from(reply.c).equals(Buffer.from([4, 5]))) throw new Error('binary mismatch');
    return 'ok';
  });
  await run('rooms-broadcast', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    const c = await connect({ transports: ['websocket'] });
    await a.timeout(5000).emitWithAck('join', 'r1');
    await b.timeout(5000).emitWithAck('join', 'r1');
    const received = [];
    for (const [name, s] of [['a', a], ['b', b], ['c', c]]) s.on('broadcast', (d) => received.push(name + ':' + d.t));
    c.emit('to-room', 'r1', { t: 7, p: '' });
    await new Promise((r) => setTimeout(r, 500));
    for (const s of [a, b, c]) s.disconnect();
    received.sort();
    if (received.join(',') !== 'a:7,b:7') throw new Error('got ' + received.join(','));
    return received.join(',');
  });
  await run('namespace-middleware-error', async () => {
    try {
      await connect({ transports: ['websocket'] }, '/private');
      throw new Error('connected');
    } catch (e) {
      if (e.message !== 'not allowed' || !e.data || e.data.code !== 42) throw new Error('got ' + e.message + ' ' + JSON.stringify(e.data));
      return e.message;
    }
  });
  await run('invalid-namespace', async () => {
    try {
      await connect({ transports: ['websocket'] }, '/nowhere');
      throw new Error('connected');
    } catch (e) {
      if (e.message !== 'Invalid namespace') throw new Error('got ' + e.message);
      return e.message;
    }
  });
  await run('server-disconnect-reason', async () => {
    const s = await connect({ transports: ['websocket'] });
    const reason = new Promise((r) => s.once('disconnect', r));
    s.emit('kick');
    return await reason === 'io server disconnect' ? 'io server disconnect' : Promise.reject(new Error('reason'));
  });
  await run('server-ack-to-client', async () => {
    const s = await connect({ transports: ['websocket'] });
    s.on('question', (x, cb) => cb(x * 2));
    const r = await s.timeout(5000).emitWithAck('ask', 21);
    s.disconnect();
    if (r !== 42) throw new Error('got ' + r);
    return r;
  });
})();
