package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sio-fast/sio-fast/socketio"
)

// Metrics holds the collectors of one server.
type Metrics struct {
	reg          *prometheus.Registry
	connects     *prometheus.CounterVec // namespace
	disconnects  *prometheus.CounterVec // namespace, reason
	authRefusals prometheus.Counter
	apiEmits     prometheus.Counter
	apiDelivered prometheus.Counter
	apiFanout    prometheus.Histogram
	fanout       prometheus.Histogram
}

// New registers the collectors: src is read at each scrape, plus Go and
// process collectors. It installs the fan-out latency histogram as
// src.SocketIO's FanoutObserver.
func New(src Source) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		connects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sio_fast_socket_connects_total", Help: "Sockets connected to a namespace.",
		}, []string{"namespace"}),
		disconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sio_fast_socket_disconnects_total", Help: "Sockets disconnected, by namespace and Socket.IO reason.",
		}, []string{"namespace", "reason"}),
		authRefusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sio_fast_auth_refusals_total", Help: "Connections refused by authentication (CONNECT_ERROR).",
		}),
		apiEmits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sio_fast_api_emits_total", Help: "Emits published through the HTTP API (a batch counts each).",
		}),
		apiDelivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sio_fast_api_recipients_total", Help: "Local sockets the API's emits were addressed to.",
		}),
		apiFanout: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sio_fast_api_fanout_seconds", Help: "Time to hand one API emit to every recipient's loop.",
			Buckets: prometheus.ExponentialBuckets(10e-6, 4, 10),
		}),
		fanout: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sio_fast_fanout_seconds",
			Help: "Time from a broadcast until an event loop flushed it to its recipients there (one observation per broadcast and loop).",
			// 25 µs to 0.8 s: a few recipients on an idle loop to 10,000
			// and more behind a busy one.
			Buckets: prometheus.ExponentialBuckets(25e-6, 2, 16),
		}),
	}
	if src.SocketIO != nil {
		src.SocketIO.ObserveFanout(m.observeFanout)
	}
	m.reg.MustRegister(m.connects, m.disconnects, m.authRefusals, m.apiEmits, m.apiDelivered, m.apiFanout, m.fanout,
		newSourceCollector(src), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the text exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Connected counts a socket connected to nsp.
func (m *Metrics) Connected(nsp string) {
	if m != nil {
		m.connects.WithLabelValues(nsp).Inc()
	}
}

// Disconnected counts a socket of nsp gone for reason.
func (m *Metrics) Disconnected(nsp string, reason socketio.DisconnectReason) {
	if m != nil {
		m.disconnects.WithLabelValues(nsp, string(reason)).Inc()
	}
}

// AuthRefused counts a connection refused by authentication.
func (m *Metrics) AuthRefused() {
	if m != nil {
		m.authRefusals.Inc()
	}
}

// Published counts an API emit to recipients sockets that took d to hand
// over.
func (m *Metrics) Published(recipients int, d time.Duration) {
	if m != nil {
		m.apiEmits.Inc()
		m.apiDelivered.Add(float64(recipients))
		m.apiFanout.Observe(d.Seconds())
	}
}

// observeFanout is the FanoutObserver: one loop's share of a broadcast.
func (m *Metrics) observeFanout(_ int, d time.Duration) { m.fanout.Observe(d.Seconds()) }
