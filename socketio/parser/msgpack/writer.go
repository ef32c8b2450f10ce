package msgpack

import (
	"github.com/vmihailenco/msgpack/v5"

	"github.com/sio-fast/sio-fast/internal/msgpackx"
)

// writer writes a packet's map with the library's Encoder, which writes
// into b through the Write methods below; the JSON data in between is
// msgpackx's (appendData).
type writer struct {
	b   []byte
	enc *msgpack.Encoder
}

func newWriter() *writer {
	w := &writer{}
	w.enc = msgpack.NewEncoder(w)
	return w
}

// Write appends p (io.Writer for the Encoder).
func (w *writer) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteByte appends c (io.ByteWriter for the Encoder).
func (w *writer) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

// appendData writes the JSON data (placeholders indexing atts become bin)
// with the transcoder the cluster wire formats share.
func (w *writer) appendData(data []byte, atts [][]byte) error {
	b, err := msgpackx.AppendJSON(w.b, data, atts, maxDepth)
	w.b = b
	switch err {
	case nil:
		return nil
	case msgpackx.ErrTooDeep:
		return ErrTooDeep
	}
	return ErrInvalidJSON
}
