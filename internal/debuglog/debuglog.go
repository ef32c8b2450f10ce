package debuglog

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
)

// Scope is one layer's switch.
type Scope uint32

// The scopes, by layer.
const (
	Loop    Scope = 1 << iota // connections opened and closed by the reactor
	HTTP                      // HTTP requests and their answers
	Engine                    // Engine.IO sessions: handshake, upgrade, heartbeat, close
	Socket                    // Socket.IO sockets: connect, packets, disconnect
	Adapter                   // rooms and broadcasts
)

var names = [...]struct {
	name  string
	scope Scope
}{{"loop", Loop}, {"http", HTTP}, {"engine", Engine}, {"socket", Socket}, {"adapter", Adapter}}

const all = Loop | HTTP | Engine | Socket | Adapter

// String returns the scope's name as SIO_DEBUG spells it.
func (s Scope) String() string {
	for _, n := range names {
		if n.scope == s {
			return n.name
		}
	}
	return "debug"
}

var (
	enabled atomic.Uint32
	logger  atomic.Pointer[slog.Logger]
)

func init() { _ = Enable(os.Getenv("SIO_DEBUG")) }

// ErrUnknownScope is returned by Enable for a name that is not a scope.
var ErrUnknownScope = errors.New("debuglog: unknown scope")

// Enable replaces the enabled scopes with those spec lists (SIO_DEBUG's
// syntax; "" turns everything off). Unknown names are skipped and reported
// with ErrUnknownScope.
func Enable(spec string) error {
	var on Scope
	var err error
	for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' }) {
		name, off := strings.CutPrefix(f, "-")
		var s Scope
		if name == "*" {
			s = all
		} else if s = lookup(name); s == 0 {
			err = errors.Join(err, errors.New(f), ErrUnknownScope)
			continue
		}
		if off {
			on &^= s
		} else {
			on |= s
		}
	}
	enabled.Store(uint32(on))
	return err
}

func lookup(name string) Scope {
	for _, n := range names {
		if n.name == name {
			return n.scope
		}
	}
	return 0
}

// On reports whether s is enabled: check it before building a record.
func On(s Scope) bool { return enabled.Load()&uint32(s) != 0 }

// SetLogger sends the records to l (nil: back to stderr). Its handler
// decides what is kept; records are at slog.LevelDebug.
func SetLogger(l *slog.Logger) { logger.Store(l) }

// Log emits a debug record for scope s with attrs, when s is on.
func Log(s Scope, msg string, attrs ...slog.Attr) {
	if !On(s) {
		return
	}
	l := logger.Load()
	if l == nil {
		l = stderr
	}
	l.LogAttrs(context.Background(), slog.LevelDebug, msg, append([]slog.Attr{slog.String("scope", s.String())}, attrs...)...)
}

// Capture turns on the scopes spec lists and sends their records to w as
// slog text until restore is called, which turns every scope off and
// sends records to stderr again. Meant for tests; captures must not
// overlap.
func Capture(w io.Writer, spec string) (restore func(), err error) {
	SetLogger(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})))
	restore = func() { SetLogger(nil); _ = Enable("") }
	if err = Enable(spec); err != nil {
		restore()
		return func() {}, err
	}
	return restore, nil
}

var stderr = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
