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
}

// New registers the collectors: src is read at each scrape, plus Go and
// process collectors.
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
	}
	m.reg.MustRegister(m.connects, m.disconnects, m.authRefusals, m.apiEmits, m.apiDelivered, m.apiFanout,
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
