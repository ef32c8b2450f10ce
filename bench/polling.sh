#!/usr/bin/env bash
# Long-polling at scale, side by side in one run (docs/benchmarks.md,
# "Long-polling at scale"): long-polling-only clients (siobench -transport
# polling) against sio-fast's bench app and Node socket.io (bench/peers/node),
# and optionally a second sio-fast binary (-base BIN, e.g. main's, labelled
# sio-fast-base), each on a fresh server pinned to CPU 0 while siobench runs
# on CPU 1, the servers in turn within each repetition.
#   bench/polling.sh [-clients N] [-reps R] [-scenarios LIST] [-base BIN] [-no-node] [-profile] [-- siobench flags]
# Writes bench/out/polling/{results.jsonl,report.md}; -profile writes
# sio-fast's CPU profile per repetition to bench/out/polling/sio-fast-N.pprof.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=10000 reps=2 scenarios="idle,fanout@1" profile="" base_bin="" node=1
while [ $# -gt 0 ]; do
	case "$1" in
	-clients) clients=$2; shift 2 ;;
	-reps) reps=$2; shift 2 ;;
	-scenarios) scenarios=$2; shift 2 ;;
	-base) base_bin=$2; shift 2 ;;
	-no-node) node=""; shift ;;
	-profile) profile=1; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [-clients N] [-reps R] [-scenarios LIST] [-base BIN] [-no-node] [-profile] [-- siobench flags]" >&2; exit 2 ;;
	esac
done
out=bench/out/polling
mkdir -p "$out/bin"
go build -o "$out/bin/sio-fast" ./cmd/sio-fast
go build -o "$out/bin/siobench" ./bench/cmd/siobench
if [ -n "$node" ]; then
	(cd bench/peers/node && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; })
fi
rm -f "$out/results.jsonl"

# run LABEL COMMAND...: one server (COMMAND with {port} replaced by a free
# port; another one when the server cannot bind it), one siobench run
# against it.
run() {
	local label=$1 port pid up=""
	shift
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		taskset -c 0 "${@//\{port\}/$port}" >"$out/$label.log" 2>&1 &
		pid=$!
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break # exited: the port was taken
			if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				# Someone else's server may hold the port: ours exits.
				sleep 0.3
				kill -0 "$pid" 2>/dev/null && up=1
				break
			fi
			sleep 0.1
		done
		[ -n "$up" ] && break
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -z "$up" ]; then
		echo "bench/polling.sh: $label did not start (see $out/$label.log)" >&2
		return
	fi
	taskset -c 1 "$out/bin/siobench" -addr "127.0.0.1:$port" -peer "$label" -server-pid "$pid" \
		-transport polling -clients "$clients" -scenario "$scenarios" -warmup 1s -duration 5s -drain 3s \
		-settle 2s -json "$out/results.jsonl" -no-progress "${BENCH_FLAGS[@]}" || true
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || true
}

BENCH_FLAGS=("$@")
for r in $(seq "$reps"); do
	sfx="" # rep 1 keeps the plain names, so the report's ratio rows use it
	[ "$r" -gt 1 ] && sfx="-$r"
	prof=()
	[ -n "$profile" ] && prof=(-cpuprofile "$out/sio-fast-$r.pprof")
	run "sio-fast$sfx" "$out/bin/sio-fast" -mode bench-app -port "{port}" "${prof[@]}"
	if [ -n "$base_bin" ]; then
		run "sio-fast-base$sfx" "$base_bin" -mode bench-app -port "{port}"
	fi
	if [ -n "$node" ]; then
		run "node$sfx" node bench/peers/node/server.js --port "{port}"
	fi
done
go run ./bench/cmd/siocompare -render -out "$out" >/dev/null 2>&1 || true
jq -r '[.peer, .scenario, .clients, (.offered_per_s // "-"), .per_s, .kib_per_conn, .p50_us, .p99_us, .lost,
	.server_cores, .server_cpu_s_per_m_deliveries, .gen_cpu_ns_per_msg] | @tsv' "$out/results.jsonl" 2>/dev/null ||
	cat "$out/results.jsonl"
