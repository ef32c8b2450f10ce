package redisstreams

import (
	"encoding/json"
	"slices"

	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// The data shapes of the ClusterAdapter messages (features.md 2.3), as
// JSON with binary placeholders.

// packetJSON is a socket.io packet object as Node's adapter sees it.
type packetJSON struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
	Nsp  string          `json:"nsp"`
}

type flagsJSON struct {
	Volatile bool  `json:"volatile,omitempty"`
	Compress *bool `json:"compress,omitempty"`
	Local    bool  `json:"local,omitempty"`
	Timeout  int64 `json:"timeout,omitempty"`
}

type optsJSON struct {
	Rooms  []string  `json:"rooms"`
	Except []string  `json:"except"`
	Flags  flagsJSON `json:"flags"`
}

// broadcastJSON is the data of a BROADCAST (requestId only with ack).
type broadcastJSON struct {
	Packet    packetJSON `json:"packet"`
	Opts      optsJSON   `json:"opts"`
	RequestID *string    `json:"requestId,omitempty"`
}

// roomsJSON is the data of SOCKETS_JOIN and SOCKETS_LEAVE.
type roomsJSON struct {
	Opts  optsJSON `json:"opts"`
	Rooms []string `json:"rooms"`
}

type disconnectJSON struct {
	Opts  optsJSON `json:"opts"`
	Close bool     `json:"close"`
}

type fetchJSON struct {
	Opts      optsJSON `json:"opts"`
	RequestID string   `json:"requestId"`
}

type serverSideEmitJSON struct {
	Packet    json.RawMessage `json:"packet"` // [event, ...args]
	RequestID *string         `json:"requestId,omitempty"`
}

// responseJSON covers every response: FETCH_SOCKETS_RESPONSE (sockets),
// SERVER_SIDE_EMIT_RESPONSE and BROADCAST_ACK (packet: one value),
// BROADCAST_CLIENT_COUNT (clientCount).
type responseJSON struct {
	RequestID   string          `json:"requestId"`
	Sockets     json.RawMessage `json:"sockets,omitempty"`
	Packet      json.RawMessage `json:"packet,omitempty"`
	ClientCount *int            `json:"clientCount,omitempty"`
}

// wireOpts converts socketio options to the wire form: rooms and except
// without duplicates (Node keeps them in Sets), flags as Node names them.
func wireOpts(o *socketio.BroadcastOptions) optsJSON {
	w := optsJSON{Rooms: dedupe(o.Rooms), Except: dedupe(o.Except)}
	w.Flags.Volatile = o.Flags.Volatile
	if o.Flags.NoCompress {
		no := false
		w.Flags.Compress = &no
	}
	w.Flags.Timeout = o.Flags.Timeout.Milliseconds()
	return w
}

func dedupe(rs []socketio.Room) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// options converts received options.
func (o *optsJSON) options() *socketio.BroadcastOptions {
	return &socketio.BroadcastOptions{Rooms: o.Rooms, Except: o.Except, Flags: socketio.BroadcastFlags{
		Volatile:   o.Flags.Volatile,
		NoCompress: o.Flags.Compress != nil && !*o.Flags.Compress,
	}}
}

// event returns the EVENT packet of a received broadcast.
func (b *broadcastJSON) event(nsp string, atts [][]byte) parser.Packet {
	return parser.Packet{Type: parser.Event, Namespace: nsp, ID: -1, Data: b.Packet.Data, Attachments: atts}
}
