// Smoke test of sio-fast's Engine.IO v3 support with socket.io-client 2.x
// (installed under the alias "sioc2"); prints one JSON line per case.
// Usage: node client.js http://127.0.0.1:PORT
'use strict';
const io = require('sioc2');
const url = process.argv[2];
const STEP_MS = 5000;

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error('timeout after ' + STEP_MS + ' ms')), STEP_MS);
    })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String((e && e.message) || e) }));
  } finally {
    clearTimeout(timer);
  }
}

const opened = [];
function connect(opts, nsp = '/', created = () => {}) {
  return new Promise((resolve, reject) => {
    const s = io(url + nsp, Object.assign({ forceNew: true, reconnection: false }, opts));
    opened.push(s);
    created(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(new Error('connect_error: ' + (e && e.message || e))));
    s.once('error', (e) => reject(new Error('error: ' + JSON.stringify(e))));
  });
}

// ack emits and resolves with the ack's arguments.
function ack(s, ev, ...args) {
  return new Promise((resolve) => s.emit(ev, ...args, (...reply) => resolve(reply)));
}

function once(emitter, ev) {
  return new Promise((resolve) => emitter.once(ev, (...a) => resolve(a)));
}

function expectEqual(got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error('got ' + g + ', want ' + w);
}

const payload = { n: 123456789012, s: 'héllo ✓', l: [1, null, true] };

(async () => {
  await run('polling-upgrade', async () => {
    let first;
    let upgraded;
    const s = await connect({}, '/', (s) => {
      // the engine exists as soon as io() returns; the upgrade may finish
      // before 'connect', so watch it from the start
      first = s.io.engine.transport.name;
      upgraded = once(s.io.engine, 'upgrade');
    });
    await upgraded;
    expectEqual(await ack(s, 'echo', payload, 'two'), [payload, 'two']);
    const transport = s.io.engine.transport.name;
    s.close();
    if (first !== 'polling' || transport !== 'websocket') throw new Error(first + ' -> ' + transport);
    return first + ' -> ' + transport;
  });
  for (const transport of ['websocket', 'polling']) {
    await run('ack-' + transport, async () => {
      const s = await connect({ transports: [transport] });
      expectEqual(await ack(s, 'echo', payload), [payload]);
      expectEqual(await ack(s, 'echo'), []);
      const name = s.io.engine.transport.name;
      s.close();
      expectEqual(name, transport);
      return name;
    });
    await run('binary-' + transport, async () => {
      const s = await connect({ transports: [transport] });
      const blob = Buffer.from([0, 1, 2, 253, 254, 255]);
      const [reply] = await ack(s, 'echo-bin', { nested: [blob] });
      s.close();
      if (!Buffer.isBuffer(reply.nested[0]) || !reply.nested[0].equals(blob)) throw new Error('got ' + JSON.stringify(reply));
      return reply.nested[0].length + ' bytes';
    });
  }
  await run('receive-event', async () => {
    const s = await connect({ transports: ['polling', 'websocket'] });
    const got = once(s, 'pushed');
    s.emit('push-me', 'x', 42);
    const args = await got;
    s.close();
    expectEqual(args, ['x', 42, 'from server']);
    return args;
  });
  await run('broadcast-from-other-client', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    const got = once(a, 'shouted');
    expectEqual(await ack(b, 'shout', 'hi all'), ['sent']);
    const args = await got;
    a.close();
    b.close();
    expectEqual(args, ['hi all']);
    return args;
  });
  await run('namespace', async () => {
    const s = await connect({ transports: ['websocket'], query: { token: 's3cret' } }, '/v2ns');
    const [who] = await ack(s, 'whoami');
    s.close();
    if (who.nsp !== '/v2ns' || who.auth.token !== 's3cret') throw new Error('whoami ' + JSON.stringify(who));
    return who;
  });
  await run('namespace-refused', async () => {
    const err = await connect({ transports: ['websocket'], query: { token: 'bad' } }, '/v2ns')
      .then(() => { throw new Error('connected with a bad token'); }, (e) => e.message);
    if (!/bad token/.test(err)) throw new Error('refusal: ' + err);
    return err;
  });
  await run('client-disconnect', async () => {
    const main = await connect({ transports: ['websocket'] });
    const s = await connect({ transports: ['polling'], query: { token: 's3cret' } }, '/v2ns');
    const reason = once(main, 'v2ns-left');
    s.close();
    const [r] = await reason;
    main.close();
    expectEqual(r, 'client namespace disconnect');
    return r;
  });
  await run('server-disconnect', async () => {
    const s = await connect({ transports: ['polling', 'websocket'] });
    const gone = once(s, 'disconnect');
    s.emit('kick');
    const [reason] = await gone;
    expectEqual(reason, 'io server disconnect');
    return reason;
  });
  for (const s of opened) s.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
