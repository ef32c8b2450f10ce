// The bench app of /work/shared/bench-contract.md on Node socket.io@4.8.
// Usage: node server.js [--port N] [--redis URL [--redis-mode pubsub|sharded|streams]]
// (or PORT=N; HOST defaults to 127.0.0.1)
// With TLS_CERT and TLS_KEY (PEM files) it serves https:// and wss://
// through Node's https module instead, for the TLS comparison.
// --redis joins a cluster as the contract's "Options" say: key prefix
// socket.io, createAdapter(pub, sub) (pubsub, the default),
// createShardedAdapter(pub, sub) (sharded) or the Streams adapter's
// createAdapter(client) (streams); the cluster events count and whoami answer.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const { Server } = require('socket.io');

// arg returns the value after --name or -name, or undefined.
function arg(name) {
  const i = process.argv.findIndex((a) => a === '--' + name || a === '-' + name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function portArg() {
  const p = arg('port');
  return Number(p || process.env.PORT || 3000);
}

// clusterAdapter connects to Redis and returns the adapter of mode.
async function clusterAdapter(url, mode) {
  const { createClient } = require('redis');
  const pub = createClient({ url });
  pub.on('error', (e) => console.error('redis:', e.message));
  if (mode === 'streams') {
    await pub.connect();
    return require('@socket.io/redis-streams-adapter').createAdapter(pub);
  }
  const sub = pub.duplicate();
  sub.on('error', (e) => console.error('redis sub:', e.message));
  await Promise.all([pub.connect(), sub.connect()]);
  const { createAdapter, createShardedAdapter } = require('@socket.io/redis-adapter');
  if (mode === 'sharded') return createShardedAdapter(pub, sub);
  if (mode !== 'pubsub') throw new Error(`--redis-mode ${mode}: want pubsub, sharded or streams`);
  return createAdapter(pub, sub);
}

const host = process.env.HOST || '127.0.0.1';
const httpServer = process.env.TLS_CERT
  ? https.createServer({ cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY) })
  : http.createServer();

async function main() {
  const redisURL = arg('redis');
  const adapter = redisURL ? await clusterAdapter(redisURL, arg('redis-mode') || 'pubsub') : undefined;
  const io = new Server(httpServer, {
    adapter,
    pingInterval: 25000,
    pingTimeout: 20000,
    maxHttpBufferSize: 1e6,
    perMessageDeflate: false,
    serveClient: false,
    transports: ['polling', 'websocket'],
  });

  const ackOf = (args) => (typeof args[args.length - 1] === 'function' ? args.pop() : null);

  io.on('connection', (socket) => {
    // Drop the handshake request, as the socket.io memory guide advises.
    socket.conn.request = null;
    socket.on('echo', (...args) => {
      const ack = ackOf(args);
      if (ack) ack(...args);
    });
    socket.on('broadcast', (...args) => {
      const ack = ackOf(args);
      io.emit('broadcast', args[0]);
      if (ack) ack();
    });
    socket.on('join', (...args) => {
      const ack = ackOf(args);
      socket.join(String(args[0]));
      if (ack) ack(args[0]);
    });
    socket.on('leave', (...args) => {
      const ack = ackOf(args);
      socket.leave(String(args[0]));
      if (ack) ack();
    });
    socket.on('to-room', (...args) => {
      const ack = ackOf(args);
      io.to(String(args[0])).emit('broadcast', args[1]);
      if (ack) ack();
    });
    socket.on('count', async (...args) => {
      const ack = ackOf(args);
      if (!ack) return;
      try {
        const op = args[0] == null ? io : io.in(String(args[0]));
        ack((await op.fetchSockets()).length);
      } catch (e) {
        ack(-1);
      }
    });
    socket.on('whoami', (...args) => {
      const ack = ackOf(args);
      if (ack) ack({ id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms] });
    });
  });

  httpServer.listen(portArg(), host, () => {
    const a = httpServer.address();
    console.log(`listening on ${process.env.TLS_CERT ? 'https' : 'http'}://${a.address}:${a.port}`);
  });

  const stop = () => {
    io.close();
    httpServer.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
