package remote

import (
	"fmt"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

// EmitWithAck is a serverSideEmit with ack as every cluster adapter runs
// it: ask how many nodes listen, and unless this one is alone, register
// the request (expiring after Timeout) and publish it. Only how a request
// is recorded and published is the adapter's. R is the adapter's record
// in Requests.
type EmitWithAck[R any] struct {
	Requests *Requests[R]
	NumSub   func() (int, error)    // nodes listening, this one included
	NewID    func() string          // a request id, as the adapter's Node peer makes them
	Timeout  time.Duration          // RequestsTimeout
	Record   func(*Replies) *R      // the record holding the answers to come
	Publish  func(requestID string) // sends the request to the other nodes
}

// Run sends the request and hands ack the other nodes' answers once all
// came, or after Timeout Node's "timeout reached: only X responses
// received out of Y" with the answers so far; ack(nil, nil) when no other
// node listens, ack(err, nil) when Redis could not be asked. It blocks on
// NumSub: call it on a goroutine of its own.
func (e *EmitWithAck[R]) Run(ack func(error, []socketio.Args)) {
	n, err := e.NumSub()
	if err != nil {
		ack(err, nil)
		return
	}
	if n--; n <= 0 {
		ack(nil, nil)
		return
	}
	rep := &Replies{expected: n, ack: ack}
	id := e.NewID()
	e.Requests.AddExpiring(id, e.Record(rep), e.Timeout, func(*R) { rep.expire() })
	e.Publish(id)
}

// Replies collects the answers to one serverSideEmit with ack. Add and
// Skip run under the Requests lock (in Answer's record), Done once the
// request has left the registry complete.
type Replies struct {
	expected int // the other nodes
	got      int // answers counted, with or without a value
	replies  []socketio.Args
	ack      func(error, []socketio.Args)
}

// Add records one answer and reports whether every node has answered.
func (r *Replies) Add(args socketio.Args) (complete bool) {
	r.replies = append(r.replies, args)
	return r.Skip()
}

// Skip counts an answer that carries no value and reports whether every
// node has answered.
func (r *Replies) Skip() (complete bool) {
	r.got++
	return r.got == r.expected
}

// Done hands ack the answers of a complete request.
func (r *Replies) Done() { r.ack(nil, r.replies) }

func (r *Replies) expire() {
	r.ack(fmt.Errorf("timeout reached: only %d responses received out of %d", len(r.replies), r.expected), r.replies)
}
