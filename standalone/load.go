package standalone

import (
	"errors"
	"flag"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/posflag"
	"github.com/knadh/koanf/v2"
	"github.com/spf13/pflag"
)

// EnvPrefix starts the name of every environment variable Load reads.
const EnvPrefix = "SIO_FAST_"

// key describes one configuration key: its flag (empty: none) and help.
// The environment variable is derived: SIO_FAST_ and the key upper-cased,
// dots as underscores (ping.interval: SIO_FAST_PING_INTERVAL).
type key struct {
	name, flag, help string
	list             bool // comma-separated in the environment
}

// keys lists every key that has a flag or a variable; policy.namespaces is
// file-only (a map of lists).
var keys = []key{
	{name: "mode", flag: "mode", help: "server | bench-app | ws-echo | engineio-echo"},
	{name: "addr", flag: "addr", help: "listen address host:port (default 127.0.0.1:3000, or HOST:PORT from the environment)"},
	{name: "port", flag: "port", help: "listen port, replacing the port of addr"},
	{name: "path", flag: "path", help: "Socket.IO path"},
	{name: "loops", flag: "loops", help: "event loops (0: number of CPUs)"},
	{name: "max_conns", flag: "max-conns", help: "connection cap (0: file descriptor limit minus a reserve)"},
	{name: "log_level", flag: "log", help: "log level: debug | info | warn | error"},
	{name: "cpu_profile", flag: "cpuprofile", help: "write a CPU profile to this file until exit"},
	{name: "mem_profile", flag: "memprofile", help: "write a heap profile to this file on each SIGUSR1"},
	{name: "parser", flag: "parser", help: "packet parser: json (socket.io-parser) | msgpack (socket.io-msgpack-parser)"},
	{name: "transports", flag: "transports", help: "enabled transports: polling, websocket", list: true},
	{name: "demo", flag: "demo", help: "serve the demo chat page at / and run its chat on / (server mode)"},
	{name: "admin", flag: "admin", help: "serve the admin UI protocol at /admin (auth off, development mode)"},
	{name: "recovery", flag: "recovery", help: "connection state recovery window, skipMiddlewares on (0: off)"},
	{name: "tls.cert", flag: "tls-cert", help: "PEM certificate chain: serve https:// and wss:// (with tls.key)"},
	{name: "tls.key", flag: "tls-key", help: "PEM private key of tls.cert"},
	{name: "cors.origins", flag: "cors-origins", help: "origins allowed cross-origin (* for any)", list: true},
	{name: "cors.credentials", flag: "cors-credentials", help: "allow credentials cross-origin"},
	{name: "ping.interval", flag: "ping-interval", help: "Engine.IO pingInterval"},
	{name: "ping.timeout", flag: "ping-timeout", help: "Engine.IO pingTimeout"},
	{name: "limits.max_payload", flag: "max-payload", help: "largest message or polling body in bytes (maxHttpBufferSize)"},
	{name: "limits.connect_timeout", flag: "connect-timeout", help: "close a session that joins no namespace in this time"},
	{name: "limits.send_buffer", flag: "send-buffer", help: "SO_SNDBUF per connection in bytes (0: kernel autotuning)"},
	{name: "limits.write_stall", flag: "write-stall", help: "close a connection whose queued bytes make no progress for this long (0: never)"},
	{name: "limits.burst_collect", flag: "burst-collect", help: "after a burst of new connections, force one garbage collection and return free memory to the OS (false: leave it to Go's pacing)"},
	{name: "auth.mode", flag: "auth", help: "client authentication: none | jwt"},
	{name: "auth.jwt.secret", flag: "jwt-secret", help: "HS256 secret"},
	{name: "auth.jwt.public_key_file", flag: "jwt-public-key", help: "PEM file of the RS256 or ES256 public key"},
	{name: "auth.jwt.jwks_file", flag: "jwt-jwks", help: "JWKS file (RS256/ES256 keys chosen by kid)"},
	{name: "auth.jwt.audience", flag: "jwt-audience", help: "required aud claim"},
	{name: "auth.jwt.issuer", flag: "jwt-issuer", help: "required iss claim"},
	{name: "auth.jwt.leeway", flag: "jwt-leeway", help: "clock skew allowed on exp and nbf"},
	{name: "api.addr", flag: "api-addr", help: "listen address of the publish API, health and metrics (empty: off)"},
	{name: "api.keys", flag: "api-keys", help: "API keys accepted in Authorization: apikey <key>", list: true},
	{name: "api.max_body", flag: "api-max-body", help: "largest publish API request body in bytes"},
	{name: "drain.timeout", flag: "drain-timeout", help: "longest SIGTERM drain before exit"},
	{name: "metrics.enabled", flag: "metrics", help: "serve Prometheus /metrics on the API listener"},
	{name: "redis.url", flag: "redis", help: "join a cluster over Redis at this URL (redis://host:port/db), as Node's @socket.io/redis-adapter"},
	{name: "redis.mode", flag: "redis-mode", help: "cluster adapter: pubsub (createAdapter), sharded (createShardedAdapter, Redis >= 7) or streams (@socket.io/redis-streams-adapter, recovery across nodes)"},
	{name: "redis.subscription_mode", flag: "redis-subscription-mode", help: "sharded mode's subscriptionMode: static, dynamic or dynamic-private"},
	{name: "redis.batch_window", flag: "redis-batch-window", help: "read messages arriving faster than this in batches: less CPU per message, up to this much more cross-node latency (0: off)"},
	{name: "redis.prefix", flag: "redis-prefix", help: "channel prefix (the adapter's key option; channelPrefix in streams mode)"},
}

// envName is the environment variable of key k.
func envName(k string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(k, ".", "_"))
}

// Options are the command-line choices that are not configuration.
type Options struct {
	ConfigFile  string
	PrintConfig bool
}

// Load builds the configuration from, in rising precedence, the defaults,
// the YAML file named by -config (or SIO_FAST_CONFIG), the SIO_FAST_…
// variables of environ and the flags in args, then validates it. Errors
// name the key and the bad value.
func Load(args, environ []string) (*Config, Options, error) {
	var opts Options
	getenv := lookup(environ)
	fs := flagSet(&opts)
	if err := fs.Parse(singleDash(args)); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, opts, flag.ErrHelp
		}
		return nil, opts, err
	}
	// Parsing stops at the first argument that is not a flag: anything left
	// would be ignored (`sio-fast bench-app -port 9` would run the chat
	// server on 3000), so it is refused.
	if fs.NArg() > 0 {
		fmt.Fprintln(fs.Output(), "Usage of sio-fast:")
		fs.PrintDefaults()
		if slices.Contains(modes, fs.Arg(0)) {
			return nil, opts, fmt.Errorf("unexpected argument %q: the mode is a flag, -mode %s", fs.Arg(0), fs.Arg(0))
		}
		return nil, opts, fmt.Errorf("unexpected argument %q (sio-fast takes flags only)", fs.Arg(0))
	}
	if opts.ConfigFile == "" {
		opts.ConfigFile = getenv(EnvPrefix + "CONFIG")
	}
	k := koanf.New(".")
	if err := k.Load(confmap.Provider(defaults(getenv), "."), nil); err != nil {
		return nil, opts, err
	}
	if opts.ConfigFile != "" {
		fk := koanf.New(".")
		if err := fk.Load(file.Provider(opts.ConfigFile), yaml.Parser()); err != nil {
			return nil, opts, fmt.Errorf("config file %s: %w", opts.ConfigFile, err)
		}
		if err := knownKeys(fk, "config file "+opts.ConfigFile); err != nil {
			return nil, opts, err
		}
		if err := k.Merge(fk); err != nil {
			return nil, opts, err
		}
	}
	envErr := error(nil)
	envProvider := env.Provider(".", env.Opt{Prefix: EnvPrefix, EnvironFunc: func() []string { return environ },
		TransformFunc: func(name, v string) (string, any) {
			if name == EnvPrefix+"CONFIG" {
				return "", nil
			}
			kk, ok := keyOfEnv(name)
			if !ok {
				envErr = errors.Join(envErr, fmt.Errorf("environment: unknown variable %s", name))
				return "", nil
			}
			if kk.list {
				return kk.name, splitList(v)
			}
			return kk.name, v
		}})
	if err := k.Load(envProvider, nil); err != nil {
		return nil, opts, err
	}
	if envErr != nil {
		return nil, opts, envErr
	}
	if err := k.Load(posflag.ProviderWithFlag(fs, ".", nil, flagValue(fs)), nil); err != nil {
		return nil, opts, err
	}
	cfg := new(Config)
	if err := unmarshal(k, cfg); err != nil {
		return nil, opts, err
	}
	if cfg.Policy.Namespaces == nil {
		cfg.Policy.Namespaces = map[string]NamespacePolicy{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, opts, err
	}
	return cfg, opts, nil
}

// flagSet defines one flag per key with a flag, all strings parsed by the
// same decoding as the file and the environment, plus -config and
// -print-config.
func flagSet(opts *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("sio-fast", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&opts.ConfigFile, "config", "", "YAML configuration file (also SIO_FAST_CONFIG)")
	fs.BoolVar(&opts.PrintConfig, "print-config", false, "print the effective configuration as YAML and exit")
	for _, kk := range keys {
		switch kk.name {
		case "demo", "admin", "cors.credentials", "metrics.enabled", "limits.burst_collect":
			fs.Bool(kk.flag, false, kk.help+" ("+envName(kk.name)+")")
		default:
			fs.String(kk.flag, "", kk.help+" ("+envName(kk.name)+")")
		}
	}
	return fs
}

// flagValue maps a set flag to its key; list keys are split on commas.
func flagValue(fs *pflag.FlagSet) func(f *pflag.Flag) (string, any) {
	byFlag := make(map[string]key, len(keys))
	for _, kk := range keys {
		byFlag[kk.flag] = kk
	}
	return func(f *pflag.Flag) (string, any) {
		kk, ok := byFlag[f.Name]
		if !ok {
			return "", nil
		}
		if kk.list {
			return kk.name, splitList(f.Value.String())
		}
		return kk.name, posflag.FlagVal(fs, f)
	}
}

// singleDash lets Go-style flags (-addr x) through pflag, which wants
// --addr. No flag has a one-letter shorthand, so -name is always a long
// flag; a word starting with - and a digit (a value such as -1s) is left
// alone.
func singleDash(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && (a[1] >= 'a' && a[1] <= 'z' || a[1] >= 'A' && a[1] <= 'Z') {
			a = "-" + a
		}
		out = append(out, a)
	}
	return out
}

func splitList(v string) []string {
	out := []string{}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func keyOfEnv(name string) (key, bool) {
	for _, kk := range keys {
		if envName(kk.name) == name {
			return kk, true
		}
	}
	return key{}, false
}

// knownKeys refuses keys of the file that no field reads (a typo would
// otherwise be ignored silently).
func knownKeys(k *koanf.Koanf, source string) error {
	valid := map[string]bool{}
	for _, kk := range keys {
		valid[kk.name] = true
	}
	var unknown []string
	for _, name := range k.Keys() {
		if name == "policy.namespaces" || strings.HasPrefix(name, "policy.namespaces.") {
			continue
		}
		if !valid[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("%s: unknown key %s", source, strings.Join(unknown, ", "))
}

// unmarshal decodes k into cfg: strings become durations, numbers, booleans
// and lists; values that do not convert are reported by key.
func unmarshal(k *koanf.Koanf, cfg *Config) error {
	err := k.UnmarshalWithConf("", cfg, koanf.UnmarshalConf{DecoderConfig: &mapstructure.DecoderConfig{
		DecodeHook:       mapstructure.ComposeDecodeHookFunc(scalarHook, mapstructure.StringToSliceHookFunc(",")),
		WeaklyTypedInput: true, ErrorUnused: true, Result: cfg,
	}})
	if err == nil {
		return nil
	}
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "*")); strings.HasPrefix(line, "'") {
			lines = append(lines, strings.Replace(strings.TrimPrefix(line, "'"), "'", ":", 1))
		}
	}
	if len(lines) == 0 {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	sort.Strings(lines)
	return fmt.Errorf("invalid configuration:\n  %s", strings.Join(lines, "\n  "))
}

// scalarHook decodes strings (from the environment and flags) into
// durations, integers and booleans, naming the bad value.
func scalarHook(from, to reflect.Type, v any) (any, error) {
	if from.Kind() != reflect.String {
		if to == reflect.TypeFor[time.Duration]() && from != to {
			return nil, fmt.Errorf("a duration needs a unit, such as 25s (got %v)", v)
		}
		return v, nil
	}
	str := strings.TrimSpace(v.(string))
	switch {
	case to == reflect.TypeFor[time.Duration]():
		d, err := time.ParseDuration(str)
		if err != nil {
			return nil, fmt.Errorf("not a duration such as 25s or 1m30s (got %q)", str)
		}
		return d, nil
	case to.Kind() == reflect.Int || to.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(str, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("not an integer (got %q)", str)
		}
		return n, nil
	case to.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(str)
		if err != nil {
			return nil, fmt.Errorf("not a boolean: true or false (got %q)", str)
		}
		return b, nil
	}
	return v, nil
}

func lookup(environ []string) func(string) string {
	return func(name string) string {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
}
