//go:build !race

package parser

import "testing"

func TestAllocs(t *testing.T) {
	var d Decoder
	broadcast := []byte(`2["broadcast",{"t":1,"p":"xx"}]`)
	echo := []byte(`2317["echo",{"id":317,"text":"hello <world>","list":[1,2.5,true,null]}]`)
	nsp := []byte(`2/chat,5["msg","hi"]`)
	d.DecodeText(nsp) // first sight of "/chat" fills the namespace cache
	args := []byte(`1,"2",{"3":[true]}`)
	dst := make([]byte, 0, 256)
	pkt := &Packet{Type: Event, Namespace: "/chat", ID: 12, Data: []byte(`["x",1]`)}
	bin := &Packet{Type: BinaryEvent, ID: -1, Data: []byte(`["x",{"_placeholder":true,"num":0}]`), Attachments: [][]byte{{1}}}
	tests := []struct {
		name string
		fn   func()
	}{
		{"DecodeText broadcast", func() { mustDecode(t, &d, broadcast) }},
		{"DecodeText echo with ack id", func() { mustDecode(t, &d, echo) }},
		{"DecodeText cached namespace", func() { mustDecode(t, &d, nsp) }},
		{"SplitEvent", func() { SplitEvent(echo[4:]) }},
		{"ForEachArg", func() { ForEachArg(args, func([]byte) error { return nil }) }},
		{"ForEachElem", func() { ForEachElem(echo[4:], func([]byte) error { return nil }) }},
		{"AppendPacket", func() { dst = AppendPacket(dst[:0], pkt) }},
		{"AppendPacket binary", func() { dst = AppendPacket(dst[:0], bin) }},
		{"AppendEvent", func() { dst = AppendEvent(dst[:0], "/", -1, "message-back", args) }},
		{"AppendEvent two args", func() { dst = AppendEvent(dst[:0], "/chat", 7, "m", args[:1], args[2:5]) }},
		{"AppendAck", func() { dst = AppendAck(dst[:0], "/", 456, args) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(200, tt.fn); n != 0 {
			t.Errorf("%s: %v allocs/op, want 0", tt.name, n)
		}
	}
}

func mustDecode(t *testing.T, d *Decoder, b []byte) {
	if _, done, err := d.DecodeText(b); err != nil || !done {
		t.Fatalf("DecodeText(%q): %v", b, err)
	}
}
