// Package wsframe is incremental, zero-copy WebSocket (RFC 6455) framing for
// an event-loop server, built on the header types of github.com/gobwas/ws.
//
// # Decoding
//
// The connection layer follows the gnet pattern: it Peeks every buffered
// byte, calls Reader.Next on them, and Discards the number of bytes Next
// reports as consumed, looping until Next reports that it needs more bytes
// (consumed == 0 and err == nil). Next never blocks and never reads from
// anything: it only looks at the slice it is given.
//
//   - Headers are checked as soon as they are complete, before the payload has
//     arrived: an unmasked client frame, RSV bits, a reserved opcode, a bad
//     control frame, bad continuation sequencing and a message longer than
//     Limits.MaxMessage are rejected right away.
//   - Nothing is ever allocated from a peer-declared length. Unfragmented
//     messages are returned as views into the caller's buffer (unmasked in
//     place). Fragmented messages are reassembled in a buffer from
//     internal/bufpool that grows only by bytes that actually arrived.
//   - A Reader holds no buffer while it is not inside a fragmented message,
//     so an idle connection costs a few dozen bytes.
//
// Protocol failures are reported as *CloseError values that carry the close
// status code to send (1002, 1007 or 1009). After any error the connection
// must be failed: send AppendClose(dst, e.Code, "") and close it.
//
// # Encoding
//
// Server frames are unmasked, so a frame built once with AppendFrame is plain
// bytes that may be written to any number of connections (broadcast fan-out).
// PutHeaderBefore lets an encoder write the payload first, after MaxHeaderLen
// reserved bytes, and then put the header right in front of it, so that a
// whole frame is built in one buffer with no copy.
//
// # Compression
//
// permessage-deflate (RFC 7692) is supported in its no-context-takeover
// form only, so that flate state is pooled and shared, never kept per
// connection. With Reader.Deflate set, a data message whose first frame has
// RSV1 is returned with Message.Compressed and its raw deflate payload;
// Inflate decompresses it under a hard size cap (a zip bomb fails with
// ErrTooBig, 1009; bad data with ErrInflate, 1007). AppendDeflateFrame
// builds a compressed frame that, like any server frame, suits every
// connection that negotiated the extension.
//
// # Concurrency
//
// A Reader belongs to one connection and must only be used from the goroutine
// that owns that connection (the event-loop goroutine on gnet). The Append*
// and Parse* functions are pure and safe from any goroutine.
package wsframe
