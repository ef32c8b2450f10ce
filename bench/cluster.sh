#!/usr/bin/env bash
# Cross-node broadcast over Redis (issue 13; docs/benchmarks.md, "Two nodes
# over Redis: sio-fast against Node"): one redis-server, then for each peer
# (sio-fast's bench-app, the Node socket.io peer with @socket.io/redis-adapter)
# two nodes joined over it (-redis URL -redis-mode MODE), and siobench with
# its clients split over both, client 0 (the publisher) on node A, so every
# delivery on node B crossed Redis. Per peer:
#   1. -split N,N: fanout at each of RATES and fanout@max: deliveries/s (all and on B),
#      B's latency p50/p99, each node's CPU per broadcast, Redis bytes;
#   2. -split 1,0: fanout@BARE_RATE: what a remote broadcast costs node B
#      with no local recipient, and Redis bytes and CPU per broadcast.
# The peers alternate per repetition; both use the same redis-server.
# Pinning (flags): both nodes on -server-cpu (0), redis-server on -redis-cpu
# (1), siobench on -gen-cpu (1).
#   bench/cluster.sh [-clients N per node] [-rates R,R] [-bare-rate R] [-bare-only]
#                    [-mode M] [-reps R] [-peers sio-fast,node] [-quick] [-- siobench flags]
# -bare-only runs step 2 alone (more repetitions of the noisiest figure).
# Writes bench/out/cluster/<mode>/{results.jsonl,report.md,report.html,*.log}
# (-quick: bench/out/cluster-quick/<mode>) and prints report.md. -quick (make
# bench-cluster-quick, not in make test: ≈ 30–50 s here): 100 clients per node,
# short phases, exit 1 on any loss or failed run. Needs redis-server; the
# node peer is skipped (SKIP_LOG) when node or npm is missing, unless -peers
# names it.
set -euo pipefail
cd "$(dirname "$0")/.."
per=5000 rates=0.5,2 bare=1000 mode=pubsub reps=1 peers="" quick="" bareonly=""
scpu=0 rcpu=1 gcpu=1
# A long drain: Node's nodes, behind at 2/s on a shared core, can go
# seconds without a delivery and still deliver everything.
phases=(-warmup 2s -duration 20s -drain 10s -hard-stop 15m)
usage="usage: $0 [-clients N] [-rates R,R] [-bare-rate R] [-bare-only] [-mode pubsub|sharded|streams] [-reps R] [-peers LIST] [-quick] [-server-cpu L] [-redis-cpu L] [-gen-cpu L] [-- siobench flags]"
while [ $# -gt 0 ]; do
	case "$1" in
	-clients) per=$2; shift 2 ;;
	-rates) rates=$2; shift 2 ;;
	-bare-rate) bare=$2; shift 2 ;;
	-bare-only) bareonly=1; shift ;;
	-mode) mode=$2; shift 2 ;;
	-reps) reps=$2; shift 2 ;;
	-peers) peers=$2; shift 2 ;;
	-server-cpu) scpu=$2; shift 2 ;;
	-redis-cpu) rcpu=$2; shift 2 ;;
	-gen-cpu) gcpu=$2; shift 2 ;;
	-quick) quick=1 per=100 rates=20 bare=200 phases=(-warmup 300ms -duration 1s -drain 2s -fail-unparsable); shift ;;
	--) shift; break ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
BENCH_FLAGS=("$@")
out=bench/out/cluster/$mode
[ -n "$quick" ] && out=bench/out/cluster-quick/$mode

command -v redis-server >/dev/null || { echo "cluster.sh: redis-server not installed (scripts/ci-setup.sh installs it)" >&2; exit 2; }
if [ -z "$peers" ]; then
	peers=sio-fast,node
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "cluster.sh: SKIPPED node (node or npm not installed)" >&2
		[ -n "${SKIP_LOG:-}" ] && echo "bench cluster peer node (node or npm not installed)" >>"$SKIP_LOG"
		peers=sio-fast
	fi
fi
mkdir -p "$out/bin"
rm -f "$out/results.jsonl" "$out"/*.log
go build -o "$out/bin/sio-fast" ./cmd/sio-fast
go build -o "$out/bin/siobench" ./bench/cmd/siobench
if [[ ",$peers," == *,node,* ]] && [ ! -d bench/peers/node/node_modules/@socket.io/redis-adapter ]; then
	(cd bench/peers/node && npm ci --no-audit --no-fund >/dev/null)
fi

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# listening PORT PID: waits (10 s at most) until PORT accepts and PID,
# the process meant to listen there, still runs.
listening() {
	for _ in $(seq 100); do
		kill -0 "$2" 2>/dev/null || break
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "cluster.sh: process $2 is not listening on $1" >&2
	return 1
}

# port: a loopback port nothing listens on, below the ephemeral range
# (32768-60999), so that no client socket of another program holds it.
port() {
	local p
	while :; do
		p=$((10000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

rport=$(port)
taskset -c "$rcpu" redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no \
	--protected-mode no --loglevel warning >"$out/redis.log" 2>&1 &
pids+=($!)
listening "$rport" $!
redis="127.0.0.1:$rport"

# start PEER PORT: starts one node of PEER on PORT, pinned; its PID goes
# to $started and to the processes the exit trap stops.
start() {
	local peer=$1 port=$2
	case "$peer" in
	sio-fast) taskset -c "$scpu" "$out/bin/sio-fast" -mode bench-app -port "$port" \
		-redis "redis://$redis" -redis-mode "$mode" >>"$out/$peer.log" 2>&1 & ;;
	node) taskset -c "$scpu" env NODE_ENV=production node bench/peers/node/server.js --port "$port" \
		--redis "redis://$redis" --redis-mode "$mode" >>"$out/$peer.log" 2>&1 & ;;
	*) echo "cluster.sh: unknown peer $peer" >&2; return 2 ;;
	esac
	started=$!
	pids+=("$started")
}

# bench PEER A B PIDS SPLIT SCENARIOS: one siobench run over nodes A and B.
bench() {
	taskset -c "$gcpu" "$out/bin/siobench" -addr "127.0.0.1:$2,127.0.0.1:$3" -server-pid "$4" -split "$5" \
		-redis "$redis" -peer "$1" -scenario "$6" "${phases[@]}" -json "$out/results.jsonl" -no-progress \
		"${BENCH_FLAGS[@]}"
}

failed=0
for r in $(seq "$reps"); do
	for peer in ${peers//,/ }; do
		pa=$(port)
		start "$peer" "$pa"
		a=$started
		listening "$pa" "$a" || { failed=1; continue; }
		pb=$(port)
		start "$peer" "$pb"
		b=$started
		listening "$pb" "$b" || { failed=1; continue; }
		echo "cluster.sh: $peer rep $r: nodes $a (:$pa) and $b (:$pb)" >&2
		[ -n "$bareonly" ] ||
			bench "$peer" "$pa" "$pb" "$a,$b" "$per,$per" "fanout@${rates//,/,fanout@},fanout@max" || failed=1
		bench "$peer" "$pa" "$pb" "$a,$b" "1,0" "fanout@$bare" || failed=1
		kill -TERM "$a" "$b"
		wait "$a" "$b" || true
	done
done
go run ./bench/cmd/siocompare -render -out "$out" -server-cpu "$scpu (both nodes; redis-server on CPU $rcpu)" -gen-cpu "$gcpu" ||
	failed=1
exit "$failed"
