package remote

import (
	"errors"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

type emitReq struct{ r *Replies }

type ackResult struct {
	err     error
	replies []socketio.Args
}

// runEmit starts an EmitWithAck with nodes listening (this one included) and
// returns its request id (none when nothing was published) and the ack's
// channel.
func runEmit(t *testing.T, q *Requests[emitReq], nodes int, numSubErr error, timeout time.Duration) (string, chan ackResult) {
	t.Helper()
	acks := make(chan ackResult, 1)
	var published string
	e := EmitWithAck[emitReq]{
		Requests: q,
		NumSub:   func() (int, error) { return nodes, numSubErr },
		NewID:    func() string { return "id1" },
		Timeout:  timeout,
		Record:   func(r *Replies) *emitReq { return &emitReq{r} },
		Publish:  func(id string) { published = id },
	}
	e.Run(func(err error, r []socketio.Args) { acks <- ackResult{err, r} })
	return published, acks
}

func TestEmitWithAckAloneOrUnreachable(t *testing.T) {
	var q Requests[emitReq]
	if id, acks := runEmit(t, &q, 1, nil, time.Hour); id != "" || q.Has("id1") {
		t.Fatalf("alone: published %q", id)
	} else if a := <-acks; a.err != nil || a.replies != nil {
		t.Fatalf("alone: ack %+v", a)
	}
	boom := errors.New("boom")
	if id, acks := runEmit(t, &q, 0, boom, time.Hour); id != "" {
		t.Fatalf("unreachable: published %q", id)
	} else if a := <-acks; !errors.Is(a.err, boom) {
		t.Fatalf("unreachable: ack %+v", a)
	}
}

func TestEmitWithAckCompletes(t *testing.T) {
	var q Requests[emitReq]
	id, acks := runEmit(t, &q, 3, nil, time.Hour)
	if id != "id1" || !q.Has(id) {
		t.Fatalf("published %q", id)
	}
	add := func(r *emitReq) bool { return r.r.Add(socketio.NewArgs(nil, []byte(`"x"`))) }
	if _, done := q.Answer(id, add); done {
		t.Fatal("complete after one answer of two")
	}
	r, done := q.Answer(id, func(r *emitReq) bool { return r.r.Skip() })
	if !done {
		t.Fatal("not complete after two answers")
	}
	r.r.Done()
	if a := <-acks; a.err != nil || len(a.replies) != 1 {
		t.Fatalf("ack %+v", a)
	}
}

func TestEmitWithAckTimesOut(t *testing.T) {
	var q Requests[emitReq]
	id, acks := runEmit(t, &q, 3, nil, 10*time.Millisecond)
	q.Answer(id, func(r *emitReq) bool { return r.r.Add(socketio.NewArgs(nil, []byte(`1`))) })
	a := <-acks
	if a.err == nil || a.err.Error() != "timeout reached: only 1 responses received out of 2" || len(a.replies) != 1 {
		t.Fatalf("ack %v %d replies", a.err, len(a.replies))
	}
	if q.Has(id) {
		t.Fatal("expired request still waiting")
	}
}
