package standalone

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/metrics"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/admin"
	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// Server is the standalone Socket.IO server: the engine (a loop.Handler to
// serve with loop.Serve) and the HTTP API (an http.Handler for the API
// listener). Built by New; its methods are safe from any goroutine.
type Server struct {
	logger *slog.Logger
	SIO    *socketio.Server
	Engine *engineio.Server

	live    atomic.Pointer[liveConfig] // what SIGHUP may change
	ready   atomic.Bool                // listening and not draining
	nsps    map[string]*socketio.Namespace
	api     http.Handler
	metrics *metrics.Metrics            // nil with metrics.enabled false
	loop    atomic.Pointer[loop.Server] // set by Start, read by scrapes
	close   func() error                // NewSocketIO's
}

// liveConfig is the part of the configuration Reload swaps.
type liveConfig struct {
	cors    CORSConfig
	policy  PolicyConfig
	apiKeys []string
}

// New builds the server of cfg (mode server): authentication, channel
// policy, the namespaces of the policy plus "/", and the demo chat when
// cfg.Demo.
func New(cfg *Config, logger *slog.Logger) (*Server, error) {
	s := &Server{logger: logger, nsps: map[string]*socketio.Namespace{}}
	s.live.Store(liveOf(cfg))
	sio, closeSIO, err := NewSocketIO(cfg, logger)
	if err != nil {
		return nil, err
	}
	s.SIO, s.close = sio, closeSIO
	var mw socketio.Middleware
	if cfg.Auth.Mode == "jwt" {
		v, err := newVerifier(cfg.Auth.JWT)
		if err != nil {
			_ = closeSIO()
			return nil, err
		}
		mw = authMiddleware(v, func() { s.metrics.AuthRefused() })
	} else {
		logger.Warn("auth.mode none: any client may connect (development only)")
	}
	for _, name := range s.namespaceNames(cfg) {
		nsp := sio.Of(name)
		if mw != nil {
			nsp.Use(mw)
		}
		nsp.OnConnection(s.onConnection)
		s.nsps[name] = nsp
	}
	if cfg.Demo {
		chat(sio, usersEvery)
	}
	ec := EngineConfig(cfg)
	ec.CORS = &engineio.CORS{OriginFunc: s.originAllowed, Credentials: cfg.CORS.Credentials}
	if cfg.Demo {
		ec.Fallback = demoPage
	}
	s.Engine = sio.NewEngine(ec)
	if cfg.Metrics.Enabled {
		nsps := make([]*socketio.Namespace, 0, len(s.nsps))
		for _, name := range s.namespaceNames(cfg) {
			nsps = append(nsps, s.nsps[name])
		}
		src := metrics.Source{Engine: s.Engine, SocketIO: sio, Namespaces: nsps, Loop: s.loop.Load}
		if cfg.Redis.URL != "" {
			src.Redis = func() metrics.RedisStats { return redisStats(nsps) }
		}
		s.metrics = metrics.New(src)
	}
	s.api = s.routes(cfg)
	return s, nil
}

func (s *Server) namespaceNames(cfg *Config) []string {
	names := []string{"/"}
	for name := range cfg.Policy.Namespaces {
		if name != "/" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func liveOf(cfg *Config) *liveConfig {
	return &liveConfig{cors: cfg.CORS, policy: cfg.Policy, apiKeys: cfg.API.Keys}
}

// Reload applies what can change without a restart: CORS origins, channel
// policy and API keys (the log level is the caller's LevelVar). It returns
// the configuration now in effect: cfg's live parts on old's others. Other
// changes need a restart; Reload names their keys (never their values:
// some are secrets) in the returned error and applies the rest.
func (s *Server) Reload(old, cfg *Config) (*Config, error) {
	now := *old
	now.CORS.Origins, now.Policy, now.API.Keys, now.LogLevel = cfg.CORS.Origins, cfg.Policy, cfg.API.Keys, cfg.LogLevel
	s.live.Store(liveOf(&now))
	frozen := changedKeys(reflect.ValueOf(now), reflect.ValueOf(*cfg), "")
	if served := slices.Sorted(maps.Keys(s.nsps)); !slices.Equal(s.namespaceNames(cfg), served) {
		frozen = append(frozen, "the set of policy namespaces")
	}
	if len(frozen) > 0 {
		return &now, fmt.Errorf("reload: changes to %v need a restart (ignored)", frozen)
	}
	return &now, nil
}

// changedKeys lists the configuration keys (dotted, as in the YAML file)
// whose values differ between a and b, structs of the same type. The real
// values are compared, secrets included; only names are returned.
func changedKeys(a, b reflect.Value, prefix string) []string {
	var keys []string
	for i := range a.NumField() {
		f := a.Type().Field(i)
		name := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
		x, y := a.Field(i), b.Field(i)
		switch {
		case f.Type.Kind() == reflect.Struct:
			keys = append(keys, changedKeys(x, y, name+".")...)
		case (f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map) && x.Len() == 0 && y.Len() == 0:
			// nil and empty are the same configuration
		case !reflect.DeepEqual(x.Interface(), y.Interface()):
			keys = append(keys, name)
		}
	}
	return keys
}

// originAllowed checks a cross-origin request against the live origins.
func (s *Server) originAllowed(origin string) bool {
	for _, o := range s.live.Load().cors.Origins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}

// Close ends what the server runs besides its sessions: every namespace's
// cluster adapter (its goroutines) and then their Redis client, so that
// nothing keeps dialing Redis. Call it once the engine stopped (Drain
// does); any goroutine but a loop's (it waits for the loops). Later calls
// return the first one's result.
func (s *Server) Close() error { return s.close() }

// SetReady marks the server ready (listening) or not (starting, draining):
// /readyz answers accordingly.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// HTTPHandler serves the publish API, /healthz, /readyz and /metrics.
func (s *Server) HTTPHandler() http.Handler { return s.api }

// onConnection counts the socket and registers the channel events.
func (s *Server) onConnection(sock *socketio.Socket) {
	s.metrics.Connected(sock.Namespace().Name())
	sock.OnDisconnect(s.onDisconnect)
	sock.On("subscribe", s.onSubscribe)
	sock.On("unsubscribe", s.onUnsubscribe)
	sock.On("presence", s.onPresence)
	sock.On("publish", s.onPublish)
}

func (s *Server) onDisconnect(sock *socketio.Socket, reason socketio.DisconnectReason) {
	s.metrics.Disconnected(sock.Namespace().Name(), reason)
}

// NewSocketIO is the Socket.IO server of cfg (path, parser, timeouts,
// recovery, admin UI), shared by the server and bench-app modes, and the
// func that closes it once its engine stopped: every adapter
// (socketio.Server.Close), then the Redis client they share. That func
// may be called from any goroutine but a loop's, more than once.
func NewSocketIO(cfg *Config, logger *slog.Logger) (*socketio.Server, func() error, error) {
	var codec parser.Codec
	if cfg.Parser == "msgpack" {
		codec = msgpack.Parser{}
	}
	var recovery *socketio.Recovery
	if cfg.Recovery > 0 {
		recovery = &socketio.Recovery{MaxDisconnectionDuration: cfg.Recovery, SkipMiddlewares: true}
	}
	newAdapter, client, err := cfg.Redis.newAdapter(logger)
	if err != nil {
		return nil, nil, err
	}
	sio := socketio.NewServer(socketio.Config{
		Path: cfg.Path, Logger: logger, Parser: codec, ConnectTimeout: cfg.Limits.ConnectTimeout, Recovery: recovery,
		NewAdapter: newAdapter,
	})
	closeAll := sync.OnceValue(func() error {
		err := sio.Close()
		if client != nil {
			err = errors.Join(err, client.Close())
		}
		return err
	})
	if cfg.Admin {
		// Node: instrument(io, {auth: false, mode: "development"}). The
		// hosted UI reaches it with its "WebSocket only" option (no CORS).
		if _, err := admin.Instrument(sio, admin.Options{Mode: admin.Development}); err != nil {
			_ = closeAll()
			return nil, nil, err
		}
	}
	return sio, closeAll, nil
}

// EngineConfig is the Engine.IO configuration of cfg, shared by the server
// and bench-app modes.
func EngineConfig(cfg *Config) engineio.Config {
	return engineio.Config{
		Path: cfg.Path + "/", PingInterval: cfg.Ping.Interval, PingTimeout: cfg.Ping.Timeout,
		MaxHTTPBufferSize: cfg.Limits.MaxPayload, Transports: cfg.Transports,
	}
}
