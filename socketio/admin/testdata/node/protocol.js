// Drives the admin namespace of two sio-fast servers with socket.io-client
// 4.8, as the admin UI does, and prints one JSON line per case.
// Usage: node protocol.js FULL_URL READONLY_URL PASSWORD SERVER_ID
// FULL_URL: basic auth (user "admin"), development mode, actions on.
// READONLY_URL: no auth, production mode, read-only.
// Both main namespaces answer "rooms" (ack: the socket's rooms) and
// "setdata" (Socket.SetData with the argument); see admin_test.go.
'use strict';
const { io } = require('socket.io-client');
const [full, ro, password, serverId] = process.argv.slice(2);

async function run(name, fn) {
  let timer;
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 10000); timer.unref(); })]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const assert = (cond, msg) => { if (!cond) throw new Error(msg); };
const J = JSON.stringify;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// open connects a socket and records every event it receives from the
// first packet on (the "session" event may arrive before "connect").
function open(base, nsp, opts) {
  const s = io(base + nsp, Object.assign({ forceNew: true, reconnection: false }, opts));
  s.events = [];
  s.onAny((ev, ...args) => s.events.push([ev, ...args]));
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

// next waits for the first recorded event ev (from index from on) whose
// arguments satisfy match, and returns its arguments.
async function next(s, ev, match = () => true, ms = 5000, from = 0) {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = s.events.slice(from).find((e) => e[0] === ev && match(...e.slice(1)));
    if (hit) return hit.slice(1);
    if (Date.now() > deadline) throw new Error('no ' + ev + ' within ' + ms + ' ms; got ' + J(s.events.map((e) => e[0])));
    await sleep(10);
  }
}

// openOn opens namespace nsp on the Engine.IO session of manager m: its
// packets are handled in order with those of the session's other sockets.
function openOn(m, nsp) {
  const s = m.socket(nsp);
  s.events = [];
  s.onAny((ev, ...args) => s.events.push([ev, ...args]));
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  }); // m.socket connects by itself (autoConnect): connect() again would send a second CONNECT
}

async function refused(base, auth) {
  try {
    const s = await open(base, '/admin', { auth });
    s.disconnect();
  } catch (e) {
    return e.message;
  }
  throw new Error('connected with ' + J(auth));
}

async function main() {
  let sessionId;
  await run('auth-refused', async () => {
    const msgs = [
      await refused(full, { username: 'admin', password: 'wrong' }),
      await refused(full, { username: 'root', password }),
      await refused(full, {}),
      await refused(full, { sessionId: '0123456789abcdef' }),
    ];
    assert(msgs.every((m) => m === 'invalid credentials'), J(msgs));
    return msgs;
  });

  let admin;
  await run('auth-ok-session', async () => {
    admin = await open(full, '/admin', { auth: { username: 'admin', password } });
    [sessionId] = await next(admin, 'session');
    assert(/^[0-9a-f]{16}$/.test(sessionId), 'session id ' + sessionId);
    const again = await open(full, '/admin', { auth: { sessionId } });
    assert(!again.events.some((e) => e[0] === 'session'), 'a new session for a known one');
    again.disconnect();
    return sessionId;
  });
  if (!admin) return;

  await run('config-all-sockets', async () => {
    const [config] = await next(admin, 'config');
    const want = ['EMIT', 'JOIN', 'LEAVE', 'DISCONNECT', 'MJOIN', 'MLEAVE', 'MDISCONNECT', 'AGGREGATED_EVENTS', 'ALL_EVENTS'];
    assert(J(config.supportedFeatures) === J(want), J(config));
    const [all] = await next(admin, 'all_sockets');
    const me = all.find((x) => x.id === admin.id);
    assert(me && me.nsp === '/admin' && me.rooms.includes(admin.id), 'own socket ' + J(all));
    assert(me.clientId === admin.io.engine.id.slice(0, 12), 'clientId ' + me.clientId);
    assert(typeof me.handshake.headers === 'object' && me.handshake.url.startsWith('/socket.io/'), J(me.handshake));
    return all.length;
  });

  await run('server-stats', async () => {
    const [st] = await next(admin, 'server_stats', (x) => x.clientsCount >= 1);
    assert(st.serverId === serverId && typeof st.hostname === 'string' && Number.isInteger(st.pid), J(st));
    assert(typeof st.uptime === 'number' && st.uptime > 0, 'uptime ' + st.uptime);
    assert(Number.isInteger(st.pollingClientsCount), J(st));
    assert(Array.isArray(st.aggregatedEvents), J(st));
    const names = st.namespaces.map((n) => n.name).sort();
    assert(J(names) === J(['/', '/admin']), J(st.namespaces));
    assert(st.namespaces.find((n) => n.name === '/admin').socketsCount >= 1, J(st.namespaces));
    // traffic of the connections above is aggregated by second and type
    const later = (await next(admin, 'server_stats', (x) => x.aggregatedEvents.some((e) => e.type === 'packetsIn'), 6000))[0];
    const types = new Set(later.aggregatedEvents.map((e) => e.type));
    for (const e of later.aggregatedEvents) assert(e.timestamp % 1000 === 0 && e.count > 0, J(e));
    assert(types.has('packetsOut') && types.has('bytesIn') && types.has('bytesOut'), J([...types]));
    return { clientsCount: st.clientsCount, types: [...types] };
  });

  let client;
  await run('socket-lifecycle', async () => {
    const from = admin.events.length;
    client = await open(full, '/', {});
    const [ser, date] = await next(admin, 'socket_connected', (x) => x.id === client.id, 5000, from);
    assert(ser.nsp === '/' && ser.rooms.includes(client.id) && ISO.test(date), J([ser, date]));
    assert(ser.transport === 'polling' && ser.clientId === client.io.engine.id.slice(0, 12), J(ser));
    await next(admin, 'room_joined', (n, r, id) => n === '/' && r === client.id && id === client.id, 5000, from);
    await next(admin, 'socket_updated', (u) => u.id === client.id && u.transport === 'websocket', 5000, from);
    client.emit('hello', 1, { a: 'b' });
    const [nsp, sid, ev, d2] = await next(admin, 'event_received', (n, id) => id === client.id, 5000, from);
    assert(nsp === '/' && J(ev) === J(['hello', 1, { a: 'b' }]) && ISO.test(d2), J(ev));
    const rooms = await client.emitWithAck('rooms');
    await next(admin, 'event_sent', (n, id, e) => id === client.id && e[0] === 'rooms-sent', 5000, from);
    client.emit('setdata', { name: 'bob' });
    const [upd] = await next(admin, 'socket_updated', (u) => u.id === client.id && u.data, 5000, from);
    assert(J(upd.data) === J({ name: 'bob' }) && upd.nsp === '/', J(upd));
    return { rooms, event: ev };
  });

  await run('actions', async () => {
    let from = admin.events.length;
    admin.emit('join', '/', 'vip', client.id);
    await next(admin, 'room_joined', (n, r, id) => r === 'vip' && id === client.id, 5000, from);
    assert((await client.emitWithAck('rooms')).includes('vip'), 'not in vip');
    const notice = new Promise((r) => client.once('notice', (...a) => r(a)));
    admin.emit('emit', '/', 'vip', 'notice', 'hi', { n: 2 });
    assert(J(await notice) === J(['hi', { n: 2 }]), 'notice');
    from = admin.events.length;
    admin.emit('leave', '/', 'vip', client.id);
    await next(admin, 'room_left', (n, r, id) => r === 'vip' && id === client.id, 5000, from);
    assert(!(await client.emitWithAck('rooms')).includes('vip'), 'still in vip');
    from = admin.events.length;
    const gone = new Promise((r) => client.once('disconnect', r));
    const cid = client.id; // the client forgets it on disconnect
    admin.emit('_disconnect', '/', false, cid);
    const reason = await gone;
    assert(reason === 'io server disconnect', reason);
    const [, , why] = await next(admin, 'socket_disconnected', (n, id) => id === cid, 5000, from);
    const iDisc = admin.events.findIndex((e, i) => i >= from && e[0] === 'socket_disconnected');
    await next(admin, 'room_left', (n, r, i) => r === cid && i === cid, 5000, from);
    const iLeft = admin.events.findIndex((e, i) => i >= from && e[0] === 'room_left' && e[3] === cid);
    assert(why === 'server namespace disconnect' && iLeft > iDisc, J([why, iDisc, iLeft]));
    return reason;
  });
  admin.disconnect();

  let roAdmin, roClient;
  await run('readonly-config', async () => {
    roClient = await open(ro, '/', {});
    roAdmin = await openOn(roClient.io, '/admin');
    const [config] = await next(roAdmin, 'config');
    assert(J(config.supportedFeatures) === J(['AGGREGATED_EVENTS']), J(config));
    await next(roAdmin, 'server_stats');
    assert(!roAdmin.events.some((e) => e[0] === 'all_sockets' || e[0] === 'session'), J(roAdmin.events.map((e) => e[0])));
    return config;
  });
  await run('readonly-refuses-actions', async () => {
    roAdmin.emit('join', '/', 'vip', roClient.id);
    roAdmin.emit('emit', '/', undefined, 'notice', 'x');
    let noticed = false;
    roClient.on('notice', () => { noticed = true; });
    roAdmin.emit('_disconnect', '/', true);
    // same session: the server handles "rooms" after the actions
    const rooms = await roClient.emitWithAck('rooms');
    await sleep(100); // a notice would have been written before the ack
    assert(!rooms.includes('vip') && roClient.connected && !noticed, J({ rooms, connected: roClient.connected, noticed }));
    assert(roAdmin.connected, 'admin disconnected');
    return rooms;
  });
  roAdmin && roAdmin.disconnect();
  roClient && roClient.disconnect();
  client && client.disconnect();
}

main().then(() => process.exit(0));
