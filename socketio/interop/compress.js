// Drives a sio-fast server with the official socket.io-client over
// WebSocket (permessage-deflate offered, as by default in Node): "send-all"
// makes the server emit four large events, two with compress(false), each
// with the SHA-1 of its payload, which this script checks. Usage: node
// compress.js URL. The Go test (compress_interop_test.go) watches the frames
// on the wire through a proxy.
'use strict';
const { io } = require('socket.io-client');
const crypto = require('crypto');

const events = ['deflated', 'plain', 'bcast-deflated', 'bcast-plain'];

async function main() {
  const s = io(process.argv[2], { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise((resolve, reject) => {
    s.once('connect', resolve);
    s.once('connect_error', reject);
  });
  const got = [];
  const all = new Promise((resolve, reject) => {
    for (const ev of events) {
      s.on(ev, (payload, sha1) => {
        if (crypto.createHash('sha1').update(payload).digest('hex') !== sha1) reject(new Error(ev + ': payload differs'));
        got.push(ev);
        if (got.length === events.length) resolve();
      });
    }
  });
  s.emit('send-all');
  let timer;
  try {
    await Promise.race([all, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), 10000); })]);
  } finally {
    clearTimeout(timer);
    s.disconnect();
  }
  return got.sort();
}

main().then(
  (detail) => console.log(JSON.stringify({ case: 'compress-flag-websocket', ok: true, detail })),
  (e) => console.log(JSON.stringify({ case: 'compress-flag-websocket', ok: false, detail: String(e && e.message || e) })),
);
