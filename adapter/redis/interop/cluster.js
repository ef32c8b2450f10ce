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
const { sleep, assert, onceArgs: once, none, runner, crossNode } = require('../../internal/interop/cases');
const runCase = runner(10000, (name) => shardedMode && classicOnly.has(name));

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
  const t = { io, nc1, nc2, gc1, gc2, goAsk, once };

  await runCase('node-to-go-broadcast', () => crossNode['node-to-go-broadcast'](t));

  await runCase('go-to-node-broadcast', () => crossNode['go-to-node-broadcast'](t));

  await runCase('binary-both-ways', () => crossNode['binary-both-ways'](t));

  await runCase('node-ack-across', () => crossNode['node-ack-across'](t));

  await runCase('go-ack-across', () => crossNode['go-ack-across'](t));

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

  await runCase('server-side-emit-node-to-go', () => crossNode['server-side-emit-node-to-go'](t));

  await runCase('server-side-emit-go-to-node', () => crossNode['server-side-emit-go-to-node'](t));

  await runCase('sockets-join-across', () => crossNode['sockets-join-across'](t));

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

  await runCase('disconnect-across', () => crossNode['disconnect-across'](t));

  for (const c of [nc1, gc1]) c.close();
  io.close();
  await Promise.all([pub.quit(), sub.quit()]).catch(() => {});
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
