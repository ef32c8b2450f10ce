package parser

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

func TestSplitEvent(t *testing.T) {
	tests := []struct {
		in, name, args string
		err            error
	}{
		{`["message",1,"2",{"3":[true]}]`, "message", `1,"2",{"3":[true]}`, nil},
		{`["foo"]`, "foo", "", nil},
		{` [ "foo" , [1, 2] , {} ] `, "foo", `[1, 2] , {}`, nil},
		{`["a\"b\u00e9",null]`, "a\"bé", "null", nil},
		{`[42,"x"]`, "42", `"x"`, nil},
		{`[-1.5]`, "-1.5", "", nil},
		{`["<&>"]`, "<&>", "", nil},
		{`[]`, "", "", ErrInvalidPayload},
		{`{}`, "", "", ErrInvalidPayload},
		{`[{}]`, "", "", ErrInvalidPayload},
		{`["a",]`, "", "", ErrInvalidJSON},
		{`["a" 1]`, "", "", ErrInvalidJSON},
		{`["a",1`, "", "", ErrInvalidJSON},
		{`["a"] x`, "", "", ErrInvalidJSON},
		{`["a`, "", "", ErrInvalidJSON},
	}
	for _, tt := range tests {
		name, args, err := SplitEvent([]byte(tt.in))
		if !errors.Is(err, tt.err) || string(name) != tt.name || string(args) != tt.args {
			t.Errorf("SplitEvent(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, args, err, tt.name, tt.args, tt.err)
		}
	}
}

func TestForEachArg(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  error
	}{
		{``, nil, nil},
		{`  `, nil, nil},
		{`1,"2",{"3":[true]}`, []string{`1`, `"2"`, `{"3":[true]}`}, nil},
		{` [1, 2] , {} `, []string{`[1, 2]`, `{}`}, nil},
		{`1,`, []string{`1`}, ErrInvalidJSON},
		{`1 2`, []string{`1`}, ErrInvalidJSON},
		{`,1`, nil, ErrInvalidJSON},
	}
	for _, tt := range tests {
		var got []string
		err := ForEachArg([]byte(tt.in), func(raw []byte) error { got = append(got, string(raw)); return nil })
		if !errors.Is(err, tt.err) || len(got) != len(tt.want) {
			t.Errorf("ForEachArg(%q) = %q, %v", tt.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ForEachArg(%q)[%d] = %q", tt.in, i, got[i])
			}
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := ForEachArg([]byte(`1,2,3`), func([]byte) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("fn error not propagated: %v %d", err, n)
	}
}

func TestArrayElems(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		err      error
	}{
		{`[1,"2",{"3":[false]}]`, `1,"2",{"3":[false]}`, nil}, {` [ ] `, ``, nil}, {`[ 1 ]`, `1`, nil},
		{`{}`, ``, ErrInvalidPayload}, {`[1,]`, ``, ErrInvalidJSON},
	} {
		got, err := ArrayElems([]byte(tt.in))
		if string(got) != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ArrayElems(%q) = %q, %v", tt.in, got, err)
		}
	}
	var n int
	if err := ForEachElem([]byte(`[[1],[2]]`), func([]byte) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("ForEachElem: %v %d", err, n)
	}
}

// Encode side of the §6 exchanges (Socket.IO part, Engine.IO "4" prefix removed).
func TestExchangesEncode(t *testing.T) {
	echo := func(in, newName string) string { // the echo handler of the suites
		p := decodeAll(t, in)
		_, args, err := SplitEvent(p.Data)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID >= 0 {
			return string(AppendAck(nil, p.Namespace, p.ID, args))
		}
		return string(AppendEvent(nil, p.Namespace, -1, newName, args))
	}
	tests := []struct{ got, want string }{
		{string(AppendPacket(nil, &Packet{Type: Connect, ID: -1, Data: []byte(`{"sid":"abc"}`)})), `0{"sid":"abc"}`},
		{string(AppendPacket(nil, &Packet{Type: Connect, Namespace: "/custom", ID: -1, Data: []byte(`{"sid":"abc"}`)})), `0/custom,{"sid":"abc"}`},
		{string(AppendEvent(nil, "/", -1, "auth", []byte(`{}`))), `2["auth",{}]`},
		{string(AppendEvent(nil, "/custom", -1, "auth", []byte(`{"token":"abc"}`))), `2/custom,["auth",{"token":"abc"}]`},
		{string(AppendPacket(nil, &Packet{Type: ConnectError, Namespace: "/random", ID: -1, Data: []byte(`{"message":"Invalid namespace"}`)})), `4/random,{"message":"Invalid namespace"}`},
		{echo(`2["message","message to main namespace"]`, "message-back"), `2["message-back","message to main namespace"]`},
		{echo(`2["message",1,"2",{"3":[true]}]`, "message-back"), `2["message-back",1,"2",{"3":[true]}]`},
		{echo(`2456["message-with-ack",1,"2",{"3":[false]}]`, ""), `3456[1,"2",{"3":[false]}]`},
		{echo(`212["message-with-ack","x"]`, ""), `312["x"]`},
		{string(AppendBinaryEvent(nil, "/", -1, 2, "message-back", []byte(`{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}`))),
			`52-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`},
		{string(AppendBinaryAck(nil, "/", 789, 2, []byte(`{"_placeholder":true,"num":0}`), []byte(`{"_placeholder":true,"num":1}`))),
			`62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`},
		{string(AppendBinaryEvent(nil, "/", -1, 1, "message-back", []byte(`{"_placeholder":true,"num":0}`))), `51-["message-back",{"_placeholder":true,"num":0}]`},
		{string(AppendPacket(nil, &Packet{Type: Disconnect, Namespace: "/admin", ID: -1})), `1/admin,`},
		{string(AppendPacket(nil, &Packet{Type: Disconnect, ID: -1})), `1`},
		{string(AppendAck(nil, "/", 5)), `35[]`},
		{string(AppendEvent(nil, "", 0, "x", nil, []byte(``))), `20["x"]`},
		// Protocol v4 (EIO=3), §5: CONNECT reply without payload, string ERROR.
		{string(AppendPacket(nil, &Packet{Type: Connect, ID: -1})), `0`},
		{string(AppendPacket(nil, &Packet{Type: Connect, Namespace: "/admin", ID: -1})), `0/admin,`},
		{string(AppendPacket(nil, &Packet{Type: ConnectError, Namespace: "/admin", ID: -1, Data: AppendString(nil, "Not authorized")})), `4/admin,"Not authorized"`},
		{string(AppendEvent(nil, "/custom", -1, "auth", []byte(`{"x":"1"}`))), `2/custom,["auth",{"x":"1"}]`},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("#%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "<&>\u2028\u2029", "\x00\x1f\t\n\r\b\f\x7f", "é€😀", "bad\xffutf8\xc3"} {
		enc := AppendString(nil, s)
		if !json.Valid(enc) {
			t.Fatalf("AppendString(%q) = %q is not JSON", s, enc)
		}
		var back string
		if err := jsonx.Unmarshal(enc, &back); err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("AppendString(%q) round-trips to %q", s, back)
		}
		if utf8.ValidString(s) {
			if m, _ := jsonx.Marshal(s); jsonx.Backend == "sonic" && string(m) != string(enc) && s != "\x00\x1f\t\n\r\b\f\x7f" {
				t.Errorf("AppendString(%q) = %s, jsonx = %s", s, enc, m)
			}
		}
	}
	if got := string(AppendString(nil, "<a href='x'>&</a>")); got != `"<a href='x'>&</a>"` {
		t.Fatalf("HTML escaped: %s", got)
	}
}
