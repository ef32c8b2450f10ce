// What the mixed-cluster scripts (adapter/redis/interop/cluster.js and
// adapter/redisstreams/interop/cluster.js, and the cmd/sio-fast cluster
// scripts for the helpers) share: the case runner and assertions, and the
// cross-node cases that read the same whatever the adapter. Nothing here
// requires an npm package: each script passes its own server, clients and
// once (the Streams script strips offsets), resolved from its own
// node_modules.
'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// onceArgs resolves with the arguments of the next event ev on client c.
const onceArgs = (c, ev) => new Promise((resolve) => c.once(ev, (...args) => resolve(args)));

// none checks that ev does not reach c within ms.
async function none(c, ev, ms = 300) {
  let got = null;
  const fn = (...a) => { got = a; };
  c.on(ev, fn);
  await sleep(ms);
  c.off(ev, fn);
  if (got) throw new Error(`${ev} unexpectedly received: ${JSON.stringify(got)}`);
}

// runner returns runCase(name, fn): fn gets timeoutMs, its outcome is one
// JSON line {case, ok, detail} for scripttest.RunCases; a name skip(name)
// accepts is left out.
function runner(timeoutMs, skip = () => false) {
  return async function runCase(name, fn) {
    if (skip(name)) return;
    let timer;
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('case timed out')), timeoutMs); });
    try {
      const detail = await Promise.race([fn(), timeout]);
      console.log(JSON.stringify({ case: name, ok: true, detail: detail === undefined ? 'ok' : detail }));
    } catch (e) {
      console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.stack || e) }));
    } finally {
      clearTimeout(timer);
    }
  };
}

// crossNode are the cases both cluster scripts run, by name. t holds the
// Node server io, its clients nc1 (in room r) and nc2 (in x), the sio-fast
// node's gc1 (in r) and gc2 (in x), goAsk (an event to the sio-fast node,
// acked with the outcome) and once.
const crossNode = {
  'node-to-go-broadcast': async ({ io, nc1, nc2, gc1, gc2, once }) => {
    const got = Promise.all([once(gc1, 'ev'), once(nc1, 'ev')]);
    io.to('r').except('x').emit('ev', 1, { a: 'b' });
    const [g, n] = await got;
    assert(JSON.stringify(g) === '[1,{"a":"b"}]' && JSON.stringify(n) === '[1,{"a":"b"}]', JSON.stringify([g, n]));
    await Promise.all([none(gc2, 'ev'), none(gc1, 'ev'), none(nc2, 'ev')]);
  },
  'go-to-node-broadcast': async ({ nc1, nc2, gc1, gc2, goAsk, once }) => {
    let got = Promise.all([once(nc1, 'g'), once(gc1, 'g')]);
    await goAsk('go-emit', { to: ['r'], except: [], event: 'g', args: [1, 'two'] });
    let [n, g] = await got;
    assert(JSON.stringify(n) === '[1,"two"]' && JSON.stringify(g) === '[1,"two"]', JSON.stringify([n, g]));
    await Promise.all([none(nc2, 'g'), none(gc2, 'g'), none(nc1, 'g')]);
    got = Promise.all([once(nc1, 'h'), once(gc1, 'h')]);
    await goAsk('go-emit', { to: [], except: ['x'], event: 'h', args: [] });
    await got;
    await Promise.all([none(nc2, 'h'), none(gc2, 'h')]);
  },
  'binary-both-ways': async ({ io, nc1, gc1, goAsk, once }) => {
    let got = once(gc1, 'bin');
    io.to('r').emit('bin', Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    let [b, o] = await got;
    assert(Buffer.isBuffer(b) && b.equals(Buffer.from([1, 2, 3])) && o.nested.equals(Buffer.from([4])), 'node->go binary');
    got = once(nc1, 'gbin');
    await goAsk('go-emit-binary', 'r');
    [b] = await got;
    assert(Buffer.isBuffer(b) && b.equals(Buffer.from([7, 8, 9])), 'go->node binary: ' + JSON.stringify(b));
  },
  'node-ack-across': async ({ io, nc1, nc2, gc1, gc2 }) => {
    const res = await io.timeout(5000).emitWithAck('ask');
    assert(JSON.stringify(res.sort()) === '["gc1","gc2","nc1","nc2"]', JSON.stringify(res));
    return res;
  },
  'go-ack-across': async ({ nc1, nc2, gc1, gc2, goAsk }) => {
    const res = await goAsk('go-ack-all');
    assert(JSON.stringify(res.sort()) === '["gc1","gc2","nc1","nc2"]', JSON.stringify(res));
    return res;
  },
  'node-fetch-go-sockets': async ({ io, nc1, gc1, once }) => {
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
  },
  'go-fetch-node-sockets': async ({ io, nc1, gc1, goAsk, once }) => {
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
  },
  'server-side-emit-node-to-go': async ({ io }) => {
    const res = await io.serverSideEmitWithAck('ping-go', 'x');
    assert(JSON.stringify(res) === '["pong-go:x"]', JSON.stringify(res));
    return res;
  },
  'server-side-emit-go-to-node': async ({ goAsk }) => {
    const res = await goAsk('go-sse', 'y');
    assert(JSON.stringify(res) === '["pong-node:y"]', JSON.stringify(res));
    return res;
  },
  'sockets-join-across': async ({ io, goAsk }) => {
    io.except('x').socketsJoin('all-node');
    await goAsk('go-join-all', 'all-go');
    for (let i = 0; i < 100; i++) {
      const a = await io.in('all-node').fetchSockets();
      const b = await io.in('all-go').fetchSockets();
      if (a.length === 2 && b.length === 4) return 'joined';
      await sleep(20);
    }
    throw new Error('socketsJoin not applied everywhere');
  },
  'disconnect-across': async ({ io, nc2, gc1, gc2, once }) => {
    let got = once(gc2, 'disconnect');
    io.in(gc2.id).disconnectSockets();
    let [reason] = await got;
    assert(reason === 'io server disconnect', reason);
    got = once(nc2, 'disconnect');
    await gc1.timeout(8000).emitWithAck('go-disconnect', nc2.id);
    [reason] = await got;
    assert(reason === 'io server disconnect', reason);
  },
};

// serveNode gives the Node node (io on httpServer) what both scripts
// expect of it: a 'join' event, its sockets' data, the 'ping-node'
// server-side handler. It listens on a loopback port and resolves with its
// URL once its adapter counts both nodes (goCountsNodes waits for the
// sio-fast node's view).
async function serveNode(io, httpServer) {
  io.on('connection', (s) => {
    s.data = { node: 'node', n: 1 };
    s.on('join', (room, cb) => { s.join(room); cb(); });
  });
  io.on('ping-node', (arg, cb) => cb('pong-node:' + arg));
  await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
  for (let i = 0; i < 200 && (await io.of('/').adapter.serverCount()) < 2; i++) await sleep(25);
  return `http://127.0.0.1:${httpServer.address().port}`;
}

// goCountsNodes waits until the sio-fast node (goAsk) counts n nodes: it
// refreshes its cached count, which its broadcasts with ack expect answers
// from, every second, so it may lag the Node node's.
async function goCountsNodes(goAsk, n) {
  for (let i = 0; i < 250; i++) {
    if ((await goAsk('go-server-count')) === n) return;
    await sleep(20);
  }
  throw new Error(`the sio-fast node does not count ${n} nodes`);
}

// shardSubscribed waits until Redis (rdb, a connected node-redis client)
// counts want[channel] subscribers of each shard channel: the sharded
// adapters (Node's and sio-fast's) subscribe a room's channel after the
// join, asynchronously, and a broadcast published earlier misses a node
// whose SSUBSCRIBE is not through.
async function shardSubscribed(rdb, want) {
  for (let i = 0; i < 500; i++) {
    const counts = await Promise.all(Object.keys(want).map((ch) => rdb.sendCommand(['PUBSUB', 'SHARDNUMSUB', ch])));
    if (counts.every(([ch, n]) => Number(n) === want[ch])) return;
    await sleep(20);
  }
  throw new Error('shard channels without all their subscribers: ' + JSON.stringify(want));
}

// join makes client c join room through the node's 'join' event.
const join = (c, room) => c.emitWithAck('join', room);

// fourClients connects nc1 and nc2 to the Node node, gc1 and gc2 to the
// sio-fast node (client(url, name) connects one), and makes nc1 and gc1
// join r, nc2 and gc2 join x, as crossNode expects.
async function fourClients(client, nodeURL, goURL) {
  const nc1 = await client(nodeURL, 'nc1');
  const nc2 = await client(nodeURL, 'nc2');
  const gc1 = await client(goURL, 'gc1');
  const gc2 = await client(goURL, 'gc2');
  await join(gc1, 'r');
  await join(nc1, 'r');
  await join(nc2, 'x');
  await join(gc2, 'x');
  return { nc1, nc2, gc1, gc2 };
}

// crossRunner returns cross(...names): runs the crossNode cases names, in
// order, with runCase and t.
function crossRunner(runCase, t) {
  return async (...names) => {
    for (const name of names) await runCase(name, () => crossNode[name](t));
  };
}

module.exports = { sleep, assert, onceArgs, none, runner, crossNode, serveNode, goCountsNodes, shardSubscribed, join, fourClients, crossRunner };
