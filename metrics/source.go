package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// Source is what a scrape reads. Every field may be nil.
type Source struct {
	Engine     *engineio.Server
	SocketIO   *socketio.Server
	Namespaces []*socketio.Namespace
	Loop       func() *loop.Server // nil until listening
}

var (
	descSessions   = prometheus.NewDesc("sio_fast_engine_sessions", "Open Engine.IO sessions by transport.", []string{"transport"}, nil)
	descSockets    = prometheus.NewDesc("sio_fast_namespace_sockets", "Sockets connected to a namespace.", []string{"namespace"}, nil)
	descBytesIn    = prometheus.NewDesc("sio_fast_received_bytes_total", "Bytes read from clients and consumed.", nil, nil)
	descBytesOut   = prometheus.NewDesc("sio_fast_sent_bytes_total", "Bytes written to clients.", nil, nil)
	descReads      = prometheus.NewDesc("sio_fast_read_events_total", "Read events handled by the loops.", nil, nil)
	descFlushes    = prometheus.NewDesc("sio_fast_flushes_total", "Write flushes (write or writev calls) of the loops.", nil, nil)
	descConns      = prometheus.NewDesc("sio_fast_tcp_connections", "Open TCP connections.", nil, nil)
	descRefused    = prometheus.NewDesc("sio_fast_tcp_refused_total", "Connections refused at the connection cap.", nil, nil)
	descStalls     = prometheus.NewDesc("sio_fast_loop_stalls_total", "Handler calls that held an event loop past the stall threshold.", nil, nil)
	sourceDescList = []*prometheus.Desc{descSessions, descSockets, descBytesIn, descBytesOut, descReads, descFlushes, descConns, descRefused, descStalls}
)

type sourceCollector struct{ src Source }

func newSourceCollector(src Source) prometheus.Collector { return &sourceCollector{src: src} }

func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range sourceDescList {
		ch <- d
	}
}

func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src
	if s.Engine != nil {
		byTransport := map[string]int{"polling": 0, "websocket": 0}
		for _, sock := range s.Engine.Sockets() {
			byTransport[sock.Transport()]++
		}
		for t, n := range byTransport {
			ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(n), t)
		}
	}
	for _, nsp := range s.Namespaces {
		ch <- prometheus.MustNewConstMetric(descSockets, prometheus.GaugeValue, float64(nsp.NumSockets()), nsp.Name())
	}
	if s.SocketIO != nil {
		ch <- prometheus.MustNewConstMetric(descStalls, prometheus.CounterValue, float64(s.SocketIO.Stalls()))
	}
	var ls *loop.Server
	if s.Loop != nil {
		ls = s.Loop()
	}
	if ls == nil {
		return
	}
	st := ls.Stats()
	for _, m := range []struct {
		d *prometheus.Desc
		v uint64
	}{{descBytesIn, st.BytesIn}, {descBytesOut, st.BytesOut}, {descReads, st.Reads}, {descFlushes, st.Flushes}, {descRefused, ls.Refused()}} {
		ch <- prometheus.MustNewConstMetric(m.d, prometheus.CounterValue, float64(m.v))
	}
	ch <- prometheus.MustNewConstMetric(descConns, prometheus.GaugeValue, float64(ls.NumConns()))
}
