package standalone

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each layer overrides the one below it, key by key: flag > env > file >
// default.
func TestLoadPrecedence(t *testing.T) {
	file := writeFile(t, "c.yaml", `
ping:
  interval: 1s
  timeout: 1s
loops: 1
path: /file
transports: [polling]
cors:
  origins: ["https://file.example"]
`)
	env := []string{"SIO_FAST_PING_INTERVAL=2s", "SIO_FAST_LOOPS=2", "SIO_FAST_CORS_ORIGINS=https://a.example, https://b.example", "UNRELATED=1"}
	cfg, _, err := Load([]string{"-config", file, "-loops", "3"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Loops != 3 || cfg.Ping.Interval != 2*time.Second || cfg.Ping.Timeout != time.Second || cfg.Path != "/file" ||
		cfg.Limits.MaxPayload != 1e6 || !reflect.DeepEqual(cfg.Transports, []string{"polling"}) ||
		!reflect.DeepEqual(cfg.CORS.Origins, []string{"https://a.example", "https://b.example"}) {
		t.Fatalf("%+v", cfg)
	}
	// The file may come from the environment; --flag works as -flag.
	cfg, _, err = Load([]string{"--ping-timeout=4s"}, []string{"SIO_FAST_CONFIG=" + file})
	if err != nil || cfg.Ping.Timeout != 4*time.Second || cfg.Ping.Interval != time.Second {
		t.Fatalf("%+v %v", cfg, err)
	}
	// Defaults, with the bench contract's HOST and PORT.
	cfg, _, err = Load(nil, []string{"HOST=0.0.0.0", "PORT=4000"})
	if err != nil || cfg.ListenAddr() != "0.0.0.0:4000" || cfg.Ping.Interval != 25*time.Second || cfg.Auth.Mode != "none" || !cfg.Demo {
		t.Fatalf("%+v %v", cfg, err)
	}
	cfg, _, err = Load([]string{"-port", "4001", "-demo=false"}, nil)
	if err != nil || cfg.ListenAddr() != "127.0.0.1:4001" || cfg.Demo {
		t.Fatalf("%+v %v", cfg, err)
	}
}

// limits.burst_collect is on by default; the flag, the variable and the
// file each turn it off, and a later layer turns it back on.
func TestLoadBurstCollect(t *testing.T) {
	off := writeFile(t, "off.yaml", "limits:\n  burst_collect: false\n")
	for _, tc := range []struct {
		args, env []string
		want      bool
	}{
		{want: true},
		{args: []string{"-burst-collect=false"}, want: false},
		{args: []string{"--burst-collect=false"}, want: false},
		{env: []string{"SIO_FAST_LIMITS_BURST_COLLECT=false"}, want: false},
		{args: []string{"-config", off}, want: false},
		{args: []string{"-config", off, "-burst-collect"}, want: true},
		{args: []string{"-burst-collect=true"}, env: []string{"SIO_FAST_LIMITS_BURST_COLLECT=false"}, want: true},
	} {
		cfg, _, err := Load(tc.args, tc.env)
		if err != nil || cfg.Limits.BurstCollect != tc.want {
			t.Errorf("%v %v: burst_collect %v (%v), want %v", tc.args, tc.env, cfg != nil && cfg.Limits.BurstCollect, err, tc.want)
		}
	}
}

// Every bad value is refused with an error naming its key and the value.
func TestLoadValidation(t *testing.T) {
	pem := writeFile(t, "k.pem", "not a key")
	for _, tc := range []struct {
		args []string
		env  []string
		file string
		want string
	}{
		{args: []string{"-mode", "proxy"}, want: `mode: must be server, bench-app, ws-echo or engineio-echo (got "proxy")`},
		{args: []string{"-addr", "localhost"}, want: `addr: must be host:port (got "localhost")`},
		{args: []string{"-port", "70000"}, want: `port: must be 0 to 65535 (got "70000")`},
		{args: []string{"-path", "socket.io"}, want: `path: must start with / (got "socket.io")`},
		{args: []string{"-loops", "-1"}, want: `loops: must not be negative (got "-1")`},
		{args: []string{"-send-buffer", "-1"}, want: `limits.send_buffer: must not be negative (0: kernel autotuning) (got "-1")`},
		{args: []string{"-redis-batch-window", "-1ms"}, want: `redis.batch_window: must not be negative (0: off) (got "-1ms")`},
		{args: []string{"-write-stall", "-1s"}, want: `limits.write_stall: must not be negative (0: never) (got "-1s")`},
		{args: []string{"-redis", "http://x"}, want: `redis.url: redis: invalid URL scheme: http (got "http://x")`},
		{args: []string{"-redis", "redis://127.0.0.1:1", "-redis-mode", "sharded", "-redis-subscription-mode", "eager"}, want: `redis.subscription_mode: redis: subscription mode "eager": want static, dynamic or dynamic-private (got "eager")`},
		{args: []string{"-redis", "redis://127.0.0.1:1", "-redis-mode", "gossip"}, want: `redis.mode: must be one of [pubsub sharded streams] in this build (got "gossip")`},
		{args: []string{"-max-conns", "-2"}, want: `max_conns: must not be negative (got "-2")`},
		{args: []string{"-log", "loud"}, want: `log_level: must be debug, info, warn or error (got "loud")`},
		{args: []string{"-parser", "xml"}, want: `parser: must be json or msgpack (got "xml")`},
		{args: []string{"-transports", "polling,carrier-pigeon"}, want: `transports: must be polling or websocket (got "carrier-pigeon")`},
		{args: []string{"-transports", ","}, want: `transports: must name polling, websocket or both`},
		{args: []string{"-tls-cert", pem}, want: `tls: tls.cert and tls.key go together`},
		{args: []string{"-tls-cert", pem, "-tls-key", pem}, want: `tls.cert: cannot load with tls.key: tls: failed to find any PEM data in certificate input (got "` + pem + `")`},
		{args: []string{"-cors-origins", "example.com"}, want: `cors.origins: must be "*" or scheme://host[:port] (got "example.com")`},
		{args: []string{"-ping-interval", "0s"}, want: `ping.interval: must be positive (got "0s")`},
		{args: []string{"-ping-timeout", "-1s"}, want: `ping.timeout: must be positive (got "-1s")`},
		{args: []string{"-max-payload", "0"}, want: `limits.max_payload: must be positive (got "0")`},
		{args: []string{"-connect-timeout", "0s"}, want: `limits.connect_timeout: must be positive (got "0s")`},
		{args: []string{"-auth", "basic"}, want: `auth.mode: must be none or jwt (got "basic")`},
		{args: []string{"-auth", "jwt"}, want: `auth.jwt: set exactly one of secret, public_key_file, jwks_file (got 0)`},
		{args: []string{"-auth", "jwt", "-jwt-secret", "short"}, want: `auth.jwt.secret: must have at least 32 bytes for HS256 (got 5)`},
		{args: []string{"-auth", "jwt", "-jwt-public-key", pem}, want: `auth.jwt.public_key_file: no PEM block (got "` + pem + `")`},
		{args: []string{"-auth", "jwt", "-jwt-jwks", "/nonexistent/jwks.json"}, want: `auth.jwt.jwks_file: open /nonexistent/jwks.json: no such file or directory`},
		{args: []string{"-jwt-leeway", "-1s"}, want: `auth.jwt.leeway: must not be negative (got "-1s")`},
		{args: []string{"-api-addr", "nowhere"}, want: `api.addr: must be host:port or empty (got "nowhere")`},
		{args: []string{"-api-keys", "short"}, want: `api.keys: each key must have at least 16 characters (got "shor…(redacted)")`},
		{args: []string{"-api-max-body", "-5"}, want: `api.max_body: must be positive (got "-5")`},
		{args: []string{"-drain-timeout", "0s"}, want: `drain.timeout: must be positive (got "0s")`},
		{args: []string{"-ping-interval", "soon"}, want: `ping.interval: not a duration such as 25s or 1m30s (got "soon")`},
		{env: []string{"SIO_FAST_LOOPS=many"}, want: `loops: not an integer (got "many")`},
		{env: []string{"SIO_FAST_METRICS_ENABLED=perhaps"}, want: `metrics.enabled: not a boolean: true or false (got "perhaps")`},
		{env: []string{"SIO_FAST_LIMITS_BURST_COLLECT=sometimes"}, want: `limits.burst_collect: not a boolean: true or false (got "sometimes")`},
		{args: []string{"-burst-collect=maybe"}, want: `invalid argument "maybe" for "--burst-collect"`},
		{env: []string{"SIO_FAST_PING_INTERVALL=1s"}, want: `environment: unknown variable SIO_FAST_PING_INTERVALL`},
		{file: "ping:\n  intervall: 1s\n", want: `unknown key ping.intervall`},
		{file: "ping:\n  interval: 5\n", want: `ping.interval: a duration needs a unit, such as 25s (got 5)`},
		{file: "loops: [1]\n", want: `loops: expected type 'int'`},
		{file: "policy:\n  namespaces:\n    chat:\n      subscribe: [a]\n", want: `policy.namespaces: namespace must start with / (got "chat")`},
		{file: "policy:\n  namespaces:\n    /:\n      subscribe: [\"room[\"]\n", want: `policy.namespaces./.subscribe: bad pattern (got "room[")`},
		{file: "ping: [", want: `config file`},
		{args: []string{"-config", "/nonexistent/sio.yaml"}, want: `config file /nonexistent/sio.yaml`},
		{args: []string{"-no-such-flag"}, want: `unknown flag: --no-such-flag`},
		{args: []string{"stray"}, want: `unexpected argument "stray"`},
	} {
		args := tc.args
		if tc.file != "" {
			args = append(args, "-config", writeFile(t, "c.yaml", tc.file))
		}
		_, _, err := Load(args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v %q: got %v, want %q", tc.args, tc.env, tc.file, err, tc.want)
		}
	}
}

// -print-config's YAML is the effective configuration: loaded back as a
// file it gives the same configuration, secrets aside (redacted).
func TestPrintConfigRoundTrip(t *testing.T) {
	secret := strings.Repeat("s", 40)
	cfg, _, err := Load([]string{"-ping-interval", "7s", "-auth", "jwt", "-jwt-secret", secret, "-api-keys", "0123456789abcdef0123"}, []string{"SIO_FAST_LOOPS=2"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cfg.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), secret) || strings.Contains(string(out), "0123456789abcdef0123") {
		t.Fatalf("secret printed:\n%s", out)
	}
	for _, want := range []string{"interval: 7s", "loops: 2", "mode: jwt", "secret: ssss…(redacted)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	back, _, err := Load([]string{"-config", writeFile(t, "p.yaml", string(out)), "-jwt-secret", secret, "-api-keys", "0123456789abcdef0123"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Fatalf("round trip:\n%+v\n%+v", back, cfg)
	}
}

// docs/configuration.md lists every key, with its flag and variable.
func TestConfigurationDocListsEveryKey(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		for _, s := range []string{"`" + k.name + "`", "`-" + k.flag + "`", "`" + envName(k.name) + "`"} {
			if !strings.Contains(string(doc), s) {
				t.Errorf("docs/configuration.md does not mention %s", s)
			}
		}
	}
	if !strings.Contains(string(doc), "`policy.namespaces`") {
		t.Error("docs/configuration.md does not mention policy.namespaces")
	}
}

// deploy/example.yaml is a valid configuration (its key file replaced by a
// real one).
func TestExampleConfigLoads(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := Load([]string{"-config", "../deploy/example.yaml", "-jwt-public-key", pemFile(t, &key.PublicKey)},
		[]string{"SIO_FAST_API_KEYS=example-key-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Auth.Mode != "jwt" || cfg.API.Addr != "127.0.0.1:3001" || len(cfg.Policy.Namespaces["/"].Subscribe) != 3 {
		t.Fatalf("%+v", cfg)
	}
}
