package engineio

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sio-fast/sio-fast/httpx"
)

// errorResponse builds Node's polling error answer: 400 (403 for code 4),
// JSON {"code":N,"message":"..."}.
func errorResponse(e *ConnError, headers []byte, keepAlive bool) []byte {
	body := make([]byte, 0, 64)
	body = append(body, `{"code":`...)
	body = strconv.AppendInt(body, int64(e.Code), 10)
	body = append(body, `,"message":`...)
	msg, _ := json.Marshal(e.Message)
	body = append(body, msg...)
	body = append(body, '}')
	resp := appendResponseHead(make([]byte, 0, len(body)+256), e.status(), "application/json", int64(len(body)), keepAlive)
	resp = append(resp, headers...)
	resp = httpx.AppendEndHeaders(resp)
	return append(resp, body...)
}

// upgradeErrorResponse is Node's answer to a refused WebSocket upgrade: a
// raw 400 with the message as text/html, then the socket is closed.
func upgradeErrorResponse(e *ConnError) []byte {
	resp := appendResponseHead(nil, 400, "text/html", int64(len(e.Message)), false)
	resp = httpx.AppendEndHeaders(resp)
	return append(resp, e.Message...)
}

// appendHeaderMap appends every field of h as header lines.
func appendHeaderMap(dst []byte, h http.Header) []byte {
	for k, vs := range h {
		for _, v := range vs {
			dst = httpx.AppendHeader(dst, k, v)
		}
	}
	return dst
}
