#!/usr/bin/env bash
# Ends make test: lists what the run skipped and why (the tests testsum
# collected, the bench peers siocompare left out), so that a machine where
# scripts/ci-setup.sh has not run cannot pass for a full run. With
# FAIL_ON_SKIP=1 any skip fails the run (CI, where everything is installed).
set -euo pipefail
file=$1
if [ ! -s "$file" ]; then
  echo "== make test: nothing was skipped"
  exit 0
fi
n=$(wc -l <"$file")
echo "== make test: $n skipped (scripts/ci-setup.sh installs what they need; make npm-deps the npm packages):"
sed 's/^/   /' "$file"
if [ "${FAIL_ON_SKIP:-}" = 1 ]; then
  echo "== FAIL_ON_SKIP=1: failing because of the skips above"
  exit 1
fi
