package redisproto

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Golden messages of the sharded adapter as Node publishes them
// (@socket.io/redis-adapter 8.3 createShardedAdapter on socket.io-adapter
// 2.5: JSON.stringify, or notepack.io 3 when the data holds binary), captured
// from a real Redis by adapter/redis/interop/golden.js. Node sets uid and
// nsp after type and data, and the packet of a BROADCAST has no nsp.
const (
	goldenClusterBroadcast       = `{"type":3,"data":{"packet":{"type":2,"data":["hello","world",1]},"opts":{"rooms":[],"except":[],"flags":{}}},"uid":"0123456789abcdef","nsp":"/"}`
	goldenClusterBinaryBroadcast = "84a47479706503a46461746182a67061636b657482a47479706502a46461746193a362696ec40301020381a16bcb3ff8000000000000a46f70747383a5726f6f6d7391a172a665786365707491a178a5666c61677381a8766f6c6174696c65c3a3756964b030313233343536373839616263646566a36e7370a12f"
	goldenClusterAckBroadcast    = `{"type":3,"data":{"packet":{"type":2,"data":["ev",1,"two"]},"requestId":"fedcba9876543210","opts":{"rooms":[],"except":[],"flags":{"timeout":5000}}},"uid":"0123456789abcdef","nsp":"/chat"}`
	goldenClusterSocketsJoin     = `{"type":4,"data":{"opts":{"rooms":["a"],"except":[],"flags":{}},"rooms":["club"]},"uid":"0123456789abcdef","nsp":"/"}`
	goldenClusterServerSideEmit  = `{"type":9,"data":{"requestId":"fedcba9876543210","packet":["hello","x"]},"uid":"0123456789abcdef","nsp":"/"}`
	goldenClusterBinaryAck       = "84a4747970650ca46461746182a9726571756573744964b066656463626139383736353433323130a67061636b6574c40109a3756964b030313233343536373839616263646566a36e7370a12f"
	goldenClusterDisconnect      = `{"type":6,"data":{"opts":{"rooms":[],"except":[],"flags":{}},"close":true},"uid":"0123456789abcdef","nsp":"/"}`
)

const testUID, testRequestID = "0123456789abcdef", "fedcba9876543210"

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenClusterMessages(t *testing.T) {
	closeTrue := true
	cases := []struct {
		name string
		want []byte
		nsp  string
		typ  int
		data []byte
		atts [][]byte
	}{
		{"broadcast", []byte(goldenClusterBroadcast), "/", ClusterBroadcast,
			AppendClusterBroadcastData(nil, []byte(`["hello","world",1]`), "", &Opts{Rooms: []string{}, Except: []string{}}), nil},
		{"binary broadcast", mustHex(t, goldenClusterBinaryBroadcast), "/", ClusterBroadcast,
			AppendClusterBroadcastData(nil, []byte(`["bin",{"_placeholder":true,"num":0},{"k":1.5}]`), "",
				&Opts{Rooms: []string{"r"}, Except: []string{"x"}, Flags: Flags{Volatile: true}}), [][]byte{{1, 2, 3}}},
		{"broadcast with ack", []byte(goldenClusterAckBroadcast), "/chat", ClusterBroadcast,
			AppendClusterBroadcastData(nil, []byte(`["ev",1,"two"]`), testRequestID, &Opts{Rooms: []string{}, Except: []string{}, Flags: Flags{Timeout: 5000}}), nil},
		{"sockets join", []byte(goldenClusterSocketsJoin), "/", ClusterSocketsJoin,
			AppendClusterRequestData(nil, &Opts{Rooms: []string{"a"}, Except: []string{}}, "", []string{"club"}, nil), nil},
		{"server-side emit", []byte(goldenClusterServerSideEmit), "/", ClusterServerSideEmit,
			AppendClusterServerSideEmitData(nil, testRequestID, []byte(`["hello","x"]`)), nil},
		{"binary broadcast ack", mustHex(t, goldenClusterBinaryAck), "/", ClusterBroadcastAck,
			AppendClusterResponseData(nil, testRequestID, "packet", []byte(`{"_placeholder":true,"num":0}`)), [][]byte{{9}}},
		{"disconnect", []byte(goldenClusterDisconnect), "/", ClusterDisconnectSockets,
			AppendClusterRequestData(nil, &Opts{Rooms: []string{}, Except: []string{}}, "", nil, &closeTrue), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := AppendCluster([]byte("prefix"), testUID, c.nsp, c.typ, c.data, c.atts)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[len("prefix"):], c.want) {
				t.Fatalf("encoded\n%x\nwant\n%x", got[len("prefix"):], c.want)
			}
			m, err := DecodeCluster(c.want)
			if err != nil || m.UID != testUID || m.Nsp != c.nsp || m.Type != c.typ || len(m.Attachments) != len(c.atts) {
				t.Fatalf("decoded %+v, %v", m, err)
			}
			for i := range c.atts {
				if !bytes.Equal(m.Attachments[i], c.atts[i]) {
					t.Fatalf("attachment %d = %x", i, m.Attachments[i])
				}
			}
			if _, err := DecodeClusterData(m); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A message whose type cannot carry binary stays JSON (Node's encode), and
// a decoded broadcast keeps its packet, options and placeholders.
func TestDecodeClusterBroadcast(t *testing.T) {
	m, err := DecodeCluster(mustHex(t, goldenClusterBinaryBroadcast))
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeClusterData(m)
	if err != nil || d.Opts == nil || d.Opts.Flags == nil || !d.Opts.Flags.Volatile || len(d.Opts.Rooms) != 1 || d.Opts.Rooms[0] != "r" {
		t.Fatalf("data %+v, %v", d, err)
	}
	if want := `{"type":2,"data":["bin",{"_placeholder":true,"num":0},{"k":1.5}]}`; string(d.Packet) != want {
		t.Fatalf("packet %s", d.Packet)
	}
	js, err := AppendCluster(nil, testUID, "/", ClusterSocketsJoin, []byte(`{}`), [][]byte{{1}})
	if err != nil || js[0] != '{' {
		t.Fatalf("%q, %v", js, err)
	}
}

func TestDecodeClusterRejectsBadInput(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("{"), []byte(`{"type":"x"}`), {0x93, 0x01}, {0x81}, []byte(`[1]`)} {
		if m, err := DecodeCluster(in); err == nil {
			t.Errorf("%q accepted: %+v", in, m)
		}
	}
	if _, err := DecodeClusterData(&ClusterMessage{Data: []byte(`{"opts":{"rooms":{}}}`)}); err == nil {
		t.Error("rooms of the wrong type accepted")
	}
}

func FuzzDecodeCluster(f *testing.F) {
	f.Add(mustHexF(goldenClusterBinaryBroadcast))
	f.Add(mustHexF(goldenClusterBinaryAck))
	f.Add([]byte(goldenClusterAckBroadcast))
	f.Add([]byte(goldenClusterSocketsJoin))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := DecodeCluster(in)
		if err != nil {
			return
		}
		if _, err := DecodeClusterData(m); err != nil {
			return
		}
		// What decodes re-encodes (binary kept) and decodes to the same envelope.
		data := m.Data
		if data == nil {
			data = []byte("null")
		}
		out, err := AppendCluster(nil, m.UID, m.Nsp, m.Type, data, m.Attachments)
		if err != nil {
			return // e.g. a placeholder number out of range
		}
		m2, err := DecodeCluster(out)
		if err != nil || m2.UID != m.UID || m2.Nsp != m.Nsp || m2.Type != m.Type {
			t.Fatalf("round trip of %q: %+v, %v", in, m2, err)
		}
	})
}

func mustHexF(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}
