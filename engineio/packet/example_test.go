package packet_test

import (
	"fmt"

	"github.com/sio-fast/sio-fast/engineio/packet"
)

// A v4 polling exchange: decode a POST body, then build a GET response
// that joins a pre-encoded broadcast message with a ping.
func Example() {
	body := []byte("4hello\x1ebAQIDBA==")
	var scratch []byte // keep per session: decoding stops allocating once warm
	scratch, err := packet.DecodePayload(body, scratch, func(p packet.Packet) error {
		// p.Data is only valid inside the callback.
		fmt.Printf("%s binary=%v %q\n", p.Type, p.Binary, p.Data)
		return nil
	})
	fmt.Println(err, len(scratch))

	// Encode a broadcast once, reuse the bytes for every recipient.
	shared := packet.AppendPayloadPacket(nil, packet.Packet{Type: packet.Message, Data: []byte(`2["news"]`)})
	resp := packet.AppendPayload(nil, packet.Packet{Type: packet.Ping})
	resp = packet.AppendPayloadSep(resp)
	resp = append(resp, shared...)
	fmt.Printf("%q\n", resp)
	// Output:
	// message binary=false "hello"
	// message binary=true "\x01\x02\x03\x04"
	// <nil> 0
	// "2\x1e42[\"news\"]"
}

func ExampleAppendOpen() {
	h := packet.Handshake{SID: "lv_VI97HAXpY6yYWAAAC", Upgrades: []string{"websocket"},
		PingInterval: 25000, PingTimeout: 20000, MaxPayload: 1000000}
	fmt.Println(string(packet.AppendOpen(nil, h, false)))
	// Output:
	// 0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
}

func ExampleAppendPayloadV3() {
	var b []byte
	b = packet.AppendPayloadV3(b, packet.Packet{Type: packet.Message, Data: []byte("😀")})
	b = packet.AppendPayloadV3(b, packet.Packet{Type: packet.Message, Data: []byte{1, 2, 3, 4}, Binary: true})
	fmt.Println(string(b))
	_, err := packet.DecodePayloadV3(b, nil, func(p packet.Packet) error {
		fmt.Printf("%s %q\n", p.Type, p.Data)
		return nil
	})
	fmt.Println(err)
	// Output:
	// 3:4😀10:b4AQIDBA==
	// message "😀"
	// message "\x01\x02\x03\x04"
	// <nil>
}

func ExamplePayloadDecoder() {
	var d packet.PayloadDecoder
	d.Reset([]byte("2\x1e4hi\x1exyz"), packet.PayloadV4)
	for {
		p, err := d.Next()
		if err != nil {
			fmt.Println(err) // io.EOF at the end, or the first decode error
			break
		}
		fmt.Printf("%s %q\n", p.Type, p.Data)
	}
	// Output:
	// ping ""
	// message "hi"
	// packet: invalid packet type
}
