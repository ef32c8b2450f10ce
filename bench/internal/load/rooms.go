package load

import (
	"fmt"
	"strconv"
	"time"
)

// joinRooms puts client i in room i % cfg.Rooms (acknowledged joins, at most
// cfg.Concurrency in flight) and returns the size of every room.
func (r *runner) joinRooms() ([]int, error) {
	rooms := max(r.cfg.Rooms, 1)
	members := make([]int, rooms)
	want := r.t.joinAcks.Load()
	for i, c := range r.conns {
		room := i % rooms
		if c.Room == room {
			members[room]++
			continue
		}
		for int(want-r.t.joinAcks.Load()) >= max(r.cfg.Concurrency, 1) {
			time.Sleep(200 * time.Microsecond)
		}
		c.Room = room
		c.NextAck++
		r.body = append(r.body[:0], "42"...)
		r.body = strconv.AppendUint(r.body, c.NextAck, 10)
		r.body = append(r.body, `["join","room-`...)
		r.body = strconv.AppendInt(r.body, int64(room), 10)
		r.body = append(r.body, `"]`...)
		if err := r.send(c); err != nil {
			return nil, err
		}
		want++
		members[room]++
	}
	return members, r.waitAcks(want)
}

// waitAcks waits until the join (or subscribe) acknowledgements reach want.
func (r *runner) waitAcks(want int64) error {
	deadline := time.Now().Add(10*time.Second + r.cfg.Drain)
	for r.t.joinAcks.Load() < want {
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: %d of %d", ErrJoin, r.t.joinAcks.Load(), want)
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}
