package parser

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// decodeAll feeds one text message and its attachments to a fresh Decoder.
func decodeAll(t *testing.T, text string, atts ...[]byte) *Packet {
	t.Helper()
	var d Decoder
	p, done, err := d.DecodeText([]byte(text))
	if err != nil {
		t.Fatalf("DecodeText(%q): %v", text, err)
	}
	for i, a := range atts {
		if done {
			t.Fatalf("DecodeText(%q): done before attachment %d", text, i)
		}
		if p, done, err = d.DecodeBinary(a); err != nil {
			t.Fatalf("DecodeBinary #%d: %v", i, err)
		}
	}
	if !done {
		t.Fatalf("%q: not done after %d attachments", text, len(atts))
	}
	return p
}

// Valid packets: the Socket.IO part of every protocol.md §3.2/§5/§6 exchange
// (Engine.IO "4" prefix removed) and features.md §5 examples. want is the
// canonical re-encoding ("" = identical to in).
func TestDecodeValid(t *testing.T) {
	tests := []struct {
		in   string
		typ  Type
		nsp  string
		id   int64
		data string // "-" = nil
		natt int
		want string
	}{
		{"0", Connect, "/", -1, "-", 0, ""},
		{`0{"token":"123"}`, Connect, "/", -1, `{"token":"123"}`, 0, ""},
		{"0/custom,", Connect, "/custom", -1, "-", 0, ""},
		{`0/custom,{"token":"abc"}`, Connect, "/custom", -1, `{"token":"abc"}`, 0, ""},
		{"0/random", Connect, "/random", -1, "-", 0, "0/random,"},
		{"0/custom", Connect, "/custom", -1, "-", 0, "0/custom,"},
		{`0{"sid":"oSO0OpakMV_3jnilAAAA"}`, Connect, "/", -1, `{"sid":"oSO0OpakMV_3jnilAAAA"}`, 0, ""},
		{`0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}`, Connect, "/admin", -1, `{"sid":"oSO0OpakMV_3jnilAAAA"}`, 0, ""},
		{"1", Disconnect, "/", -1, "-", 0, ""},
		{"1/admin,", Disconnect, "/admin", -1, "-", 0, ""},
		{"1/custom", Disconnect, "/custom", -1, "-", 0, "1/custom,"},
		{`2["foo"]`, Event, "/", -1, `["foo"]`, 0, ""},
		{`2/admin,["bar"]`, Event, "/admin", -1, `["bar"]`, 0, ""},
		{`212["foo"]`, Event, "/", 12, `["foo"]`, 0, ""},
		{`21["withack"]`, Event, "/", 1, `["withack"]`, 0, ""},
		{`2["message","message to main namespace"]`, Event, "/", -1, `["message","message to main namespace"]`, 0, ""},
		{`2["message",1,"2",{"3":[true]}]`, Event, "/", -1, `["message",1,"2",{"3":[true]}]`, 0, ""},
		{`2456["message-with-ack",1,"2",{"3":[false]}]`, Event, "/", 456, `["message-with-ack",1,"2",{"3":[false]}]`, 0, ""},
		{`212["message-with-ack","x"]`, Event, "/", 12, `["message-with-ack","x"]`, 0, ""},
		{`2[1,"numeric name"]`, Event, "/", -1, `[1,"numeric name"]`, 0, ""},
		{`2 ["padded"] `, Event, "/", -1, `["padded"]`, 0, `2["padded"]`},
		{`2007["x"]`, Event, "/", 7, `["x"]`, 0, `27["x"]`},
		{`3/admin,13["bar"]`, Ack, "/admin", 13, `["bar"]`, 0, ""},
		{`31["ok"]`, Ack, "/", 1, `["ok"]`, 0, ""},
		{`3456[1,"2",{"3":[false]}]`, Ack, "/", 456, `[1,"2",{"3":[false]}]`, 0, ""},
		{`312[]`, Ack, "/", 12, `[]`, 0, ""},
		{`4{"message":"Not authorized"}`, ConnectError, "/", -1, `{"message":"Not authorized"}`, 0, ""},
		{`4/random,{"message":"Invalid namespace"}`, ConnectError, "/random", -1, `{"message":"Invalid namespace"}`, 0, ""},
		{`4/auth,{"message":"not authorized","data":{"content":"retry later"}}`, ConnectError, "/auth", -1, `{"message":"not authorized","data":{"content":"retry later"}}`, 0, ""},
		{`51-["bin",{"_placeholder":true,"num":0}]`, BinaryEvent, "/", -1, `["bin",{"_placeholder":true,"num":0}]`, 1, ""},
		{`52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, BinaryEvent, "/", -1, `["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, 2, ""},
		{`52-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, BinaryEvent, "/", 789, `["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, 2, ""},
		{`62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, BinaryAck, "/", 789, `[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, 2, ""},
		{`51-/nsp,5["ev",{"a":[{"num":0,"_placeholder":true}]}]`, BinaryEvent, "/nsp", 5, `["ev",{"a":[{"num":0,"_placeholder":true}]}]`, 1, ""},
		{`50-["zero"]`, BinaryEvent, "/", -1, `["zero"]`, 0, ""},
		{`2/,["x"]`, Event, "/", -1, `["x"]`, 0, `2["x"]`},
		// Protocol v4 (EIO=3) forms, §5.
		{"0/admin?token=1,", Connect, "/admin?token=1", -1, "-", 0, ""},
		{"0/custom?x=1,", Connect, "/custom?x=1", -1, "-", 0, ""},
		{`4/admin,"Not authorized"`, ConnectError, "/admin", -1, `"Not authorized"`, 0, ""},
		{`2/custom,["auth",{"x":"1"}]`, Event, "/custom", -1, `["auth",{"x":"1"}]`, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			atts := make([][]byte, tt.natt)
			for i := range atts {
				atts[i] = []byte{byte(i), 1, 2}
			}
			p := decodeAll(t, tt.in, atts...)
			if p.Type != tt.typ || p.Namespace != tt.nsp || p.ID != tt.id || len(p.Attachments) != tt.natt {
				t.Fatalf("got %v %q id=%d atts=%d", p.Type, p.Namespace, p.ID, len(p.Attachments))
			}
			if (tt.data == "-") != (p.Data == nil) || (p.Data != nil && string(p.Data) != tt.data) {
				t.Fatalf("data = %q, want %q", p.Data, tt.data)
			}
			for i, a := range p.Attachments {
				if !bytes.Equal(a, atts[i]) {
					t.Fatalf("attachment %d = %x", i, a)
				}
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if got := AppendPacket(nil, p); string(got) != want {
				t.Fatalf("re-encoded %q, want %q", got, want)
			}
		})
	}
}

func TestDecodeInvalid(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"abc", ErrUnknownType},
		{"7", ErrUnknownType},
		{"2{}", ErrInvalidPayload}, // 42{} in §6
		{`2abc["message-with-ack",1,"2",{"3":[false]}]`, ErrInvalidJSON}, // 42abc[...] in §6
		{`2["a",]`, ErrInvalidJSON},
		{"2", ErrInvalidPayload},
		{"2[]", ErrInvalidPayload},
		{`2[{}]`, ErrInvalidPayload},
		{`2[null]`, ErrInvalidPayload},
		{`2"x"`, ErrInvalidPayload},
		{`2["connect"]`, ErrReservedEvent},
		{`2["connect_error"]`, ErrReservedEvent},
		{`2["disconnect"]`, ErrReservedEvent},
		{`2["disconnecting",1]`, ErrReservedEvent},
		{`2["newListener"]`, ErrReservedEvent},
		{`2/a,1["removeListener"]`, ErrReservedEvent},
		{`2["disc\u006fnnect"]`, ErrReservedEvent},
		{`0[]`, ErrInvalidPayload},
		{`0"x"`, ErrInvalidPayload},
		{`0/a,null`, ErrInvalidPayload},
		{`1{}`, ErrInvalidPayload},
		{`1/admin,x`, ErrInvalidJSON},
		{`4`, ErrInvalidPayload},
		{`4[]`, ErrInvalidPayload},
		{`41`, ErrInvalidPayload},
		{`3[1]`, ErrInvalidPayload}, // no ack id
		{`31`, ErrInvalidPayload},
		{`31{}`, ErrInvalidPayload},
		{`5["x"]`, ErrInvalidAttachments},
		{`5-["x"]`, ErrInvalidAttachments},
		{`51["x"]`, ErrInvalidAttachments},
		{`51`, ErrInvalidAttachments},
		{`5a-["x"]`, ErrInvalidAttachments},
		{`511-["x"]`, ErrTooManyAttachments},
		{`599999999999999999999999999-["x"]`, ErrTooManyAttachments},
		{`29007199254740992["x"]`, ErrInvalidAckID},
		{`51-["x",{"_placeholder":true,"num":1}]`, ErrInvalidPlaceholder},
		{`51-["x",{"_placeholder":true,"num":-1}]`, ErrInvalidPlaceholder},
		{`51-["x",{"_placeholder":true,"num":0.5}]`, ErrInvalidPlaceholder},
		{`51-["x",{"_placeholder":true,"num":"0"}]`, ErrInvalidPlaceholder},
		{`51-["x",{"_placeholder":true}]`, ErrInvalidPlaceholder},
		{`50-["x",{"_placeholder":true,"num":0}]`, ErrInvalidPlaceholder},
		{`51-["x",{"a":{"b":[{"num":3,"_placeholder":true}]}}]`, ErrInvalidPlaceholder},
		{`61-3[{"\u005fplaceholder":true,"num":2}]`, ErrInvalidPlaceholder},
		{`61-[]`, ErrInvalidPayload}, // binary ack without id
		{"2[\"a\x01\"]", ErrInvalidJSON},
		{`2["a"] x`, ErrInvalidJSON},
		{`2 `, ErrInvalidJSON},
		{"2" + strings.Repeat("[", 10001) + strings.Repeat("]", 10001), ErrInvalidJSON},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 60)], func(t *testing.T) {
			var d Decoder
			p, done, err := d.DecodeText([]byte(tt.in))
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrInvalidPacket) || p != nil || done {
				t.Fatalf("DecodeText(%q) = %v, %v, %v; want %v", tt.in, p, done, err, tt.want)
			}
		})
	}
}

func TestDecoderStreaming(t *testing.T) {
	var d Decoder
	hdr := []byte(`52-/nsp,789["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`)
	if p, done, err := d.DecodeText(hdr); p != nil || done || err != nil || d.Pending() != 2 {
		t.Fatalf("header: %v %v %v pending=%d", p, done, err, d.Pending())
	}
	copy(hdr, bytes.Repeat([]byte{'#'}, len(hdr))) // the engine reuses its buffer
	a0 := []byte{1, 2, 3}
	if p, done, err := d.DecodeBinary(a0); p != nil || done || err != nil {
		t.Fatalf("first attachment: %v %v %v", p, done, err)
	}
	a0[0] = 99 // attachments must be copies
	p, done, err := d.DecodeBinary([]byte{4, 5, 6})
	if err != nil || !done {
		t.Fatalf("second attachment: %v %v", done, err)
	}
	want := `52-/nsp,789["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`
	if got := AppendPacket(nil, p); string(got) != want {
		t.Fatalf("packet %q", got)
	}
	if !bytes.Equal(p.Attachments[0], []byte{1, 2, 3}) || !bytes.Equal(p.Attachments[1], []byte{4, 5, 6}) {
		t.Fatalf("attachments %v", p.Attachments)
	}
	// The decoder is reusable for the next packet.
	if p, done, err := d.DecodeText([]byte(`2["next"]`)); err != nil || !done || string(p.Data) != `["next"]` {
		t.Fatalf("next: %v %v", done, err)
	}
}

func TestDecoderStateErrors(t *testing.T) {
	var d Decoder
	if _, _, err := d.DecodeBinary([]byte{1}); !errors.Is(err, ErrUnexpectedBinary) {
		t.Fatalf("binary without header: %v", err)
	}
	if _, _, err := d.DecodeText([]byte(`51-["x",{"_placeholder":true,"num":0}]`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.DecodeText([]byte(`2["x"]`)); !errors.Is(err, ErrUnexpectedText) {
		t.Fatalf("text while pending: %v", err)
	}
	if d.Pending() != 0 {
		t.Fatal("decoder not reset after error")
	}
	if _, done, err := d.DecodeText([]byte(`2["x"]`)); err != nil || !done {
		t.Fatalf("after reset: %v", err)
	}
}

func TestMaxAttachments(t *testing.T) {
	hdr := func(n int) []byte {
		return AppendBinaryEvent(nil, "/", -1, n, "x")
	}
	tests := []struct {
		max, n int
		ok     bool
	}{
		{0, 10, true}, {0, 11, false}, {3, 3, true}, {3, 4, false}, {-1, 0, true}, {-1, 1, false}, {100, 100, true},
	}
	for _, tt := range tests {
		d := Decoder{MaxAttachments: tt.max}
		_, _, err := d.DecodeText(hdr(tt.n))
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrTooManyAttachments)) {
			t.Errorf("max=%d n=%d: err=%v", tt.max, tt.n, err)
		}
	}
}

func TestNamespaceIntern(t *testing.T) {
	var d Decoder
	p1, _, _ := d.DecodeText([]byte(`2/chat,["a"]`))
	s1 := p1.Namespace
	p2, _, _ := d.DecodeText([]byte(`2/chat,["b"]`))
	if p2.Namespace != "/chat" || !sameString(s1, p2.Namespace) {
		t.Fatal("namespace not reused from the cache")
	}
	calls := 0
	d2 := Decoder{Intern: func(b []byte) string { calls++; return "/interned" }}
	p, _, _ := d2.DecodeText([]byte(`2/chat,["a"]`))
	if p.Namespace != "/interned" || calls != 1 {
		t.Fatalf("intern hook: %q calls=%d", p.Namespace, calls)
	}
	if p, _, _ := d2.DecodeText([]byte(`2["a"]`)); p.Namespace != MainNamespace || calls != 1 {
		t.Fatal("main namespace went through the hook")
	}
}

func sameString(a, b string) bool {
	return a == b && unsafeData(a) == unsafeData(b)
}

func TestSplitQuery(t *testing.T) {
	for _, tt := range []struct{ in, name, query string }{
		{"/admin?token=1", "/admin", "token=1"}, {"/custom", "/custom", ""}, {"/?a=b&c=d", "/", "a=b&c=d"},
	} {
		if n, q := SplitQuery(tt.in); n != tt.name || q != tt.query {
			t.Errorf("SplitQuery(%q) = %q, %q", tt.in, n, q)
		}
	}
}

func TestIsReservedEvent(t *testing.T) {
	for _, n := range []string{"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"} {
		if !IsReservedEvent(n) {
			t.Errorf("%q not reserved", n)
		}
	}
	for _, n := range []string{"message", "Connect", "error", "", "connection", "disconnected"} {
		if IsReservedEvent(n) {
			t.Errorf("%q reserved", n)
		}
	}
}

func TestTypeString(t *testing.T) {
	if BinaryAck.String() != "BINARY_ACK" || Type(9).String() != "UNKNOWN" || Type(9).Valid() || !Connect.Valid() {
		t.Fatal("Type helpers")
	}
}

// TestInternCalledOnMissOnly: the Intern hook runs on a miss of the
// connection's namespace cache, not for every packet, and never for "/".
func TestInternCalledOnMissOnly(t *testing.T) {
	calls := 0
	d := Decoder{Intern: func(nsp []byte) string { calls++; return string(nsp) }}
	cases := []struct{ in, nsp string }{
		{`2/chat,["a"]`, "/chat"},
		{`2/chat,["b"]`, "/chat"},
		{`2["main"]`, "/"},
		{`2/chat,["c"]`, "/chat"},
		{`2/news,["d"]`, "/news"},
	}
	for _, c := range cases {
		p, done, err := d.DecodeText([]byte(c.in))
		if err != nil || !done || p.Namespace != c.nsp {
			t.Fatalf("%s: namespace %q done %v err %v", c.in, p.Namespace, done, err)
		}
	}
	if calls != 2 {
		t.Fatalf("Intern called %d times, want 2 (/chat and /news once each)", calls)
	}
}
