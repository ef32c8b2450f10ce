package load

import (
	"strconv"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/hist"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

type runner struct {
	cfg   Config
	t     *tracker
	engs  []*wsclient.Engine // one per node
	conns []*wsclient.Conn
	seq   uint64 // next sequence number (publisher goroutine only)
	frame []byte // publisher's frame buffer
	body  []byte // publisher's packet buffer
	pad   []byte

	api        *apiPoster // the publish API's posters (server.go), nil until used
	subscribed bool       // clients subscribed to the standalone server's rooms
}

// Run connects cfg.Clients clients, runs every scenario in order on the same
// connections (idle only reports the ramp-up: connections/s, and the
// server's memory per connection against its RSS before the ramp-up, so it
// means KiB per connection only on a fresh server) and calls emit with each Result as soon as it is known. It
// returns the first error that stopped the run; scenario errors (loss, stall)
// are reported in Result.Error and do not stop the run.
func Run(cfg Config, emit func(Result)) error {
	addrs, bounds, err := clusterSetup(&cfg)
	if err != nil {
		return err
	}
	r := &runner{cfg: cfg, t: newTracker(max(cfg.Concurrency, 1))}
	r.t.setNodes(bounds, len(cfg.Nodes) > 0)
	r.pad = make([]byte, max(cfg.Payload, 1))
	for i := range r.pad {
		r.pad[i] = 'x'
	}
	defer func() {
		if r.api != nil {
			r.api.close()
		}
		r.t.closing.Store(true)
		for _, e := range r.engs {
			e.Close()
		}
	}()
	for _, addr := range addrs {
		e, err := wsclient.New(wsclient.Config{Server: addr, Workers: cfg.Workers, Handler: r.t, Transport: cfg.Transport,
			PostConns: cfg.PostConns, TLS: cfg.TLS})
		if err != nil {
			return err
		}
		r.engs = append(r.engs, e)
	}
	idle := r.result("idle")
	if err := r.connect(&idle); err != nil {
		idle.Error = err.Error()
		emit(idle)
		return err
	}
	for _, sc := range cfg.Scenarios {
		if sc.Name == "idle" {
			emit(idle)
			continue
		}
		res := r.result(sc.Label())
		if err := r.scenario(sc, &res); err != nil {
			res.Error = err.Error()
		}
		emit(res)
	}
	return nil
}

// result starts the Result of scenario label. Over polling the label ends
// in "-polling" ("idle-polling", "fanout-polling"), so that the report's
// tables never mix the transports.
func (r *runner) result(label string) Result {
	if r.cfg.Transport == wsclient.TransportPolling {
		label += "-polling"
	}
	res := Result{Peer: r.cfg.Peer, Scenario: label, Clients: r.cfg.Clients}
	if r.cfg.Transport != wsclient.TransportWebSocket {
		res.Transport = r.cfg.Transport.String()
	}
	res.TLS = r.cfg.TLS != nil
	return res
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func fillLatency(res *Result, s hist.Summary) {
	res.P50, res.P90, res.P99, res.P999, res.Max = latencyUs(s)
}

// latencyUs returns s's p50, p90, p99, p99.9 and max in microseconds.
func latencyUs(s hist.Summary) (p50, p90, p99, p999, mx float64) {
	us := func(v int64) float64 { return float64(v) / 1e3 }
	return us(s.P50), us(s.P90), us(s.P99), us(s.P999), us(s.Max)
}

// appendData appends {"t":T,"p":"<seq>xxx"} with p padded to cfg.Payload.
func (r *runner) appendData(b []byte, seq uint64, ts int64) []byte {
	b = append(b, `{"t":`...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, `,"p":"`...)
	n := len(b)
	b = strconv.AppendUint(b, seq, 10)
	if pad := len(r.pad) - (len(b) - n); pad > 0 {
		b = append(b, r.pad[:pad]...)
	}
	return append(b, `"}`...)
}

// send frames body as a text message and writes it on c (over polling:
// queues it for c's next POST).
func (r *runner) send(c *wsclient.Conn) error {
	if r.cfg.Transport == wsclient.TransportPolling {
		return c.Post(r.body)
	}
	r.frame = wsclient.AppendText(r.frame[:0], r.body)
	return c.Send(r.frame)
}
