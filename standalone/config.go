package standalone

import (
	"fmt"
	"net"
	"os"
	"time"
)

// Config is the configuration of the sio-fast command. Load builds it from
// defaults, a YAML file, SIO_FAST_… environment variables and flags; every
// field is listed, with its flag and variable, in docs/configuration.md.
type Config struct {
	Mode       string        `koanf:"mode" yaml:"mode"`
	Addr       string        `koanf:"addr" yaml:"addr"`
	Port       int           `koanf:"port" yaml:"port"`
	Path       string        `koanf:"path" yaml:"path"`
	Loops      int           `koanf:"loops" yaml:"loops"`
	MaxConns   int           `koanf:"max_conns" yaml:"max_conns"`
	LogLevel   string        `koanf:"log_level" yaml:"log_level"`
	CPUProfile string        `koanf:"cpu_profile" yaml:"cpu_profile"`
	MemProfile string        `koanf:"mem_profile" yaml:"mem_profile"`
	Parser     string        `koanf:"parser" yaml:"parser"`
	Transports []string      `koanf:"transports" yaml:"transports"`
	Demo       bool          `koanf:"demo" yaml:"demo"`
	Admin      bool          `koanf:"admin" yaml:"admin"`
	Recovery   time.Duration `koanf:"recovery" yaml:"recovery"`
	TLS        TLSConfig     `koanf:"tls" yaml:"tls"`
	CORS       CORSConfig    `koanf:"cors" yaml:"cors"`
	Ping       PingConfig    `koanf:"ping" yaml:"ping"`
	Limits     LimitsConfig  `koanf:"limits" yaml:"limits"`
	Auth       AuthConfig    `koanf:"auth" yaml:"auth"`
	Policy     PolicyConfig  `koanf:"policy" yaml:"policy"`
	API        APIConfig     `koanf:"api" yaml:"api"`
	Drain      DrainConfig   `koanf:"drain" yaml:"drain"`
	Metrics    MetricsConfig `koanf:"metrics" yaml:"metrics"`
	Redis      RedisConfig   `koanf:"redis" yaml:"redis"`
}

// RedisConfig joins the server to a cluster over Redis with Node's
// @socket.io/redis-adapter wire format (adapter/redis); no URL: one node.
type RedisConfig struct {
	URL    string `koanf:"url" yaml:"url"`
	Mode   string `koanf:"mode" yaml:"mode"`
	Prefix string `koanf:"prefix" yaml:"prefix"`
	// SubscriptionMode is the sharded adapter's subscriptionMode.
	SubscriptionMode string `koanf:"subscription_mode" yaml:"subscription_mode"`
	// BatchWindow is the adapters' BatchWindow: read messages arriving
	// faster than this in batches, for less CPU and up to this much more
	// cross-node latency (0: off).
	BatchWindow time.Duration `koanf:"batch_window" yaml:"batch_window"`
}

// TLSConfig: PEM certificate chain and key; both set serves https:// and
// wss:// on the reactor.
type TLSConfig struct {
	Cert string `koanf:"cert" yaml:"cert"`
	Key  string `koanf:"key" yaml:"key"`
}

// CORSConfig: the origins allowed to poll cross-origin ("*" for any).
type CORSConfig struct {
	Origins     []string `koanf:"origins" yaml:"origins"`
	Credentials bool     `koanf:"credentials" yaml:"credentials"`
}

// PingConfig is the Engine.IO heartbeat.
type PingConfig struct {
	Interval time.Duration `koanf:"interval" yaml:"interval"`
	Timeout  time.Duration `koanf:"timeout" yaml:"timeout"`
}

// LimitsConfig bounds what one client may send or hold.
type LimitsConfig struct {
	MaxPayload     int64         `koanf:"max_payload" yaml:"max_payload"`
	ConnectTimeout time.Duration `koanf:"connect_timeout" yaml:"connect_timeout"`
	// SendBuffer is SO_SNDBUF per connection (0: kernel autotuning);
	// WriteStall closes a connection whose queued bytes make no progress
	// for that long (0: never). See loop.WithSendBuffer and
	// loop.WithWriteStallTimeout.
	SendBuffer int           `koanf:"send_buffer" yaml:"send_buffer"`
	WriteStall time.Duration `koanf:"write_stall" yaml:"write_stall"`
	// BurstCollect: once a burst of new connections is over, force one
	// garbage collection and return free memory to the OS
	// (loop.WithBurstCollect; docs/operations.md, "Memory").
	BurstCollect bool `koanf:"burst_collect" yaml:"burst_collect"`
}

// AuthConfig selects client authentication: "none" or "jwt".
type AuthConfig struct {
	Mode string    `koanf:"mode" yaml:"mode"`
	JWT  JWTConfig `koanf:"jwt" yaml:"jwt"`
}

// JWTConfig holds the verification keys and the claims checked. Exactly
// one of Secret, PublicKeyFile and JWKSFile is set.
type JWTConfig struct {
	Secret        string        `koanf:"secret" yaml:"secret"`
	PublicKeyFile string        `koanf:"public_key_file" yaml:"public_key_file"`
	JWKSFile      string        `koanf:"jwks_file" yaml:"jwks_file"`
	Audience      string        `koanf:"audience" yaml:"audience"`
	Issuer        string        `koanf:"issuer" yaml:"issuer"`
	Leeway        time.Duration `koanf:"leeway" yaml:"leeway"`
}

// PolicyConfig holds the channel policy of each namespace, keyed by
// namespace name ("/" for the main one).
type PolicyConfig struct {
	Namespaces map[string]NamespacePolicy `koanf:"namespaces" yaml:"namespaces"`
}

// NamespacePolicy lists room patterns ("*" matches within a segment as in
// path.Match; "{sub}" is the token's subject).
type NamespacePolicy struct {
	Subscribe []string `koanf:"subscribe" yaml:"subscribe"`
	Publish   []string `koanf:"publish" yaml:"publish"`
	Presence  []string `koanf:"presence" yaml:"presence"`
	Members   []string `koanf:"members" yaml:"members"`
}

// APIConfig is the HTTP listener of the publish API, health, readiness and
// metrics. Keys authenticate the publish API.
type APIConfig struct {
	Addr    string   `koanf:"addr" yaml:"addr"`
	Keys    []string `koanf:"keys" yaml:"keys"`
	MaxBody int64    `koanf:"max_body" yaml:"max_body"`
}

// DrainConfig: how long a SIGTERM drain may take before the process exits.
type DrainConfig struct {
	Timeout time.Duration `koanf:"timeout" yaml:"timeout"`
}

// MetricsConfig turns the Prometheus /metrics endpoint on or off.
type MetricsConfig struct {
	Enabled bool `koanf:"enabled" yaml:"enabled"`
}

// defaults returns the default layer; the listen address follows the bench
// contract (HOST and PORT from the environment, else 127.0.0.1:3000).
func defaults(getenv func(string) string) map[string]any {
	host, port := getenv("HOST"), getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3000"
	}
	return map[string]any{
		"mode": "server", "addr": net.JoinHostPort(host, port), "port": 0, "path": "/socket.io",
		"loops": 0, "max_conns": 0, "log_level": "info", "cpu_profile": "", "mem_profile": "",
		"parser": "json", "transports": []string{"polling", "websocket"}, "demo": true,
		"admin": false, "recovery": time.Duration(0),
		"tls.cert": "", "tls.key": "",
		"cors.origins": []string{}, "cors.credentials": false,
		"ping.interval": 25 * time.Second, "ping.timeout": 20 * time.Second,
		"limits.max_payload": int64(1e6), "limits.connect_timeout": 45 * time.Second,
		"limits.send_buffer": 64 << 10, "limits.write_stall": 3 * time.Second, "limits.burst_collect": true,
		"auth.mode": "none", "auth.jwt.secret": "", "auth.jwt.public_key_file": "", "auth.jwt.jwks_file": "",
		"auth.jwt.audience": "", "auth.jwt.issuer": "", "auth.jwt.leeway": time.Duration(0),
		"api.addr": "", "api.keys": []string{}, "api.max_body": int64(1 << 20),
		"drain.timeout": 10 * time.Second, "metrics.enabled": true,
		"redis.url": "", "redis.mode": "pubsub", "redis.prefix": "socket.io", "redis.subscription_mode": "dynamic",
		"redis.batch_window": time.Duration(0),
	}
}

// ListenAddr is Addr with Port, when set, replacing its port.
func (c *Config) ListenAddr() string {
	if c.Port <= 0 {
		return c.Addr
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		host = c.Addr
	}
	return net.JoinHostPort(host, fmt.Sprint(c.Port))
}

// readable reports whether path names a file this process can open.
func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}
