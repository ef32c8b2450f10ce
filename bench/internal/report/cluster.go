package report

import (
	"fmt"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// split names a cluster run's clients per node ("5000+5000"), "" for a
// run against one server.
func split(r load.Result) string {
	if len(r.Nodes) == 0 {
		return ""
	}
	parts := make([]string, len(r.Nodes))
	for i, n := range r.Nodes {
		parts[i] = fmt.Sprint(n.Clients)
	}
	return strings.Join(parts, "+")
}

// clusterHeadline is the metrics of a cluster run's tables: the
// deliveries, those that crossed Redis (to nodes after the publisher's),
// what one published message cost each side and Redis.
func clusterHeadline() []metric {
	remote := func(get func(*load.Deliveries) float64) func(load.Result) float64 {
		return func(r load.Result) float64 {
			if r.Remote == nil {
				return 0
			}
			return get(r.Remote)
		}
	}
	redis := func(get func(*load.RedisResult) float64) func(load.Result) float64 {
		return func(r load.Result) float64 {
			if r.Redis == nil {
				return 0
			}
			return get(r.Redis)
		}
	}
	return []metric{
		{Name: "deliveries/s", Higher: true, Get: func(r load.Result) float64 { return r.PerSec }},
		{Name: "remote deliveries/s", Higher: true, Get: remote(func(d *load.Deliveries) float64 { return d.PerSec })},
		{Name: "remote p50", Unit: "µs", Get: remote(func(d *load.Deliveries) float64 { return d.P50 })},
		{Name: "remote p99", Unit: "µs", Get: remote(func(d *load.Deliveries) float64 { return d.P99 })},
		{Name: "lost", NoRate: true, Get: func(r load.Result) float64 { return float64(r.Lost) }},
		{Name: "publishing node CPU/msg", Unit: "µs", Get: publisherCPU},
		{Name: "receiving node CPU/msg", Unit: "µs", Get: receiverCPU},
		{Name: "Redis in/msg", Unit: "B", Get: redis(func(d *load.RedisResult) float64 { return d.InPerMsg })},
		{Name: "Redis out/msg", Unit: "B", Get: redis(func(d *load.RedisResult) float64 { return d.OutPerMsg })},
		{Name: "Redis CPU/msg", Unit: "µs", Get: redis(func(d *load.RedisResult) float64 { return d.CPUPerMsgUs })},
		{Name: "gen CPU/msg", Unit: "ns", NoRate: true, Get: func(r load.Result) float64 { return r.GenNsPerMsg }},
	}
}

// publisherCPU is the first node's CPU per published message (µs).
func publisherCPU(r load.Result) float64 {
	if len(r.Nodes) == 0 {
		return 0
	}
	return r.Nodes[0].CPUPerMsgUs
}

// receiverCPU is the mean CPU per published message (µs) of the nodes
// after the first: what a remote broadcast costs a node.
func receiverCPU(r load.Result) float64 {
	if len(r.Nodes) < 2 {
		return 0
	}
	sum := 0.0
	for _, n := range r.Nodes[1:] {
		sum += n.CPUPerMsgUs
	}
	return sum / float64(len(r.Nodes)-1)
}
