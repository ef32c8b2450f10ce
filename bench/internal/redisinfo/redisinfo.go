package redisinfo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// ErrReply reports an INFO reply that was not understood.
var ErrReply = errors.New("redisinfo: unexpected INFO reply")

// maxReply bounds the INFO reply read (a few KiB in practice).
const maxReply = 1 << 20

// request is the INFO command as sent (inline form; several sections
// need Redis 7); its bytes count in total_net_input_bytes.
const request = "INFO stats cpu commandstats\r\n"

// publishers are the commands that publish a cluster message: the classic
// adapter's, the sharded adapter's and the Streams adapter's.
var publishers = map[string]bool{"cmdstat_publish": true, "cmdstat_spublish": true, "cmdstat_xadd": true}

// Sample is one reading of the counters.
type Sample struct {
	In, Out int64         // total_net_input_bytes, total_net_output_bytes
	CPU     time.Duration // used_cpu_user + used_cpu_sys
	// Published counts the PUBLISH, SPUBLISH and XADD commands executed.
	Published int64
	// reply is the size of this reading's own reply: it is counted in the
	// next reading's Out, not in this one's.
	reply int64
}

// Delta is the traffic and CPU between two samples, the readings' own
// INFO commands and replies taken out.
type Delta struct {
	In, Out   int64
	CPU       time.Duration
	Published int64
}

// Sub returns what happened between a (earlier) and b. b's request is in
// b.In (Redis counts a query when it reads it) and a's reply in b.Out (it
// is written after the values it reports were taken): both are removed.
func (b Sample) Sub(a Sample) Delta {
	return Delta{In: b.In - a.In - int64(len(request)), Out: b.Out - a.Out - a.reply, CPU: b.CPU - a.CPU,
		Published: b.Published - a.Published}
}

// Read connects to addr (host:port), sends INFO and parses the reply.
func Read(addr string) (Sample, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return Sample{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		return Sample{}, err
	}
	body, n, err := readBulk(bufio.NewReader(c))
	if err != nil {
		return Sample{}, err
	}
	s, err := parse(body)
	s.reply = n
	return s, err
}

// readBulk reads one RESP bulk string and returns it with the reply's size
// on the wire.
func readBulk(r *bufio.Reader) ([]byte, int64, error) {
	head, err := r.ReadBytes('\n')
	if err != nil {
		return nil, 0, err
	}
	if len(head) < 4 || head[0] != '$' {
		return nil, 0, fmt.Errorf("%w: %q", ErrReply, bytes.TrimSpace(head))
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(head[1:])))
	if err != nil || n < 0 || n > maxReply {
		return nil, 0, fmt.Errorf("%w: %q", ErrReply, bytes.TrimSpace(head))
	}
	body := make([]byte, n+2) // and the closing CRLF
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, 0, err
	}
	return body[:n], int64(len(head) + len(body)), nil
}

// parse reads the counters from INFO's "key:value" lines; commandstats
// lines read "cmdstat_publish:calls=3,usec=…".
func parse(body []byte) (Sample, error) {
	var s Sample
	var user, sys float64
	found := 0
	for line := range bytes.Lines(body) {
		k, v, ok := bytes.Cut(bytes.TrimSpace(line), []byte{':'})
		if !ok {
			continue
		}
		var err error
		switch string(k) {
		case "total_net_input_bytes":
			s.In, err = strconv.ParseInt(string(v), 10, 64)
		case "total_net_output_bytes":
			s.Out, err = strconv.ParseInt(string(v), 10, 64)
		case "used_cpu_user":
			user, err = strconv.ParseFloat(string(v), 64)
		case "used_cpu_sys":
			sys, err = strconv.ParseFloat(string(v), 64)
		default:
			if publishers[string(k)] {
				calls, _, _ := bytes.Cut(bytes.TrimPrefix(v, []byte("calls=")), []byte{','})
				n, err := strconv.ParseInt(string(calls), 10, 64)
				if err != nil {
					return s, fmt.Errorf("%w: %s: %v", ErrReply, k, err)
				}
				s.Published += n
			}
			continue
		}
		if err != nil {
			return s, fmt.Errorf("%w: %s: %v", ErrReply, k, err)
		}
		found++
	}
	if found != 4 {
		return s, fmt.Errorf("%w: %d of 4 counters", ErrReply, found)
	}
	s.CPU = time.Duration((user + sys) * float64(time.Second))
	return s, nil
}
