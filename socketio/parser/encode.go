package parser

import (
	"strconv"
	"unicode/utf8"
)

// AppendPacket appends the text form of p (header followed by p.Data, which
// must already be JSON, with placeholders for binary packets) and returns the
// extended slice. For BinaryEvent/BinaryAck the attachment count is
// len(p.Attachments); the attachments themselves are sent by the caller as
// separate binary messages. It does not validate p. Safe from any goroutine.
func AppendPacket(dst []byte, p *Packet) []byte {
	dst = appendHeader(dst, p.Type, len(p.Attachments), p.Namespace, p.ID)
	return append(dst, p.Data...)
}

// AppendEvent appends an EVENT packet `2[<nsp>,][<id>]["<name>",<args>...]`.
// Each arg is raw JSON: one value, or a comma-separated list of values such as
// the args returned by SplitEvent (a list is spliced in as is). Empty args are
// skipped. id < 0 means no ack requested. Reserved names are not checked here
// (see IsReservedEvent). With enough capacity in dst it does not allocate,
// which is what the broadcast path relies on. Safe from any goroutine.
func AppendEvent(dst []byte, nsp string, id int64, name string, args ...[]byte) []byte {
	dst = appendHeader(dst, Event, 0, nsp, id)
	return appendEventBody(dst, name, args)
}

// AppendBinaryEvent is AppendEvent for a BINARY_EVENT with the given number of
// attachments (args contain the placeholders; the caller sends the attachments
// as binary messages after this packet). Safe from any goroutine.
func AppendBinaryEvent(dst []byte, nsp string, id int64, attachments int, name string, args ...[]byte) []byte {
	dst = appendHeader(dst, BinaryEvent, attachments, nsp, id)
	return appendEventBody(dst, name, args)
}

// AppendAck appends an ACK packet `3[<nsp>,]<id>[<args>...]`; args follow the
// AppendEvent rules. Safe from any goroutine.
func AppendAck(dst []byte, nsp string, id int64, args ...[]byte) []byte {
	dst = appendHeader(dst, Ack, 0, nsp, id)
	return appendList(append(dst, '['), args)
}

// AppendBinaryAck is AppendAck for a BINARY_ACK with the given number of
// attachments. Safe from any goroutine.
func AppendBinaryAck(dst []byte, nsp string, id int64, attachments int, args ...[]byte) []byte {
	dst = appendHeader(dst, BinaryAck, attachments, nsp, id)
	return appendList(append(dst, '['), args)
}

func appendHeader(dst []byte, t Type, attachments int, nsp string, id int64) []byte {
	dst = append(dst, '0'+byte(t))
	if t.IsBinary() {
		dst = strconv.AppendInt(dst, int64(attachments), 10)
		dst = append(dst, '-')
	}
	dst = appendNamespace(dst, nsp)
	if id >= 0 {
		dst = strconv.AppendInt(dst, id, 10)
	}
	return dst
}

func appendEventBody(dst []byte, name string, args [][]byte) []byte {
	dst = AppendString(append(dst, '['), name)
	for _, a := range args {
		if len(a) > 0 {
			dst = append(append(dst, ','), a...)
		}
	}
	return append(dst, ']')
}

// appendList writes the non-empty args separated by commas, then ']'.
func appendList(dst []byte, args [][]byte) []byte {
	first := true
	for _, a := range args {
		if len(a) > 0 {
			if !first {
				dst = append(dst, ',')
			}
			dst = append(dst, a...)
			first = false
		}
	}
	return append(dst, ']')
}

func appendNamespace(dst []byte, nsp string) []byte {
	if nsp == "" || nsp == MainNamespace {
		return dst
	}
	dst = append(dst, nsp...)
	return append(dst, ',')
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string the way JSON.stringify writes it: no
// HTML escaping, U+2028/U+2029 left as is, control characters escaped; invalid
// UTF-8 becomes U+FFFD (a JS string cannot hold it). Safe from any goroutine.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, c)
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
