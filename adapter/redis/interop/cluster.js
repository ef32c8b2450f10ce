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
const { sleep, assert, onceArgs: once, none, runner, serveNode, goCountsNodes, shardSubscribed, fourClients, crossRunner } = require('../../internal/interop/cases');
const runCase = runner(10000, (name) => shardedMode && classicOnly.has(name));

async function client(url, name) {
  const c = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await once(c, 'connect');
  c.on('ask', (cb) => cb(name));
  return c;
}

// roomChannelsSubscribed waits until every node with a client in a room
// subscribed the room's channel (dynamic modes, see shardSubscribed):
// rooms r and x have a client on each node; in dynamic-private each
// client's own id is a channel of its node.
function roomChannelsSubscribed(pub, mode, clients) {
  if (mode !== 'dynamic' && mode !== 'dynamic-private') return;
  const want = { 'socket.io#/#r#': 2, 'socket.io#/#x#': 2 };
  if (mode === 'dynamic-private') for (const c of clients) want[`socket.io#/#${c.id}#`] = 1;
  return shardSubscribed(pub, want);
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
  const nodeURL = await serveNode(io, httpServer);
  const { nc1, nc2, gc1, gc2 } = await fourClients(client, nodeURL, goURL);
  await roomChannelsSubscribed(pub, shardedMode, [nc1, nc2, gc1, gc2]);
  const goAsk = (ev, ...args) => gc1.timeout(8000).emitWithAck(ev, ...args);
  await goCountsNodes(goAsk, 2);
  const t = { io, nc1, nc2, gc1, gc2, goAsk, once };
  const cross = crossRunner(runCase, t);

  await cross(
    'node-to-go-broadcast', 'go-to-node-broadcast', 'binary-both-ways', 'node-ack-across',
    'go-ack-across', 'node-fetch-go-sockets', 'go-fetch-node-sockets',
  );

  await runCase('all-rooms-across', async () => {
    const rooms = await io.of('/').adapter.allRooms();
    assert(rooms.has('x') && rooms.has(gc1.id) && rooms.has('r') && rooms.has(nc1.id), JSON.stringify([...rooms]));
    const goRooms = await goAsk('go-all-rooms');
    assert(goRooms.includes(nc2.id) && goRooms.includes('joined-by-go') && goRooms.includes(gc2.id), JSON.stringify(goRooms));
  });

  await cross('server-side-emit-node-to-go', 'server-side-emit-go-to-node', 'sockets-join-across');

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

  await cross('disconnect-across');

  for (const c of [nc1, gc1]) c.close();
  io.close();
  await Promise.all([pub.quit(), sub.quit()]).catch(() => {});
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
