package redisproto

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// hexOf turns the notation of features.md (hex bytes and "quoted" ASCII)
// into bytes.
func hexOf(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			break
		}
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			out = append(out, s[1:end+1]...)
			s = s[end+2:]
			continue
		}
		b, err := hex.DecodeString(s[:2])
		if err != nil {
			t.Fatalf("bad hex %q", s)
		}
		out = append(out, b...)
		s = s[2:]
	}
	return out
}

var (
	// features.md 2.1: io.to("r").except("x").compress(false).emit("ev", 1) on adapter uYHpfh.
	goldenAdapter = `93 a6"uYHpfh" 83 a4"type" 02 a4"data" 92 a2"ev" 01 a3"nsp" a1"/" 83 a5"rooms" 91 a1"r" a6"except" 91 a1"x" a5"flags" 81 a8"compress" c2`
	// features.md 2.2: emitter to("room1").emit("hello","world",{a:1}).
	goldenEmitter = `93 a7"emitter" 83 a4"type" 02 a4"data" 93 a5"hello" a5"world" 81 a1"a" 01 a3"nsp" a1"/" 83 a5"rooms" 91 a5"room1" a5"flags" 80 a6"except" 90`
)

func TestGoldenAdapterBroadcast(t *testing.T) {
	no := false
	m := &Broadcast{UID: "uYHpfh", Nsp: "/", Data: []byte(`["ev",1]`),
		Opts: Opts{Rooms: []string{"r"}, Except: []string{"x"}, Flags: Flags{Compress: &no}}}
	got, err := AppendBroadcast(nil, m, AdapterOrder)
	want := hexOf(t, goldenAdapter)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AppendBroadcast = %x, %v\nwant              %x", got, err, want)
	}
	var d Broadcast
	if err := DecodeBroadcast(want, &d); err != nil {
		t.Fatal(err)
	}
	if d.UID != "uYHpfh" || d.Nsp != "/" || string(d.Data) != `["ev",1]` || strings.Join(d.Opts.Rooms, ",") != "r" ||
		strings.Join(d.Opts.Except, ",") != "x" || d.Opts.Flags.Compress == nil || *d.Opts.Flags.Compress || d.Opts.Flags.Volatile {
		t.Fatalf("decoded %+v", d)
	}
}

func TestGoldenEmitterBroadcast(t *testing.T) {
	m := &Broadcast{UID: EmitterUID, Nsp: "/", Data: []byte(`["hello","world",{"a":1}]`), Opts: Opts{Rooms: []string{"room1"}}}
	got, err := AppendBroadcast(nil, m, EmitterOrder)
	want := hexOf(t, goldenEmitter)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AppendBroadcast = %x, %v\nwant              %x", got, err, want)
	}
	var d Broadcast
	if err := DecodeBroadcast(want, &d); err != nil {
		t.Fatal(err)
	}
	if d.UID != EmitterUID || string(d.Data) != `["hello","world",{"a":1}]` || strings.Join(d.Opts.Rooms, ",") != "room1" || len(d.Opts.Except) != 0 {
		t.Fatalf("decoded %+v", d)
	}
}

func TestDecodeBroadcastDefaultsNspAndBinary(t *testing.T) {
	// [uid, {type:2, data:["b", <bin 01 02>, 1.5, -200, null]}, {rooms:[7], except:[], flags:{volatile:true, timeout:1000}}]
	src := hexOf(t, `93 a1"u" 82 a4"type" 02 a4"data" 95 a1"b" c4 02 01 02 cb 3ff8000000000000 d1 ff38 c0 83 a5"rooms" 91 07 a6"except" 90 a5"flags" 82 a8"volatile" c3 a7"timeout" cd 03e8`)
	var d Broadcast
	if err := DecodeBroadcast(src, &d); err != nil {
		t.Fatal(err)
	}
	if d.Nsp != "/" || string(d.Data) != `["b",{"_placeholder":true,"num":0},1.5,-200,null]` || len(d.Attachments) != 1 ||
		!bytes.Equal(d.Attachments[0], []byte{1, 2}) || d.Opts.Rooms[0] != "7" || !d.Opts.Flags.Volatile || d.Opts.Flags.Timeout != 1000 {
		t.Fatalf("decoded %+v data %s", d, d.Data)
	}
	// And back: the same bytes but for the key order of the packet (nsp added).
	re, err := AppendBroadcast(nil, &d, AdapterOrder)
	if err != nil {
		t.Fatal(err)
	}
	var d2 Broadcast
	if err := DecodeBroadcast(re, &d2); err != nil || string(d2.Data) != string(d.Data) {
		t.Fatalf("round trip: %s, %v", d2.Data, err)
	}
}

func TestNotepackExtensions(t *testing.T) {
	tests := []struct{ in, json string }{
		{`d4 00 00`, `null`}, // notepack 2.x undefined
		{`d7 00 0000016f5e66e800`, `"2020-01-01T00:00:00.000Z"`}, // notepack 2.x Date (ms)
		{`d6 ff 5e0be100`, `"2020-01-01T00:00:00.000Z"`},         // timestamp 32
		{`c7 02 00 0102`, `{"_placeholder":true,"num":0}`},       // ArrayBuffer
		{`d5 05 0102`, `[5,{"_placeholder":true,"num":0}]`},      // unknown extension
		{`81 01 a1"x"`, `{"1":"x"}`},                             // numeric key
		{`ca 3fc00000`, `1.5`},
		{`cf 0020000000000000`, `9007199254740992`},
	}
	for _, tt := range tests {
		got, _, rest, err := AppendJSON(nil, nil, hexOf(t, tt.in))
		if err != nil || string(got) != tt.json || len(rest) != 0 {
			t.Errorf("AppendJSON(%s) = %s, %v (rest %x), want %s", tt.in, got, err, rest, tt.json)
		}
	}
}

func TestJSONToMsgpackForms(t *testing.T) {
	tests := []struct{ json, hex string }{
		{`0`, `00`}, {`127`, `7f`}, {`128`, `cc80`}, {`256`, `cd0100`}, {`65536`, `ce00010000`},
		{`4294967296`, `cf0000000100000000`}, {`-1`, `ff`}, {`-32`, `e0`}, {`-33`, `d0df`},
		{`-129`, `d1ff7f`}, {`-32769`, `d2ffff7fff`}, {`-2147483649`, `d3ffffffff7fffffff`},
		{`1.5`, `cb3ff8000000000000`}, {`1e2`, `64`}, {`true`, `c3`}, {`null`, `c0`},
		{`"a\"\u00e9\ud83d\ude00"`, `a8 61 22 c3a9 f09f9880`},
		{` [ 1 , { "k" : [ ] } ] `, `92 01 81 a16b 90`},
	}
	for _, tt := range tests {
		got, err := AppendMsgpack(nil, []byte(tt.json), nil)
		want := hexOf(t, tt.hex)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AppendMsgpack(%s) = %x, %v, want %x", tt.json, got, err, want)
		}
	}
}

func TestLongContainersUseWideHeaders(t *testing.T) {
	js := []byte("[" + strings.Repeat("1,", 20) + "1]")
	mp, err := AppendMsgpack(nil, js, nil)
	if err != nil || mp[0] != 0xdc || mp[1] != 0 || mp[2] != 21 || len(mp) != 3+21 {
		t.Fatalf("%x %v", mp, err)
	}
	back, _, _, err := AppendJSON(nil, nil, mp)
	if err != nil || string(back) != string(js) {
		t.Fatalf("%s %v", back, err)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	bad := []string{
		``, `c1`, `93`, `92 a1"u" 80`, `93 a1"u" 80 80`, `93 a1"u" 81 a4"data" 90 80`,
		`93 a1"u" 81 a4"data" 91 a1"e" 81 a5"rooms" a1"x"`, `dd ffffffff`, `db ffffffff`,
		`93 a1"u" 81 a4"data" 91 a1"e" 80 c0`, // trailing byte
	}
	for _, h := range bad {
		var d Broadcast
		if err := DecodeBroadcast(hexOf(t, h), &d); err == nil {
			t.Errorf("DecodeBroadcast(%s) accepted", h)
		}
	}
	for _, js := range []string{`[1,]`, `{"a"}`, `"abc`, `tru`, `[1 2]`, `{"a":1,}`, `-`, `"\x"`, `[`} {
		if _, err := AppendMsgpack(nil, []byte(js), nil); err == nil {
			t.Errorf("AppendMsgpack(%s) accepted", js)
		}
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	deep := bytes.Repeat([]byte{0x91}, maxDepth+2)
	if _, _, _, err := AppendJSON(nil, nil, append(deep, 0xc0)); err != ErrTooDeep {
		t.Fatalf("err = %v", err)
	}
	js := strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2)
	if _, err := AppendMsgpack(nil, []byte(js), nil); err != ErrTooDeep {
		t.Fatalf("err = %v", err)
	}
}

// A reused Broadcast keeps nothing of the previous message.
func TestDecodeIntoReusedBroadcast(t *testing.T) {
	var m Broadcast
	for i, h := range []string{goldenAdapter, goldenEmitter, goldenAdapter} {
		if err := DecodeBroadcast(hexOf(t, h), &m); err != nil {
			t.Fatal(err)
		}
		want := "r/x/false"
		if i == 1 {
			want = "room1//nil"
		}
		c := "nil"
		if m.Opts.Flags.Compress != nil {
			c = strconv.FormatBool(*m.Opts.Flags.Compress)
		}
		if got := strings.Join(m.Opts.Rooms, ",") + "/" + strings.Join(m.Opts.Except, ",") + "/" + c; got != want {
			t.Fatalf("message %d: %s, want %s", i, got, want)
		}
	}
	src := hexOf(t, `93 a1"u" 81 a4"data" 91 a1"e" 80`) // no nsp, no rooms
	if err := DecodeBroadcast(src, &m); err != nil || m.Nsp != "/" || len(m.Opts.Rooms) != 0 || len(m.Opts.Except) != 0 {
		t.Fatalf("%+v %v", m, err)
	}
}
