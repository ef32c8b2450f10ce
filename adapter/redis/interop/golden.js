// Prints the messages Node's sharded adapter (@socket.io/redis-adapter 8.3
// createShardedAdapter, socket.io-adapter 2.5 ClusterAdapter) publishes,
// captured with SSUBSCRIBE from a real Redis >= 7: the golden bytes of
// internal/redisproto/cluster_test.go. The node uid and request ids are
// fixed (0123456789abcdef, fedcba9876543210) so the output is stable.
// Usage: node golden.js <redis url>
// Prints one line per message: <name> <hex>.
'use strict';
const crypto = require('crypto');
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createShardedAdapter } = require('@socket.io/redis-adapter');

const [redisURL] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const [pub, sub, spy] = [0, 1, 2].map(() => createClient({ url: redisURL }));
  await Promise.all([pub.connect(), sub.connect(), spy.connect()]);
  const io = new Server();
  io.adapter(createShardedAdapter(pub, sub, { subscriptionMode: 'static' }));
  const root = io.of('/').adapter, chat = io.of('/chat').adapter;
  root.uid = chat.uid = '0123456789abcdef';
  const randomBytes = crypto.randomBytes;
  crypto.randomBytes = (n, ...rest) => (n === 8 ? Buffer.from('fedcba9876543210', 'hex') : randomBytes(n, ...rest));

  const got = [];
  const channels = ['socket.io#/#', 'socket.io#/chat#', 'socket.io#/#0123456789abcdef#'];
  for (const ch of channels) await spy.sSubscribe(ch, (msg) => got.push(msg.toString('hex')), true);
  await sleep(200);
  const cases = [
    ['broadcast', () => io.emit('hello', 'world', 1)],
    ['binary broadcast', () => io.to('r').except('x').volatile.emit('bin', Buffer.from([1, 2, 3]), { k: 1.5 })],
    ['broadcast with ack', () => io.of('/chat').timeout(5000).emit('ev', 1, 'two', () => {})],
    ['sockets join', () => io.in('a').socketsJoin('club')],
    ['server-side emit', () => io.serverSideEmit('hello', 'x', () => {})],
    ['binary broadcast ack', () => root.publishResponse('0123456789abcdef', { type: 12, data: { requestId: 'fedcba9876543210', packet: Buffer.from([9]) } })],
    ['disconnect', () => io.disconnectSockets(true)],
  ];
  for (const [name, run] of cases) {
    got.length = 0;
    run();
    for (let i = 0; i < 50 && got.length === 0; i++) await sleep(20);
    if (got.length !== 1) throw new Error(`${name}: ${got.length} messages`);
    console.log(`${name.replace(/ /g, '-')} ${got[0]}`);
  }
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
