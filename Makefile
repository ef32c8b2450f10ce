# sio-fast — see README.md. `make run` starts the server, `make test` runs
# everything CI runs.

GO        ?= go
PKGS      := ./...
FUZZTIME  ?= 3s
ADDR      ?= 127.0.0.1:3000

.PHONY: run build test vet race alloc fuzz fuzz-short depcheck lint bench bench-quick bench-go npm-deps client-dist clean

run:
	$(GO) run ./cmd/sio-fast -addr $(ADDR)

build:
	$(GO) build -o bin/sio-fast ./cmd/sio-fast

# The full gate: vet, race tests, zero-allocation tests (they only run
# without -race), a short run of every fuzz target, and the layering check.
test: npm-deps vet race alloc fuzz-short depcheck bench-quick

vet:
	$(GO) vet $(PKGS)
	cd examples && $(GO) vet ./...

# examples/ is a module of its own (the router libraries stay out of the
# main go.mod); its tests drive every example with the npm client.
race:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	cd examples && $(GO) test -race -count=1 -timeout 10m ./...

alloc:
	$(GO) test -count=1 -run 'Alloc' $(PKGS)

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

# Go micro-benchmarks of every hot path.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=200ms $(PKGS)

# The load harness: issue 5's suite (idle at 18,000; fan-out, room and echo
# at 10,000 and 1,000 clients, fixed rates and maximum) against sio-fast, the
# syscall floor program, Node socket.io and zishang520/socket.io, server and
# generator pinned to different cores; prints the ratio table
# (bench/out/report.{md,html}).
bench:
	bench/run.sh

# CI's variant: small, short, fails on any loss or scenario that cannot run
# (writes bench/out/quick/, so it never overwrites a full run).
bench-quick:
	bench/run.sh -quick

# Refreshes the embedded socket.io-client bundle from npm (VERSION=4.8.x).
client-dist:
	socketio/client-dist/refresh.sh $(VERSION)

clean:
	rm -rf bin
