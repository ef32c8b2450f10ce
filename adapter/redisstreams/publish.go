package redisstreams

import (
	"context"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// command is one queued write (XADD, PUBLISH or SET).
type command func(ctx context.Context, p goredis.Pipeliner)

// publisher owns the write side: callers enqueue without waiting, one
// goroutine sends what queued up as one pipeline, in order (so a node's
// stream entries keep the order of its calls).
type publisher struct {
	a       *Adapter
	queue   chan command
	closing chan struct{}
	failing bool // publisher goroutine only: the last pipeline failed
}

// maxPipeline bounds the commands sent in one round trip.
const maxPipeline = 256

func newPublisher(a *Adapter) *publisher {
	return &publisher{a: a, queue: make(chan command, a.opts.PublishQueue), closing: make(chan struct{})}
}

// enqueue queues c. It never blocks: with the queue full the command is
// dropped and counted. Any goroutine.
func (a *Adapter) enqueue(c command) {
	if a.closed.Load() {
		a.stats.PublishDropped.Add(1)
		return
	}
	select {
	case a.pub.queue <- c:
	default:
		n := a.stats.PublishDropped.Add(1)
		if a.stats.DropLogDue() {
			a.log.Warn("redis streams write queue full: message dropped", "dropped_total", n)
		}
	}
}

// xadd queues the stream entry of m.
func (a *Adapter) xadd(m *message) {
	values, err := entryValues(m)
	if err != nil {
		a.log.Error("redis streams message not encodable", "type", m.Type, "err", err)
		return
	}
	args := &goredis.XAddArgs{Stream: a.opts.StreamName, MaxLen: a.opts.MaxLen, Approx: true, ID: "*", Values: values}
	a.enqueue(func(ctx context.Context, p goredis.Pipeliner) { p.XAdd(ctx, args) })
}

// publish queues m, MessagePack-encoded, on channel.
func (a *Adapter) publish(channel string, m *message) {
	payload, err := appendPubSub(nil, m)
	if err != nil {
		a.log.Error("redis streams message not encodable", "type", m.Type, "err", err)
		return
	}
	a.enqueue(func(ctx context.Context, p goredis.Pipeliner) { p.Publish(ctx, channel, payload) })
}

func (p *publisher) close() { close(p.closing) }

func (p *publisher) run() {
	batch := make([]command, 0, maxPipeline)
	for {
		select {
		case c := <-p.queue:
			batch = p.collect(append(batch[:0], c))
			p.send(batch)
		case <-p.closing:
			p.drain(batch)
			return
		}
	}
}

// collect adds what is already queued, up to maxPipeline.
func (p *publisher) collect(batch []command) []command {
	for len(batch) < maxPipeline {
		select {
		case c := <-p.queue:
			batch = append(batch, c)
		default:
			return batch
		}
	}
	return batch
}

// drain sends what is still queued at Close.
func (p *publisher) drain(batch []command) {
	for {
		batch = p.collect(batch[:0])
		if len(batch) == 0 {
			return
		}
		p.send(batch)
	}
}

// send runs batch as one pipeline; failed commands are counted, the first
// failure of an outage and the recovery are logged.
func (p *publisher) send(batch []command) {
	a := p.a
	ctx, cancel := context.WithTimeout(context.Background(), a.opts.RequestsTimeout)
	defer cancel()
	pipe := a.client.Pipeline()
	for _, c := range batch {
		c(ctx, pipe)
	}
	cmds, err := pipe.Exec(ctx)
	failed := 0
	for _, c := range cmds {
		if c.Err() != nil {
			failed++
		}
	}
	if err != nil && len(cmds) == 0 {
		failed = len(batch)
	}
	a.stats.Published.Add(uint64(len(batch) - failed))
	a.stats.PublishDropped.Add(uint64(failed))
	switch {
	case failed > 0 && !p.failing:
		p.failing = true
		a.log.Error("redis streams writes failing; broadcasts are lost until Redis is back", "err", err)
	case failed == 0 && p.failing:
		p.failing = false
		a.log.Info("redis streams writes restored")
	}
}

// backoff bounds of the reader's reconnection attempts.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 5 * time.Second
)
