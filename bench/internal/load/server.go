package load

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// The scenarios against sio-fast's standalone server (cmd/sio-fast, mode
// server) rather than the bench app. Clients subscribe with the server's
// channel events (standalone/policy.go): every client to room "bench", and
// client i to its own room "u-<i>"; the server's policy must allow both
// (subscribe patterns "bench" and "u-*", publish "bench").
//
//   - apifanout: the backend publishes {"t","p"} to room "bench" through
//     POST /api/emit: every client receives it.
//   - publish: client 0 sends the channel event publish("bench", "bench",
//     {"t","p"}): every other client receives it. Side by side with
//     apifanout, the same fan-out triggered by a client event.
//   - apiemit: the backend publishes to one client's room in turn ("u-<i>",
//     a notification to one user), to read the API's requests/s.
//
// The API scenarios post with Config.APIConns keep-alive connections; the
// latency runs from the publisher's send (before the request is written) to
// the delivery, as for the WebSocket publishers.

const benchRoom = "bench"

// serverSend returns the sendFunc of a standalone scenario, subscribing the
// clients first when they are not yet.
func (r *runner) serverSend(name string, live int) (sendFunc, error) {
	if name == "apifanout" || name == "apiemit" {
		if r.cfg.APIURL == "" {
			return nil, ErrNoAPI
		}
		if r.api == nil {
			r.api = newAPIPoster(r.cfg.APIURL, r.cfg.APIKey, r.cfg.APIConns)
		}
	}
	if err := r.subscribe(); err != nil {
		return nil, err
	}
	switch name {
	case "apifanout":
		return func(seq uint64, ts int64) (*wsclient.Conn, int) {
			r.body = append(r.body[:0], `{"rooms":["`+benchRoom+`"],"event":"bench","args":[`...)
			r.body = append(r.appendData(r.body, seq, ts), "]}"...)
			return nil, live
		}, nil
	case "publish":
		pub := r.conns[0]
		return func(seq uint64, ts int64) (*wsclient.Conn, int) {
			r.body = append(r.body[:0], `42["publish","`+benchRoom+`","bench",`...)
			r.body = append(r.appendData(r.body, seq, ts), ']')
			return pub, live - 1 // to the room but the sender
		}, nil
	case "apiemit":
		return func(seq uint64, ts int64) (*wsclient.Conn, int) {
			r.body = append(r.body[:0], `{"rooms":["u-`...)
			r.body = strconv.AppendUint(r.body, seq%uint64(len(r.conns)), 10)
			r.body = append(r.body, `"],"event":"notification","args":[`...)
			r.body = append(r.appendData(r.body, seq, ts), "]}"...)
			return nil, 1
		}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrScenario, name)
}

// transmit sends r.body: on c, or through the publish API when c is nil.
func (r *runner) transmit(c *wsclient.Conn) error {
	if c == nil {
		return r.api.post(r.body)
	}
	return r.send(c)
}

// subscribe subscribes every client to room "bench" and to its own room,
// once, with at most cfg.Concurrency acknowledgements awaited.
func (r *runner) subscribe() error {
	if r.subscribed {
		return nil
	}
	want := r.t.joinAcks.Load()
	for i, c := range r.conns {
		for _, room := range []string{benchRoom, "u-" + strconv.Itoa(i)} {
			for int(want-r.t.joinAcks.Load()) >= max(r.cfg.Concurrency, 1) {
				time.Sleep(200 * time.Microsecond)
			}
			c.NextAck++
			r.body = append(r.body[:0], "42"...)
			r.body = strconv.AppendUint(r.body, c.NextAck, 10)
			r.body = append(r.body, `["subscribe","`+room+`"]`...)
			if err := r.send(c); err != nil {
				return err
			}
			want++
		}
	}
	if err := r.waitAcks(want); err != nil {
		return err
	}
	r.subscribed = true
	return nil
}
