// A Node socket.io 4.8 node with @socket.io/redis-adapter 8.3, clients on it
// and on a sio-fast node of the same cluster, and the Node redis-emitter.
// Driven by adapter/redis/interop_test.go, which runs the sio-fast node.
// With a subscription mode as third argument, the Node node uses
// createShardedAdapter instead (Redis >= 7 sharded Pub/Sub), and the cases
// of the classic adapter only (allRooms, the emitters) are left out.
// Usage: node cluster.js <redis url> <sio-fast url> [static|dynamic|dynamic-private]
// Prints one JSON line per case: {"case", "ok", "detail"}.
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { io: connect } = require('socket.io-client');
const { createClient } = require('redis');
const { createAdapter, createShardedAdapter } = require('@socket.io/redis-adapter');
const { Emitter } = require('@socket.io/redis-emitter');

const [redisURL, goURL, shardedMode] = process.argv.slice(2);
const classicOnly = new Set(['all-rooms-across', 'node-emitter-to-go', 'go-emitter-to-node']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function report(name, ok, detail) {
  console.log(JSON.stringify({ case: name, ok, detail }));
}

async function runCase(name, fn) {
  if (shardedMode && classicOnly.has(name)) return;
  try {
    const detail = await Promise.race([fn(), sleep(10000).then(() => { throw new Error('case timed out'); })]);
    report(name, true, detail === undefined ? 'ok' : detail);
  } catch (e) {
    report(name, false, String(e && e.stack || e));
  }
}

// once resolves with the arguments of the next event ev on client c.
const once = (c, ev) => new Promise((resolve) => c.once(ev, (...args) => resolve(args)));

// none checks that ev does not reach c within ms.
async function none(c, ev, ms = 300) {
  let got = null;
  const fn = (...a) => { got = a; };
  c.on(ev, fn);
  await sleep(ms);
  c.off(ev, fn);
  if (got) throw new Error(`${ev} unexpectedly received: ${JSON.stringify(got)}`);
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function client(url, name) {
  const c = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await once(c, 'connect');
  c.on('ask', (cb) => cb(name));
  return c;
}

async function main() {
  const pub = createClient({ url: redisURL });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const httpServer = http.createServer();
  const adapter = shardedMode
    ? createShardedAdapter(pub, sub, { subscriptionMode: shardedMode })
    : createAdapter(pub, sub, { requestsTimeout: 3000 });
  const io = new Server(httpServer, { adapter });
  io.on('connection', (s) => {
    s.data = { node: 'node', n: 1 };
    s.on('join', (room, cb) => { s.join(room); cb(); });
  });
  io.on('ping-node', (arg, cb) => cb('pong-node:' + arg));
  await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
  const nodeURL = `http://127.0.0.1:${httpServer.address().port}`;
  for (let i = 0; i < 200 && (await io.of('/').adapter.serverCount()) < 2; i++) await sleep(25);
  await sleep(200); // the sio-fast node's count refresh

  const nc1 = await client(nodeURL, 'nc1');
  const nc2 = await client(nodeURL, 'nc2');
  const gc1 = await client(goURL, 'gc1');
  const gc2 = await client(goURL, 'gc2');
  const join = (c, room) => c.emitWithAck('join', room);
  await join(gc1, 'r');
  await join(nc1, 'r');
  await join(nc2, 'x');
  await join(gc2, 'x');
  const goAsk = (ev, ...args) => gc1.timeout(8000).emitWithAck(ev, ...args);

  await runCase('node-to-go-broadcast', async () => {
    const got = Promise.all([once(gc1, 'ev'), once(nc1, 'ev')]);
    io.to('r').except('x').emit('ev', 1, { a: 'b' });
    const [g, n] = await got;
    assert(JSON.stringify(g) === '[1,{"a":"b"}]' && JSON.stringify(n) === '[1,{"a":"b"}]', JSON.stringify([g, n]));
    await Promise.all([none(gc2, 'ev'), none(gc1, 'ev'), none(nc2, 'ev')]);
  });

  await runCase('go-to-node-broadcast', async () => {
    let got = Promise.all([once(nc1, 'g'), once(gc1, 'g')]);
    await goAsk('go-emit', { to: ['r'], except: [], event: 'g', args: [1, 'two'] });
    let [n, g] = await got;
    assert(JSON.stringify(n) === '[1,"two"]' && JSON.stringify(g) === '[1,"two"]', JSON.stringify([n, g]));
    await Promise.all([none(nc2, 'g'), none(gc2, 'g'), none(nc1, 'g')]);
    got = Promise.all([once(nc1, 'h'), once(gc1, 'h')]);
    await goAsk('go-emit', { to: [], except: ['x'], event: 'h', args: [] });
    await got;
    await Promise.all([none(nc2, 'h'), none(gc2, 'h')]);
  });

  await runCase('binary-both-ways', async () => {
    let got = once(gc1, 'bin');
    io.to('r').emit('bin', Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    let [b, o] = await got;
    assert(Buffer.isBuffer(b) && b.equals(Buffer.from([1, 2, 3])) && o.nested.equals(Buffer.from([4])), 'node->go binary');
    got = once(nc1, 'gbin');
    await goAsk('go-emit-binary', 'r');
    [b] = await got;
    assert(Buffer.isBuffer(b) && b.equals(Buffer.from([7, 8, 9])), 'go->node binary: ' + JSON.stringify(b));
  });

  await runCase('node-ack-across', async () => {
    const res = await io.timeout(5000).emitWithAck('ask');
    assert(JSON.stringify(res.sort()) === '["gc1","gc2","nc1","nc2"]', JSON.stringify(res));
    return res;
  });

  await runCase('go-ack-across', async () => {
    const res = await goAsk('go-ack-all');
    assert(JSON.stringify(res.sort()) === '["gc1","gc2","nc1","nc2"]', JSON.stringify(res));
    return res;
  });

  await runCase('node-fetch-go-sockets', async () => {
    const sockets = await io.in('r').fetchSockets();
    const ids = sockets.map((s) => s.id).sort();
    assert(JSON.stringify(ids) === JSON.stringify([gc1.id, nc1.id].sort()), JSON.stringify(ids));
    const remote = sockets.find((s) => s.id === gc1.id);
    assert(remote.rooms.has('r') && remote.rooms.has(gc1.id), 'rooms ' + JSON.stringify([...remote.rooms]));
    assert(remote.data && remote.data.node === 'go', 'data ' + JSON.stringify(remote.data));
    assert(remote.handshake.query.EIO === '4' && remote.handshake.headers.upgrade === 'websocket', 'handshake ' + JSON.stringify(remote.handshake));
    const got = once(gc1, 'hello-remote');
    remote.emit('hello-remote', 'from-node');
    const [arg] = await got;
    assert(arg === 'from-node', arg);
    remote.join('joined-by-node');
    for (let i = 0; i < 100; i++) {
      const s = await io.in('joined-by-node').fetchSockets();
      if (s.length === 1 && s[0].id === gc1.id) return 'joined';
      await sleep(20);
    }
    throw new Error('remote join not seen');
  });

  await runCase('go-fetch-node-sockets', async () => {
    const sockets = await goAsk('go-fetch', 'r');
    const ids = sockets.map((s) => s.id).sort();
    assert(JSON.stringify(ids) === JSON.stringify([gc1.id, nc1.id].sort()), JSON.stringify(sockets));
    const remote = sockets.find((s) => s.id === nc1.id);
    assert(remote.rooms.includes('r') && remote.data && remote.data.node === 'node', JSON.stringify(remote));
    const got = once(nc1, 'from-go');
    await goAsk('go-fetch-emit', nc1.id, 'from-go');
    const [arg] = await got;
    assert(arg === 'hi from go', arg);
    await goAsk('go-fetch-join', nc1.id, 'joined-by-go');
    for (let i = 0; i < 100; i++) {
      if (io.of('/').sockets.get(nc1.id).rooms.has('joined-by-go')) return 'joined';
      await sleep(20);
    }
    throw new Error('remote join not applied');
  });

  await runCase('all-rooms-across', async () => {
    const rooms = await io.of('/').adapter.allRooms();
    assert(rooms.has('x') && rooms.has(gc1.id) && rooms.has('r') && rooms.has(nc1.id), JSON.stringify([...rooms]));
    const goRooms = await goAsk('go-all-rooms');
    assert(goRooms.includes(nc2.id) && goRooms.includes('joined-by-go') && goRooms.includes(gc2.id), JSON.stringify(goRooms));
  });

  await runCase('server-side-emit-node-to-go', async () => {
    const res = await io.serverSideEmitWithAck('ping-go', 'x');
    assert(JSON.stringify(res) === '["pong-go:x"]', JSON.stringify(res));
    return res;
  });

  await runCase('server-side-emit-go-to-node', async () => {
    const res = await goAsk('go-sse', 'y');
    assert(JSON.stringify(res) === '["pong-node:y"]', JSON.stringify(res));
    return res;
  });

  await runCase('sockets-join-across', async () => {
    io.except('x').socketsJoin('all-node');
    await goAsk('go-join-all', 'all-go');
    for (let i = 0; i < 100; i++) {
      const a = await io.in('all-node').fetchSockets();
      const b = await io.in('all-go').fetchSockets();
      if (a.length === 2 && b.length === 4) return 'joined';
      await sleep(20);
    }
    throw new Error('socketsJoin not applied everywhere');
  });

  await runCase('node-emitter-to-go', async () => {
    const e = new Emitter(pub);
    const got = Promise.all([once(gc1, 'from-emitter'), once(nc1, 'from-emitter')]);
    e.to('r').emit('from-emitter', 5, { k: 'v' });
    const [g, n] = await got;
    assert(JSON.stringify(g) === '[5,{"k":"v"}]' && JSON.stringify(n) === '[5,{"k":"v"}]', JSON.stringify([g, n]));
    await none(gc2, 'from-emitter');
    const joined = once(gc2, 'in-emitter-room');
    e.in(gc2.id).socketsJoin('emitter-room');
    await sleep(100);
    e.to('emitter-room').emit('in-emitter-room');
    await joined;
  });

  await runCase('go-emitter-to-node', async () => {
    const got = Promise.all([once(nc1, 'from-go-emitter'), once(gc1, 'from-go-emitter')]);
    await goAsk('go-emitter', 'r', 'from-go-emitter');
    const [n] = await got;
    assert(JSON.stringify(n) === '["via redis",{"n":1}]', JSON.stringify(n));
    await none(nc2, 'from-go-emitter');
  });

  await runCase('disconnect-across', async () => {
    let got = once(gc2, 'disconnect');
    io.in(gc2.id).disconnectSockets();
    let [reason] = await got;
    assert(reason === 'io server disconnect', reason);
    got = once(nc2, 'disconnect');
    await goAsk('go-disconnect', nc2.id);
    [reason] = await got;
    assert(reason === 'io server disconnect', reason);
  });

  for (const c of [nc1, gc1]) c.close();
  io.close();
  await Promise.all([pub.quit(), sub.quit()]).catch(() => {});
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
