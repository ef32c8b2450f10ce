// Drives socket.io-client 4.8 sockets for the standalone tests, one JSON
// line per event on stdout, commands as JSON lines on stdin.
//
// Usage: node clients.js '{"url": ..., "n": 1, "opts": {...}}'
// opts go to io() (auth, query, transports, reconnection...), forceNew set.
// Output lines: {i, type: "connect", id} | {i, type: "connect_error",
// message} | {i, type: "disconnect", reason} | {i, type: "event", event,
// args} | {i, type: "ack", tag, args} | {type: "ready"} once every socket
// connected or failed at least once.
// Binary arguments are written as {"$base64": "..."}.
// Commands: {i, op: "emit", event, args, tag} (tag set: with an ack),
// {i, op: "disconnect"}; i = -1 means every socket.
'use strict';
const { io } = require('socket.io-client');
const readline = require('readline');

const cfg = JSON.parse(process.argv[2]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const enc = (v) => {
  if (v instanceof ArrayBuffer) return { $base64: Buffer.from(v).toString('base64') };
  if (ArrayBuffer.isView(v)) return { $base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  return v;
};

const sockets = [];
let settled = 0;
const n = cfg.n || 1;
for (let i = 0; i < n; i++) {
  const s = io(cfg.url + (cfg.nsp || '/'), Object.assign({ forceNew: true }, cfg.opts || {}));
  let first = true;
  const settle = () => { if (first) { first = false; if (++settled === n) out({ type: 'ready' }); } };
  s.on('connect', () => { if (!cfg.quiet) out({ i, type: 'connect', id: s.id }); else out({ i, type: 'connect' }); settle(); });
  s.on('connect_error', (e) => { out({ i, type: 'connect_error', message: e.message }); settle(); });
  s.on('disconnect', (reason) => out({ i, type: 'disconnect', reason }));
  s.onAny((event, ...args) => out({ i, type: 'event', event, args: args.map(enc) }));
  sockets.push(s);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  const targets = c.i === -1 ? sockets.map((s, i) => i) : [c.i];
  for (const i of targets) {
    const s = sockets[i];
    if (c.op === 'disconnect') s.disconnect();
    if (c.op === 'emit') {
      if (c.tag === undefined) s.emit(c.event, ...(c.args || []));
      else s.timeout(10000).emit(c.event, ...(c.args || []), (err, ...args) =>
        out({ i, type: 'ack', tag: c.tag, args: err ? [{ error: String(err.message) }] : args.map(enc) }));
    }
  }
}).on('close', () => { for (const s of sockets) s.disconnect(); process.exit(0); });
