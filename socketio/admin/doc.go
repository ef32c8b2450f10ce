// Package admin serves the server side of the Socket.IO admin UI
// (npm @socket.io/admin-ui 0.5.x, Node's instrument(io, opts)): a namespace
// ("/admin") that the hosted UI (https://admin.socket.io) or a self-hosted
// copy of its ui/dist connects to with socket.io-client.
//
// Instrument installs it on a socketio.Server:
//
//   - every 2 s (and at once) a server_stats broadcast: uptime, Engine.IO
//     sessions and those still on polling, namespaces with their socket
//     counts, and the aggregated traffic since the last one (connections,
//     disconnections by reason, messages and bytes in and out);
//   - on each admin connection: config (the supported features) and, in
//     development mode, all_sockets;
//   - in development mode: socket_connected, socket_updated (SetData,
//     upgrade to WebSocket), socket_disconnected, room_joined, room_left,
//     and event_received / event_sent for every non-admin namespace;
//   - unless ReadOnly, the UI's actions: emit, join, leave, _disconnect
//     (on every socket of a namespace, or those of a room or socket id).
//
// Authentication is basic, as in Node: a username and a bcrypt hash
// (golang.org/x/crypto/bcrypt reads the $2a$/$2b$/$2y$ hashes bcryptjs
// makes); a successful login gets a session id (the "session" event) that
// the UI sends back instead of the password when it reconnects. The
// password check runs on its own goroutine, never on an event loop.
//
// The package lives apart from socketio so that a program that does not
// use it does not compile it (nor bcrypt). It sees the server through
// socketio.Observer (sessions, rooms, data) and the public namespace and
// socket API (connections, catch-all listeners). Only the sockets of this
// process are listed: in a cluster, admin events of every node reach the
// UI through the adapter, but all_sockets lists local sockets, and the
// "_admin" entry Node keeps in socket.data is not set.
//
// The UI connects from its own origin with credentials: the engine needs
// engineio.Config.CORS with that origin and Credentials true.
package admin
