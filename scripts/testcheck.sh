#!/usr/bin/env bash
# Fails when `make test` would leave a test unrun. make race runs every test,
# example and fuzz seed corpus that builds with -race; make alloc runs, without
# -race, only those named *Alloc*. So a test that exists only without -race
# (a //go:build !race file) must have "Alloc" in its name, and every tracked
# _test.go file must be compiled by one of the two builds (not hidden behind
# another build tag, a nested module or a testdata directory).
# Benchmarks are not counted: make bench-smoke runs every one (-bench .).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. Every tracked test file is compiled by the race or the plain build.
files='{{$d := .Dir}}{{range .TestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}'
# examples/ is a module of its own, which make race also runs (with -race).
{
  go list -f "$files" ./...
  go list -race -f "$files" ./...
  [ ! -f examples/go.mod ] || (cd examples && go list -race -f "$files" ./...)
} | sort -u >"$tmp/compiled"
git ls-files '*_test.go' | sed "s|^|$PWD/|" | sort -u >"$tmp/tracked"
while IFS= read -r f; do
  echo "testcheck: ${f#"$PWD"/} is compiled by neither make race nor make alloc (build tag, nested module or testdata?)"
  fail=1
done < <(comm -23 "$tmp/tracked" "$tmp/compiled")

# 2. The tests each build lists, as "package name" lines.
list() { # $@: extra go test flags
  go test "$@" -list '.*' ./... 2>&1 | awk '
    /^(ok|\?|FAIL|---)[ \t]/ { pkg = $2; for (i in names) print pkg, names[i]; delete names; n = 0; next }
    /^[A-Za-z_][A-Za-z0-9_]*$/ { names[n++] = $0; next }
    { print "ERROR", $0 > "/dev/stderr"; bad = 1 }
    END { exit bad }' | grep -v ' Benchmark' | sort -u
}
list -race >"$tmp/race" || { echo "testcheck: go test -race -list failed"; exit 1; }
list >"$tmp/plain" || { echo "testcheck: go test -list failed"; exit 1; }

# 3. A test only the plain build has must be one make alloc runs.
while read -r pkg name; do
  if [[ $name != *Alloc* ]]; then
    echo "testcheck: $pkg $name runs in neither make race (its file is !race) nor make alloc (its name lacks \"Alloc\")"
    fail=1
  fi
done < <(comm -13 "$tmp/race" "$tmp/plain")

if [ $fail -eq 0 ]; then
  echo "testcheck: ok ($(sort -u "$tmp/race" "$tmp/plain" | wc -l) tests, examples and fuzz targets in $(cut -d' ' -f1 "$tmp/race" "$tmp/plain" | sort -u | wc -l) packages; each runs in make race or make alloc)"
fi
exit $fail
