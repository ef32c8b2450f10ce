#!/usr/bin/env bash
# wss:// vs ws:// fan-out, side by side in one run (docs/benchmarks.md,
# "wss:// fan-out"): one sio-fast bench-app serving ws://, one serving wss://
# (a throwaway self-signed certificate), each pinned to CPU 0 while siobench
# runs on CPU 1, alternating per repetition.
#   bench/wss.sh [-clients N] [-reps R] [-scenarios LIST] [-profile] [-- siobench flags]
# -profile writes the servers' CPU profiles to bench/out/wss/{ws,wss}-N.pprof.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=10000 reps=2 scenarios="fanout@10,fanout@max" profile=""
while [ $# -gt 0 ]; do
	case "$1" in
	-clients) clients=$2; shift 2 ;;
	-reps) reps=$2; shift 2 ;;
	-scenarios) scenarios=$2; shift 2 ;;
	-profile) profile=1; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [-clients N] [-reps R] [-scenarios LIST] [-profile] [-- siobench flags]" >&2; exit 2 ;;
	esac
done
out=bench/out/wss
mkdir -p "$out/bin"
go build -o "$out/bin/sio-fast" ./cmd/sio-fast
go build -o "$out/bin/siobench" ./bench/cmd/siobench
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$out/key.pem" -out "$out/cert.pem" 2>/dev/null
rm -f "$out/results.jsonl"

# run LABEL PORT [server flags...]: one server, one siobench run against it.
run() {
	local label=$1 port=$2 pid
	shift 2
	local prof=()
	[ -n "$profile" ] && prof=(-cpuprofile "$out/$label.pprof")
	taskset -c 0 "$out/bin/sio-fast" -mode bench-app -port "$port" "${prof[@]}" "$@" >"$out/$label.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	local tls=()
	[ $# -gt 0 ] && tls=(-tls -tls-ca "$out/cert.pem")
	taskset -c 1 "$out/bin/siobench" -addr "127.0.0.1:$port" -peer "$label" -server-pid "$pid" \
		-clients "$clients" -scenario "$scenarios" -warmup 1s -duration 5s -drain 3s \
		-json "$out/results.jsonl" -no-progress "${tls[@]}" "${BENCH_FLAGS[@]}" || true
	kill -TERM "$pid"
	wait "$pid" || true
}

BENCH_FLAGS=("$@")
base=$((20000 + RANDOM % 20000))
for r in $(seq "$reps"); do
	run "ws-$r" $((base + 2 * r))
	run "wss-$r" $((base + 2 * r + 1)) -tls-cert "$out/cert.pem" -tls-key "$out/key.pem"
done
go run ./bench/cmd/siocompare -render -out "$out" >/dev/null 2>&1 || true
jq -r '[.peer, .scenario, .clients, (.offered_per_s // "max"), .per_s, .p50_us, .p99_us, .lost,
	.server_cores, .server_cpu_s_per_m_deliveries, .gen_cpu_ns_per_msg] | @tsv' "$out/results.jsonl" 2>/dev/null ||
	cat "$out/results.jsonl"
