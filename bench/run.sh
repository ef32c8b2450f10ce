#!/usr/bin/env bash
# Runs every scenario against every peer and writes bench/out/report.{md,html}.
#   bench/run.sh            full run (18,000 clients; < 15 min)
#   bench/run.sh -quick     CI smoke run (200 clients; < 2 min; exit 1 on loss)
# Extra siobench flags go after --, e.g. bench/run.sh -- -clients 5000
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench/cmd/siocompare "$@"
