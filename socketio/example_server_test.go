package socketio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// A complete server: the Socket.IO server, its Engine.IO server from
// NewEngine (mounted at /socket.io/), and loop.Serve listening on a free
// port. A minimal HTTP long-polling client talks to it, as socket.io-client
// would before upgrading: open a session, connect the main namespace, emit
// "hello" with an ack.
func Example() {
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("hello", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			name, _ := args.String(0)
			if ack != nil {
				_ = ack("hi " + name)
			}
		})
	})
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	base := "http://" + srv.Addr().String() + "/socket.io/?EIO=4&transport=polling"
	open := poll(base, "") // Engine.IO open packet: 0{"sid":...}
	var hs struct{ Sid string }
	_ = json.Unmarshal([]byte(strings.TrimPrefix(open, "0")), &hs)
	session := base + "&sid=" + hs.Sid

	poll(session, "40") // Socket.IO CONNECT to "/"
	fmt.Println("connected:", strings.HasPrefix(poll(session, ""), `40{"sid":`))
	poll(session, `421["hello","bob"]`) // EVENT with ack id 1
	fmt.Println("ack:", poll(session, ""))
	// Output:
	// connected: true
	// ack: 431["hi bob"]
}

// poll sends body with POST, or GETs the next payload when body is "".
func poll(url, body string) string {
	var resp *http.Response
	var err error
	if body == "" {
		resp, err = http.Get(url)
	} else {
		resp, err = http.Post(url, "text/plain;charset=UTF-8", strings.NewReader(body))
	}
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
