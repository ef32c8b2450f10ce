// Drives the sio-fast interop application (interop_test.go's interopServer)
// with socket.io-client 3.1 (npm alias socket.io-client-3), the oldest client
// of the Socket.IO v5 protocol README.md claims, and prints one JSON line per
// case. 3.x has no emitWithAck or timeout(): acks are callbacks here.
// Usage: node client3.js MAIN_URL
'use strict';
const { io } = require('socket.io-client-3');
const version = require('socket.io-client-3/package.json').version;
const url = process.argv[2];

const { run, connector, sleep, once, assert, J } = require('./harness');
const { connect, expectConnectError } = connector(io, url);

// ask emits with an ack callback and resolves with the ack's arguments.
function ask(s, event, ...args) {
  return new Promise((resolve) => s.emit(event, ...args, (...reply) => resolve(reply)));
}

(async () => {
  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    await run('v3-echo-ack-' + transports.join('+'), async () => {
      const s = await connect({ transports });
      const [reply] = await ask(s, 'echo', { t: 123456789012, p: 'x' });
      if (transports.length === 2 && s.io.engine.transport.name !== 'websocket') await once(s.io.engine, 'upgrade');
      const transport = s.io.engine.transport.name;
      s.disconnect();
      assert(J(reply) === J({ t: 123456789012, p: 'x' }), 'ack ' + J(reply));
      return 'socket.io-client ' + version + ' over ' + transport;
    });
  }
  await run('v3-binary-nested', async () => {
    const s = await connect({ transports: ['websocket'] });
    const [reply] = await ask(s, 'echo-bin', { a: [1, { b: Buffer.from([1, 2, 3]) }], c: Buffer.from([4, 5]) });
    s.disconnect();
    assert(Buffer.from(reply.a[1].b).equals(Buffer.from([1, 2, 3])) && Buffer.from(reply.c).equals(Buffer.from([4, 5])), 'binary mismatch ' + J(reply));
    return 'ok';
  });
  await run('v3-rooms-broadcast', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    const c = await connect({ transports: ['websocket'] });
    await ask(a, 'join', 'r3');
    await ask(b, 'join', 'r3');
    const received = [];
    for (const [name, s] of [['a', a], ['b', b], ['c', c]]) s.on('broadcast', (d) => received.push(name + ':' + d.t));
    c.emit('to-room', 'r3', { t: 7, p: '' });
    await sleep(500);
    for (const s of [a, b, c]) s.disconnect();
    received.sort();
    assert(received.join(',') === 'a:7,b:7', 'got ' + received.join(','));
    return received.join(',');
  });
  await run('v3-namespace-middleware-error', async () => {
    const e = await expectConnectError({ transports: ['websocket'] }, '/private');
    assert(e.message === 'not allowed' && e.data && e.data.code === 42, 'got ' + e.message + ' ' + J(e.data));
    return e.message + ' ' + J(e.data);
  });
  await run('v3-invalid-namespace', async () => {
    const e = await expectConnectError({ transports: ['websocket'] }, '/nowhere');
    assert(e.message === 'Invalid namespace', 'got ' + e.message);
    return e.message;
  });
  await run('v3-dynamic-namespace-auth', async () => {
    const s = await connect({ transports: ['polling'], auth: { token: 'open-sesame' } }, '/fn-v3');
    const [w] = await ask(s, 'whoami');
    const id = s.id;
    s.disconnect();
    assert(w.nsp === '/fn-v3' && w.auth.token === 'open-sesame' && w.id === id, 'got ' + J(w) + ', client id ' + id);
    return w.nsp + ' auth ' + J(w.auth);
  });
  await run('v3-server-ack-to-client', async () => {
    const s = await connect({ transports: ['websocket'] });
    s.on('question', (x, cb) => cb(x * 2));
    const [r] = await ask(s, 'ask', 21);
    s.disconnect();
    assert(r === 42, 'got ' + r);
    return r;
  });
  await run('v3-catch-all', async () => {
    const s = await connect({ transports: ['websocket'] });
    const seen = [];
    s.onAny((event) => seen.push(event));
    s.emit('emit-three');
    await sleep(300);
    const [rep] = await ask(s, 'any-report');
    s.disconnect();
    assert(J(seen) === J(['o1', 'o2', 'o3']), 'client saw ' + J(seen));
    assert(rep.in.includes('emit-three') && J(rep.out) === J(['o1', 'o2', 'o3']), 'server saw ' + J(rep));
    return 'client ' + J(seen) + ', server ' + J(rep);
  });
  await run('v3-server-disconnect-reason', async () => {
    const s = await connect({ transports: ['polling'] });
    const reason = once(s, 'disconnect');
    s.emit('kick');
    const r = await reason;
    assert(r === 'io server disconnect', 'reason ' + r);
    return r;
  });
})();
