# sio-fast — see README.md. `make run` starts the server, `make test` runs
# everything CI runs.

GO        ?= go
PKGS      := ./...
FUZZTIME  ?= 3s
ADDR      ?= 127.0.0.1:3000

.PHONY: run build test skip-reset vet race alloc jsonstd testcheck bench-smoke fuzz fuzz-short depcheck lint bench bench-quick bench-go bench-cluster bench-cluster-quick soak stall bench-api npm-deps client-dist clean

run:
	$(GO) run ./cmd/sio-fast -addr $(ADDR)

build:
	$(GO) build -o bin/sio-fast ./cmd/sio-fast

# The full gate: vet, race tests, zero-allocation tests (they only run
# without -race), the JSON facade on its encoding/json backend, the check
# that those runs left no test out, every benchmark once, a short run of
# every fuzz target, the layering check and the quick load run.
# It ends with what was skipped and why (FAIL_ON_SKIP=1 makes a skip fail).
test: SKIP_LOG := $(CURDIR)/bench/out/skipped.txt
test: skip-reset npm-deps vet race alloc jsonstd testcheck bench-smoke fuzz-short depcheck bench-quick
	@scripts/skip-summary.sh $(SKIP_LOG)

skip-reset:
	@mkdir -p $(dir $(SKIP_LOG)) && : >$(SKIP_LOG)

vet:
	$(GO) vet $(PKGS)
	cd examples && $(GO) vet ./...

# Both print go test's usual lines and list the skipped tests at the end
# (or, under make test, in $(SKIP_LOG) for its summary): scripts/testsum.
TESTSUM = $(GO) run ./scripts/testsum $(if $(SKIP_LOG),-skips $(SKIP_LOG)) --

# examples/ is a module of its own (the router libraries stay out of the
# main go.mod); its tests drive every example with the npm client.
race:
	$(TESTSUM) $(GO) test -json -race -count=1 -timeout 20m $(PKGS)
	$(TESTSUM) sh -c 'cd examples && exec $(GO) test -json -race -count=1 -timeout 10m ./...'

alloc:
	$(TESTSUM) $(GO) test -json -count=1 -run 'Alloc' $(PKGS)

# internal/jsonx's second backend (-tags jsonstd) and the parser on it.
jsonstd:
	$(TESTSUM) $(GO) test -json -count=1 -tags jsonstd ./internal/jsonx ./socketio/parser

# Fails if a test exists that neither race nor alloc runs (go test -list).
testcheck:
	@scripts/testcheck.sh

# Installs the npm packages the interop tests drive, from their lockfiles.
npm-deps:
	@scripts/npm-deps.sh

fuzz-short:
	@FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# Longer fuzzing for developers: make fuzz FUZZLONG=5m
FUZZLONG ?= 1m
fuzz:
	@FUZZTIME=$(FUZZLONG) scripts/fuzz.sh

depcheck:
	@scripts/depcheck.sh

lint: vet depcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

# Every benchmark once (-benchtime 1x): those that check what they measure
# (deliveries, live heap) fail here, not only when someone runs bench-go.
bench-smoke:
	$(TESTSUM) $(GO) test -json -count=1 -run '^$$' -bench . -benchtime 1x $(PKGS)

# Go micro-benchmarks of every hot path.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=200ms $(PKGS)

# The load harness: issue 5's suite (idle at 18,000; fan-out, room and echo
# at 10,000 and 1,000 clients, fixed rates and maximum; then, on a fresh
# server, 10,000 long-polling-only clients idle and at one broadcast a
# second) against sio-fast, the syscall floor program, Node socket.io and
# zishang520/socket.io, server and generator pinned to different cores;
# prints the ratio table (bench/out/report.{md,html}).
bench:
	bench/run.sh

# CI's variant: small, short, fails on any loss or scenario that cannot run
# (writes bench/out/quick/, so it never overwrites a full run).
bench-quick:
	SKIP_LOG=$(SKIP_LOG) bench/run.sh -quick

# Two nodes over Redis (issue 13): two sio-fast nodes against two Node
# socket.io nodes (@socket.io/redis-adapter) on one redis-server, 5,000
# clients per node, the publisher on the first node: deliveries/s, latency of
# the deliveries that crossed Redis, each node's CPU per broadcast (also with
# no local recipient), Redis bytes per broadcast (bench/out/cluster/<mode>/).
# Other adapters: make bench-cluster CLUSTER_FLAGS="-mode sharded".
CLUSTER_FLAGS ?=
bench-cluster:
	bench/cluster.sh -reps 2 $(CLUSTER_FLAGS)

# Its smoke: 100 clients per node, 1 s phases; exit 1 on any loss.
bench-cluster-quick:
	SKIP_LOG=$(SKIP_LOG) bench/cluster.sh -quick $(CLUSTER_FLAGS)

# The soak (issue 16 part 4, not part of `make test`): 18,000 connections
# for 10 minutes with 200 connects and 200 disconnects a second (half
# abrupt) and 5 broadcasts a second; reports loss, failed reconnects, RSS
# every 10 s and its slope after 2 minutes, descriptors and goroutines after.
# Smaller: make soak SOAK_FLAGS="-clients 2000 -duration 5m ...".
SOAK_FLAGS ?=
soak:
	$(GO) build -o bench/out/bin/sio-fast ./cmd/sio-fast
	$(GO) run ./bench/cmd/soak -server bench/out/bin/sio-fast -server-cpu 0 $(SOAK_FLAGS)

# Slow consumers: healthy clients' fan-out latency with and without 10%
# stalled clients, kernel memory per stalled socket, fan-out throughput per
# SO_SNDBUF (docs/benchmarks.md).
stall:
	bench/stall.sh

# The standalone server: publish API fan-out against a client event's, API
# requests/s, metrics on against off, 10,000 clients (docs/benchmarks.md).
bench-api:
	bench/api.sh

# Refreshes the embedded socket.io-client bundle from npm (VERSION=4.8.x).
client-dist:
	socketio/client-dist/refresh.sh $(VERSION)

clean:
	rm -rf bin
