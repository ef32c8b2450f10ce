// Drives sio-fast servers with the official socket.io-client and prints one
// JSON line per case. Usage: node client.js MAIN_URL CLOSING_URL
// MAIN_URL is the interop application; CLOSING_URL a server with 400 ms
// pings whose "shutdown" event runs Server.Close (see interop_test.go).
'use strict';
const { io } = require('socket.io-client');
const url = process.argv[2];
const url2 = process.argv[3];

const { run, connector, sleep, once, assert, waitFor, J } = require('./harness');
const { connect, expectConnectError } = connector(io, url);

async function basics() {
  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    await run('echo-ack-' + transports.join('+'), async () => {
      const s = await connect({ transports });
      const reply = await s.timeout(5000).emitWithAck('echo', { t: 123456789012, p: 'x' }, 'two');
      const transport = s.io.engine.transport.name;
      s.disconnect();
      if (J(reply) !== J({ t: 123456789012, p: 'x' })) throw new Error('ack ' + J(reply));
      return transport;
    });
  }
  await run('upgrade-under-load', async () => {
    const s = await connect({ transports: ['polling', 'websocket'] });
    const n = 1000;
    const got = [];
    s.on('seq', (i) => got.push(i));
    for (let i = 0; i < n; i++) s.emit('seq', i);
    await waitFor(() => got.length >= n, 8000);
    const transport = s.io.engine.transport.name;
    s.disconnect();
    for (let i = 0; i < n; i++) if (got[i] !== i) throw new Error('order/loss at ' + i + ' (got ' + got.length + ')');
    return transport + ' ' + got.length;
  });
  await run('binary-nested', async () => {
    const s = await connect({ transports: ['websocket'] });
    const reply = await s.timeout(5000).emitWithAck('echo-bin', { a: [1, { b: Buffer.from([1, 2, 3]) }], c: Buffer.from([4, 5]) });
    s.disconnect();
    if (!Buffer.from(reply.a[1].b).equals(Buffer.from([1, 2, 3])) || !Buffer.from(reply.c).equals(Buffer.from([4, 5]))) throw new Error('binary mismatch');
    return 'ok';
  });
  await run('rooms-broadcast', async () => {
    const a = await connect({ transports: ['websocket'] });
    const b = await connect({ transports: ['polling'] });
    const c = await connect({ transports: ['websocket'] });
    await a.timeout(5000).emitWithAck('join', 'r1');
    await b.timeout(5000).emitWithAck('join', 'r1');
    const received = [];
    for (const [name, s] of [['a', a], ['b', b], ['c', c]]) s.on('broadcast', (d) => received.push(name + ':' + d.t));
    c.emit('to-room', 'r1', { t: 7, p: '' });
    await sleep(500);
    for (const s of [a, b, c]) s.disconnect();
    received.sort();
    if (received.join(',') !== 'a:7,b:7') throw new Error('got ' + received.join(','));
    return received.join(',');
  });
  await run('namespace-middleware-error', async () => {
    const e = await expectConnectError({ transports: ['websocket'] }, '/private');
    if (e.message !== 'not allowed' || !e.data || e.data.code !== 42) throw new Error('got ' + e.message + ' ' + J(e.data));
    return e.message + ' ' + J(e.data);
  });
  await run('invalid-namespace', async () => {
    const e = await expectConnectError({ transports: ['websocket'] }, '/nowhere');
    if (e.message !== 'Invalid namespace') throw new Error('got ' + e.message);
    return e.message;
  });
  await run('server-disconnect-reason', async () => {
    const s = await connect({ transports: ['websocket'] });
    const reason = once(s, 'disconnect');
    s.emit('kick');
    const r = await reason;
    assert(r === 'io server disconnect', 'reason ' + r);
    return r;
  });
  await run('server-ack-to-client', async () => {
    const s = await connect({ transports: ['websocket'] });
    s.on('question', (x, cb) => cb(x * 2));
    const r = await s.timeout(5000).emitWithAck('ask', 21);
    s.disconnect();
    if (r !== 42) throw new Error('got ' + r);
    return r;
  });
}

async function namespaces() {
  // io(url) and io(url + '/admin') (no forceNew) share the cached Manager,
  // hence one Engine.IO session: the server sees the same engine id from
  // both namespaces, and it is the client's engine id. Default transports,
  // so the session is upgraded while both namespaces are in use.
  await run('multiplex-namespaces', async () => {
    const a = io(url, { reconnection: false });
    const b = io(url + '/admin', { reconnection: false });
    try {
      assert(a.io === b.io, 'not multiplexed: two Managers');
      await Promise.all([a.connected || once(a, 'connect'), b.connected || once(b, 'connect')]);
      const [wa, wb] = await Promise.all([a.timeout(5000).emitWithAck('whoami'), b.timeout(5000).emitWithAck('whoami')]);
      const echo = await b.timeout(5000).emitWithAck('whoami'); // still works on /admin
      assert(wa.nsp === '/' && wb.nsp === '/admin' && echo.nsp === '/admin', 'nsp ' + J([wa, wb]));
      assert(wa.eid === wb.eid && wa.eid === a.io.engine.id, 'engine ids ' + wa.eid + ' ' + wb.eid + ' ' + a.io.engine.id);
      assert(wa.id === a.id && wb.id === b.id && a.id !== b.id, 'socket ids');
      return 'eid ' + wa.eid + ' shared by / and /admin over ' + a.io.engine.transport.name;
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
  // OfRegexp(/^\/dyn-\d+$/): /dyn-42 creates a child; /dyn-x is refused.
  await run('dynamic-namespace-regexp', async () => {
    const s = await connect({ transports: ['websocket'] }, '/dyn-42');
    const w = await s.timeout(5000).emitWithAck('whoami');
    s.disconnect();
    assert(w.nsp === '/dyn-42', 'nsp ' + w.nsp);
    const e = await expectConnectError({ transports: ['websocket'] }, '/dyn-x');
    assert(e.message === 'Invalid namespace', 'dyn-x: ' + e.message);
    return w.nsp + ' ok, /dyn-x: ' + e.message;
  });
  // OfFunc(name, auth): a new /fn-* child is created only with auth
  // {token:"open-sesame"}.
  await run('dynamic-namespace-func', async () => {
    const s = await connect({ transports: ['polling'], auth: { token: 'open-sesame' } }, '/fn-room');
    const w = await s.timeout(5000).emitWithAck('whoami');
    s.disconnect();
    assert(w.nsp === '/fn-room' && w.auth.token === 'open-sesame', 'got ' + J(w));
    const e = await expectConnectError({ transports: ['polling'], auth: { token: 'wrong' } }, '/fn-locked');
    assert(e.message === 'Invalid namespace', 'wrong token: ' + e.message);
    // As in Node, a child that exists is joined without asking the function.
    const again = await connect({ transports: ['polling'], auth: { token: 'wrong' } }, '/fn-room');
    again.disconnect();
    return w.nsp + ' auth ' + J(w.auth) + ', /fn-locked wrong token: ' + e.message + ', existing /fn-room: joined';
  });
}

async function acks() {
  // Client emitWithAck with a timeout to a handler that never acks: the
  // client's timeout error; the same socket then still gets acks, with and
  // without timeout (ack ids are not confused by the dead one).
  await run('client-ack-timeout', async () => {
    const s = await connect({ transports: ['websocket'] });
    let err;
    try {
      await s.timeout(300).emitWithAck('never-ack', 1);
    } catch (e) {
      err = e;
    }
    const r1 = await s.emitWithAck('echo', 'plain');
    const r2 = await s.timeout(2000).emitWithAck('echo', 'timed');
    s.disconnect();
    assert(err && err.message === 'operation has timed out', 'err ' + (err && err.message));
    assert(r1 === 'plain' && r2 === 'timed', 'later acks ' + J([r1, r2]));
    return err.message + '; later acks ok';
  });
  // Server s.Timeout(500ms).EmitAck to the client: answered → "ok:<reply>";
  // never answered → the server's callback gets "operation has timed out",
  // which it reports back on "ask-result".
  await run('server-ack-timeout', async () => {
    const s = await connect({ transports: ['websocket'] });
    let answer = true;
    s.on('timed-question', (x, cb) => { if (answer) cb('re-' + x); });
    const r1 = once(s, 'ask-result');
    s.emit('ask-timed', 'a');
    const ok = await r1;
    answer = false;
    const r2 = once(s, 'ask-result');
    s.emit('ask-timed', 'b');
    const timedOut = await r2;
    s.disconnect();
    assert(ok === 'ok:re-a', 'answered: ' + ok);
    assert(timedOut === 'operation has timed out', 'silent: ' + timedOut);
    return [ok, timedOut];
  });
  // Broadcast ack: sio.To(room).Timeout(d).EmitAck("poll") to 3 clients
  // (websocket, polling, websocket) collects their 3 responses, reported to
  // a 4th client outside the room. Then one client stays silent: the
  // callback gets "operation has timed out" and the 2 other responses.
  await run('broadcast-ack', async () => {
    const req = await connect({ transports: ['websocket'] });
    const members = [];
    let silent = '';
    for (const [name, transports] of [['a', ['websocket']], ['b', ['polling']], ['c', ['websocket']]]) {
      const s = await connect({ transports });
      s.on('poll', (x, cb) => { if (name !== silent) cb(name + ':' + x); });
      await s.timeout(5000).emitWithAck('join', 'ack-room');
      members.push(s);
    }
    try {
      const all = await req.timeout(5000).emitWithAck('bcast-ack', 'ack-room', 3000);
      silent = 'c';
      const part = await req.timeout(5000).emitWithAck('bcast-ack', 'ack-room', 800);
      assert(all.err === null && J(all.res.sort()) === J(['a:q', 'b:q', 'c:q']), 'all: ' + J(all));
      assert(part.err === 'operation has timed out' && J(part.res.sort()) === J(['a:q', 'b:q']), 'partial: ' + J(part));
      return { all: all.res, partial: part };
    } finally {
      for (const s of [req, ...members]) s.disconnect();
    }
  });
}

async function rooms() {
  // Rooms: x{ra}, y{ra,rc}, z{ra,rb}, w{rc}, sender{ra}. To(ra,rc).Except(rb)
  // reaches x, y (once, though in two rooms) and w, never z; from the
  // socket (s.To) the sender is left out, from the server it is included.
  await run('rooms-to-except', async () => {
    const spec = { x: ['ra'], y: ['ra', 'rc'], z: ['ra', 'rb'], w: ['rc'], sender: ['ra'] };
    const got = [];
    const socks = {};
    for (const [name, rs] of Object.entries(spec)) {
      const s = await connect({ transports: name === 'y' ? ['polling'] : ['websocket'] });
      for (const r of rs) await s.timeout(5000).emitWithAck('join', r);
      s.on('tx', (mode) => got.push(mode + ':' + name));
      socks[name] = s;
    }
    try {
      socks.sender.emit('to-except', ['ra', 'rc'], ['rb'], 'socket');
      socks.sender.emit('to-except', ['ra', 'rc'], ['rb'], 'server');
      await waitFor(() => got.length >= 7, 3000);
      await sleep(300); // duplicates or strays would arrive meanwhile
      got.sort();
      const want = ['server:sender', 'server:w', 'server:x', 'server:y', 'socket:w', 'socket:x', 'socket:y'];
      assert(J(got) === J(want), 'got ' + J(got));
      return got.join(',');
    } finally {
      for (const s of Object.values(socks)) s.disconnect();
    }
  });
  // Volatile: s.Volatile().Emit and sio.Volatile().To(id).Emit to an idle,
  // connected WebSocket client (always writable) both arrive, once, in
  // order. Drops under back-pressure are not asserted (not deterministic).
  await run('volatile-websocket', async () => {
    const s = await connect({ transports: ['websocket'] });
    const got = [];
    s.on('vol', (n) => got.push(n));
    s.emit('volatile');
    await waitFor(() => got.length >= 2, 3000);
    await sleep(100);
    s.disconnect();
    assert(J(got) === J([1, 2]), 'got ' + J(got));
    return got;
  });
  // Catch-alls: the server's OnAny saw every incoming event name (handled
  // or not, "any-report" included); its OnAnyOutgoing saw o1, o2 (emits)
  // and o3 (a broadcast to the socket's own room), not ack replies; the
  // client's onAny received o1..o3.
  await run('catch-all', async () => {
    const s = await connect({ transports: ['websocket'] });
    const seen = [];
    s.onAny((ev) => seen.push(ev));
    s.emit('ping-1');
    s.emit('ping-2', Buffer.from([1]));
    s.emit('emit-three');
    await waitFor(() => seen.length >= 3, 3000);
    const rep = await s.timeout(5000).emitWithAck('any-report');
    s.disconnect();
    assert(J(seen) === J(['o1', 'o2', 'o3']), 'client onAny ' + J(seen));
    assert(J(rep.in) === J(['ping-1', 'ping-2', 'emit-three', 'any-report']), 'server OnAny ' + J(rep.in));
    assert(J(rep.out) === J(['o1', 'o2', 'o3']), 'server OnAnyOutgoing ' + J(rep.out));
    return { client: seen, server: rep };
  });
}

async function disconnects() {
  // s.Conn().Close() on the server: no DISCONNECT packet, the client sees
  // "transport close" (WebSocket: the TCP/close frame; polling: a close
  // packet in a GET response).
  for (const t of ['websocket', 'polling']) {
    await run('disconnect-close-engine-' + t, async () => {
      const s = await connect({ transports: [t] });
      const reason = once(s, 'disconnect');
      s.emit('close-engine');
      const r = await reason;
      assert(r === 'transport close', 'reason ' + r);
      return r;
    });
  }
  // s.Disconnect(true): every namespace of the session gets DISCONNECT
  // ("io server disconnect" on / and /admin) and, although reconnection is
  // on, the client does not reconnect (as with Node). On long-polling the
  // DISCONNECT packets must reach a GET before the engine's close packet.
  for (const t of ['websocket', 'polling']) {
    await run('disconnect-true-all-namespaces-' + t, async () => {
      const a = io(url, { forceNew: true, reconnectionDelay: 50, transports: [t] });
      const b = a.io.socket('/admin');
      await Promise.all([once(a, 'connect'), once(b, 'connect')]);
      let reconnects = 0;
      a.io.on('reconnect_attempt', () => reconnects++);
      const ra = once(a, 'disconnect');
      const rb = once(b, 'disconnect');
      a.emit('kick-close');
      const reasons = [await ra, await rb];
      await sleep(300);
      a.disconnect();
      b.disconnect();
      assert(J(reasons) === J(['io server disconnect', 'io server disconnect']), 'reasons ' + J(reasons));
      assert(reconnects === 0 && !a.connected && !b.connected, 'reconnected');
      return reasons;
    });
  }
  // io.to(room).emit('bye') then io.in(room).disconnectSockets(true), run
  // for another client: the target's session is closed from outside its
  // own handlers. On long-polling 'bye' takes the parked GET, so DISCONNECT
  // and the engine's close wait for the next one: DISCONNECT must still be
  // seen first.
  for (const t of ['websocket', 'polling']) {
    await run('disconnect-sockets-close-' + t, async () => {
      const room = 'kick-' + t;
      const target = await connect({ transports: [t], reconnection: true, reconnectionDelay: 50 });
      const other = await connect({ transports: ['websocket'] });
      await target.timeout(5000).emitWithAck('join', room);
      await sleep(100); // the target's next GET is parked
      let reconnects = 0;
      target.io.on('reconnect_attempt', () => reconnects++);
      const bye = once(target, 'bye');
      const reason = once(target, 'disconnect');
      other.emit('disconnect-room', room);
      await bye;
      const r = await reason;
      await sleep(300);
      target.disconnect();
      other.disconnect();
      assert(r === 'io server disconnect', 'reason ' + r);
      assert(reconnects === 0, 'reconnected');
      return r;
    });
  }
  await run('client-disconnect-reason', async () => {
    const s = await connect({ transports: ['polling'] });
    const reason = once(s, 'disconnect');
    s.disconnect();
    const r = await reason;
    assert(r === 'io client disconnect', 'reason ' + r);
    return r;
  });
  // Reconnection after a transport-level close by the server: "transport
  // close", then the Manager reconnects: a second 'connect' with a new id,
  // and the socket works again.
  await run('reconnect-after-transport-close', async () => {
    const s = io(url, { forceNew: true, reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, transports: ['websocket'] });
    try {
      await once(s, 'connect');
      const id1 = s.id;
      const reason = once(s, 'disconnect');
      const again = new Promise((r) => s.once('disconnect', () => s.once('connect', r)));
      s.emit('close-engine');
      const r = await reason;
      await again;
      const id2 = s.id;
      const echo = await s.timeout(2000).emitWithAck('echo', 'back');
      assert(r === 'transport close', 'reason ' + r);
      assert(id2 && id2 !== id1, 'ids ' + id1 + ' ' + id2);
      assert(echo === 'back', 'echo ' + echo);
      return r + ', reconnected ' + id1 + ' -> ' + id2;
    } finally {
      s.disconnect();
    }
  });
}

async function closing() {
  // Server-side ping timeout (server: 400 ms interval, 300 ms timeout): the
  // client stops answering pings (its pongs are dropped); the server closes
  // the session ("ping timeout", checked by the Go test) and the client
  // sees "transport close".
  await run('server-ping-timeout', async () => {
    const s = await connect({ transports: ['websocket'], auth: { tag: 'server-ping' } }, '/', url2);
    const eng = s.io.engine;
    const send = eng._sendPacket.bind(eng);
    eng._sendPacket = (type, ...rest) => (type === 'pong' ? undefined : send(type, ...rest));
    const r = await once(s, 'disconnect');
    assert(r === 'transport close', 'reason ' + r);
    return r;
  });
  // Client-side ping timeout: the client ignores the server's pings (but
  // keeps the session alive with its own pongs), so no ping arrives within
  // pingInterval + pingTimeout: the client sees "ping timeout".
  await run('client-ping-timeout', async () => {
    const s = await connect({ transports: ['websocket'], auth: { tag: 'client-ping' } }, '/', url2);
    const eng = s.io.engine;
    const onPacket = eng._onPacket.bind(eng);
    eng._onPacket = (p) => { if (p.type !== 'ping') onPacket(p); };
    const keep = setInterval(() => eng._sendPacket('pong'), 100);
    try {
      const r = await once(s, 'disconnect');
      assert(r === 'ping timeout', 'reason ' + r);
      return r;
    } finally {
      clearInterval(keep);
      s.disconnect();
    }
  });
  // Server.Close: sockets disconnect with "server shutting down" (Go
  // test) without DISCONNECT packet, so the client sees "transport close".
  await run('server-close', async () => {
    const s = await connect({ transports: ['websocket'], auth: { tag: 'shutdown' } }, '/', url2);
    const reason = once(s, 'disconnect');
    s.emit('shutdown');
    const r = await reason;
    assert(r === 'transport close', 'reason ' + r);
    return r;
  });
}

// The bundle: 200 with an ETag; If-None-Match with that ETag, strong or
// weak (W/"..."), gives 304 without body; another ETag gives 200.
async function bundle() {
  await run('bundle-etag', async () => {
    const u = url + '/socket.io/socket.io.js';
    const r1 = await fetch(u);
    const body = await r1.text();
    const etag = r1.headers.get('etag');
    assert(r1.status === 200 && /^"[^"]+"$/.test(etag || ''), 'first ' + r1.status + ' ' + etag);
    assert(/javascript/.test(r1.headers.get('content-type')) && body.includes('io'), 'body/type');
    // fetch offers gzip and deflate: the server compresses, fetch inflates.
    const enc = r1.headers.get('content-encoding');
    assert(enc === 'gzip', 'content-encoding ' + enc);
    const r2 = await fetch(u, { headers: { 'If-None-Match': etag } });
    const b2 = await r2.text();
    const r3 = await fetch(u, { headers: { 'If-None-Match': 'W/' + etag } });
    await r3.text();
    const r4 = await fetch(u, { headers: { 'If-None-Match': '"other"' } });
    await r4.text();
    assert(r2.status === 304 && b2 === '', 'strong ' + r2.status);
    assert(r3.status === 304, 'weak ' + r3.status);
    assert(r4.status === 200, 'other ' + r4.status);
    return 'ETag ' + etag + ', ' + body.length + ' bytes ' + enc + '; 304 strong+weak; 200 other';
  });
}

(async () => {
  await basics();
  await namespaces();
  await acks();
  await rooms();
  await disconnects();
  await closing();
  await bundle();
})();
