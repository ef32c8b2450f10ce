package socketio

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

// failOnError is a slog.Handler that fails t on every record at Error level
// or above: the server logs (and recovers) a panic of a handler, middleware
// or matcher there, so a fuzzer that only watched for escaping panics would
// pass a planted one.
type failOnError struct{ t *testing.T }

func (h failOnError) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h failOnError) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h failOnError) WithGroup(string) slog.Handler                { return h }
func (h failOnError) Handle(_ context.Context, r slog.Record) error {
	var attrs []any
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a.Key, a.Value.Any()); return true })
	h.t.Errorf("server logged an error: %s %v", r.Message, attrs)
	return nil
}

// FuzzIncoming feeds arbitrary message sequences ('\n'-separated; a leading
// 'b' marks a binary message) to a session with echo handlers: the server
// must never panic, whatever it receives, neither outright nor inside a
// handler it recovers (failOnError sees those).
func FuzzIncoming(f *testing.F) {
	for _, s := range []string{
		"0\n2[\"message\",1]", "0/custom,{\"a\":1}\n2/custom,[\"message\"]\n1/custom,",
		"0\n51-[\"message\",{\"_placeholder\":true,\"num\":0}]\nb\x01\x02", "0\n3999[1]", "abc", "0\n0", "2{}",
		"0\n21[\"message-with-ack\",1]\n1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		srv := NewServer(Config{ConnectTimeout: -1, Logger: slog.New(failOnError{t})})
		echoServer(srv, "/custom")
		es := newFakeES(&syncExec{}, 4)
		srv.HandleEngineSocket(es)
		for m := range bytes.SplitSeq(in, []byte{'\n'}) {
			if d, ok := bytes.CutPrefix(m, []byte{'b'}); ok {
				es.onMsg(d, true)
				continue
			}
			es.onMsg(m, false)
		}
	})
}
