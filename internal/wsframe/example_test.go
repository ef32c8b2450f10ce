package wsframe_test

import (
	"bytes"
	"compress/flate"
	"fmt"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

// The gnet pattern: Peek everything, decode as much as possible, Discard
// what was consumed. Here the "connection buffer" is a slice that receives
// a ping in the middle of a fragmented text message, split across reads.
func ExampleReader_Next() {
	mask := [4]byte{1, 2, 3, 4}
	var wire []byte
	wire = wsframe.AppendClientFrame(wire, ws.OpText, false, mask, []byte("hel"))
	wire = wsframe.AppendClientFrame(wire, ws.OpPing, true, mask, []byte("?"))
	wire = wsframe.AppendClientFrame(wire, ws.OpContinuation, true, mask, []byte("lo"))

	var r wsframe.Reader // one per connection
	defer r.Release()
	var inbound, out []byte
	for _, chunk := range [][]byte{wire[:5], wire[5:13], wire[13:]} {
		inbound = append(inbound, chunk...) // bytes arrive
		for {
			m, n, err := r.Next(inbound)
			if err != nil {
				out = wsframe.AppendClose(out, wsframe.CloseCode(err), "")
				return
			}
			if n == 0 {
				break // need more bytes
			}
			switch m.Kind {
			case wsframe.KindPing:
				out = wsframe.AppendPong(out, m.Payload)
				fmt.Println("ping, pong queued")
			case wsframe.KindText:
				fmt.Printf("text %q\n", m.Payload)
			}
			inbound = inbound[n:] // Discard(n)
		}
	}
	// Output:
	// ping, pong queued
	// text "hello"
}

// Encode the payload straight into the frame buffer, then put the header in
// front of it: no copy of the payload. The frame can then be written to many
// connections as-is.
func ExamplePutHeaderBefore() {
	buf := make([]byte, wsframe.MaxHeaderLen, 64)
	buf = append(buf, `42["chat","hi"]`...) // e.g. a JSON encoder appending
	start := wsframe.PutHeaderBefore(buf, wsframe.MaxHeaderLen, ws.OpText)
	frame := buf[start:]
	fmt.Printf("% x\n", frame[:2])
	fmt.Println(string(frame[2:]))
	// Output:
	// 81 0f
	// 42["chat","hi"]
}

func ExampleAppendClose() {
	frame := wsframe.AppendClose(nil, ws.StatusMessageTooBig, "")
	fmt.Printf("% x\n", frame)
	// Output: 88 02 03 f1
}

// A compressed message round trip: the server compresses once, the peer
// (here a client-side Reader) sees RSV1 and inflates under a size cap.
func ExampleAppendDeflateFrame() {
	msg := bytes.Repeat([]byte("compress me "), 100)
	frame := wsframe.AppendDeflateFrame(nil, ws.OpText, flate.BestSpeed, nil, msg)

	r := wsframe.Reader{ClientSide: true, Deflate: true}
	m, _, err := r.Next(frame)
	if err != nil {
		panic(err)
	}
	out, err := wsframe.Inflate(nil, m.Payload, 1<<20)
	fmt.Println(m.Compressed, len(frame) < len(msg), bytes.Equal(out, msg), err)
	// Output: true true true <nil>
}
