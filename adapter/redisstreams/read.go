package redisstreams

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
)

// read follows the stream until Close, on a.reader (which Close closes to
// end a blocked XREAD: an error after Close is the signal to return, not
// a fault). It starts at the stream's current end (Node's "$", taken as
// an explicit id so that restores know where delivery starts) and hands
// every entry to onEntry, in stream order. When Redis fails it logs
// once, retries with a capped backoff and resumes after the last entry it
// handled, so entries added meanwhile (if Redis kept them) are delivered
// late rather than lost. Once caught up (an
// XREAD returned fewer than ReadCount entries), the next XREAD waits for
// Options.BatchWindow (when set) if entries come fast, so that each returns many:
// Node's reader batches the same way, by coming back late.
func (a *Adapter) read() {
	backoff := minBackoff
	down := false
	fail := func(err error) {
		if !down {
			down = true
			a.log.Error("redis stream read failing; serving local clients only until it is back", "err", err)
		}
		a.sleep(backoff)
		backoff = min(2*backoff, maxBackoff)
	}
	var last string
	pacer := remote.Pacer{Window: a.opts.BatchWindow}
	for a.ctx.Err() == nil {
		if last == "" {
			id, err := a.tail()
			if err != nil {
				if a.ctx.Err() == nil {
					fail(err)
				}
				continue
			}
			last = id.String()
			a.cursor = id
			a.readyMu.Do(func() { close(a.ready) })
		}
		res, err := a.reader.XRead(a.ctx, &goredis.XReadArgs{
			Streams: []string{a.opts.StreamName, last}, Count: a.opts.ReadCount, Block: a.opts.BlockTime,
		}).Result()
		if a.ctx.Err() != nil {
			return
		}
		if err != nil && !errors.Is(err, goredis.Nil) {
			fail(err)
			continue
		}
		if down {
			down = false
			backoff = minBackoff
			a.stats.Reconnects.Add(1)
			a.log.Info("redis stream read restored")
		}
		n := 0
		for _, s := range res {
			n += len(s.Messages)
			for i := range s.Messages {
				a.onEntry(&s.Messages[i])
				last = s.Messages[i].ID
			}
		}
		if n > 0 && int64(n) < a.opts.ReadCount {
			pacer.Woke(a.ctx)
		}
	}
}

// tail returns the id of the stream's last entry (0-0 when empty).
func (a *Adapter) tail() (streamID, error) {
	ctx, cancel := context.WithTimeout(a.ctx, a.opts.RequestsTimeout)
	defer cancel()
	msgs, err := a.reader.XRevRangeN(ctx, a.opts.StreamName, "+", "-", 1).Result()
	if err != nil || len(msgs) == 0 {
		return streamID{}, err
	}
	id, _ := parseID(msgs[0].ID)
	return id, nil
}

func (a *Adapter) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-a.ctx.Done():
	}
}

// drop counts and (at most once a second) logs a message that cannot be
// used.
func (a *Adapter) drop(where, id string, err error) {
	n := a.stats.Dropped.Add(1)
	if a.stats.DropLogDue() {
		a.log.Warn("redis streams message dropped", "from", where, "id", id, "err", err, "dropped_total", n)
	}
}
