package parser_test

import (
	"fmt"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// A connection's Decoder fed the Engine.IO messages of an echo exchange.
func ExampleDecoder() {
	var dec parser.Decoder
	p, done, err := dec.DecodeText([]byte(`2456["message-with-ack",1,"2",{"3":[false]}]`))
	if err != nil || !done {
		panic(err)
	}
	name, args, _ := parser.SplitEvent(p.Data)
	fmt.Printf("%s %q id=%d args=%s\n", p.Type, name, p.ID, args)
	fmt.Printf("%s\n", parser.AppendAck(nil, p.Namespace, p.ID, args))

	// A binary event arrives as a header plus one message per attachment.
	_, done, _ = dec.DecodeText([]byte(`51-["upload",{"_placeholder":true,"num":0}]`))
	fmt.Println("done after header:", done)
	p, done, _ = dec.DecodeBinary([]byte{1, 2, 3})
	v, _ := parser.Reconstruct(p.Data, p.Attachments)
	fmt.Println("done:", done, "value:", v)
	// Output:
	// EVENT "message-with-ack" id=456 args=1,"2",{"3":[false]}
	// 3456[1,"2",{"3":[false]}]
	// done after header: false
	// done: true value: [upload [1 2 3]]
}

func ExampleDeconstruct() {
	data, atts, _ := parser.Deconstruct([]any{"message-back", []byte{1, 2, 3}, map[string]any{"raw": []byte{4}}})
	pkt := parser.Packet{Type: parser.BinaryEvent, Namespace: "/", ID: -1, Data: data, Attachments: atts}
	fmt.Printf("%s\n", parser.AppendPacket(nil, &pkt)) // then send each attachment as a binary message
	fmt.Println(atts)
	// Output:
	// 52-["message-back",{"_placeholder":true,"num":0},{"raw":{"_placeholder":true,"num":1}}]
	// [[1 2 3] [4]]
}
