package load

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/procstat"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// sendFunc builds message seq stamped ts into r.body and returns the
// connection to send it on and how many deliveries it should produce.
type sendFunc func(seq uint64, ts int64) (c *wsclient.Conn, expected int)

func (r *runner) scenario(sc Scenario, res *Result) error {
	live := int(r.t.ready.Load() - r.t.lostConn.Load())
	var send sendFunc
	window := r.cfg.Inflight
	switch sc.Name {
	case "fanout":
		pub := r.conns[0]
		send = func(seq uint64, ts int64) (*wsclient.Conn, int) {
			r.body = append(r.body[:0], `42["broadcast",`...)
			r.body = append(r.appendData(r.body, seq, ts), ']')
			return pub, live
		}
	case "room":
		members, err := r.joinRooms()
		if err != nil {
			return err
		}
		pub := r.conns[0]
		send = func(seq uint64, ts int64) (*wsclient.Conn, int) {
			room := int(seq % uint64(len(members)))
			r.body = append(r.body[:0], `42["to-room","room-`...)
			r.body = strconv.AppendInt(r.body, int64(room), 10)
			r.body = append(r.body, `",`...)
			r.body = append(r.appendData(r.body, seq, ts), ']')
			return pub, members[room]
		}
	case "echo":
		if window = r.cfg.EchoInflight; window <= 0 {
			window = len(r.conns) // about one echo in flight per client
		}
		send = func(seq uint64, ts int64) (*wsclient.Conn, int) {
			c := r.conns[seq%uint64(len(r.conns))]
			c.NextAck++
			r.body = append(r.body[:0], "42"...)
			r.body = strconv.AppendUint(r.body, c.NextAck, 10)
			r.body = append(r.body, `["echo",`...)
			r.body = append(r.appendData(r.body, seq, ts), ']')
			return c, 1
		}
	default:
		var err error
		if send, err = r.serverSend(sc.Name, live); err != nil {
			return err
		}
	}
	res.Mode, res.Offered = "rate", sc.Rate
	if sc.Rate <= 0 {
		res.Mode, res.Offered = "max", 0
	}
	return r.measure(sc.Label(), sc.Rate, max(window, 1), send, res)
}

// measure runs warm-up, the measured window and the drain, and fills res.
// window bounds the messages not yet fully delivered when rate <= 0.
func (r *runner) measure(name string, rate float64, window int, send sendFunc, res *Result) error {
	if r.cfg.Warmup > 0 {
		if _, _, err := r.publish(name+" warmup", r.cfg.Warmup, rate, window, send); err != nil {
			return err
		}
		r.drain(r.cfg.Drain)
	}
	r.t.from.Store(r.seq)
	r.t.to.Store(^uint64(0))
	r.t.received.Store(0)
	r.t.dup.Store(0)
	r.t.resetBad()
	r.t.lat.Reset()
	r.t.resetNodes()
	redis0, nodes0 := r.redisSample(), r.servers()
	srv0, gen0, start := r.server(), procstat.SelfCPU(), time.Now()
	sent, expected, err := r.publish(name, r.cfg.Duration, rate, window, send)
	r.t.to.Store(r.seq)
	drained := r.drain(r.cfg.Drain)
	r.awaitPublished(redis0, sent)
	elapsed := time.Since(start)
	srv1, gen1 := r.server(), procstat.SelfCPU()
	nodes1, redis1 := r.servers(), r.redisSample()
	res.Start, res.End = start.UnixNano(), time.Now().UnixNano()

	res.Seconds = elapsed.Seconds()
	res.Sent, res.Expected = sent, expected
	res.Received, res.Dup = r.t.received.Load(), r.t.dup.Load()
	r.t.badFigures(res)
	res.ConnsLost = r.t.lostConn.Load()
	if res.Expected > res.Received {
		res.Lost = res.Expected - res.Received
	}
	res.PerSec = float64(res.Received) / elapsed.Seconds()
	fillLatency(res, r.t.lat.Summarize())
	cpu := srv1.CPU - srv0.CPU
	res.ServerCPUms, res.ServerCores = ms(cpu), cpu.Seconds()/elapsed.Seconds()
	if res.Received > 0 && r.hasPID() {
		res.CPUsPerM = cpu.Seconds() / (float64(res.Received) / 1e6)
	}
	res.RSSKiB, res.PSSKiB = srv1.RSSKiB, srv1.PSSKiB
	redisFigures(res, redis0, redis1)
	r.clusterFigures(res, nodes0, nodes1, elapsed)
	res.GenCPUms = ms(gen1 - gen0)
	if res.Received > 0 {
		res.GenNsPerMsg = float64(gen1-gen0) / float64(res.Received)
	}
	if err != nil {
		return err
	}
	return verdict(name, res, drained, r.cfg.FailOnUnparsable)
}

// verdict is the error of a measured scenario whose figures cannot be
// trusted: deliveries lost or duplicated, nothing sent, or (when
// failUnparsable) packets the generator could not parse. Unparsable packets
// otherwise only show in Result.Unparsable and the report.
func verdict(name string, res *Result, drained, failUnparsable bool) error {
	switch {
	case res.Lost > 0 || res.Dup > 0:
		return fmt.Errorf("load: %s lost %d, duplicated %d of %d deliveries (drained=%v)",
			name, res.Lost, res.Dup, res.Expected, drained)
	case res.Sent == 0:
		return fmt.Errorf("load: %s sent nothing", name)
	case failUnparsable && res.Unparsable > 0:
		return fmt.Errorf("load: %s received %d packets it could not parse", name, res.Unparsable)
	}
	return nil
}

// publish sends for d at rate messages/s, or as fast as the server absorbs
// with at most window messages not yet fully delivered (rate <= 0). It
// returns how many messages were sent and deliveries expected.
func (r *runner) publish(label string, d time.Duration, rate float64, window int, send sendFunc) (sent, expected uint64, err error) {
	start := time.Now()
	stop := r.progress(label, func() (float64, string) {
		el := time.Since(start)
		return el.Seconds() / d.Seconds(), fmt.Sprintf("%.0f deliveries/s", float64(r.t.received.Load())/el.Seconds())
	})
	defer stop()
	lastGot, lastProgress := r.t.got.Load(), time.Now()
	for {
		el := time.Since(start)
		if el >= d {
			return sent, expected, nil
		}
		if rate > 0 {
			due := uint64(rate*el.Seconds()) + 1
			if sent >= due {
				// Sleep at least 1 ms and send what fell due in a batch:
				// sub-millisecond timers cost more CPU than they save.
				time.Sleep(max(time.Duration(float64(sent)/rate*1e9)-el, time.Millisecond))
				continue
			}
		} else if r.seq-r.t.done.Load() >= uint64(window) {
			select {
			case <-r.t.wake:
			case <-time.After(50 * time.Millisecond):
			}
			if got := r.t.got.Load(); got != lastGot {
				lastGot, lastProgress = got, time.Now()
			} else if time.Since(lastProgress) > max(r.cfg.Drain, time.Second) {
				return sent, expected, ErrStalled
			}
			continue
		}
		seq := r.seq
		r.seq++
		ts := r.t.now()
		c, n := send(seq, ts)
		// Arm the counter before sending: the first delivery can come back
		// before Send returns. Store also clears what a lost message left.
		r.t.ring[seq&ringMask].Store(int32(n))
		if err := r.transmit(c); err != nil {
			return sent, expected, err
		}
		sent++
		if seq >= r.t.from.Load() && seq < r.t.to.Load() {
			expected += uint64(n)
		}
	}
}

// drain waits until every message sent so far is fully delivered or until
// no delivery at all arrived for d. It reports whether everything arrived.
func (r *runner) drain(d time.Duration) bool {
	last, since := r.t.got.Load(), time.Now()
	for {
		if r.t.done.Load() >= r.seq {
			return true
		}
		if got := r.t.got.Load(); got != last {
			last, since = got, time.Now()
		} else if time.Since(since) > d {
			return false
		}
		select {
		case <-r.t.wake:
		case <-time.After(10 * time.Millisecond):
		}
	}
}
