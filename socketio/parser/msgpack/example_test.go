package msgpack_test

import (
	"fmt"

	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// A server whose clients use socket.io-msgpack-parser; handlers are
// written as for the default parser.
func ExampleParser() {
	srv := socketio.NewServer(socketio.Config{Parser: msgpack.Parser{}})
	srv.OnConnection(func(s *socketio.Socket) {
		s.On("upload", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			name, _ := args.String(0) // a msgpack str
			data := args.Bytes(1)     // a msgpack bin
			if ack != nil {
				ack(name, len(data))
			}
		})
	})

	// What the codec does with an EVENT carrying a binary value.
	pkt := parser.Packet{Type: parser.Event, Namespace: "/", ID: -1,
		Data: []byte(`["upload","a.txt",{"_placeholder":true,"num":0}]`), Attachments: [][]byte{[]byte("hi")}}
	msg, binary, _ := msgpack.Parser{}.AppendPacket(nil, &pkt)
	fmt.Printf("binary=%v % x\n", binary, msg)
	p, _ := msgpack.Parser{}.NewDecoder(nil).Decode(msg, true)
	fmt.Printf("%v %s %s %q\n", p.Type, p.Namespace, p.Data, p.Attachments)
	// Output:
	// binary=true 83 a4 74 79 70 65 02 a4 64 61 74 61 93 a6 75 70 6c 6f 61 64 a5 61 2e 74 78 74 c4 02 68 69 a3 6e 73 70 a1 2f
	// EVENT / ["upload","a.txt",{"_placeholder":true,"num":0}] ["hi"]
}
