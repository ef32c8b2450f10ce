// A Node socket.io 4.8 node with @socket.io/redis-streams-adapter 0.3,
// clients on it and on a sio-fast node of the same cluster, connection
// state recovery on both. Driven by adapter/redisstreams/interop_test.go,
// which runs the sio-fast node.
// Usage: node cluster.js <redis url> <sio-fast url>
// Prints one JSON line per case: {"case", "ok", "detail"}.
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { io: connect } = require('socket.io-client');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-streams-adapter');

const [redisURL, goURL] = process.argv.slice(2);
const { sleep, assert, runner, serveNode, goCountsNodes, join, fourClients, crossRunner } = require('../../internal/interop/cases');
const runCase = runner(15000);

// With recovery on, a stored broadcast carries its offset (the stream entry
// id) as its last argument, which the client passes on to listeners too.
const isOffset = (a) => typeof a === 'string' && /^\d+-\d+$/.test(a);
const streamLess = (a, b) => {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am < bm || (am === bm && as < bs);
};
const stripOffset = (args) => (args.length && isOffset(args[args.length - 1]) ? args.slice(0, -1) : args);

// once resolves with the arguments of the next event ev on client c,
// offset stripped.
const once = (c, ev) => new Promise((resolve) => c.once(ev, (...args) => resolve(stripOffset(args))));

function options() {
  return { transports: ['websocket'], reconnection: false, forceNew: true };
}

async function client(url, name) {
  const c = connect(url, options());
  await once(c, 'connect');
  c.on('ask', (cb) => cb(name));
  return c;
}

// moveTo drops c's transport (a recoverable disconnection), waits until its
// node stored the session, runs whileAway and waits until the stream holds
// the written entries it resolves with (both nodes write without waiting
// for Redis), and reconnects c to url the way socket.io-client itself
// reconnects: with its pid and last offset in the CONNECT auth (the client
// keeps them in _pid and _lastOffset; a Manager only reconnects to its own
// URL, so the state is handed to a new socket for the other node). It
// resolves once want events arrived, and 100 ms more for any extra.
async function moveTo(c, url, pub, want, whileAway) {
  const pid = c._pid;
  const offset = c._lastOffset;
  assert(pid && offset, `no recovery state: pid ${pid} offset ${offset}`);
  c.io.engine.close();
  for (let i = 0; i < 200 && !(await pub.exists('sio:session:' + pid)); i++) await sleep(20);
  assert(await pub.exists('sio:session:' + pid), 'session not stored');
  const before = await pub.xLen('socket.io');
  const written = await whileAway();
  for (let i = 0; i < 250 && (await pub.xLen('socket.io')) < before + written; i++) await sleep(20);
  assert((await pub.xLen('socket.io')) >= before + written, `${written} entries not written`);
  const c2 = connect(url, { ...options(), autoConnect: false });
  c2._pid = pid;
  c2._lastOffset = offset;
  const got = [];
  c2.onAny((ev, ...args) => got.push([ev, ...args]));
  // The nodes write concurrently: the stream's order (increasing offsets)
  // is the order of delivery.
  got.inStreamOrder = () => got.every((e, i) => isOffset(e[e.length - 1]) &&
    (i === 0 || streamLess(got[i - 1][got[i - 1].length - 1], e[e.length - 1])));
  got.names = () => got.map((e) => e[0]).sort().join(',');
  c2.connect();
  await once(c2, 'connect');
  for (let i = 0; i < 250 && got.length < want; i++) await sleep(20);
  await sleep(100);
  return { c2, got };
}

// readerBlocked waits until the Node node's stream reader (the adapter's
// duplicate of the client named name) waits in XREAD: from then on it gets
// every entry written. It starts at "$" and, as long as it has read no
// entry, starts at "$" again after each BLOCK timeout, missing what was
// written in between: the adapter's blockTimeInMs outlasts the run.
async function readerBlocked(pub, name) {
  for (let i = 0; i < 500; i++) {
    const clients = (await pub.sendCommand(['CLIENT', 'LIST'])).split('\n');
    if (clients.some((c) => c.includes(` name=${name} `) && / flags=\S*b/.test(c) && c.includes(' cmd=xread'))) return;
    await sleep(20);
  }
  throw new Error('the Node node never waits in XREAD');
}

async function main() {
  const pub = createClient({ url: redisURL, name: 'sio-node-node' });
  await pub.connect();
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(pub, { blockTimeInMs: 600000 }),
    connectionStateRecovery: { maxDisconnectionDuration: 60000 },
  });
  const nodeURL = await serveNode(io, httpServer);
  await readerBlocked(pub, 'sio-node-node');
  const { nc1, nc2, gc1, gc2 } = await fourClients(client, nodeURL, goURL);
  const goAsk = (ev, ...args) => gc2.timeout(8000).emitWithAck(ev, ...args);
  await goCountsNodes(goAsk, 2);
  const t = { io, nc1, nc2, gc1, gc2, goAsk, once };
  const cross = crossRunner(runCase, t);

  await cross(
    'node-to-go-broadcast', 'go-to-node-broadcast', 'binary-both-ways', 'node-ack-across',
    'go-ack-across', 'node-fetch-go-sockets', 'go-fetch-node-sockets',
    'server-side-emit-node-to-go', 'server-side-emit-go-to-node', 'sockets-join-across',
  );

  await runCase('recovery-go-to-node', async () => {
    const c = await client(goURL, 'mover1');
    await join(c, 'movers');
    const first = once(c, 'm0');
    io.to('movers').emit('m0');
    await first;
    const id = c.id;
    const { c2, got } = await moveTo(c, nodeURL, pub, 2, async () => {
      await goAsk('go-emit', { to: ['movers'], except: [], event: 'm1', args: ['from go'] });
      io.to('movers').emit('m2', 'from node');
      io.to('elsewhere').emit('m3');
      return 3;
    });
    assert(c2.id === id && c2.recovered, `id ${c2.id} (was ${id}), recovered ${c2.recovered}`);
    const names = got.names();
    assert(names === 'm1,m2' && got.inStreamOrder(), 'missed ' + JSON.stringify(got));
    const live = once(c2, 'm4');
    await goAsk('go-emit', { to: ['movers'], except: [], event: 'm4', args: [] });
    await live;
    c2.close();
    return names;
  });

  await runCase('recovery-node-to-go', async () => {
    const c = await client(nodeURL, 'mover2');
    await join(c, 'movers2');
    const first = once(c, 'n0');
    await goAsk('go-emit', { to: ['movers2'], except: [], event: 'n0', args: [] });
    await first;
    const id = c.id;
    const { c2, got } = await moveTo(c, goURL, pub, 2, async () => {
      io.to('movers2').emit('n1', 'from node', Buffer.from([5]));
      await goAsk('go-emit', { to: ['movers2'], except: [], event: 'n2', args: ['from go'] });
      return 2;
    });
    assert(c2.id === id && c2.recovered, `id ${c2.id} (was ${id}), recovered ${c2.recovered}`);
    const names = got.names();
    const n1 = got.find((e) => e[0] === 'n1');
    assert(names === 'n1,n2' && Buffer.isBuffer(n1[2]) && n1[2][0] === 5 && got.inStreamOrder(), 'missed ' + JSON.stringify(got));
    const live = once(c2, 'n4');
    io.to('movers2').emit('n4');
    await live;
    c2.close();
    return names;
  });

  await cross('disconnect-across');

  for (const c of [nc1, gc1]) c.close();
  io.close();
  await pub.quit().catch(() => {});
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
