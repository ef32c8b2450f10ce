package redisproto

import (
	"encoding/json"
	"strconv"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

// Message types of socket.io-adapter's ClusterAdapter, used by the sharded
// and the Streams adapters (features.md 2.3, 2.4).
const (
	ClusterInitialHeartbeat       = 1
	ClusterHeartbeat              = 2
	ClusterBroadcast              = 3
	ClusterSocketsJoin            = 4
	ClusterSocketsLeave           = 5
	ClusterDisconnectSockets      = 6
	ClusterFetchSockets           = 7
	ClusterFetchSocketsResponse   = 8
	ClusterServerSideEmit         = 9
	ClusterServerSideEmitResponse = 10
	ClusterBroadcastClientCount   = 11
	ClusterBroadcastAck           = 12
	ClusterAdapterClose           = 13
)

// clusterMayContainBinary are the types Node encodes with MessagePack when
// their data holds binary (JSON otherwise).
func clusterMayContainBinary(typ int) bool {
	switch typ {
	case ClusterBroadcast, ClusterFetchSocketsResponse, ClusterServerSideEmit, ClusterServerSideEmitResponse, ClusterBroadcastAck:
		return true
	}
	return false
}

// ClusterMessage is a decoded {uid, nsp, type, data} envelope. Data is the
// JSON of data (binary values as placeholders indexing Attachments), nil
// when absent.
type ClusterMessage struct {
	UID         string          `json:"uid"`
	Nsp         string          `json:"nsp"`
	Type        int             `json:"type"`
	Data        json.RawMessage `json:"data,omitempty"`
	Attachments [][]byte        `json:"-"`
}

// ClusterFlags are the flags of ClusterOpts that matter on receipt.
type ClusterFlags struct {
	Volatile bool  `json:"volatile,omitempty"`
	Compress *bool `json:"compress,omitempty"`
	Timeout  int64 `json:"timeout,omitempty"`
}

// ClusterOpts are encodeOptions(opts): {rooms, except, flags}.
type ClusterOpts struct {
	Rooms  Rooms         `json:"rooms"`
	Except Rooms         `json:"except"`
	Flags  *ClusterFlags `json:"flags,omitempty"`
}

// ClusterData holds the fields of every type's data; which are set depends
// on the type. Packet is the packet object of a BROADCAST ({type, data}),
// the [event, ...args] array of a SERVER_SIDE_EMIT, or the answer of a
// SERVER_SIDE_EMIT_RESPONSE / BROADCAST_ACK.
type ClusterData struct {
	Packet      json.RawMessage `json:"packet,omitempty"`
	Opts        *ClusterOpts    `json:"opts,omitempty"`
	RequestID   string          `json:"requestId,omitempty"`
	Rooms       Rooms           `json:"rooms,omitempty"`
	Close       bool            `json:"close,omitempty"`
	Sockets     json.RawMessage `json:"sockets,omitempty"`
	ClientCount *int            `json:"clientCount,omitempty"`
}

// ClusterPacket is a BROADCAST's packet: Data the [event, ...args] array.
type ClusterPacket struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
}

// DecodeCluster decodes a message as Node's onRawMessage does: JSON when
// the first byte is '{', MessagePack otherwise (binary values kept as
// attachments).
func DecodeCluster(src []byte) (*ClusterMessage, error) {
	js, atts, err := asJSON(src)
	if err != nil {
		return nil, err
	}
	var m ClusterMessage
	if err := jsonx.Unmarshal(js, &m); err != nil {
		return nil, ErrBadShape
	}
	m.Attachments = atts
	return &m, nil
}

// DecodeClusterData decodes m's data (an empty ClusterData when absent).
func DecodeClusterData(m *ClusterMessage) (*ClusterData, error) {
	var d ClusterData
	if len(m.Data) == 0 {
		return &d, nil
	}
	if err := jsonx.Unmarshal(m.Data, &d); err != nil {
		return nil, ErrBadShape
	}
	return &d, nil
}

// AppendCluster appends the envelope {type, data, uid, nsp} (Node's key
// order: publish sets uid and nsp after type and data) around data
// (JSON with placeholders indexing atts; nil for none). Like Node's
// encode, the result is JSON unless the type may carry binary and atts is
// not empty: then it is the MessagePack of the whole message.
func AppendCluster(dst []byte, uid, nsp string, typ int, data []byte, atts [][]byte) ([]byte, error) {
	js := strconv.AppendInt(append(dst, `{"type":`...), int64(typ), 10)
	if data != nil {
		js = append(append(js, `,"data":`...), data...)
	}
	js = appendJSONStr(append(js, `,"uid":`...), uid)
	js = appendJSONStr(append(js, `,"nsp":`...), nsp)
	js = append(js, '}')
	if len(atts) == 0 || !clusterMayContainBinary(typ) {
		return js, nil
	}
	return AppendMsgpack(dst, js[len(dst):], atts)
}

// AppendClusterOpts appends encodeOptions(opts) as JSON.
func AppendClusterOpts(dst []byte, o *Opts) []byte {
	dst = appendJSONRooms(append(dst, `{"rooms":`...), o.Rooms)
	dst = appendJSONRooms(append(dst, `,"except":`...), o.Except)
	dst = append(dst, `,"flags":{`...)
	sep := ""
	if o.Flags.Volatile {
		dst, sep = append(dst, `"volatile":true`...), ","
	}
	if o.Flags.Compress != nil {
		dst = strconv.AppendBool(append(append(dst, sep...), `"compress":`...), *o.Flags.Compress)
		sep = ","
	}
	if o.Flags.Timeout > 0 {
		dst = strconv.AppendInt(append(append(dst, sep...), `"timeout":`...), o.Flags.Timeout, 10)
	}
	return append(dst, "}}"...)
}

// AppendClusterBroadcastData appends a BROADCAST's data: {packet, opts} or,
// with a request id, {packet, requestId, opts} (Node's key orders). The
// packet is {type, data} without nsp: Node encodes it before the in-memory
// adapter sets packet.nsp.
func AppendClusterBroadcastData(dst []byte, data []byte, requestID string, o *Opts) []byte {
	dst = append(append(dst, `{"packet":{"type":2,"data":`...), data...)
	dst = append(dst, '}')
	if requestID != "" {
		dst = appendJSONStr(append(dst, `,"requestId":`...), requestID)
	}
	return append(AppendClusterOpts(append(dst, `,"opts":`...), o), '}')
}

// AppendClusterRequestData appends {opts, requestId?} (FETCH_SOCKETS) or
// {opts, rooms} (SOCKETS_JOIN/LEAVE, rooms non-nil) or {opts, close}
// (DISCONNECT_SOCKETS, close non-nil).
func AppendClusterRequestData(dst []byte, o *Opts, requestID string, rooms []string, close *bool) []byte {
	dst = AppendClusterOpts(append(dst, `{"opts":`...), o)
	if requestID != "" {
		dst = appendJSONStr(append(dst, `,"requestId":`...), requestID)
	}
	if rooms != nil {
		dst = appendJSONRooms(append(dst, `,"rooms":`...), rooms)
	}
	if close != nil {
		dst = strconv.AppendBool(append(dst, `,"close":`...), *close)
	}
	return append(dst, '}')
}

// AppendClusterResponseData appends {requestId, <key>: value} (value raw
// JSON; the key is omitted when value is nil, as JSON.stringify drops
// undefined).
func AppendClusterResponseData(dst []byte, requestID, key string, value []byte) []byte {
	dst = appendJSONStr(append(dst, `{"requestId":`...), requestID)
	if value != nil {
		dst = append(append(appendJSONStr(append(dst, ','), key), ':'), value...)
	}
	return append(dst, '}')
}

// AppendClusterServerSideEmitData appends {requestId?, packet}.
func AppendClusterServerSideEmitData(dst []byte, requestID string, packet []byte) []byte {
	dst = append(dst, '{')
	if requestID != "" {
		dst = append(appendJSONStr(append(dst, `"requestId":`...), requestID), ',')
	}
	return append(append(append(dst, `"packet":`...), packet...), '}')
}
