package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// applyNodes reads -addr, -server-pid and -split into cfg: one address is
// a plain run (cfg.Addr, cfg.ServerPID); a comma list is a cluster run
// (cfg.Nodes), its clients split as -split says, or evenly over -clients.
func applyNodes(cfg *load.Config, addrs, pids, split string) error {
	as := strings.Split(addrs, ",")
	ps, err := ints("-server-pid", pids, len(as))
	if err != nil {
		return err
	}
	if len(as) == 1 {
		if split != "" {
			return errors.New("-split needs several -addr")
		}
		cfg.Addr = as[0]
		if len(ps) == 1 {
			cfg.ServerPID = ps[0]
		}
		return nil
	}
	counts, err := ints("-split", split, len(as))
	if err != nil {
		return err
	}
	if counts == nil {
		counts = make([]int, len(as))
		for i := range counts {
			counts[i] = cfg.Clients / len(as)
			if i < cfg.Clients%len(as) {
				counts[i]++
			}
		}
	}
	cfg.Addr, cfg.Nodes, cfg.Clients = as[0], make([]load.Node, len(as)), 0
	for i, a := range as {
		cfg.Nodes[i] = load.Node{Addr: strings.TrimSpace(a), Clients: counts[i]}
		cfg.Clients += counts[i]
		if ps != nil {
			cfg.Nodes[i].PID = ps[i]
		}
	}
	return nil
}

// ints parses a comma list of n non-negative integers; "" is nil.
func ints(flagName, list string, n int) ([]int, error) {
	if list == "" {
		return nil, nil
	}
	f := strings.Split(list, ",")
	if len(f) != n {
		return nil, fmt.Errorf("%s: %d values for %d addresses", flagName, len(f), n)
	}
	out := make([]int, n)
	for i, s := range f {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%s: %q is not a count", flagName, s)
		}
		out[i] = v
	}
	return out, nil
}
