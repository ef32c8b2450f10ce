// Package msgpack is the socket.io-msgpack-parser packet format (npm
// socket.io-msgpack-parser 3.x, encoder notepack.io 2.x), built on
// github.com/vmihailenco/msgpack/v5. Select it with
// socketio.Config{Parser: msgpack.Parser{}}; clients must use the same
// parser (`parser: require("socket.io-msgpack-parser")`).
//
// Wire format: every packet is one msgpack map in one binary Engine.IO
// message: `type` (0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4
// CONNECT_ERROR), `nsp` (always present), `data` and `id` when present.
// Binary values are plain msgpack bin inside `data`: there are no
// attachments and no BINARY_EVENT/BINARY_ACK types.
//
// # How values reach handlers
//
// The package is a pure codec that translates to and from the form the
// default parser decodes to (parser.Codec): Packet.Data is JSON text and
// each binary value is an attachment behind a {"_placeholder":true,"num":N}
// placeholder. So socketio.Args, acks, catch-all listeners, adapters and
// every handler work unchanged whichever parser a server uses. Decoding
// maps msgpack to JSON as JavaScript would see it once JSON.stringify'd,
// except for binary:
//
//   - str → string; bin, and ext type 0 other than fixext 1/8 (a Node
//     ArrayBuffer or typed array) → an attachment;
//   - integers → integers (uint64 above 2^63 exactly); floats → numbers,
//     NaN and ±Inf → null (as JSON.stringify);
//   - nil, and notepack 2.x's undefined (fixext 1, type 0) → null;
//   - notepack 2.x's Date (fixext 8, type 0, milliseconds) and the msgpack
//     timestamp (ext −1) → the ISO string Date.toJSON writes;
//   - other extensions → [type, binary], as notepack decodes them;
//   - map keys → strings (numbers, booleans and nil as String() writes
//     them; container, binary and extension keys are refused).
//
// Encoding reverses it: integral numbers take the smallest integer form
// (notepack does the same), other numbers float 64, canonical placeholders
// whose number indexes an attachment become bin values, keys keep their
// order. The cost of the translation is measured in docs/benchmarks.md.
//
// # Validation
//
// Decoding applies socket.io-msgpack-parser's checkPacket (integer type
// 0..4, string nsp, CONNECT data absent or a map, DISCONNECT none,
// CONNECT_ERROR a string or a map, EVENT/ACK an array, id absent or an
// integer) and, like the default parser, refuses what a Node server would
// silently drop or misroute: an EVENT whose name (first element) is not a
// string or a number or is a reserved name, an ACK without id, ids
// outside 0..2^53−1. Keys other than type, nsp, data and id are read
// (checked) and ignored; a repeated key wins, as in JavaScript. Trailing
// bytes, text messages, nesting deeper than 500 and truncated values are
// errors. Every decoding error satisfies errors.Is(err,
// parser.ErrInvalidPacket): the server closes the connection, as Node does.
//
// # Concurrency
//
// Parser's methods are safe from any goroutine. A Decoder is used by one
// goroutine at a time.
package msgpack
