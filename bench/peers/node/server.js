// The bench app of /work/shared/bench-contract.md on Node socket.io@4.8.
// Usage: node server.js [--port N]   (or PORT=N; HOST defaults to 127.0.0.1)
// With TLS_CERT and TLS_KEY (PEM files) it serves https:// and wss://
// through Node's https module instead, for the TLS comparison.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const { Server } = require('socket.io');

function portArg() {
  const i = process.argv.findIndex((a) => a === '--port' || a === '-port');
  if (i >= 0 && process.argv[i + 1]) return Number(process.argv[i + 1]);
  return Number(process.env.PORT || 3000);
}

const host = process.env.HOST || '127.0.0.1';
const httpServer = process.env.TLS_CERT
  ? https.createServer({ cert: fs.readFileSync(process.env.TLS_CERT), key: fs.readFileSync(process.env.TLS_KEY) })
  : http.createServer();
const io = new Server(httpServer, {
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
