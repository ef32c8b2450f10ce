package socketio

import (
	"bytes"
	"io"
	"log/slog"
	"testing"
)

// FuzzIncoming feeds arbitrary message sequences ('\n'-separated; a leading
// 'b' marks a binary message) to a session with echo handlers: the server
// must never panic, whatever it receives.
func FuzzIncoming(f *testing.F) {
	for _, s := range []string{
		"0\n2[\"message\",1]", "0/custom,{\"a\":1}\n2/custom,[\"message\"]\n1/custom,",
		"0\n51-[\"message\",{\"_placeholder\":true,\"num\":0}]\nb\x01\x02", "0\n3999[1]", "abc", "0\n0", "2{}",
		"0\n21[\"message-with-ack\",1]\n1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		srv := NewServer(Config{ConnectTimeout: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
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
