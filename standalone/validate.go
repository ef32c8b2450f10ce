package standalone

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// modes are the values of mode.
var modes = []string{"server", "bench-app", "ws-echo", "engineio-echo"}

// Validate checks every key; the error lists each bad one as
// "key: problem (got value)".
func (c *Config) Validate() error {
	var errs []error
	bad := func(key string, value any, problem string) {
		errs = append(errs, fmt.Errorf("%s: %s (got %q)", key, problem, fmt.Sprint(value)))
	}
	if !slices.Contains(modes, c.Mode) {
		bad("mode", c.Mode, "must be server, bench-app, ws-echo or engineio-echo")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", c.Addr, "must be host:port")
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("port", c.Port, "must be 0 to 65535")
	}
	if !strings.HasPrefix(c.Path, "/") {
		bad("path", c.Path, "must start with /")
	}
	if c.Loops < 0 {
		bad("loops", c.Loops, "must not be negative")
	}
	if c.MaxConns < 0 {
		bad("max_conns", c.MaxConns, "must not be negative")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		bad("log_level", c.LogLevel, "must be debug, info, warn or error")
	}
	if c.Parser != "json" && c.Parser != "msgpack" {
		bad("parser", c.Parser, "must be json or msgpack")
	}
	if len(c.Transports) == 0 {
		bad("transports", "", "must name polling, websocket or both")
	}
	for _, t := range c.Transports {
		if t != "polling" && t != "websocket" {
			bad("transports", t, "must be polling or websocket")
		}
	}
	if (c.TLS.Cert == "") != (c.TLS.Key == "") {
		bad("tls", c.TLS.Cert+" "+c.TLS.Key, "tls.cert and tls.key go together")
	} else if c.TLS.Cert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLS.Cert, c.TLS.Key); err != nil {
			bad("tls.cert", c.TLS.Cert, "cannot load with tls.key: "+err.Error())
		}
	}
	for _, o := range c.CORS.Origins {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
			bad("cors.origins", o, `must be "*" or scheme://host[:port]`)
		}
	}
	if c.Limits.SendBuffer < 0 {
		bad("limits.send_buffer", c.Limits.SendBuffer, "must not be negative (0: kernel autotuning)")
	}
	if c.Redis.BatchWindow < 0 {
		bad("redis.batch_window", c.Redis.BatchWindow, "must not be negative (0: off)")
	}
	if c.Limits.WriteStall < 0 {
		bad("limits.write_stall", c.Limits.WriteStall, "must not be negative (0: never)")
	}
	if err := c.Redis.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Recovery < 0 {
		bad("recovery", c.Recovery, "must not be negative (0 turns recovery off)")
	}
	if c.Ping.Interval <= 0 {
		bad("ping.interval", c.Ping.Interval, "must be positive")
	}
	if c.Ping.Timeout <= 0 {
		bad("ping.timeout", c.Ping.Timeout, "must be positive")
	}
	if c.Limits.MaxPayload <= 0 {
		bad("limits.max_payload", c.Limits.MaxPayload, "must be positive")
	}
	if c.Limits.ConnectTimeout <= 0 {
		bad("limits.connect_timeout", c.Limits.ConnectTimeout, "must be positive")
	}
	errs = append(errs, c.validateAuth()...)
	errs = append(errs, c.validatePolicy()...)
	if c.API.Addr != "" {
		if _, _, err := net.SplitHostPort(c.API.Addr); err != nil {
			bad("api.addr", c.API.Addr, "must be host:port or empty")
		}
	}
	for _, k := range c.API.Keys {
		if len(k) < 16 {
			bad("api.keys", redact(k), "each key must have at least 16 characters")
		}
	}
	if c.API.MaxBody <= 0 {
		bad("api.max_body", c.API.MaxBody, "must be positive")
	}
	if c.Drain.Timeout <= 0 {
		bad("drain.timeout", c.Drain.Timeout, "must be positive")
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid configuration:\n  %w", joinIndented(errs))
	}
	return nil
}

func (c *Config) validateAuth() []error {
	var errs []error
	j := c.Auth.JWT
	switch c.Auth.Mode {
	case "none":
	case "jwt":
		set := 0
		for _, s := range []string{j.Secret, j.PublicKeyFile, j.JWKSFile} {
			if s != "" {
				set++
			}
		}
		if set != 1 {
			errs = append(errs, fmt.Errorf("auth.jwt: set exactly one of secret, public_key_file, jwks_file (got %d)", set))
		}
		if j.Secret != "" && len(j.Secret) < 32 {
			errs = append(errs, fmt.Errorf("auth.jwt.secret: must have at least 32 bytes for HS256 (got %d)", len(j.Secret)))
		}
		if _, err := newVerifier(j); err != nil && set == 1 {
			errs = append(errs, err)
		}
	default:
		errs = append(errs, fmt.Errorf("auth.mode: must be none or jwt (got %q)", c.Auth.Mode))
	}
	if j.Leeway < 0 {
		errs = append(errs, fmt.Errorf("auth.jwt.leeway: must not be negative (got %q)", j.Leeway))
	}
	return errs
}

func (c *Config) validatePolicy() []error {
	var errs []error
	for nsp, p := range c.Policy.Namespaces {
		if !strings.HasPrefix(nsp, "/") {
			errs = append(errs, fmt.Errorf("policy.namespaces: namespace must start with / (got %q)", nsp))
		}
		for kind, pats := range map[string][]string{"subscribe": p.Subscribe, "publish": p.Publish, "presence": p.Presence, "members": p.Members} {
			for _, pat := range pats {
				if _, err := path.Match(strings.ReplaceAll(pat, "{sub}", "x"), ""); err != nil {
					errs = append(errs, fmt.Errorf("policy.namespaces.%s.%s: bad pattern (got %q)", nsp, kind, pat))
				}
			}
		}
	}
	return errs
}

func joinIndented(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	slices.Sort(msgs)
	return errors.New(strings.Join(msgs, "\n  "))
}

// redact hides a secret but its first characters, for errors and
// -print-config.
func redact(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > 4 {
		return s[:4] + "…(redacted)"
	}
	return "(redacted)"
}

// YAML is the effective configuration as YAML (what -print-config prints),
// secrets redacted.
func (c *Config) YAML() ([]byte, error) {
	shown := *c
	shown.Auth.JWT.Secret = redact(c.Auth.JWT.Secret)
	shown.API.Keys = make([]string, len(c.API.Keys))
	for i, k := range c.API.Keys {
		shown.API.Keys[i] = redact(k)
	}
	out, err := yaml.Marshal(&shown)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out, err
}
