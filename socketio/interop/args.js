// Drives a sio-fast server's argument handling with the official
// socket.io-client and prints one JSON line per case.
// Usage: node args.js URL lifetimes|bench-echo
//   lifetimes:  the server of TestInteropArgLifetimes (args_interop_test.go)
//   bench-echo: the bench app of cmd/sio-fast (its "echo" event)
'use strict';
const { io } = require('socket.io-client');
const url = process.argv[2];
const mode = process.argv[3];

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 20000); timer.unref(); })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  } finally {
    clearTimeout(timer);
  }
}

function connect(transports) {
  return new Promise((resolve, reject) => {
    const s = io(url, { forceNew: true, reconnection: false, transports });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

const J = JSON.stringify;
const assert = (cond, msg) => { if (!cond) throw new Error(msg); };
const once = (s, ev) => new Promise((r) => s.once(ev, r));

// flood sends n acked events with distinct payloads from several clients
// at once and checks each answer is its own request's arguments.
async function flood(event, n, mkArgs, expect) {
  const clients = await Promise.all([connect(['websocket']), connect(['websocket']), connect(['polling'])]);
  let disconnected = 0;
  for (const s of clients) s.on('disconnect', () => disconnected++);
  try {
    const waits = [];
    for (let i = 0; i < n; i++) {
      const s = clients[i % clients.length];
      const args = mkArgs(i);
      waits.push(s.timeout(15000).emitWithAck(event, ...args).then((reply) => {
        const want = expect(i, args);
        assert(J(reply) === J(want), `${event} #${i}: got ${J(reply)}, want ${J(want)}`);
      }));
    }
    await Promise.all(waits);
    assert(disconnected === 0, 'a client was disconnected (parse error?)');
    return `${n} acks exact`;
  } finally {
    for (const s of clients) s.disconnect();
  }
}

const payload = (i) => ({ i, s: 'x'.repeat(i % 50) + 'é"\\', n: [i, -i, 1.5] });

async function lifetimes() {
  // go func() { ack(args) }() without Clone.
  await run('ack-args-from-goroutine', () => flood('ack-later', 300, (i) => [payload(i), 'two'], (i, a) => a[0]));
  // go func() { ack(args.Raw(0)) }() under load.
  await run('ack-raw-from-goroutine', () => flood('ack-raw-later', 300, (i) => [payload(i)], (i, a) => a[0]));
  // Args stashed by one handler and emitted by the next one's goroutine:
  // refused with ErrArgsExpired, nothing else sent.
  await run('emit-expired-args', async () => {
    const s = await connect(['websocket']);
    let late = 0;
    s.on('late', () => late++);
    try {
      s.emit('stash', 'secret');
      const err = once(s, 'late-err');
      s.emit('use-stash');
      const msg = await err;
      await new Promise((r) => setTimeout(r, 100));
      assert(/Args used after their handler returned/.test(msg), 'error ' + msg);
      assert(late === 0, 'expired Args were sent');
      return msg;
    } finally {
      s.disconnect();
    }
  });
  // Decode into a struct with []byte fields at depth, echoed back by Emit.
  await run('decode-binary-struct', async () => {
    const s = await connect(['websocket']);
    try {
      const reply = await s.timeout(5000).emitWithAck('decode', { name: 'n', files: [{ data: Buffer.from([1, 2]) }, { data: Buffer.from([3]) }], meta: { raw: Buffer.from([4]) }, count: 3 });
      assert(reply.name === 'n' && reply.count === 3, 'fields ' + J(reply));
      assert(Buffer.from(reply.files[0].data).equals(Buffer.from([1, 2])) && Buffer.from(reply.files[1].data).equals(Buffer.from([3])), 'files');
      assert(Buffer.from(reply.meta.raw).equals(Buffer.from([4])), 'meta');
      return 'ok';
    } finally {
      s.disconnect();
    }
  });
  // Three lookups of one client handed to GoConcurrent: each waits until
  // all three run at once (the ordered Socket.Go would never get there and
  // answer "alone" after 5 s).
  await run('go-concurrent-parallel', async () => {
    const s = await connect(['websocket']);
    try {
      const replies = await Promise.all([1, 2, 3].map((i) => s.timeout(15000).emitWithAck('lookup', i)));
      assert(J(replies) === J(['together:1', 'together:2', 'together:3']), 'got ' + J(replies));
      return replies;
    } finally {
      s.disconnect();
    }
  });
  // One binary argument passed on with Arg(i).
  await run('binary-arg-passed-on', async () => {
    const s = await connect(['polling']);
    try {
      const reply = await s.timeout(5000).emitWithAck('second', 'first', { b: Buffer.from([7, 8]) });
      assert(Buffer.from(reply.b).equals(Buffer.from([7, 8])), 'got ' + J(reply));
      return 'ok';
    } finally {
      s.disconnect();
    }
  });
}

async function benchEcho() {
  await run('bench-echo-binary', async () => {
    const s = await connect(['websocket']);
    try {
      const reply = await s.timeout(5000).emitWithAck('echo', Buffer.from([1, 2, 3]), { nested: [Buffer.from([4])] }, 'text');
      assert(Buffer.from(reply).equals(Buffer.from([1, 2, 3])), 'first ' + J(reply));
      const all = await new Promise((resolve) => s.emit('echo', Buffer.from([5]), { k: Buffer.from([6]) }, (...r) => resolve(r)));
      assert(all.length === 2 && Buffer.from(all[0]).equals(Buffer.from([5])) && Buffer.from(all[1].k).equals(Buffer.from([6])), 'all ' + J(all));
      return 'ok';
    } finally {
      s.disconnect();
    }
  });
}

(async () => {
  if (mode === 'bench-echo') await benchEcho();
  else await lifetimes();
})();
