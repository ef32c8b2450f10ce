// Package parser is the Socket.IO packet codec (the default "socket.io-parser"
// text format, protocol v5 over Engine.IO v4 and protocol v4 over Engine.IO v3).
// It does no I/O: the engine layer hands it Engine.IO message payloads and sends
// the bytes it produces.
//
// Text form of one packet (one Engine.IO message):
//
//	<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]
//
// followed, for BINARY_EVENT/BINARY_ACK, by one Engine.IO binary message per
// attachment. Binary values inside the payload are replaced by
// {"_placeholder":true,"num":N}.
//
// Decoding keeps the payload as raw JSON (Packet.Data): it is validated in one
// pass (syntax and the shape Node's parser requires per type: CONNECT object or
// absent, DISCONNECT absent, CONNECT_ERROR object or string, EVENT non-empty
// array whose first element is a number or a non-reserved string, ACK array)
// but never turned into Go values. Event dispatch uses SplitEvent/ForEachArg,
// which slice the raw JSON without allocating; Reconstruct builds a generic tree
// only when a handler asks for one.
//
// Protocol v4 (Engine.IO v3 clients) uses the same grammar; the differences are
// in what the server sends (CONNECT reply without payload, CONNECT_ERROR with a
// string payload) and in the CONNECT namespace, which may carry a query string
// ("/admin?token=1"): see SplitQuery.
//
// Deliberate differences from Node's decoder (stricter, never looser): the
// attachment count needs at least one digit, ack ids are ASCII digits and at
// most 2^53-1, ACK/BINARY_ACK need an ack id and an array payload, EVENT needs a
// payload, placeholders are recognised by "_placeholder":true and their "num"
// must be an integer indexing an existing attachment (checked when the header
// arrives, also for a count of 0).
//
// Concurrency: a Decoder belongs to one connection and must be used from one
// goroutine at a time (the connection's event loop). All package-level
// functions are safe for concurrent use from any goroutine.
package parser
