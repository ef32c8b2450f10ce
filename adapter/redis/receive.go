package redis

import (
	"errors"
	"net"
	"slices"
	"strings"
	"time"
	"unsafe"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
)

// Reconnection backoff of the subscription.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// healthCheck is the silence after which the subscription is pinged.
const healthCheck = 15 * time.Second

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// receive subscribes and handles every message, in order, until Close.
// When the connection fails, go-redis reconnects and resubscribes on the
// next Receive; this loop paces the attempts and logs the outage once.
// Messages coming fast are read in batches when Options.BatchWindow is set.
func (a *core) receive() {
	ps := a.ps
	backoff := minBackoff
	down := false
	confirmed := make(map[string]bool, len(a.fixed)) // the fixed channels confirmed since the last failure
	for !a.trySubscribe(ps, &backoff) {
		if a.ctx.Err() != nil {
			return
		}
	}
	pacer := remote.Pacer{Window: a.opts.BatchWindow}
	for {
		start := time.Now()
		msg, err := ps.ReceiveTimeout(a.ctx, healthCheck)
		if a.ctx.Err() != nil {
			return
		}
		if isTimeout(err) {
			err = ps.Ping(a.ctx) // a silent connection may be dead: a failed ping makes go-redis reconnect
		}
		if err != nil {
			if !down {
				down = true
				a.log.Error("redis subscription lost; serving local clients only until it is back", "err", err)
			}
			clear(confirmed)
			a.sleep(backoff)
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		switch m := msg.(type) {
		case *goredis.Subscription:
			// Only the fixed channels count: a room channel's (sharded
			// dynamic modes, subscribed by another goroutine on this
			// connection) may be confirmed first, or twice.
			if !a.confirms(m, confirmed) {
				break
			}
			if len(confirmed) == len(a.fixed) {
				backoff = minBackoff
				a.readyOne.Do(func() { close(a.ready) })
				if down {
					down = false
					a.stats.Reconnects.Add(1)
					a.log.Info("redis subscription restored")
				}
			}
		case *goredis.Message:
			a.dispatch(m)
			if time.Since(start) >= remote.Waited {
				pacer.Woke(a.ctx)
			}
		}
	}
}

// confirms records m in confirmed when it confirms the subscription of one
// of the fixed channels (or the pattern) not confirmed yet, and says so.
func (a *core) confirms(m *goredis.Subscription, confirmed map[string]bool) bool {
	switch m.Kind {
	case "subscribe", "psubscribe", "ssubscribe":
	default:
		return false
	}
	if confirmed[m.Channel] || !slices.Contains(a.fixed, m.Channel) {
		return false
	}
	confirmed[m.Channel] = true
	return true
}

// subscribeAll subscribes the classic adapter's channels.
func (a *Adapter) subscribeAll(ps *goredis.PubSub) error {
	err := ps.PSubscribe(a.ctx, a.ch.Broadcast+"*")
	if err == nil {
		err = ps.Subscribe(a.ctx, a.ch.Request, a.ch.Response, a.specific)
	}
	return err
}

// trySubscribe sends the subscriptions; false (after a pause) on failure.
func (a *core) trySubscribe(ps *goredis.PubSub, backoff *time.Duration) bool {
	if err := a.subscribe(ps); err == nil {
		return true
	} else if *backoff == minBackoff {
		a.log.Error("redis subscribe failed; retrying", "err", err)
	}
	a.sleep(*backoff)
	*backoff = min(2**backoff, maxBackoff)
	return false
}

func (a *core) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-a.ctx.Done():
	}
}

// payload counts m as received and returns a read-only view of its
// payload, or false when it is bigger than MaxMessageBytes (dropped,
// counted). The receiving goroutine.
func (a *core) payload(m *goredis.Message) ([]byte, bool) {
	a.stats.Received.Add(1)
	if len(m.Payload) > a.opts.MaxMessageBytes {
		a.drop(m.Channel, "oversized", nil)
		return nil, false
	}
	return unsafe.Slice(unsafe.StringData(m.Payload), len(m.Payload)), true
}

// onMessage routes one message by channel, like Node's onmessage/onrequest.
func (a *Adapter) onMessage(m *goredis.Message) {
	payload, ok := a.payload(m)
	if !ok {
		return
	}
	switch {
	case m.Pattern != "":
		a.onBroadcast(m.Channel, payload)
	case m.Channel == a.ch.Request:
		a.onRequest(payload)
	case strings.HasPrefix(m.Channel, a.ch.Response):
		a.onResponse(payload)
	}
}

// drop counts and (at most once a second) logs a message that cannot be
// used.
func (a *core) drop(channel, why string, err error) {
	n := a.stats.Dropped.Add(1)
	if a.stats.DropLogDue() {
		a.log.Warn("redis message dropped", "channel", channel, "reason", why, "err", err, "dropped_total", n)
	}
}
