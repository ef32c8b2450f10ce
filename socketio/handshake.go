package socketio

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Handshake describes the connection a socket was created from (Node's
// socket.handshake). It is built from the Engine.IO session's first HTTP
// request, so Query["transport"] stays "polling" after an upgrade. Read-only.
type Handshake struct {
	Headers http.Header     // headers of the first request
	Time    string          // creation time as JavaScript's Date#toString()
	Address string          // remote address of the first request
	XDomain bool            // an Origin header was present
	Secure  bool            // TLS
	Issued  int64           // creation time, ms since the epoch
	URL     string          // URL of the first request
	Query   url.Values      // query of the first request
	Auth    json.RawMessage // CONNECT payload ({} when absent); v2 clients: the namespace query as an object
}

var emptyAuth = json.RawMessage(`{}`)

// Handshake returns the handshake details. Read-only. Any goroutine.
//
// It is built on the first call: a server holding many idle sockets would
// otherwise keep a Handshake (and its formatted date) for each one that no
// handler ever reads.
func (s *Socket) Handshake() *Handshake {
	if hs := s.handshake.Load(); hs != nil {
		return hs
	}
	s.handshake.CompareAndSwap(nil, s.buildHandshake())
	return s.handshake.Load()
}

func (s *Socket) buildHandshake() *Handshake {
	created := time.UnixMilli(s.created)
	h := s.conn.es.Header()
	addr := ""
	if ap := s.conn.es.RemoteAddr(); ap.IsValid() {
		addr = ap.Addr().String()
	}
	auth := emptyAuth
	s.mu.Lock()
	if len(s.socketExtras.auth) > 0 {
		auth = s.socketExtras.auth
	}
	s.mu.Unlock()
	return &Handshake{
		Headers: h, Time: jsDate(created), Address: addr, XDomain: h.Get("Origin") != "",
		Secure: s.conn.es.Secure(), Issued: s.created, URL: s.conn.es.URL(), Query: s.conn.es.Query(), Auth: auth,
	}
}

// jsDate formats t like JavaScript's Date#toString(), e.g.
// "Sun Nov 22 2020 01:33:46 GMT+0100 (CET)". Go has no long zone names, so
// the parenthesised part is the abbreviation ("Coordinated Universal Time"
// for UTC, as V8 prints it).
func jsDate(t time.Time) string {
	zone, _ := t.Zone()
	if zone == "UTC" {
		zone = "Coordinated Universal Time"
	}
	return t.Format("Mon Jan 02 2006 15:04:05 GMT-0700") + " (" + zone + ")"
}
