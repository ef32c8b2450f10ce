#!/usr/bin/env bash
# Slow-consumer measurements of docs/benchmarks.md ("Write-stall deadline and
# SO_SNDBUF"): healthy clients' fan-out latency with and without 10% of the
# clients stalled, and the kernel memory a stalled socket holds (ss -tm,
# wmem_queued of the server's sockets) per server configuration.
# Then fan-out throughput (fanout@max, 1,000 clients) per SO_SNDBUF.
#   bench/stall.sh [healthy] [stalled] [rate] [payload] [seconds]
# STALL_MODE=latency: only the latency pair (no stalled client / 10% stalled,
# defaults, or STALL_FLAGS for the server of the stalled runs), alternated
# three times: the fairest comparison on a noisy machine.
set -eu
cd "$(dirname "$0")/.."
healthy=${1:-900} stalled=${2:-100} rate=${3:-200} payload=${4:-1000} secs=${5:-10}
bin=$(mktemp -d)
go build -o "$bin/" ./cmd/sio-fast ./bench/cmd/stallclients ./bench/cmd/siobench
port=$((20000 + RANDOM % 20000))
spid=
trap '[ -z "$spid" ] || kill $spid 2>/dev/null' EXIT
run() { # label stalled server-flags...
	local label=$1 n=$2; shift 2
	port=$((port + 1))
	taskset -c 0 "$bin/sio-fast" -mode bench-app -port "$port" -log warn "$@" &
	spid=$!
	sleep 0.5
	local cpid=
	if [ "$n" -gt 0 ]; then
		"$bin/stallclients" -addr "127.0.0.1:$port" -n "$n" >/dev/null &
		cpid=$!
		sleep 1
	fi
	echo "## $label ($*; $n stalled)"
	taskset -c 1 "$bin/siobench" -addr "127.0.0.1:$port" -clients "$healthy" -scenario "${scenario:-fanout@$rate}" \
		-payload "$payload" -warmup 1s -duration "${secs}s" -drain 3s -server-pid "$spid" -md -no-progress 2>&1 |
		grep -E '^\|' || true
	# wmem_queued (w) and the send buffer size (tb) of the server's sockets with bytes queued.
	ss -tmnH state established "( sport = :$port )" | { grep -o 'tb[0-9]*,f[0-9]*,w[0-9]*' |
		awk -F'[,tbfw]+' '$4>0 {n++; w+=$4; tb+=$2} END {printf "server sockets with queued bytes: %d, wmem_queued %.0f KiB each, sndbuf %.0f KiB each\n", n, n?w/n/1024:0, n?tb/n/1024:0}' || true; }
	echo "server connections still open: $(ls /proc/$spid/fd | wc -l) fds"
	if [ -n "$cpid" ]; then kill "$cpid"; wait "$cpid" 2>/dev/null || true; fi
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	spid=
	echo
}
if [ "${STALL_MODE:-}" = latency ]; then
	for round in 1 2 3; do
		run "round $round: no stalled client, defaults" 0
		run "round $round: $stalled stalled" "$stalled" ${STALL_FLAGS:-}
	done
	exit 0
fi
run "baseline: no stalled client, defaults" 0
run "before: autotuned SO_SNDBUF, no deadline" "$stalled" -send-buffer 0 -write-stall 0
run "SO_SNDBUF 64 KiB, no deadline" "$stalled" -send-buffer 65536 -write-stall 0
run "after: defaults (SO_SNDBUF 64 KiB, 3 s deadline)" "$stalled"
healthy=1000 payload=64 scenario=fanout@max
for sb in 0 16384 65536 262144; do
	run "fanout-max, SO_SNDBUF $sb (0: autotuned)" 0 -send-buffer "$sb"
done
rm -rf "$bin"
