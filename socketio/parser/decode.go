package parser

import "github.com/sio-fast/sio-fast/internal/jsonx"

// Decoder turns Engine.IO message payloads into Packets. It is resumable across
// messages: a BINARY_EVENT/BINARY_ACK header is followed by its attachments as
// separate binary messages.
//
// One Decoder per connection, used from that connection's goroutine (event
// loop) only. The zero value is ready to use. After an error the Decoder is
// Reset; the caller is expected to close the connection, as Node does.
type Decoder struct {
	// MaxAttachments caps the attachment count of one packet; a larger declared
	// count is rejected before anything is allocated. 0 means
	// DefaultMaxAttachments (10, like Node); negative means no attachments.
	MaxAttachments int
	// Intern, when set, turns a namespace (never "/") into a string, e.g. by
	// looking it up among the server's registered namespaces so that decoding
	// does not allocate. The slice is only valid during the call. Either way
	// the Decoder remembers the last few namespaces a connection named (the
	// cache is allocated by the first packet outside "/"), so Intern runs
	// only on a miss, not once per packet.
	Intern func(nsp []byte) string

	pkt     Packet
	pending int       // attachments still expected for pkt
	buf     []byte    // owned copy of a binary packet's JSON while attachments arrive
	nsps    *nspCache // allocated on the first non-main namespace when Intern is nil
}

// nspCache remembers the last few namespaces a connection named, so that
// decoding does not allocate a string per packet.
type nspCache struct {
	names [4]string
	next  int
}

// maxRetainedBuf bounds the scratch buffer kept between binary packets.
const maxRetainedBuf = 64 << 10

// DecodeText feeds one Engine.IO text message. done is true when p is a
// complete packet; it is false (with nil p and err) when p is a binary header
// now waiting for its attachments. p is owned by the Decoder and valid until
// the next call; p.Data aliases b for non-binary packets. Loop goroutine only.
func (d *Decoder) DecodeText(b []byte) (p *Packet, done bool, err error) {
	if d.pending > 0 {
		d.Reset()
		return nil, false, ErrUnexpectedText
	}
	n, err := d.parse(b)
	if err != nil {
		d.Reset()
		return nil, false, err
	}
	if n == 0 {
		return &d.pkt, true, nil
	}
	// The engine reuses b; the header must survive until the last attachment.
	d.buf = append(d.buf[:0], d.pkt.Data...)
	d.pkt.Data = d.buf
	d.pkt.Attachments = make([][]byte, 0, n)
	d.pending = n
	return nil, false, nil
}

// DecodeBinary feeds one Engine.IO binary message, which must be the next
// attachment of a pending binary packet. The attachment is copied. done is true
// with the complete packet after the last attachment. Loop goroutine only.
func (d *Decoder) DecodeBinary(b []byte) (p *Packet, done bool, err error) {
	if d.pending == 0 {
		d.Reset()
		return nil, false, ErrUnexpectedBinary
	}
	att := make([]byte, len(b))
	copy(att, b)
	d.pkt.Attachments = append(d.pkt.Attachments, att)
	d.pending--
	if d.pending > 0 {
		return nil, false, nil
	}
	return &d.pkt, true, nil
}

// Pending returns how many attachments the Decoder still waits for.
// Loop goroutine only.
func (d *Decoder) Pending() int { return d.pending }

// Reset drops any partially received packet. Loop goroutine only.
func (d *Decoder) Reset() {
	d.pending = 0
	d.pkt = Packet{}
	if cap(d.buf) > maxRetainedBuf {
		d.buf = nil
	}
}

func (d *Decoder) maxAttachments() int {
	switch {
	case d.MaxAttachments == 0:
		return DefaultMaxAttachments
	case d.MaxAttachments < 0:
		return 0
	}
	return d.MaxAttachments
}

// parse decodes the header and validates the payload of the text packet b into
// d.pkt and returns its declared attachment count.
func (d *Decoder) parse(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, ErrEmpty
	}
	if b[0] < '0' || b[0] > '6' {
		return 0, ErrUnknownType
	}
	p := &d.pkt
	*p = Packet{Type: Type(b[0] - '0'), Namespace: MainNamespace, ID: -1}
	i, n := 1, 0
	if p.Type.IsBinary() {
		var err error
		if i, n, err = parseCount(b, i, d.maxAttachments()); err != nil {
			return 0, err
		}
	}
	if i < len(b) && b[i] == '/' {
		j := i
		for j < len(b) && b[j] != ',' {
			j++
		}
		p.Namespace = d.intern(b[i:j])
		i = min(j+1, len(b))
	}
	if i < len(b) && isDigit(b[i]) {
		var err error
		if i, p.ID, err = parseID(b, i); err != nil {
			return 0, err
		}
	}
	if i < len(b) {
		start, end, err := trimValue(b[i:])
		if err != nil {
			return 0, err
		}
		p.Data = b[i+start : i+end]
	}
	if err := checkShape(p); err != nil {
		return 0, err
	}
	if p.Type.IsBinary() {
		if err := checkPlaceholders(p.Data, n); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// parseCount reads `<digits>-` (the attachment count) starting at b[i].
func parseCount(b []byte, i, max int) (next, n int, err error) {
	start := i
	for ; i < len(b) && isDigit(b[i]); i++ {
		n = n*10 + int(b[i]-'0')
		if n > max { // checked per digit: no overflow, no huge allocation
			return i, 0, ErrTooManyAttachments
		}
	}
	if i == start || i >= len(b) || b[i] != '-' {
		return i, 0, ErrInvalidAttachments
	}
	return i + 1, n, nil
}

// parseID reads the ack id digits starting at b[i].
func parseID(b []byte, i int) (next int, id int64, err error) {
	for ; i < len(b) && isDigit(b[i]); i++ {
		id = id*10 + int64(b[i]-'0')
		if id > maxAckID {
			return i, 0, ErrInvalidAckID
		}
	}
	return i, id, nil
}

// intern returns the namespace as a string, avoiding allocation for "/" and,
// via the hook or the small cache, for namespaces seen before.
func (d *Decoder) intern(nsp []byte) string {
	if len(nsp) == 1 { // "/" (the only 1-byte namespace, it starts with '/')
		return MainNamespace
	}
	if d.nsps == nil {
		d.nsps = new(nspCache)
	}
	c := d.nsps
	for _, s := range c.names {
		if s == string(nsp) {
			return s
		}
	}
	var s string
	if d.Intern != nil {
		s = d.Intern(nsp)
	} else {
		s = string(nsp)
	}
	c.names[c.next] = s
	c.next = (c.next + 1) % len(c.names)
	return s
}

// checkShape enforces the per-type payload rules (Node's isPayloadValid /
// isPacketValid) on a syntactically valid payload.
func checkShape(p *Packet) error {
	var first byte
	if len(p.Data) > 0 {
		first = p.Data[0]
	}
	switch p.Type {
	case Connect:
		if p.Data != nil && first != '{' {
			return ErrInvalidPayload
		}
	case Disconnect:
		if p.Data != nil {
			return ErrInvalidPayload
		}
	case ConnectError:
		if first != '{' && first != '"' {
			return ErrInvalidPayload
		}
	case Event, BinaryEvent:
		return checkEventName(p.Data)
	case Ack, BinaryAck:
		if first != '[' || p.ID < 0 {
			return ErrInvalidPayload
		}
	}
	return nil
}

// checkEventName requires a JSON array whose first element is a number or a
// string that is not reserved.
func checkEventName(data []byte) error {
	if len(data) == 0 || data[0] != '[' {
		return ErrInvalidPayload
	}
	i := skipWS(data, 1)
	if i >= len(data) {
		return ErrInvalidPayload
	}
	if c := data[i]; c == '-' || isDigit(c) {
		return nil
	} else if c != '"' {
		return ErrInvalidPayload
	}
	end, esc, err := skipString(data, i)
	if err != nil {
		return err
	}
	if !esc {
		if isReservedBytes(data[i+1 : end-1]) {
			return ErrReservedEvent
		}
		return nil
	}
	var name string // escaped names are rare: a real decode is fine here
	if err := jsonx.Unmarshal(data[i:end], &name); err != nil {
		return ErrInvalidJSON
	}
	if IsReservedEvent(name) {
		return ErrReservedEvent
	}
	return nil
}
