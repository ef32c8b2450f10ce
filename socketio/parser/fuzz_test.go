package parser

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

var fuzzSeeds = []string{
	"0", `0{"token":"123"}`, "0/custom,", "0/random", "1/admin,", `2["foo"]`, `212["foo"]`,
	`2456["message-with-ack",1,"2",{"3":[false]}]`, `3/admin,13["bar"]`, `4{"message":"x"}`, `4/admin,"Not authorized"`,
	`52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, `62-789[{"num":1,"_placeholder":true},{"_placeholder":true,"num":0}]`,
	"2{}", `2abc["x"]`, `2["connect"]`, `511-["x"]`, `2["a\u0062"]`, `0/admin?token=1,`,
}

// FuzzDecode: no panic; anything that decodes re-encodes canonically and
// decodes to the same packet; decoded payloads are valid JSON and EVENTs split.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var d Decoder
		p1, done, err := d.DecodeText(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidPacket) {
				t.Fatalf("error %v is not ErrInvalidPacket", err)
			}
			return
		}
		for !done {
			if p1, done, err = d.DecodeBinary([]byte{0xAB}); err != nil {
				t.Fatal(err)
			}
		}
		if p1.Data != nil && !jsonx.Valid(p1.Data) {
			t.Fatalf("accepted invalid JSON %q", p1.Data)
		}
		if p1.Type == Event || p1.Type == BinaryEvent {
			if _, args, err := SplitEvent(p1.Data); err != nil || ForEachArg(args, func([]byte) error { return nil }) != nil {
				t.Fatalf("decoded event does not split: %v", err)
			}
		}
		if _, err := Reconstruct(p1.Data, p1.Attachments); p1.Data != nil && err != nil {
			t.Fatalf("Reconstruct of decoded packet: %v", err)
		}
		want := *p1
		want.Data = bytes.Clone(p1.Data)
		enc := AppendPacket(nil, p1)
		var d2 Decoder
		p2, done, err := d2.DecodeText(enc)
		for err == nil && !done {
			p2, done, err = d2.DecodeBinary([]byte{0xAB})
		}
		if err != nil || !reflect.DeepEqual(*p2, want) {
			t.Fatalf("%q re-encoded as %q decodes to %+v, %v; want %+v", in, enc, p2, err, want)
		}
	})
}

// FuzzRoundTrip: encoding an event and decoding it gives the inputs back.
func FuzzRoundTrip(f *testing.F) {
	f.Add("/", int64(-1), "message", `1,"2",{"3":[true]}`, uint8(0))
	f.Add("/chat", int64(456), "é<&>\"", `[1,2]`, uint8(2))
	f.Add("", int64(0), "x", `not json`, uint8(1))
	f.Fuzz(func(t *testing.T, nsp string, id int64, name, arg string, natt uint8) {
		nsp = "/" + strings.ReplaceAll(nsp, ",", "")
		id = max(id%maxAckID, -1)
		if !validJSON([]byte(arg)) || strings.TrimSpace(arg) == "" {
			arg = string(AppendString(nil, arg))
		}
		n := int(natt % 11)
		var in []byte
		if n > 0 {
			in = AppendBinaryEvent(nil, nsp, id, n, name, []byte(arg))
		} else {
			in = AppendEvent(nil, nsp, id, name, []byte(arg))
		}
		var d Decoder
		p, done, err := d.DecodeText(in)
		if IsReservedEvent(name) {
			if !errors.Is(err, ErrReservedEvent) {
				t.Fatalf("reserved %q accepted: %v", name, err)
			}
			return
		}
		for i := 0; err == nil && !done; i++ {
			p, done, err = d.DecodeBinary([]byte{byte(i)})
		}
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		wantNsp := nsp
		if nsp == "/" {
			wantNsp = MainNamespace
		}
		if p.Namespace != wantNsp || p.ID != id || len(p.Attachments) != n {
			t.Fatalf("%q: nsp=%q id=%d atts=%d", in, p.Namespace, p.ID, len(p.Attachments))
		}
		gotName, args, err := SplitEvent(p.Data)
		if err != nil || string(args) != strings.TrimSpace(arg) {
			t.Fatalf("%q: args %q, %v", in, args, err)
		}
		if utf8.ValidString(name) && string(gotName) != name {
			t.Fatalf("name %q became %q", name, gotName)
		}
	})
}

// FuzzSplitFeed checks the Decoder's resumability across Engine.IO messages.
// Socket.IO text parsing is whole-message (the engine layer delivers complete
// messages), so "split feed" here means splitting a packet over its messages:
// the input is cut at 0x00 bytes into messages, each text (first byte even) or
// binary (odd). Property: the result of feeding message k to one long-lived
// Decoder equals feeding a fresh Decoder only the messages since the last
// packet boundary (completed packet or error), i.e. nothing leaks between
// packets and a packet spread over several messages decodes the same no matter
// what came before. Every message buffer is clobbered right after it is fed,
// which catches any result aliasing a message other than the current text.
func FuzzSplitFeed(f *testing.F) {
	f.Add([]byte("\x0052-[\"m\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]\x00\x01ab\x00\x01cd\x00\x002[\"x\"]"))
	f.Add([]byte("\x0051-[\"m\",{\"_placeholder\":true,\"num\":0}]\x00\x002[\"x\"]\x00\x01z"))
	f.Add([]byte("\x01\x00\x00\x00\x0061-1[{\"num\":0,\"_placeholder\":true}]\x00\x03"))
	f.Fuzz(func(t *testing.T, in []byte) {
		msgs := bytes.Split(in, []byte{0})
		if len(msgs) > 32 {
			msgs = msgs[:32]
		}
		var long Decoder
		var since [][]byte
		for _, m := range msgs {
			if len(m) == 0 {
				continue
			}
			text, body := m[0]%2 == 0, m[1:]
			since = append(since, m)
			got := describe(feed(&long, text, bytes.Clone(body), true))
			want := replay(since)
			if got != want {
				t.Fatalf("messages %q: long-lived decoder %s, fresh decoder %s", since, got, want)
			}
			if !strings.HasPrefix(got, "pending") {
				since = since[:0]
			}
		}
	})
}

type feedResult struct {
	p    *Packet
	done bool
	err  error
}

func feed(d *Decoder, text bool, b []byte, clobber bool) feedResult {
	var r feedResult
	if text {
		r.p, r.done, r.err = d.DecodeText(b)
	} else {
		r.p, r.done, r.err = d.DecodeBinary(b)
		if clobber {
			for i := range b {
				b[i] = '#'
			}
		}
	}
	return r
}

func replay(msgs [][]byte) string {
	var d Decoder
	var r feedResult
	for _, m := range msgs {
		r = feed(&d, m[0]%2 == 0, bytes.Clone(m[1:]), false)
	}
	return describe(r)
}

func describe(r feedResult) string {
	switch {
	case r.err != nil:
		return "error " + r.err.Error()
	case !r.done:
		return "pending"
	}
	var b strings.Builder
	b.Write(AppendPacket(nil, r.p))
	for _, a := range r.p.Attachments {
		b.WriteString("|")
		b.Write(a)
	}
	return "packet " + b.String()
}

// FuzzReconstruct: the streaming placeholder check and the tree-based
// Reconstruct agree, and Reconstruct never panics.
func FuzzReconstruct(f *testing.F) {
	f.Add([]byte(`["x",{"_placeholder":true,"num":0}]`), uint8(1))
	f.Add([]byte(`{"a":[{"num":1,"_placeholder":true,"b":{"_placeholder":true,"num":5}}]}`), uint8(2))
	f.Add([]byte(`[{"\u005fplaceholder":true,"num":1e0},{"_placeholder":true,"num":-0}]`), uint8(2))
	f.Add([]byte(`[{"_placeholder":true,"num":0,"num":"x"}]`), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		atts := make([][]byte, n%12)
		for i := range atts {
			atts[i] = []byte{byte(i)}
		}
		v, err := Reconstruct(data, atts)
		if !validJSON(data) {
			if err == nil {
				t.Fatalf("Reconstruct accepted invalid JSON %q: %#v", data, v)
			}
			return
		}
		cerr := checkPlaceholders(data, len(atts))
		if errors.Is(err, ErrInvalidJSON) {
			return // jsonx and the scanner disagree only on limits such as nesting depth
		}
		if (err == nil) != (cerr == nil) {
			t.Fatalf("%q n=%d: Reconstruct %v, checkPlaceholders %v", data, len(atts), err, cerr)
		}
	})
}
