// Drives the wsecho server with the npm `ws` client and prints one JSON line
// per case: {"case":..., "ok":true|false, "detail":...}. Usage:
//   node client.js ws://127.0.0.1:PORT/
'use strict';
const WebSocket = require('ws');
const url = process.argv[2];

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws) {
  return new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
}

async function run(name, fn) {
  try {
    const detail = await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 10000).unref())]);
    console.log(JSON.stringify({ case: name, ok: true, detail }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, ok: false, detail: String(e && e.message || e) }));
  }
}

(async () => {
  await run('text', async () => {
    const ws = await open();
    ws.send('hello €😀');
    const m = await next(ws);
    ws.terminate();
    if (m.isBinary || m.data.toString() !== 'hello €😀') throw new Error('got ' + m.data);
    return 'echoed';
  });
  await run('binary', async () => {
    const ws = await open();
    const buf = Buffer.from([0, 1, 2, 253, 254, 255]);
    ws.send(buf);
    const m = await next(ws);
    ws.terminate();
    if (!m.isBinary || !buf.equals(m.data)) throw new Error('mismatch');
    return 'echoed';
  });
  await run('fragmented', async () => {
    const ws = await open();
    ws.send('frag-', { fin: false });
    ws.ping('in-between');
    ws.send('men-', { fin: false });
    ws.send('ted', { fin: true });
    const m = await next(ws);
    ws.terminate();
    if (m.data.toString() !== 'frag-men-ted') throw new Error('got ' + m.data);
    return 'reassembled';
  });
  await run('large', async () => {
    const ws = await open();
    const buf = Buffer.alloc(900 * 1024);
    for (let i = 0; i < buf.length; i++) buf[i] = i % 251;
    ws.send(buf);
    const m = await next(ws);
    ws.terminate();
    if (!buf.equals(m.data)) throw new Error('mismatch, got ' + m.data.length + ' bytes');
    return buf.length + ' bytes';
  });
  await run('too-large', async () => {
    const ws = await open();
    const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(1100 * 1024));
    const code = await closed;
    if (code !== 1009) throw new Error('close code ' + code);
    return code;
  });
  await run('ping', async () => {
    const ws = await open();
    const pong = new Promise((resolve) => ws.once('pong', (data) => resolve(data.toString())));
    ws.ping('are-you-there');
    const got = await pong;
    ws.terminate();
    if (got !== 'are-you-there') throw new Error('pong ' + got);
    return got;
  });
  await run('close-code', async () => {
    const ws = await open();
    const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));
    ws.close(4000, 'bye');
    const [code, reason] = await closed;
    if (code !== 4000 || reason !== 'bye') throw new Error('close ' + code + ' ' + reason);
    return code;
  });
  await run('many-messages-in-order', async () => {
    const ws = await open();
    const n = 2000;
    let i = 0;
    const done = new Promise((resolve, reject) => ws.on('message', (d) => {
      if (d.toString() !== 'm' + i) reject(new Error('order at ' + i + ': ' + d));
      if (++i === n) resolve();
    }));
    for (let k = 0; k < n; k++) ws.send('m' + k);
    await done;
    ws.terminate();
    return n;
  });
})();
