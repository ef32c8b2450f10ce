// Package httpx is the HTTP/1.1 layer of sio-fast: a resumable, zero-copy
// request parser for an event-loop (gnet) server, an append-style response
// writer, and WebSocket (RFC 6455) upgrade validation with the accept key.
//
// # Feeding the parser
//
// On every read the connection layer calls Parser.Parse with all unconsumed
// bytes of the connection, starting at the first byte of the current
// request. Parse keeps offsets (never slices) of what it has scanned, so the
// buffer may grow and move between calls and a request fed one byte at a
// time is still scanned once. When a whole request (header section and
// body) is present Parse returns the number of bytes it occupies; the caller
// handles Parser.Request, discards those bytes and calls Parse again with
// the rest, which may already hold pipelined requests. Request fields are
// views into the caller's buffer (a chunked body is de-chunked into a
// parser-owned, reused buffer) and are valid until the next Parse or Reset.
//
// # Parsing decisions
//
// The parser follows RFC 9112 and is deliberately stricter than net/http
// where leniency enables request smuggling or costs work on a hot path:
//
//   - Lines must end in CRLF; a bare LF is rejected (ErrBareLF, 400).
//     net/http tolerates it, but the peers of a Socket.IO server (browsers,
//     engine.io clients) always send CRLF, and accepting LF-only framing is
//     a classic source of disagreement with front proxies.
//   - Empty lines before the request line are skipped (RFC 9112 §2.2).
//   - Origin-form targets must have well-formed %-escapes in the path (the
//     query is kept raw); absolute-form is checked only for a scheme and
//     authority-form (CONNECT) is not checked: we are not a proxy.
//   - Obsolete line folding, field names with non-token bytes, whitespace
//     before the colon and control bytes in values are rejected (400).
//   - Content-Length must be plain digits and appear once: duplicates are
//     rejected even when equal (net/http merges equal copies).
//   - Transfer-Encoding must be exactly one "chunked" field (else 501). With
//     Content-Length it is rejected (400) rather than overriding it, and in
//     an HTTP/1.0 request it is rejected (400) rather than ignored.
//   - Only HTTP/1.0 and HTTP/1.1 are served; another well-formed version
//     gets 505. HTTP/1.1 requires exactly one Host field (400).
//   - Chunk extensions are accepted and ignored; trailer fields are
//     validated like header fields, counted against the header limits, and
//     dropped.
//   - The body limit is checked as soon as the header section (or a chunk
//     size) is known, before waiting for the body, and nothing is allocated
//     on a length the peer declared.
//
// # Concurrency
//
// A Parser and the Request it returns belong to one goroutine, the event
// loop that owns the connection. The Append* encoders, StatusText,
// CheckUpgrade and IsUpgrade are pure functions and the Error values are
// immutable, so those are safe from any goroutine (on data the caller owns).
package httpx
