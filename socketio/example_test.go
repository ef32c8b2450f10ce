package socketio

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// exampleSession connects a fake Engine.IO session (what the engine does for
// a real client), feeds it packets (text, or "b<base64>" for a binary
// attachment) and returns a function printing what the server sent.
func exampleSession(srv *Server, packets ...string) func() {
	f := newFakeES(&syncExec{}, 4)
	srv.HandleEngineSocket(f)
	for _, p := range packets {
		if b64, ok := strings.CutPrefix(p, "b"); ok {
			bin, _ := base64.StdEncoding.DecodeString(b64)
			f.onMsg(bin, true)
			continue
		}
		f.onMsg([]byte(p), false)
	}
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, m := range f.sent[f.read:] {
			fmt.Println(wireOf(m))
		}
		f.read = len(f.sent)
	}
}

func ExampleServer_OnConnection() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		// Inline handlers run on the event loop: they must not block.
		s.On("hello", func(s *Socket, args Args, ack AckFunc) {
			name, _ := args.String(0)
			if ack != nil {
				ack("hi " + name)
			}
		})
	})
	show := exampleSession(srv, "0", `21["hello","bob"]`)
	show()
	// Output:
	// 40{"sid":"…"}
	// 431["hi bob"]
}

func ExampleSocket_Emit() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		_ = s.Emit("welcome", "text", 42, []byte{1, 2})
	})
	exampleSession(srv, "0")()
	// Output:
	// 40{"sid":"…"}
	// 451-["welcome","text",42,{"_placeholder":true,"num":0}]
	// bAQI=
}

func ExampleBroadcastOperator_Emit() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		if strings.HasPrefix(string(s.Handshake().Auth), `{"room"`) {
			s.Join("lobby")
		}
	})
	inLobby := exampleSession(srv, `0{"room":"lobby"}`)
	elsewhere := exampleSession(srv, "0")
	inLobby()
	elsewhere()
	_ = srv.To("lobby").Emit("news", "for the lobby only")
	fmt.Println("lobby:")
	inLobby()
	fmt.Println("elsewhere:")
	elsewhere()
	// Output:
	// 40{"sid":"…"}
	// 40{"sid":"…"}
	// lobby:
	// 42["news","for the lobby only"]
	// elsewhere:
}

// Decode fills []byte fields from the packet's binary attachments, at any
// depth, the mirror of what Emit does with []byte values.
func ExampleArgs_Decode() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		s.On("upload", func(s *Socket, args Args, ack AckFunc) {
			var file struct {
				Name  string `json:"name"`
				Parts []struct {
					Data []byte `json:"data"`
				} `json:"parts"`
			}
			if err := args.Decode(0, &file); err != nil {
				_ = ack(err.Error())
				return
			}
			_ = ack(file.Name, len(file.Parts), len(file.Parts[0].Data)+len(file.Parts[1].Data))
		})
	})
	// A client's BINARY_EVENT with two attachments (AQI= is 2 bytes, Aw== 1).
	show := exampleSession(srv, "0",
		`52-1["upload",{"name":"a.bin","parts":[{"data":{"_placeholder":true,"num":0}},{"data":{"_placeholder":true,"num":1}}]}]`,
		"bAQI=", "bAw==")
	show()
	// Output:
	// 40{"sid":"…"}
	// 431["a.bin",2,3]
}

// Arg passes one argument on as received, binary attachments included
// (Raw would show only its placeholder).
func ExampleArgs_Arg() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		s.On("forward", func(s *Socket, args Args, _ AckFunc) {
			_ = s.Emit("forwarded", args.Arg(1))
		})
	})
	show := exampleSession(srv, "0", `51-["forward","to-someone",{"_placeholder":true,"num":0}]`, "bBwg=")
	show()
	// Output:
	// 40{"sid":"…"}
	// 451-["forwarded",{"_placeholder":true,"num":0}]
	// bBwg=
}

// GoConcurrent runs slow work off the event loop, several at once per
// socket; the handler's Args stay valid there, and ack is safe from any
// goroutine.
func ExampleSocket_GoConcurrent() {
	srv := NewServer(Config{})
	done := make(chan struct{})
	srv.OnConnection(func(s *Socket) {
		s.On("lookup", func(s *Socket, args Args, ack AckFunc) {
			s.GoConcurrent(func() {
				key, _ := args.String(0)   // valid: the handler queued this work
				_ = ack("value of " + key) // e.g. after a database query
				done <- struct{}{}
			})
		})
	})
	show := exampleSession(srv, "0", `23["lookup","k1"]`)
	<-done
	show()
	// Output:
	// 40{"sid":"…"}
	// 433["value of k1"]
}

// CountLocal answers "how many would receive it" without listing the
// sockets: the figure an Emit with the same operator reaches now.
func ExampleBroadcastOperator_CountLocal() {
	srv := NewServer(Config{})
	srv.OnConnection(func(s *Socket) {
		s.Join("lobby")
		if strings.Contains(string(s.Handshake().Auth), "muted") {
			s.Join("muted")
		}
	})
	exampleSession(srv, "0")
	exampleSession(srv, "0")
	exampleSession(srv, `0{"muted":true}`)
	fmt.Println(srv.To("lobby").CountLocal(), srv.To("lobby").Except("muted").CountLocal(), srv.To("nobody").CountLocal())
	// Output: 3 2 0
}
