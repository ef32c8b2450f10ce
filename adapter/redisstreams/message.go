package redisstreams

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
)

// message is a ClusterAdapter message {uid, nsp, type, data}. Data is the
// JSON text of data with binary values as socket.io placeholders indexing
// Atts: both wire forms (a stream entry, a MessagePack Pub/Sub payload)
// are transcoded to and from it.
type message struct {
	UID  string
	Nsp  string
	Type int
	Data []byte // nil: no data field
	Atts [][]byte
}

var (
	errNoNsp     = errors.New("entry without nsp")
	errBadType   = errors.New("entry type is not a number")
	errBadData   = errors.New("entry data is neither JSON nor base64 MessagePack")
	errTrailing  = errors.New("bytes after the message")
	errNotString = errors.New("entry field is not a string")
)

// entryValues returns the fields of the stream entry of m in Node's order
// (uid, nsp, type, data): data is the JSON text, or base64 of MessagePack
// when it carries binary (onlyPlaintext false).
func entryValues(m *message) ([]any, error) {
	v := []any{"uid", m.UID, "nsp", m.Nsp, "type", strconv.Itoa(m.Type)}
	if m.Data == nil {
		return v, nil
	}
	if len(m.Atts) == 0 {
		return append(v, "data", string(m.Data)), nil
	}
	mp, err := redisproto.AppendMsgpack(nil, m.Data, m.Atts)
	if err != nil {
		return nil, err
	}
	return append(v, "data", base64.StdEncoding.EncodeToString(mp)), nil
}

// decodeEntry reads the fields of a stream entry (Node's
// RedisStreamsAdapter.decode). Entries without nsp are errors here; the
// reader skips them as Node does.
func decodeEntry(fields map[string]any) (*message, error) {
	str := func(k string) (string, error) {
		switch v := fields[k].(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		default:
			return "", fmt.Errorf("%w: %s", errNotString, k)
		}
	}
	m := &message{}
	var err error
	if m.Nsp, err = str("nsp"); err != nil || m.Nsp == "" {
		return nil, errors.Join(errNoNsp, err)
	}
	if m.UID, err = str("uid"); err != nil {
		return nil, err
	}
	t, err := str("type")
	if err != nil {
		return nil, err
	}
	if m.Type, err = strconv.Atoi(t); err != nil {
		return nil, errBadType
	}
	data, err := str("data")
	if err != nil || data == "" {
		return m, err
	}
	if data[0] == '{' {
		if !jsonx.Valid([]byte(data)) {
			return nil, errBadData
		}
		m.Data = []byte(data)
		return m, nil
	}
	mp, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, errBadData
	}
	json, atts, rest, err := redisproto.AppendJSON(nil, nil, mp)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errTrailing
	}
	if json[0] != '{' { // every message's data is an object
		return nil, errBadData
	}
	m.Data, m.Atts = json, atts
	return m, nil
}

// envelopeJSON is the JSON form of a whole message.
type envelopeJSON struct {
	UID  string          `json:"uid"`
	Nsp  string          `json:"nsp"`
	Type int             `json:"type"`
	Data json.RawMessage `json:"data,omitempty"`
}

// appendPubSub encodes m whole in MessagePack, as the adapter publishes
// ephemeral messages and responses.
func appendPubSub(dst []byte, m *message) ([]byte, error) {
	j, err := jsonx.Marshal(envelopeJSON{UID: m.UID, Nsp: m.Nsp, Type: m.Type, Data: m.Data})
	if err != nil {
		return dst, err
	}
	return redisproto.AppendMsgpack(dst, j, m.Atts)
}

// decodePubSub decodes a Pub/Sub payload.
func decodePubSub(payload []byte) (*message, error) {
	j, atts, rest, err := redisproto.AppendJSON(nil, nil, payload)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errTrailing
	}
	var e envelopeJSON
	if err := jsonx.Unmarshal(j, &e); err != nil {
		return nil, err
	}
	m := &message{UID: e.UID, Nsp: e.Nsp, Type: e.Type}
	if len(e.Data) == 0 || string(e.Data) == "null" {
		return m, nil
	}
	m.Data = e.Data
	if len(atts) > 0 {
		// Keep only the binary values of data, numbered from 0: the
		// placeholders count every binary value of the payload.
		mp, err := redisproto.AppendMsgpack(nil, e.Data, atts)
		if err != nil {
			return nil, err
		}
		if m.Data, m.Atts, _, err = redisproto.AppendJSON(nil, nil, mp); err != nil {
			return nil, err
		}
	}
	return m, nil
}
