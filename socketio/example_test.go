package socketio

import (
	"fmt"
	"strings"
)

// exampleSession connects a fake Engine.IO session (what the engine does for
// a real client) and returns a function printing what the server sent.
func exampleSession(srv *Server, packets ...string) func() {
	f := newFakeES(&syncExec{}, 4)
	srv.HandleEngineSocket(f)
	for _, p := range packets {
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
