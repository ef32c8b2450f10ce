package redis

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
)

// message is one PUBLISH (SPUBLISH for the sharded adapter).
type message struct {
	channel string
	payload []byte
}

// publisher owns the PUBLISH side: callers enqueue without waiting, one
// goroutine sends what queued up as one pipeline, in order.
type publisher struct {
	client  goredis.UniversalClient
	opts    Options
	log     *slog.Logger
	stats   *remote.Counters
	closed  *atomic.Bool
	sharded bool // SPUBLISH instead of PUBLISH
	queue   chan message
	closing chan struct{}
	failing bool // publisher goroutine only: the last pipeline failed
}

// maxPipeline bounds the PUBLISH commands sent in one round trip.
const maxPipeline = 256

func newPublisher(client goredis.UniversalClient, opts Options, log *slog.Logger, stats *remote.Counters, closed *atomic.Bool, sharded bool) *publisher {
	return &publisher{
		client: client, opts: opts, log: log, stats: stats, closed: closed, sharded: sharded,
		queue: make(chan message, opts.PublishQueue), closing: make(chan struct{}),
	}
}

// publish queues payload for channel. It never blocks: with the queue full
// the message is dropped and counted. Any goroutine.
func (a *Adapter) publish(channel string, payload []byte) { a.pub.enqueue(channel, payload) }

func (p *publisher) enqueue(channel string, payload []byte) {
	if p.closed.Load() {
		p.stats.PublishDropped.Add(1)
		return
	}
	select {
	case p.queue <- message{channel, payload}:
	default:
		n := p.stats.PublishDropped.Add(1)
		if p.stats.DropLogDue() {
			p.log.Warn("redis publish queue full: message dropped", "dropped_total", n)
		}
	}
}

func (p *publisher) close() { close(p.closing) }

func (p *publisher) run() {
	batch := make([]message, 0, maxPipeline)
	for {
		select {
		case m := <-p.queue:
			batch = p.collect(append(batch[:0], m))
			p.send(batch)
		case <-p.closing:
			p.drain(batch)
			return
		}
	}
}

// collect adds what is already queued, up to maxPipeline.
func (p *publisher) collect(batch []message) []message {
	for len(batch) < maxPipeline {
		select {
		case m := <-p.queue:
			batch = append(batch, m)
		default:
			return batch
		}
	}
	return batch
}

// drain publishes what is queued at Close, for at most RequestsTimeout.
func (p *publisher) drain(batch []message) {
	deadline := time.Now().Add(p.opts.RequestsTimeout)
	for time.Now().Before(deadline) {
		batch = p.collect(batch[:0])
		if len(batch) == 0 {
			return
		}
		p.send(batch)
	}
}

func (p *publisher) send(batch []message) {
	a := p
	ctx, cancel := context.WithTimeout(context.Background(), a.opts.RequestsTimeout)
	defer cancel()
	pipe := a.client.Pipeline()
	for _, m := range batch {
		if p.sharded {
			pipe.SPublish(ctx, m.channel, m.payload)
		} else {
			pipe.Publish(ctx, m.channel, m.payload)
		}
	}
	_, err := pipe.Exec(ctx)
	clear(batch)
	if err != nil {
		a.stats.PublishDropped.Add(uint64(len(batch)))
		if !p.failing {
			p.failing = true
			a.log.Error("redis publish failed; messages are dropped until Redis is reachable", "err", err)
		}
		return
	}
	a.stats.Published.Add(uint64(len(batch)))
	if p.failing {
		p.failing = false
		a.log.Info("redis publish works again", "dropped_total", a.stats.PublishDropped.Load())
	}
}
