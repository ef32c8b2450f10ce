#!/usr/bin/env bash
# The standalone server's publish API against the same fan-out triggered by
# a client event, and metrics on against off, side by side in one run
# (docs/benchmarks.md, "Publish API and metrics"): sio-fast -mode server
# with bench/standalone.yaml, pinned to CPU 0, siobench on CPU 1. Each
# repetition starts a server with metrics on and one with metrics off (in
# turn first), and runs the same scenarios against each: apifanout (POST /api/emit to room
# "bench"), publish (client 0's publish event to "bench"), apiemit (POST
# /api/emit to one client's room in turn: the API's requests/s).
#   bench/api.sh [-clients N] [-reps R] [-scenarios LIST] [-- siobench flags]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=10000 reps=2 scenarios="apifanout@10,publish@10,apifanout@max,publish@max,apiemit@max"
while [ $# -gt 0 ]; do
	case "$1" in
	-clients) clients=$2; shift 2 ;;
	-reps) reps=$2; shift 2 ;;
	-scenarios) scenarios=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: $0 [-clients N] [-reps R] [-scenarios LIST] [-- siobench flags]" >&2; exit 2 ;;
	esac
done
out=bench/out/api
mkdir -p "$out/bin"
go build -o "$out/bin/sio-fast" ./cmd/sio-fast
go build -o "$out/bin/siobench" ./bench/cmd/siobench
rm -f "$out/results.jsonl"

# wait_port PORT: until something listens on 127.0.0.1:PORT (10 s at most).
wait_port() {
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
		sleep 0.1
	done
}

# run LABEL PORT METRICS: one server, one siobench run against it.
run() {
	local label=$1 port=$2 metrics=$3 pid
	taskset -c 0 "$out/bin/sio-fast" -config bench/standalone.yaml -addr "127.0.0.1:$port" \
		-api-addr "127.0.0.1:$((port + 1))" -metrics="$metrics" >"$out/$label.log" 2>&1 &
	pid=$!
	wait_port "$port"
	wait_port $((port + 1))
	taskset -c 1 "$out/bin/siobench" -addr "127.0.0.1:$port" -peer "$label" -server-pid "$pid" \
		-api "http://127.0.0.1:$((port + 1))" -api-key bench-key-0123456789 \
		-clients "$clients" -scenario "$scenarios" -warmup 1s -duration 5s -drain 3s \
		-json "$out/results.jsonl" -no-progress "${BENCH_FLAGS[@]}" || true
	if [ "$metrics" = true ]; then
		curl -s "http://127.0.0.1:$((port + 1))/metrics" >"$out/$label.metrics" || true
	fi
	kill -TERM "$pid" 2>/dev/null || true # it may have failed to start (see its log)
	wait "$pid" || true
}

BENCH_FLAGS=("$@")
# Below the ephemeral range (32768-60999): 10,000 client sockets of the
# previous run may still hold a port there (TIME_WAIT).
base=$((20000 + RANDOM % 10000))
for r in $(seq "$reps"); do
	if [ $((r % 2)) = 1 ]; then # on first, then off first: no order effect
		run "metrics-on-$r" $((base + 4 * r)) true
		run "metrics-off-$r" $((base + 4 * r + 2)) false
	else
		run "metrics-off-$r" $((base + 4 * r + 2)) false
		run "metrics-on-$r" $((base + 4 * r)) true
	fi
done
jq -r '[.peer, .scenario, .clients, (.offered_per_s // "max"), .sent, .per_s, .p50_us, .p99_us, .lost,
	.server_cores, .server_cpu_s_per_m_deliveries, .gen_cpu_ns_per_msg] | @tsv' "$out/results.jsonl" 2>/dev/null ||
	cat "$out/results.jsonl"
