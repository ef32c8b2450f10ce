package debuglog

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// capture enables spec and returns the buffer the records go to.
func capture(t *testing.T, spec string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	restore, err := Capture(&buf, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)
	return &buf
}

func TestScopes(t *testing.T) {
	cases := []struct {
		spec string
		on   []Scope
		off  []Scope
	}{
		{"", nil, []Scope{Loop, HTTP, Engine, Socket, Adapter}},
		{"engine,socket", []Scope{Engine, Socket}, []Scope{Loop, HTTP, Adapter}},
		{"*", []Scope{Loop, HTTP, Engine, Socket, Adapter}, nil},
		{"* -loop", []Scope{HTTP, Engine, Socket, Adapter}, []Scope{Loop}},
		{" adapter ,", []Scope{Adapter}, []Scope{Socket}},
	}
	for _, c := range cases {
		capture(t, c.spec)
		for _, s := range c.on {
			if !On(s) {
				t.Errorf("%q: %v off", c.spec, s)
			}
		}
		for _, s := range c.off {
			if On(s) {
				t.Errorf("%q: %v on", c.spec, s)
			}
		}
	}
	if err := Enable("engine,bogus"); !errors.Is(err, ErrUnknownScope) || !On(Engine) {
		t.Errorf("unknown scope: %v, engine on %v", err, On(Engine))
	}
}

func TestLog(t *testing.T) {
	buf := capture(t, "socket")
	Log(Socket, "connect", slog.String("sid", "abc"), slog.String("nsp", "/chat"))
	Log(Engine, "handshake", slog.String("sid", "abc")) // off: nothing
	got := buf.String()
	if !strings.Contains(got, "level=DEBUG msg=connect scope=socket sid=abc nsp=/chat") || strings.Contains(got, "handshake") {
		t.Fatalf("records:\n%s", got)
	}
}

var sink int

// BenchmarkOff: a loop body with a guarded call site whose scope is off,
// next to the same body without the site (none) and with the scope on
// (records to a discarding handler). Off costs one atomic load and a test.
func BenchmarkOff(b *testing.B) {
	restore, _ := Capture(io.Discard, "")
	defer restore()
	id := "abcdefghijklmnopqrst"
	b.Run("none", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += len(id) + i
		}
	})
	for _, spec := range []string{"", "socket"} {
		name := map[string]string{"": "off", "socket": "on"}[spec]
		b.Run(name, func(b *testing.B) {
			_ = Enable(spec)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				sink += len(id) + i
				if On(Socket) {
					Log(Socket, "event", slog.String("sid", id), slog.String("nsp", "/"), slog.Int("n", i))
				}
			}
		})
	}
}
