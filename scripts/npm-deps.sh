#!/usr/bin/env bash
# Installs, from their lockfiles, the npm packages that interop tests drive.
set -euo pipefail
cd "$(dirname "$0")/.."
for lock in $(git ls-files '*package-lock.json' | grep -v node_modules); do
  dir=$(dirname "$lock")
  if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
