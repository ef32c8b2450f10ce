package metrics

import (
	"strconv"

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
	// Redis returns the cluster adapter's error counters (nil: no cluster).
	Redis func() RedisStats
}

// RedisStats are the errors of a cluster adapter on Redis, summed over its
// namespaces (adapter/redis, adapter/redisstreams Stats).
type RedisStats struct {
	PublishDropped uint64 // messages not published: queue full or Redis unreachable
	Dropped        uint64 // received messages dropped as malformed or oversized
	Reconnects     uint64 // subscriptions (stream readers) back after a failure
}

func newDesc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

var (
	descSessions   = newDesc("sio_fast_engine_sessions", "Open Engine.IO sessions by transport.", "transport")
	descHandshakes = newDesc("sio_fast_engine_handshakes_total", "Engine.IO sessions opened, by the transport they opened with.", "transport")
	descSockets    = newDesc("sio_fast_namespace_sockets", "Sockets connected to a namespace, by transport.", "namespace", "transport")
	descPacketsIn  = newDesc("sio_fast_received_packets_total", "Socket.IO packets decoded from clients.")
	descPacketsOut = newDesc("sio_fast_sent_packets_total", "Socket.IO packets sent, one per recipient socket.")
	descBroadcasts = newDesc("sio_fast_broadcasts_total", "Broadcasts handed to local sockets.")
	descDeliveries = newDesc("sio_fast_broadcast_deliveries_total", "Packets the broadcasts wrote, one per recipient.")
	descBytesIn    = newDesc("sio_fast_received_bytes_total", "Bytes read from clients and consumed.")
	descBytesOut   = newDesc("sio_fast_sent_bytes_total", "Bytes written to clients.")
	descReads      = newDesc("sio_fast_read_events_total", "Read events handled by the loops.")
	descFlushes    = newDesc("sio_fast_flushes_total", "Write flushes (write or writev calls) of the loops.")
	descConns      = newDesc("sio_fast_tcp_connections", "Open TCP connections.")
	descRefused    = newDesc("sio_fast_tcp_refused_total", "Connections refused at the connection cap.")
	descSlow       = newDesc("sio_fast_slow_consumer_closes_total", "Connections closed as slow consumers: queue over its cap, or queued bytes without progress for limits.write_stall.", "cause")
	descBusy       = newDesc("sio_fast_loop_busy_seconds_total", "Time an event loop spent working (its turns, write calls included) rather than waiting in epoll.", "loop")
	descTurns      = newDesc("sio_fast_loop_turns_total", "Turns of an event loop (calls from the poller into the loop).", "loop")
	descAsync      = newDesc("sio_fast_loop_async_writes_total", "Writes an event loop took from another goroutine through its inbox (Conn.AsyncWrite): a session writing to a WebSocket on another loop than its own, during an upgrade before the session moves there.", "loop")
	descStalls     = newDesc("sio_fast_loop_stalls_total", "Handler calls that held an event loop past the stall threshold.")
	descRedis      = newDesc("sio_fast_redis_errors_total", "Cluster adapter errors: publishes dropped, malformed messages dropped, reconnections after a failure.", "kind")
	descBurstGCs   = newDesc("sio_fast_burst_collections_total", "Garbage collections forced after a burst of new connections (limits.burst_collect).")
	descBurstGCSec = newDesc("sio_fast_burst_collection_seconds_total", "Wall time of the collections forced after bursts of new connections, the return of free memory to the OS included.")
	sourceDescList = []*prometheus.Desc{descSessions, descHandshakes, descSockets, descPacketsIn, descPacketsOut, descBroadcasts,
		descDeliveries, descBytesIn, descBytesOut, descReads, descFlushes, descConns, descRefused, descSlow, descBusy, descTurns,
		descAsync, descStalls, descRedis, descBurstGCs, descBurstGCSec}
)

var transports = []string{"polling", "websocket"}

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
			gauge(ch, descSessions, n, t)
		}
	}
	for _, nsp := range s.Namespaces {
		byTransport := map[string]int{"polling": 0, "websocket": 0}
		for _, sock := range nsp.Sockets() {
			byTransport[sock.Conn().Transport()]++
		}
		for _, t := range transports {
			gauge(ch, descSockets, byTransport[t], nsp.Name(), t)
		}
	}
	if s.SocketIO != nil {
		collectSocketIO(ch, s.SocketIO)
	}
	if s.Redis != nil {
		r := s.Redis()
		counter(ch, descRedis, r.PublishDropped, "publish_dropped")
		counter(ch, descRedis, r.Dropped, "malformed")
		counter(ch, descRedis, r.Reconnects, "reconnect")
	}
	if s.Loop != nil {
		if ls := s.Loop(); ls != nil {
			collectLoops(ch, ls)
		}
	}
}

func collectSocketIO(ch chan<- prometheus.Metric, srv *socketio.Server) {
	st := srv.Stats()
	counter(ch, descHandshakes, st.HandshakesPolling, "polling")
	counter(ch, descHandshakes, st.HandshakesWebSocket, "websocket")
	counter(ch, descPacketsIn, st.PacketsIn)
	counter(ch, descPacketsOut, st.PacketsOut)
	counter(ch, descBroadcasts, st.Broadcasts)
	counter(ch, descDeliveries, st.Deliveries)
	counter(ch, descStalls, srv.Stalls())
}

func collectLoops(ch chan<- prometheus.Metric, ls *loop.Server) {
	for _, l := range ls.Loops() {
		one, idx := l.Stats(), strconv.Itoa(l.Index())
		ch <- prometheus.MustNewConstMetric(descBusy, prometheus.CounterValue, one.Busy.Seconds(), idx)
		counter(ch, descTurns, one.Turns, idx)
		counter(ch, descAsync, one.AsyncWrites, idx)
	}
	st := ls.Stats()
	counter(ch, descBytesIn, st.BytesIn)
	counter(ch, descBytesOut, st.BytesOut)
	counter(ch, descReads, st.Reads)
	counter(ch, descFlushes, st.Flushes)
	counter(ch, descRefused, ls.Refused())
	counter(ch, descSlow, st.CapCloses, "queue_cap")
	counter(ch, descSlow, st.StallCloses, "write_stall")
	gauge(ch, descConns, ls.NumConns())
	n, spent := ls.BurstCollections()
	counter(ch, descBurstGCs, n)
	ch <- prometheus.MustNewConstMetric(descBurstGCSec, prometheus.CounterValue, spent.Seconds())
}

func counter(ch chan<- prometheus.Metric, d *prometheus.Desc, v uint64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
}

func gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v int, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), labels...)
}
