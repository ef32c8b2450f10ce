package engineio

import (
	"net/http"
	"time"
)

// Config is the Engine.IO server configuration. The zero value works and
// matches Node's engine.io 6 defaults; withDefaults fills the blanks in one
// place.
type Config struct {
	// Path is the URL prefix served (default "/engine.io/"). Matching is by
	// prefix, as in Node; a trailing slash is added unless NoTrailingSlash.
	Path            string
	NoTrailingSlash bool

	PingInterval   time.Duration // default 25 s
	PingTimeout    time.Duration // default 20 s
	UpgradeTimeout time.Duration // default 10 s
	// MaxHTTPBufferSize bounds a polling POST body (413) and a WebSocket
	// message (close 1009); it is advertised as maxPayload. Default 1e6.
	MaxHTTPBufferSize int64

	// Transports lists the enabled transports: "polling", "websocket"
	// (default both).
	Transports []string
	// DisallowUpgrades turns off the polling → WebSocket upgrade.
	DisallowUpgrades bool
	// AllowEIO3 accepts Engine.IO v3 clients (socket.io-client 2.x).
	AllowEIO3 bool

	// CORS, when set, answers preflights and adds CORS headers to polling
	// responses and to Intercept's answers (the client bundle).
	CORS *CORS
	// AllowRequest, when set, runs on handshake requests only; a non-nil
	// error refuses the handshake with code 4 "Forbidden" (HTTP 403), the
	// error text as message when it is not empty.
	AllowRequest func(r *Request) error
	// Cookie, when set, adds a Set-Cookie with the session id to the polling
	// handshake response (for sticky load balancing).
	Cookie *Cookie
	// InitialHeaders may add headers to handshake responses (polling and
	// WebSocket 101). Headers may add headers to every polling response and
	// WebSocket 101. Both run on an event loop and must not block.
	InitialHeaders func(r *Request, h http.Header)
	Headers        func(r *Request, h http.Header)
	// GenerateID, when set, makes session ids; it must return unique ids. An
	// error refuses the handshake (code 3, ID_GENERATION_ERROR).
	GenerateID func(r *Request) (string, error)

	// HTTPCompressionThreshold: polling responses at least this large are
	// gzip- or deflate-compressed when the client accepts it (default 1024;
	// negative disables compression).
	HTTPCompressionThreshold int
	// PerMessageDeflate, when set, negotiates WebSocket permessage-deflate
	// with clients that offer it (Node's perMessageDeflate; off by
	// default). Only the no-context-takeover mode is used, so compression
	// state is pooled, not kept per connection.
	PerMessageDeflate *PerMessageDeflate

	// Fallback serves HTTP requests outside Path (nil: 404). Runs on an event
	// loop and must not block.
	Fallback func(r *Request) (status int, header http.Header, body []byte)
	// Intercept sees GET and HEAD requests under Path that carry no EIO
	// parameter (the Socket.IO client bundle lives there) before the engine
	// routes them; ok=false lets the engine answer. The engine adds its CORS
	// headers to the answer (Node applies cors to the bundle route too).
	// Runs on an event loop and must not block.
	Intercept func(r *Request) (status int, header http.Header, body []byte, ok bool)
}

// Cookie configures the session cookie (Node's cookie option).
type Cookie struct {
	Name     string // default "io"
	Path     string // default "/"
	HTTPOnly *bool  // default true
	SameSite string // default "Lax"
	Domain   string
	Secure   bool
	MaxAge   time.Duration
}

func (c Config) withDefaults() Config {
	if c.Path == "" {
		c.Path = "/engine.io"
	}
	if !c.NoTrailingSlash && c.Path[len(c.Path)-1] != '/' {
		c.Path += "/"
	}
	if c.PingInterval <= 0 {
		c.PingInterval = 25 * time.Second
	}
	if c.PingTimeout <= 0 {
		c.PingTimeout = 20 * time.Second
	}
	if c.UpgradeTimeout <= 0 {
		c.UpgradeTimeout = 10 * time.Second
	}
	if c.MaxHTTPBufferSize <= 0 {
		c.MaxHTTPBufferSize = 1e6
	}
	if len(c.Transports) == 0 {
		c.Transports = []string{transportPolling, transportWebSocket}
	}
	c.PerMessageDeflate = c.PerMessageDeflate.withDefaults()
	if c.HTTPCompressionThreshold == 0 {
		c.HTTPCompressionThreshold = 1024
	}
	return c
}

func (c *Config) transportEnabled(name string) bool {
	for _, t := range c.Transports {
		if t == name {
			return true
		}
	}
	return false
}

const (
	transportPolling   = "polling"
	transportWebSocket = "websocket"
)
