// Package packet is the Engine.IO packet and payload codec, protocol v4
// (socket.io-client 3.x/4.x) and v3 (socket.io-client 1.x/2.x).
//
// It does no I/O and imports only the standard library. The transports in
// package engineio hand it whole WebSocket messages and whole HTTP bodies and
// write out the bytes it appends.
//
// # Wire forms
//
//   - WebSocket text frame (v3 and v4): one type digit then the data, "4hello".
//   - WebSocket binary frame: v4 carries a binary message with no type byte
//     (the whole frame is the data); v3 puts the raw type byte first, 04 01 02.
//   - v4 polling payload: packets joined by 0x1E, binary messages written as
//     "b" + standard base64: "4hello\x1ebAQIDBA==".
//   - v3 polling payload, text form: "<len>:<packet>" repeated, where len
//     counts UTF-16 code units (JavaScript String.length): "6:4hello10:b4AQIDBA==".
//   - v3 polling payload, XHR2 binary form: 0x00 (text) or 0x01 (binary),
//     the length as one byte per decimal digit, 0xFF, then the packet bytes.
//   - The open packet: "0" + the handshake JSON, with Node's key order.
//
// # Borrowed bytes
//
// Decoders never copy: a decoded Packet.Data aliases either the input or the
// caller's scratch buffer (for base64 data). It is valid until the input or
// the scratch buffer is reused, and for the callback-style payload decoders
// only until the callback returns, because the next base64 packet overwrites
// the scratch buffer. Anything kept longer must be copied.
//
// # Limits
//
// Length prefixes declared by the peer are only compared against the bytes
// actually present; nothing is ever allocated from them. The only growth is
// the base64 scratch buffer, bounded by the size of the input. The caller
// enforces maxPayload on the body or message before decoding.
//
// # Concurrency
//
// Every function is pure and may be called from any goroutine at once. A
// PayloadDecoder holds iteration state and scratch memory and must be used
// by one goroutine at a time (in sio-fast, the connection's loop goroutine).
package packet
