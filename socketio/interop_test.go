package socketio_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// interopServer is the application the npm client drives: the bench
// contract's events plus a private namespace, a kick and a server→client ack.
func interopServer(t *testing.T) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	sio.Of("/private").Use(func(s *socketio.Socket, next func(error)) {
		next(&socketio.ConnectError{Message: "not allowed", Data: map[string]any{"code": 42}})
	})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("echo", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			if ack != nil {
				ack(args.Raw(0)) // raw JSON passes through byte for byte
			}
		})
		s.On("echo-bin", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			v, err := args.Value(0) // attachments come back as []byte at any depth
			if err == nil && ack != nil {
				ack(v)
			}
		})
		s.On("seq", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			_ = s.Emit("seq", args.Raw(0))
		})
		s.On("join", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.Join(args.String(0))
			if ack != nil {
				ack(args.String(0))
			}
		})
		s.On("to-room", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			_ = sio.To(args.String(0)).Emit("broadcast", args.Raw(1))
		})
		s.On("kick", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.Disconnect(false)
		})
		s.On("ask", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			_ = s.EmitAck("question", func(err error, reply socketio.Args) {
				if err == nil && ack != nil {
					ack(reply.Raw(0))
				}
			}, args.Raw(0))
		})
	})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ls, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}), loop.WithNumLoops(2), loop.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ls.Shutdown(ctx)
	})
	return "http://" + ls.Addr().String()
}

// TestInteropSocketIOClient drives the server with npm socket.io-client 4.8:
// acks over polling, WebSocket and an upgrade; order kept through an upgrade
// under load; nested binary; rooms; middleware errors with data; invalid
// namespace; the client-side disconnect reason; server→client acks.
func TestInteropSocketIOClient(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat("interop/node_modules"); err != nil {
		t.Skip("run `make npm-deps` first")
	}
	url := interopServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "interop/client.js", url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cases := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r struct {
			Case   string `json:"case"`
			OK     bool   `json:"ok"`
			Detail any    `json:"detail"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		cases++
		if !r.OK {
			t.Errorf("case %s failed: %v", r.Case, r.Detail)
		} else {
			t.Logf("case %s: %v", r.Case, r.Detail)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node: %v", err)
	}
	if cases != 10 {
		t.Fatalf("%d cases ran, want 10", cases)
	}
}
