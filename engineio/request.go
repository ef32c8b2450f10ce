package engineio

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/sio-fast/sio-fast/httpx"
)

// Request is an owned copy of an HTTP request, given to hooks and kept by
// a session as its handshake request. Building it allocates, so the server
// builds it only at handshakes and when a hook needs it.
type Request struct {
	Method     string
	URL        string // path and query as sent
	Path       string
	Query      url.Values
	Header     http.Header
	RemoteAddr netip.AddrPort
	Secure     bool
}

func newRequest(r *httpx.Request, remote netip.AddrPort) *Request {
	q, _ := url.ParseQuery(string(r.RawQuery))
	h := make(http.Header, len(r.Headers))
	for _, f := range r.Headers {
		k := http.CanonicalHeaderKey(string(f.Key))
		h[k] = append(h[k], string(f.Value))
	}
	return &Request{
		Method:     string(r.Method),
		URL:        string(r.Target),
		Path:       string(r.Path),
		Query:      q,
		Header:     h,
		RemoteAddr: remote,
		Secure:     strings.EqualFold(h.Get("X-Forwarded-Proto"), "https"),
	}
}

// reqView bundles what request handling needs: the borrowed httpx request,
// its query fields, and a lazily built owned copy for hooks.
type reqView struct {
	r         *httpx.Request
	remote    netip.AddrPort
	eio       []byte
	transport []byte
	sid       []byte
	b64       bool
	owned     *Request
}

func (v *reqView) request() *Request {
	if v.owned == nil {
		v.owned = newRequest(v.r, v.remote)
	}
	return v.owned
}
