// Two bench-app nodes started with -redis (cmd/sio-fast), socket.io-client
// 4.8 clients on both: the contract's events across the cluster, and its
// cluster events count and whoami (bench-contract.md "Options").
// Usage: node benchapp.js <url node 1> <url node 2> <redis url> <redis mode>
'use strict';
const { io: connect } = require('socket.io-client');
const { createClient } = require('redis');

const [url1, url2, redisURL, redisMode] = process.argv.slice(2);
const { sleep, assert, onceArgs: once, runner, shardSubscribed } = require('../../internal/interop/cases');
const runCase = runner(10000);

async function client(url) {
  const c = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await once(c, 'connect');
  return c;
}

// bothSubscribed waits until both nodes subscribed the room's shard
// channel (the sharded adapter's dynamic mode, the default; see
// shardSubscribed).
async function bothSubscribed(channel) {
  const rdb = createClient({ url: redisURL });
  await rdb.connect();
  await shardSubscribed(rdb, { [channel]: 2 });
  await rdb.quit();
}

async function main() {
  const a = await client(url1);
  const b = await client(url2);
  const b2 = await client(url2);
  await a.emitWithAck('join', 'room-7');
  await b.emitWithAck('join', 'room-7');
  if (redisMode === 'sharded') await bothSubscribed('socket.io#/#room-7#');

  await runCase('count-across', async () => {
    const all = await a.emitWithAck('count', null);
    const room = await b2.emitWithAck('count', 'room-7');
    const none = await a.emitWithAck('count', 'nobody');
    assert(all === 3 && room === 2 && none === 0, JSON.stringify({ all, room, none }));
    return { all, room, none };
  });

  await runCase('whoami', async () => {
    const w = await b.emitWithAck('whoami');
    assert(w.id === b.id && w.recovered === false && w.rooms.includes(b.id) && w.rooms.includes('room-7'), JSON.stringify(w));
    return w;
  });

  await runCase('broadcast-across', async () => {
    const data = { t: 100123456789, p: 'xx' };
    const got = Promise.all([once(a, 'broadcast'), once(b, 'broadcast'), once(b2, 'broadcast')]);
    a.emit('broadcast', data);
    for (const [d] of await got) assert(d.t === data.t && d.p === 'xx', JSON.stringify(d));
  });

  await runCase('to-room-across', async () => {
    const got = Promise.all([once(a, 'broadcast'), once(b, 'broadcast')]);
    let leaked = null;
    b2.once('broadcast', (d) => { leaked = d; });
    b2.emit('to-room', 'room-7', { t: 1, p: '' });
    await got;
    await sleep(200);
    assert(leaked === null, 'b2 is not in room-7');
  });

  for (const c of [a, b, b2]) c.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
