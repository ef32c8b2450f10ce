#!/usr/bin/env bash
# The capacity model's per-core check (docs/capacity.md, "Checking the
# per-core figures"): sio-fast's bench app with -loops 1 against -loops 2,
# alternated per round, each phase on a fresh server:
#   idle     -idle-clients (18,000) WebSocket clients: memory per connection,
#            CPU per handshake;
#   fanout   -clients (10,000): idle,fanout@10,fanout@max (CPU per delivery);
#   polling  -clients long-polling-only clients: idle,fanout@1 (memory per
#            polling client, CPU per polled delivery); skipped with -no-polling.
#   bench/capacity.sh [-clients N] [-idle-clients N] [-rounds R] [-loops "1 2"]
#                     [-server-cpu LIST] [-gen-cpu LIST] [-no-polling] [-port P]
#                     [-out DIR] [-- siobench flags]
# Defaults: server on CPU 0, siobench on CPU 1; -server-cpu 0,1 -gen-cpu 0,1
# lets a second loop use a second core (the generator then shares both).
# Writes DIR/results.jsonl (default bench/out/capacity) and prints one line
# per result: peer (loopsL-rR-phase), scenario, clients, rate, deliveries/s,
# p50/p99 µs, lost, server cores, CPU s per M deliveries, ms per 1k conns,
# KiB per connection.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=10000 idle=18000 rounds=3 loops="1 2" scpu=0 gcpu=1 polling=1
port=$((20000 + RANDOM % 20000)) out=bench/out/capacity
while [ $# -gt 0 ]; do
	case "$1" in
	-clients) clients=$2; shift 2 ;;
	-idle-clients) idle=$2; shift 2 ;;
	-rounds) rounds=$2; shift 2 ;;
	-loops) loops=$2; shift 2 ;;
	-server-cpu) scpu=$2; shift 2 ;;
	-gen-cpu) gcpu=$2; shift 2 ;;
	-no-polling) polling=""; shift ;;
	-port) port=$2; shift 2 ;;
	-out) out=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: $0 [-clients N] [-idle-clients N] [-rounds R] [-loops \"1 2\"] [-server-cpu LIST] [-gen-cpu LIST] [-no-polling] [-port P] [-out DIR] [-- siobench flags]" >&2; exit 2 ;;
	esac
done
mkdir -p "$out/bin"
go build -o "$out/bin/sio-fast" ./cmd/sio-fast
go build -o "$out/bin/siobench" ./bench/cmd/siobench
rm -f "$out/results.jsonl"
BENCH_FLAGS=("$@")

# run LABEL LOOPS N SCENARIOS [siobench flags...]: a fresh server with LOOPS
# event loops on the next port, one siobench run of N clients against it.
run() {
	local label=$1 nloops=$2 n=$3 scen=$4 pid
	shift 4
	# The port range overlaps the kernel's ephemeral ports, so a port may be
	# taken by some client's connection: try the next one until a server
	# stays up.
	for _ in $(seq 20); do
		port=$((port + 1))
		taskset -c "$scpu" "$out/bin/sio-fast" -mode bench-app -port "$port" -loops "$nloops" -log warn \
			>"$out/$label.log" 2>&1 &
		pid=$!
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && break
		wait "$pid" || true
	done
	echo "$(date -u +%H:%M:%S) $label: loops $nloops, $n clients, $scen $*" >&2
	taskset -c "$gcpu" "$out/bin/siobench" -addr "127.0.0.1:$port" -peer "$label" -server-pid "$pid" \
		-clients "$n" -scenario "$scen" -warmup 1s -duration 5s -drain 3s \
		-json "$out/results.jsonl" -no-progress "$@" "${BENCH_FLAGS[@]}" || true
	kill -TERM "$pid"
	wait "$pid" || true
}

for r in $(seq "$rounds"); do
	for l in $loops; do
		run "loops$l-r$r-idle" "$l" "$idle" idle
		run "loops$l-r$r-fanout" "$l" "$clients" idle,fanout@10,fanout@max
		[ -n "$polling" ] && run "loops$l-r$r-polling" "$l" "$clients" idle,fanout@1 -transport polling
	done
done
jq -r '[.peer, .scenario, .clients, (.offered_per_s // "max"), (.per_s|floor), (.p50_us|floor), (.p99_us|floor),
	.lost, .server_cores, .server_cpu_s_per_m_deliveries, .server_cpu_ms_per_1k_conn, .kib_per_conn] | @tsv' \
	"$out/results.jsonl" 2>/dev/null || cat "$out/results.jsonl"
