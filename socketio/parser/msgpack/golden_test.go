package msgpack

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// The golden messages were produced by notepack.io 2.2.0 (the encoder of
// socket.io-msgpack-parser 3.0.2) from the JavaScript objects in the
// comments, with `notepack.encode(obj).toString("hex")`.
var golden = []struct {
	name string
	hex  string
	js   string // the object notepack encoded
	pkt  parser.Packet
	// encodes: AppendPacket of pkt gives exactly these bytes (Node's key
	// order type, data, id, nsp); the others are only decoded.
	encodes bool
}{
	{"README example (key order type, nsp, data)", "83a47479706502a36e7370a12fa46461746192a568656c6c6fa3796f75",
		`{type:2, nsp:"/", data:["hello","you"]}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["hello","you"]`)}, false},
	{"event", "83a47479706502a46461746192a568656c6c6fa3796f75a36e7370a12f",
		`{type:2, data:["hello","you"], nsp:"/"}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["hello","you"]`)}, true},
	{"event with ack id, namespace, binary and numbers",
		"84a47479706502a46461746198a362696ec40301020385a161cb3ff8000000000000a162d1ff38a163c0a164c3a165a3c3a90a90cd012cce00011170cf000000012a05f200d0d8a2696407a36e7370a52f63686174",
		`{type:2, data:["bin", Buffer.from([1,2,3]), {a:1.5,b:-200,c:null,d:true,e:"é\n"}, [], 300, 70000, 5000000000, -40], id:7, nsp:"/chat"}`,
		parser.Packet{Type: parser.Event, Namespace: "/chat", ID: 7,
			Data:        []byte(`["bin",{"_placeholder":true,"num":0},{"a":1.5,"b":-200,"c":null,"d":true,"e":"é\n"},[],300,70000,5000000000,-40]`),
			Attachments: [][]byte{{1, 2, 3}}}, true},
	{"ack as Node's server orders it", "84a269640ca47479706503a46461746191a26f6ba36e7370a12f",
		`{id:12, type:3, data:["ok"], nsp:"/"}`,
		parser.Packet{Type: parser.Ack, Namespace: "/", ID: 12, Data: []byte(`["ok"]`)}, false},
	{"ack", "84a47479706503a46461746191a26f6ba269640ca36e7370a12f",
		`{type:3, data:["ok"], id:12, nsp:"/"}`,
		parser.Packet{Type: parser.Ack, Namespace: "/", ID: 12, Data: []byte(`["ok"]`)}, true},
	{"CONNECT reply with pid undefined", "83a47479706500a46461746182a3736964a3616263a3706964d40000a36e7370a12f",
		`{type:0, data:{sid:"abc", pid: undefined}, nsp:"/"}`,
		parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1, Data: []byte(`{"sid":"abc","pid":null}`)}, false},
	{"CONNECT_ERROR", "83a47479706504a46461746182a76d657373616765ab6e6f7420616c6c6f776564a46461746181a4636f64652aa36e7370a82f70726976617465",
		`{type:4, data:{message:"not allowed", data:{code:42}}, nsp:"/private"}`,
		parser.Packet{Type: parser.ConnectError, Namespace: "/private", ID: -1, Data: []byte(`{"message":"not allowed","data":{"code":42}}`)}, true},
	{"Date", "83a47479706502a46461746192a164d7000000018bcfe5687ba36e7370a12f",
		`{type:2, data:["d", new Date(1700000000123)], nsp:"/"}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["d","2023-11-14T22:13:20.123Z"]`)}, false},
	{"ArrayBuffer (ext type 0)", "83a47479706502a46461746192a26162c70300090807a36e7370a12f",
		`{type:2, data:["ab", new Uint8Array([9,8,7])], nsp:"/"}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["ab",{"_placeholder":true,"num":0}]`), Attachments: [][]byte{{9, 8, 7}}}, false},
	{"undefined argument", "83a47479706502a46461746192a175d40000a36e7370a12f",
		`{type:2, data:["u", undefined], nsp:"/"}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["u",null]`)}, false},
	{"CONNECT without auth", "82a47479706500a36e7370a62f61646d696e",
		`{type:0, nsp:"/admin"}`,
		parser.Packet{Type: parser.Connect, Namespace: "/admin", ID: -1}, true},
	{"CONNECT with auth", "83a47479706500a46461746181a5746f6b656ea174a36e7370a12f",
		`{type:0, data:{token:"t"}, nsp:"/"}`,
		parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1, Data: []byte(`{"token":"t"}`)}, true},
	{"DISCONNECT", "82a47479706501a36e7370a12f",
		`{type:1, nsp:"/"}`,
		parser.Packet{Type: parser.Disconnect, Namespace: "/", ID: -1}, true},
	{"numeric event name", "83a47479706502a4646174619201a178a36e7370a12f",
		`{type:2, data:[1, "x"], nsp:"/"}`,
		parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`[1,"x"]`)}, true},
}

func TestGoldenDecode(t *testing.T) {
	d := Parser{}.NewDecoder(nil)
	for _, g := range golden {
		msg, _ := hex.DecodeString(g.hex)
		p, err := d.Decode(msg, true)
		if err != nil {
			t.Errorf("%s: %v", g.name, err)
			continue
		}
		if !samePacket(p, &g.pkt) {
			t.Errorf("%s:\n got %+v data %s\nwant %+v data %s", g.name, *p, p.Data, g.pkt, g.pkt.Data)
		}
	}
}

func TestGoldenEncode(t *testing.T) {
	for _, g := range golden {
		if !g.encodes {
			continue
		}
		got, binary, err := Parser{}.AppendPacket(nil, &g.pkt)
		if err != nil || !binary {
			t.Errorf("%s: binary %v, %v", g.name, binary, err)
			continue
		}
		if hex.EncodeToString(got) != g.hex {
			t.Errorf("%s:\n got %x\nwant %s (notepack.encode(%s))", g.name, got, g.hex, g.js)
		}
	}
}

// decodeHex decodes the message written in hex (a test's own literal).
func decodeHex(t *testing.T, d parser.CodecDecoder, h string) (*parser.Packet, error) {
	t.Helper()
	msg, err := hex.DecodeString(h)
	if err != nil {
		t.Fatalf("bad hex %q", h)
	}
	return d.Decode(msg, true)
}

func samePacket(a, b *parser.Packet) bool {
	if a.Type != b.Type || a.Namespace != b.Namespace || a.ID != b.ID || !bytes.Equal(a.Data, b.Data) ||
		(a.Data == nil) != (b.Data == nil) || len(a.Attachments) != len(b.Attachments) {
		return false
	}
	for i := range a.Attachments {
		if !bytes.Equal(a.Attachments[i], b.Attachments[i]) {
			return false
		}
	}
	return true
}

// TestDecodeRejects: every packet socket.io-msgpack-parser's checkPacket
// refuses, and those the default parser refuses too, fail with an error
// matching parser.ErrInvalidPacket; a text message is refused.
func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name, hex string
		want      error
	}{
		{"not a map", "92a17802", parser.ErrUnknownType},
		{"no type", "81a36e7370a12f", parser.ErrUnknownType},
		{"type 5", "82a47479706505a36e7370a12f", parser.ErrUnknownType},
		{"type -1", "82a474797065ffa36e7370a12f", parser.ErrUnknownType},
		{"type 1.5", "82a474797065cb3ff8000000000000a36e7370a12f", parser.ErrUnknownType},
		{"type as string", "82a474797065a132a36e7370a12f", parser.ErrUnknownType},
		{"no nsp", "81a47479706501", ErrInvalidNamespace},
		{"nsp not a string", "82a47479706501a36e737001", ErrInvalidNamespace},
		{"CONNECT data null", "83a47479706500a464617461c0a36e7370a12f", parser.ErrInvalidPayload},
		{"CONNECT data array", "83a47479706500a46461746190a36e7370a12f", parser.ErrInvalidPayload},
		{"DISCONNECT with data", "83a47479706501a46461746180a36e7370a12f", parser.ErrInvalidPayload},
		{"CONNECT_ERROR data number", "83a47479706504a46461746101a36e7370a12f", parser.ErrInvalidPayload},
		{"EVENT data map", "83a47479706502a46461746180a36e7370a12f", parser.ErrInvalidPayload},
		{"EVENT without data", "82a47479706502a36e7370a12f", parser.ErrInvalidPayload},
		{"EVENT empty array", "83a47479706502a46461746190a36e7370a12f", parser.ErrInvalidPayload},
		{"EVENT name is a map", "83a47479706502a4646174619180a36e7370a12f", parser.ErrInvalidPayload},
		{"EVENT reserved name", "83a47479706502a46461746191aa646973636f6e6e656374a36e7370a12f", parser.ErrReservedEvent},
		{"ACK without id", "83a47479706503a46461746191a26f6ba36e7370a12f", parser.ErrInvalidPayload},
		{"id negative", "84a47479706503a46461746191a26f6ba26964ffa36e7370a12f", parser.ErrInvalidAckID},
		{"nested too deeply", "83a47479706502a464617461" + strings.Repeat("91", maxDepth+2) + "c0a36e7370a12f", ErrTooDeep},
		{"id string", "84a47479706503a46461746191a26f6ba26964a131a36e7370a12f", parser.ErrInvalidAckID},
		{"id above 2^53-1", "84a47479706503a46461746191a26f6ba26964cf0020000000000000a36e7370a12f", parser.ErrInvalidAckID},
		{"trailing byte", "82a47479706501a36e7370a12f00", ErrTrailingBytes},
		{"truncated", "83a47479706502a46461746192a568656c6c", ErrMalformed},
		{"never-used code", "83a47479706502a46461746192a178c1a36e7370a12f", ErrMalformed},
		{"map key is an array", "83a47479706502a46461746192a178819001a36e7370a12f", ErrUnsupportedKey},
		{"empty", "", ErrMalformed},
	}
	d := Parser{}.NewDecoder(nil)
	for _, c := range cases {
		p, err := decodeHex(t, d, c.hex)
		if err == nil {
			t.Errorf("%s: decoded %+v, want an error", c.name, p)
			continue
		}
		if !errors.Is(err, parser.ErrInvalidPacket) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := d.Decode([]byte(`2["x"]`), false); !errors.Is(err, parser.ErrUnexpectedText) {
		t.Errorf("text message: %v", err)
	}
}

// TestDecodeMapping: keys other than type, nsp, data and id are ignored;
// a repeated key wins; floats, large integers, non-string keys, timestamps
// and other extensions get the JSON form the package doc gives.
func TestDecodeMapping(t *testing.T) {
	cases := []struct{ name, hex, data string }{
		{"extra key ignored, repeated data wins",
			"85a47479706502a178c4020102a46461746191a161a46461746191a162a36e7370a12f", `["b"]`},
		{"floats", "83a47479706502a46461746196a166cb3fb999999999999acb419d6f34547df3b6cb3eb0c6f7a0b5ed8dcb44b52d02c7e14af6ca3fc00000a36e7370a12f",
			`["f",0.1,123456789.123,0.000001,1e+23,1.5]`},
		{"NaN is null", "83a47479706502a46461746192a166cb7ff8000000000000a36e7370a12f", `["f",null]`},
		{"uint64 above int64", "83a47479706502a46461746192a178cfffffffffffffffffa36e7370a12f", `["x",18446744073709551615]`},
		{"non-string keys", "83a47479706502a46461746192a17884" + "01a161" + "c0a162" + "c3a163" + "cb3ff8000000000000a164" + "a36e7370a12f",
			`["x",{"1":"a","null":"b","true":"c","1.5":"d"}]`},
		{"timestamp ext -1 (32 bit)", "83a47479706502a46461746192a174d6ff00000000a36e7370a12f", `["t","1970-01-01T00:00:00.000Z"]`},
		{"unknown ext as [type, bin]", "83a47479706502a46461746192a178d40507a36e7370a12f", `["x",[5,{"_placeholder":true,"num":0}]]`},
		{"control characters escaped", "83a47479706502a46461746192a178a3220a5ca36e7370a12f", `["x","\"\n\\"]`},
	}
	d := Parser{}.NewDecoder(nil)
	for _, c := range cases {
		p, err := decodeHex(t, d, c.hex)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(p.Data) != c.data {
			t.Errorf("%s: data %s, want %s", c.name, p.Data, c.data)
		}
	}
}
