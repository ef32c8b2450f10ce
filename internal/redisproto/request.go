package redisproto

import (
	"encoding/json"
	"strconv"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/msgpackx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Request types of @socket.io/redis-adapter (features.md 2.1).
const (
	TypeSockets              = 0
	TypeAllRooms             = 1
	TypeRemoteJoin           = 2
	TypeRemoteLeave          = 3
	TypeRemoteDisconnect     = 4
	TypeRemoteFetch          = 5
	TypeServerSideEmit       = 6
	TypeBroadcast            = 7
	TypeBroadcastClientCount = 8
	TypeBroadcastAck         = 9
)

// Rooms is a list of room names that also accepts numbers (Node rooms may
// be numbers) when decoded from JSON.
type Rooms []string

// UnmarshalJSON reads an array of strings or numbers.
func (rs *Rooms) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := jsonx.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make([]string, 0, len(raw))
	for _, e := range raw {
		var s string
		if err := jsonx.Unmarshal(e, &s); err == nil {
			out = append(out, s)
			continue
		}
		var f float64
		if err := jsonx.Unmarshal(e, &f); err != nil {
			return ErrBadShape
		}
		out = append(out, string(appendJSNumber(nil, f)))
	}
	*rs = out
	return nil
}

// RequestOpts are the opts of a modern join/leave/disconnect/fetch request.
type RequestOpts struct {
	Rooms  Rooms `json:"rooms"`
	Except Rooms `json:"except"`
	Flags  *struct {
		Timeout int64 `json:"timeout"`
	} `json:"flags,omitempty"`
}

// Request is a message on key-request#nsp#. Which fields are set depends on
// Type (features.md 2.1). Packet, for a BROADCAST request, holds the packet
// map; PacketData its data array as JSON and Attachments its binary values.
type Request struct {
	UID       string          `json:"uid,omitempty"`
	RequestID string          `json:"requestId,omitempty"`
	Type      int             `json:"type"`
	Opts      *RequestOpts    `json:"opts,omitempty"`
	Rooms     Rooms           `json:"rooms,omitempty"`
	Close     *bool           `json:"close,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	Packet    *struct {
		Data json.RawMessage `json:"data"`
		Nsp  string          `json:"nsp"`
	} `json:"packet,omitempty"`
	// Legacy (v6/v7) single-socket join/leave/disconnect.
	SID  string `json:"sid,omitempty"`
	Room string `json:"room,omitempty"`

	Attachments [][]byte `json:"-"`
}

// Response is a message on key-response#nsp# (or the node's own response
// channel). Data is SERVER_SIDE_EMIT's answer; Packet BROADCAST_ACK's.
type Response struct {
	Type        int             `json:"type,omitempty"`
	RequestID   string          `json:"requestId"`
	Sockets     json.RawMessage `json:"sockets,omitempty"`
	Rooms       Rooms           `json:"rooms,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	ClientCount *int            `json:"clientCount,omitempty"`
	Packet      json.RawMessage `json:"packet,omitempty"`

	Attachments [][]byte `json:"-"`
}

// DecodeRequest decodes a request: JSON when it starts with '{' (as Node
// sniffs it), MessagePack otherwise (transcoded to JSON first, binary
// values kept as attachments).
func DecodeRequest(src []byte) (*Request, error) {
	var req Request
	js, atts, err := asJSON(src)
	if err != nil {
		return nil, err
	}
	if err := jsonx.Unmarshal(js, &req); err != nil {
		return nil, ErrBadShape
	}
	req.Attachments = atts
	return &req, nil
}

// DecodeResponse decodes a response (JSON or MessagePack, like requests).
func DecodeResponse(src []byte) (*Response, error) {
	var res Response
	js, atts, err := asJSON(src)
	if err != nil {
		return nil, err
	}
	if err := jsonx.Unmarshal(js, &res); err != nil {
		return nil, ErrBadShape
	}
	res.Attachments = atts
	return &res, nil
}

func asJSON(src []byte) ([]byte, [][]byte, error) {
	if len(src) > 0 && src[0] == '{' {
		return src, nil, nil
	}
	js, atts, rest, err := AppendJSON(nil, nil, src)
	if err != nil {
		return nil, nil, err
	}
	if len(rest) != 0 || len(js) == 0 || js[0] != '{' {
		return nil, nil, ErrBadShape
	}
	return js, atts, nil
}

// The JSON messages are written directly, in Node's key order, which keeps
// captured traffic comparable.

func appendJSONStr(dst []byte, s string) []byte { return parser.AppendString(dst, s) }

func appendJSONRooms(dst []byte, rs []string) []byte {
	dst = append(dst, '[')
	for i, r := range rs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONStr(dst, r)
	}
	return append(dst, ']')
}

func appendHead(dst []byte, uid, requestID string, typ int) []byte {
	dst = append(dst, '{')
	if uid != "" {
		dst = append(appendJSONStr(append(dst, `"uid":`...), uid), ',')
	}
	if requestID != "" {
		dst = append(appendJSONStr(append(dst, `"requestId":`...), requestID), ',')
	}
	return strconv.AppendInt(append(dst, `"type":`...), int64(typ), 10)
}

func appendReqOpts(dst []byte, rooms, except []string) []byte {
	dst = appendJSONRooms(append(dst, `,"opts":{"rooms":`...), rooms)
	return append(appendJSONRooms(append(dst, `,"except":`...), except), '}')
}

// AppendSocketsRequest writes a modern REMOTE_JOIN or REMOTE_LEAVE request:
// {uid, type, opts: {rooms, except}, rooms} (uid omitted when empty, as the
// emitter sends it).
func AppendSocketsRequest(dst []byte, uid string, typ int, rooms, except, target []string) []byte {
	dst = appendReqOpts(appendHead(dst, uid, "", typ), rooms, except)
	return append(appendJSONRooms(append(dst, `,"rooms":`...), target), '}')
}

// AppendDisconnectRequest writes {uid, type: 4, opts, close}.
func AppendDisconnectRequest(dst []byte, uid string, rooms, except []string, close bool) []byte {
	dst = appendReqOpts(appendHead(dst, uid, "", TypeRemoteDisconnect), rooms, except)
	return append(strconv.AppendBool(append(dst, `,"close":`...), close), '}')
}

// AppendFetchRequest writes {uid, requestId, type: 5, opts}.
func AppendFetchRequest(dst []byte, uid, requestID string, rooms, except []string) []byte {
	return append(appendReqOpts(appendHead(dst, uid, requestID, TypeRemoteFetch), rooms, except), '}')
}

// AppendAllRoomsRequest writes {uid, requestId, type: 1}.
func AppendAllRoomsRequest(dst []byte, uid, requestID string) []byte {
	return append(appendHead(dst, uid, requestID, TypeAllRooms), '}')
}

// AppendServerSideEmit writes {uid, requestId?, type: 6, data} where data
// is the JSON array [event, ...args].
func AppendServerSideEmit(dst []byte, uid, requestID string, data []byte) []byte {
	dst = append(appendHead(dst, uid, requestID, TypeServerSideEmit), `,"data":`...)
	return append(append(dst, data...), '}')
}

// AppendBroadcastRequest writes the MessagePack BROADCAST (with ack)
// request {uid, requestId, type: 7, packet, opts}.
func AppendBroadcastRequest(dst []byte, uid, requestID string, b *Broadcast) ([]byte, error) {
	dst = msgpackx.AppendStr(msgpackx.AppendMapHeader(dst, 5), "uid")
	dst = msgpackx.AppendStr(msgpackx.AppendStr(dst, uid), "requestId")
	dst = msgpackx.AppendStr(msgpackx.AppendStr(dst, requestID), "type")
	dst = msgpackx.AppendStr(msgpackx.AppendInt(dst, TypeBroadcast), "packet")
	dst, err := appendPacket(dst, b.Nsp, b.Data, b.Attachments)
	if err != nil {
		return dst, err
	}
	return appendOpts(msgpackx.AppendStr(dst, "opts"), &b.Opts, AdapterOrder), nil
}

// AppendClientCount writes the JSON {type: 8, requestId, clientCount}.
func AppendClientCount(dst []byte, requestID string, n int) []byte {
	dst = appendJSONStr(append(dst, `{"type":8,"requestId":`...), requestID)
	return append(strconv.AppendInt(append(dst, `,"clientCount":`...), int64(n), 10), '}')
}

// AppendBroadcastAck writes the MessagePack {type: 9, requestId, packet}
// where packet is the client's first ack argument (JSON with placeholders
// indexing atts; nil for none).
func AppendBroadcastAck(dst []byte, requestID string, arg []byte, atts [][]byte) ([]byte, error) {
	dst = msgpackx.AppendStr(msgpackx.AppendMapHeader(dst, 3), "type")
	dst = msgpackx.AppendStr(msgpackx.AppendInt(dst, TypeBroadcastAck), "requestId")
	dst = msgpackx.AppendStr(msgpackx.AppendStr(dst, requestID), "packet")
	if arg == nil {
		return msgpackx.AppendNil(dst), nil
	}
	return AppendMsgpack(dst, arg, atts)
}

// AppendServerSideEmitResponse writes {type: 6, requestId, data} (data
// omitted when nil, as JSON.stringify drops undefined).
func AppendServerSideEmitResponse(dst []byte, requestID string, data []byte) []byte {
	dst = appendJSONStr(append(dst, `{"type":6,"requestId":`...), requestID)
	if data != nil {
		dst = append(append(dst, `,"data":`...), data...)
	}
	return append(dst, '}')
}

// AppendSocketsResponse writes {requestId, sockets: [ids]}.
func AppendSocketsResponse(dst []byte, requestID string, ids []string) []byte {
	dst = appendJSONStr(append(dst, `{"requestId":`...), requestID)
	return append(appendJSONRooms(append(dst, `,"sockets":`...), ids), '}')
}

// AppendAllRoomsResponse writes {requestId, rooms}.
func AppendAllRoomsResponse(dst []byte, requestID string, rooms []string) []byte {
	dst = appendJSONStr(append(dst, `{"requestId":`...), requestID)
	return append(appendJSONRooms(append(dst, `,"rooms":`...), rooms), '}')
}

// AppendFetchResponse writes {requestId, sockets} where sockets is the JSON
// array of socket details already built.
func AppendFetchResponse(dst []byte, requestID string, sockets []byte) []byte {
	dst = appendJSONStr(append(dst, `{"requestId":`...), requestID)
	return append(append(append(dst, `,"sockets":`...), sockets...), '}')
}
