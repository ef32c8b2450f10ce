// socket.io-client 4.8 clients through haproxy running
// docs/cluster-haproxy.cfg in front of three bench-app nodes joined over
// Redis (cmd/sio-fast TestHaproxyCluster). The clients keep the default
// transports: the handshake and the first requests go over HTTP
// long-polling, then the client upgrades to WebSocket, and every one of
// those requests must reach the node holding the session. Each client
// connects from its own loopback address (127.0.0.2, .3, ...), so that
// "balance source" spreads them over the nodes. The last three clients
// never upgrade and stay on long-polling through the proxy.
// Usage: node haproxy.js <proxy url> <clients>
'use strict';
const http = require('http');
const { io: connect } = require('socket.io-client');

const [url, n] = [process.argv[2], Number(process.argv[3])];
const pollingOnly = 3;
const { sleep, assert, onceArgs: once, runner } = require('../../internal/interop/cases');
const runCase = runner(20000);

// client connects from 127.0.0.<i+2>; problems collects every connection
// error and disconnection (a 400 "Session ID unknown" from a node that does
// not hold the session ends in one of them).
function client(i) {
  const agent = new http.Agent({ localAddress: `127.0.0.${i + 2}` });
  const c = connect(url, { agent, upgrade: i < n - pollingOnly, reconnection: false, forceNew: true });
  c.problems = [];
  c.on('connect_error', (e) => c.problems.push(`connect_error: ${e.message} ${e.description && e.description.message || e.description || ''}`));
  c.on('disconnect', (reason, d) => c.problems.push(`disconnect: ${reason} ${d && d.description && d.description.message || ''}`));
  // The transport of the handshake, seen when the engine opens (an upgrade
  // may complete before the Socket.IO connect).
  c.io.once('open', () => { c.handshakeTransport = c.io.engine.transport.name; });
  c.connected_ = new Promise((resolve) => c.once('connect', () => resolve(c.handshakeTransport)));
  return c;
}

async function main() {
  const clients = Array.from({ length: n }, (_, i) => client(i));
  const problems = () => clients.flatMap((c, i) => c.problems.map((p) => `client ${i}: ${p}`));

  await runCase('connect', async () => {
    const first = await Promise.race([
      Promise.all(clients.map((c) => c.connected_)),
      (async () => { while (problems().length === 0) await sleep(50); throw new Error(problems().join('; ')); })(),
    ]);
    assert(first.every((t) => t === 'polling'), `first transports: ${first}`);
  });

  await runCase('upgrade', async () => {
    const want = clients.map((_, i) => (i < n - pollingOnly ? 'websocket' : 'polling'));
    const now = () => clients.map((c) => c.io.engine.transport.name);
    while (now().join() !== want.join()) {
      assert(problems().length === 0, problems().join('; '));
      await sleep(50);
    }
    await sleep(500); // a polling-only client must not upgrade later either
    assert(now().join() === want.join(), `transports: ${now()}`);
    return now().join(' ');
  });

  await runCase('join-whoami', async () => {
    await Promise.all(clients.map((c, i) => c.emitWithAck('join', `room-${i % 3}`)));
    const who = await Promise.all(clients.map((c) => c.emitWithAck('whoami')));
    who.forEach((w, i) => {
      const c = clients[i];
      assert(w.id === c.id && w.rooms.includes(c.id) && w.rooms.includes(`room-${i % 3}`), JSON.stringify(w));
    });
  });

  await runCase('count', async () => {
    const all = await clients[0].emitWithAck('count', null);
    const room = await clients[n - 1].emitWithAck('count', 'room-1');
    assert(all === n && room === n / 3, JSON.stringify({ all, room }));
    return { all, room };
  });

  // Every client broadcasts once, so each node sends to the others.
  await runCase('broadcast-across', async () => {
    for (let s = 0; s < n; s++) {
      const data = { t: s, p: 'from ' + s };
      const got = Promise.all(clients.map((c) => once(c, 'broadcast')));
      clients[s].emit('broadcast', data);
      for (const [d] of await got) assert(d.t === s && d.p === data.p, JSON.stringify(d));
    }
    return `${n} broadcasts, each to ${n} clients`;
  });

  await runCase('to-room-across', async () => {
    const members = clients.filter((_, i) => i % 3 === 1);
    const others = clients.filter((_, i) => i % 3 !== 1);
    const leaked = [];
    const listen = (c) => c.once('broadcast', (d) => leaked.push(d));
    others.forEach(listen);
    const got = Promise.all(members.map((c) => once(c, 'broadcast')));
    clients[0].emit('to-room', 'room-1', { t: 7, p: '' });
    for (const [d] of await got) assert(d.t === 7, JSON.stringify(d));
    await sleep(300);
    others.forEach((c) => c.off('broadcast'));
    assert(leaked.length === 0, `${leaked.length} deliveries outside room-1`);
  });

  await runCase('sticky', async () => {
    assert(problems().length === 0, problems().join('; '));
    assert(clients.every((c) => c.connected), 'a client is disconnected');
  });

  for (const c of clients) c.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
