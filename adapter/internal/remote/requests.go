package remote

import (
	"sync"
	"time"
)

// Requests are this node's requests waiting for the other nodes' answers
// (fetchSockets, allRooms, serverSideEmit with ack, ...), by request id.
// R is the adapter's record of one request; the registry's lock guards it
// while an answer is recorded, and once a request has left the registry
// (answered, taken or expired) nothing else touches it. The zero value is
// ready; every method is safe from any goroutine.
type Requests[R any] struct {
	mu sync.Mutex
	m  map[string]*entry[R]
}

type entry[R any] struct {
	r     *R
	timer *time.Timer // AddExpiring's, stopped when the request leaves early
}

// Add registers r under id.
func (q *Requests[R]) Add(id string, r *R) {
	q.mu.Lock()
	q.put(id, &entry[R]{r: r})
	q.mu.Unlock()
}

// AddExpiring registers r under id for at most d: then, if it is still
// waiting, it leaves the registry and expire(r) is called (on the timer's
// goroutine).
func (q *Requests[R]) AddExpiring(id string, r *R, d time.Duration, expire func(*R)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e := &entry[R]{r: r}
	q.put(id, e)
	e.timer = time.AfterFunc(d, func() {
		if q.remove(id, e) {
			expire(r)
		}
	})
}

func (q *Requests[R]) put(id string, e *entry[R]) {
	if q.m == nil {
		q.m = map[string]*entry[R]{}
	}
	q.m[id] = e
}

// remove deletes id if it is still e, and reports whether it was.
func (q *Requests[R]) remove(id string, e *entry[R]) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.m[id] != e {
		return false
	}
	delete(q.m, id)
	return true
}

// Has reports whether id is waiting (a request of this node).
func (q *Requests[R]) Has(id string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	_, ok := q.m[id]
	return ok
}

// Take removes and returns request id (nil when it is gone).
func (q *Requests[R]) Take(id string) *R {
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.m[id]
	if e == nil {
		return nil
	}
	delete(q.m, id)
	if e.timer != nil {
		e.timer.Stop()
	}
	return e.r
}

// Answer calls record with request id under the lock; record stores an
// answer and reports whether the request is now complete, which removes
// it. Answer returns the request (nil when id is not waiting) and that
// completion.
func (q *Requests[R]) Answer(id string, record func(*R) (complete bool)) (*R, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.m[id]
	if e == nil {
		return nil, false
	}
	if !record(e.r) {
		return e.r, false
	}
	delete(q.m, id)
	if e.timer != nil {
		e.timer.Stop()
	}
	return e.r, true
}
