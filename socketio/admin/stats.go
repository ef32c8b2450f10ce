package admin

import (
	"os"
	"sync"
	"time"
)

// statsCounters aggregates traffic between two server_stats, per second,
// type and subtype (Node's EventBuffer).
type statsCounters struct {
	mu  sync.Mutex
	agg map[aggKey]int
}

type aggKey struct {
	second       int64 // ms since the epoch, truncated to the second
	typ, subType string
}

// aggregatedEvent is one entry of server_stats.aggregatedEvents.
type aggregatedEvent struct {
	Timestamp int64  `json:"timestamp"`
	Type      string `json:"type"`
	SubType   string `json:"subType,omitempty"`
	Count     int    `json:"count"`
}

// add counts n events of typ (and subType) in the current second.
func (c *statsCounters) add(typ, subType string, n int) {
	k := aggKey{second: time.Now().UnixMilli() / 1000 * 1000, typ: typ, subType: subType}
	c.mu.Lock()
	if c.agg == nil {
		c.agg = map[aggKey]int{}
	}
	c.agg[k] += n
	c.mu.Unlock()
}

// in and out count one message of n bytes (Node counts engine packets
// that carry data).
func (c *statsCounters) in(n int) {
	c.add("packetsIn", "", 1)
	c.add("bytesIn", "", n)
}

func (c *statsCounters) out(n int) {
	c.add("packetsOut", "", 1)
	c.add("bytesOut", "", n)
}

// drain returns the events counted since the last call and forgets them.
func (c *statsCounters) drain() []aggregatedEvent {
	c.mu.Lock()
	agg := c.agg
	c.agg = nil
	c.mu.Unlock()
	out := make([]aggregatedEvent, 0, len(agg))
	for k, n := range agg {
		out = append(out, aggregatedEvent{Timestamp: k.second, Type: k.typ, SubType: k.subType, Count: n})
	}
	return out
}

// serverStats is the server_stats payload.
type serverStats struct {
	ServerID            string            `json:"serverId"`
	Hostname            string            `json:"hostname"`
	PID                 int               `json:"pid"`
	Uptime              float64           `json:"uptime"` // seconds
	ClientsCount        int               `json:"clientsCount"`
	PollingClientsCount int               `json:"pollingClientsCount"`
	AggregatedEvents    []aggregatedEvent `json:"aggregatedEvents"`
	Namespaces          []namespaceStats  `json:"namespaces"`
}

type namespaceStats struct {
	Name         string `json:"name"`
	SocketsCount int    `json:"socketsCount"`
}

func (a *Admin) serverStats() serverStats {
	clients, polling := a.sessionCounts()
	st := serverStats{
		ServerID: a.opts.ServerID, Hostname: a.hostname, PID: a.pid,
		Uptime:       time.Since(processStart).Seconds(),
		ClientsCount: clients, PollingClientsCount: polling,
		AggregatedEvents: a.stats.drain(),
	}
	for _, n := range a.srv.Namespaces() {
		st.Namespaces = append(st.Namespaces, namespaceStats{Name: n.Name(), SocketsCount: n.NumSockets()})
	}
	return st
}

// processStart stands for the process's start (Node reports
// process.uptime()): package initialisation is close enough.
var processStart = time.Now()

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func pid() int { return os.Getpid() }
