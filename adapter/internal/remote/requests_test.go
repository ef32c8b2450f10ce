package remote

import (
	"sync/atomic"
	"testing"
	"time"
)

type req struct {
	got, want int
	taken     atomic.Bool
}

func TestRequestsAnswerCompletes(t *testing.T) {
	var q Requests[req]
	q.AddExpiring("a", &req{want: 2}, time.Hour, func(*req) { t.Error("expired") })
	record := func(r *req) bool { r.got++; return r.got == r.want }
	if r, done := q.Answer("a", record); r == nil || done {
		t.Fatalf("first answer: %v %v", r, done)
	}
	if r, done := q.Answer("a", record); r == nil || !done || r.got != 2 {
		t.Fatalf("second answer: %+v %v", r, done)
	}
	if q.Has("a") {
		t.Fatal("complete request still waiting")
	}
	if r, done := q.Answer("a", record); r != nil || done {
		t.Fatalf("answer after completion: %v %v", r, done)
	}
}

func TestRequestsExpireOnce(t *testing.T) {
	var q Requests[req]
	expired := make(chan *req, 2)
	r := &req{want: 3}
	q.AddExpiring("a", r, 10*time.Millisecond, func(r *req) { expired <- r })
	select {
	case got := <-expired:
		if got != r {
			t.Fatalf("expired %p, want %p", got, r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not expired")
	}
	if q.Has("a") || q.Take("a") != nil {
		t.Fatal("expired request still waiting")
	}
}

// A request taken before its timeout never expires, even when its timer
// fires at the same time.
func TestRequestsTakenDoNotExpire(t *testing.T) {
	var q Requests[req]
	var expired atomic.Int64
	for i := range 300 {
		id := string(rune('a' + i%26))
		q.AddExpiring(id, &req{}, time.Duration(i%3)*time.Millisecond, func(r *req) {
			if r.taken.Load() {
				t.Error("a taken request expired")
			}
			expired.Add(1)
		})
		time.Sleep(time.Duration(i%2) * time.Millisecond)
		if r := q.Take(id); r != nil {
			r.taken.Store(true)
		}
	}
	time.Sleep(20 * time.Millisecond)
	t.Logf("%d of 300 expired before Take", expired.Load())
	q.Add("b", &req{})
	if !q.Has("b") || q.Take("b") == nil || q.Take("b") != nil {
		t.Fatal("Add/Take")
	}
}
