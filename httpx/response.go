package httpx

import "strconv"

// The response writers below are append-style encoders in the
// strconv.Append* manner: they never allocate unless dst must grow, so a
// caller with a pre-sized (or pooled) dst writes responses allocation-free.
// They are pure functions, safe from any goroutine.

// StatusText returns the reason phrase for code, or "" for unknown codes
// (an empty reason phrase is valid in HTTP/1.1).
func StatusText(code int) string {
	switch code {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 204:
		return "No Content"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 304:
		return "Not Modified"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 408:
		return "Request Timeout"
	case 411:
		return "Length Required"
	case 413:
		return "Content Too Large"
	case 414:
		return "URI Too Long"
	case 415:
		return "Unsupported Media Type"
	case 426:
		return "Upgrade Required"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 505:
		return "HTTP Version Not Supported"
	}
	return ""
}

// AppendStatusLine appends "HTTP/1.1 <code> <reason>\r\n".
func AppendStatusLine(dst []byte, status int) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	if status >= 100 && status <= 999 {
		dst = append(dst, byte('0'+status/100), byte('0'+status/10%10), byte('0'+status%10))
	} else {
		dst = strconv.AppendInt(dst, int64(status), 10)
	}
	dst = append(dst, ' ')
	dst = append(dst, StatusText(status)...)
	return append(dst, "\r\n"...)
}

// AppendHeader appends "key: value\r\n". CR and LF in key or value are
// replaced by spaces so a value taken from a request cannot split the
// response (header injection).
func AppendHeader(dst []byte, key, value string) []byte {
	dst = appendFieldString(dst, key)
	dst = append(dst, ": "...)
	dst = appendFieldString(dst, value)
	return append(dst, "\r\n"...)
}

// AppendHeaderBytes is AppendHeader for []byte arguments.
func AppendHeaderBytes(dst []byte, key, value []byte) []byte {
	dst = appendFieldBytes(dst, key)
	dst = append(dst, ": "...)
	dst = appendFieldBytes(dst, value)
	return append(dst, "\r\n"...)
}

func appendFieldString(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	sanitizeCRLF(dst[n:])
	return dst
}

func appendFieldBytes(dst []byte, b []byte) []byte {
	n := len(dst)
	dst = append(dst, b...)
	sanitizeCRLF(dst[n:])
	return dst
}

func sanitizeCRLF(b []byte) {
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
}

// AppendEndHeaders appends the blank line that closes a header block.
func AppendEndHeaders(dst []byte) []byte { return append(dst, "\r\n"...) }

// AppendResponseHead appends the status line, Content-Type (when not
// empty), Content-Length and, when !keepAlive, "Connection: close". The
// header block is left open: append more fields (CORS, Set-Cookie...) with
// AppendHeader, then AppendEndHeaders and the body. An HTTP/1.0 client that
// asked for keep-alive also needs AppendHeader(dst, "Connection", "keep-alive").
func AppendResponseHead(dst []byte, status int, contentType string, contentLength int64, keepAlive bool) []byte {
	dst = AppendStatusLine(dst, status)
	if contentType != "" {
		dst = AppendHeader(dst, "Content-Type", contentType)
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, contentLength, 10)
	dst = append(dst, "\r\n"...)
	if !keepAlive {
		dst = append(dst, "Connection: close\r\n"...)
	}
	return dst
}

// AppendResponse appends a complete response with a Content-Length body.
func AppendResponse(dst []byte, status int, contentType string, body []byte, keepAlive bool) []byte {
	dst = AppendResponseHead(dst, status, contentType, int64(len(body)), keepAlive)
	dst = AppendEndHeaders(dst)
	return append(dst, body...)
}

// AppendErrorResponse appends a complete response for e: its status, its
// ExtraHeaders (e.g. Sec-WebSocket-Version: 13 for 426) and Message as a
// text/plain body. After a Parse error pass keepAlive=false and close.
func AppendErrorResponse(dst []byte, e *Error, keepAlive bool) []byte {
	dst = AppendResponseHead(dst, e.Status, "text/plain; charset=utf-8", int64(len(e.Message)), keepAlive)
	dst = append(dst, e.ExtraHeaders...)
	dst = AppendEndHeaders(dst)
	return append(dst, e.Message...)
}

// AppendContinue appends the interim "100 Continue" response; see
// Parser.NeedContinue.
func AppendContinue(dst []byte) []byte {
	return append(dst, "HTTP/1.1 100 Continue\r\n\r\n"...)
}
