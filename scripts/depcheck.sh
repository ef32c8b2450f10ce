#!/usr/bin/env bash
# Enforces the layering: loop <- httpx <- engineio <- socketio, rooms on the
# standard library only, and gnet imported by loop alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0
deps() { go list -deps "$1" 2>/dev/null; }
imports() { go list -f '{{join .Imports "\n"}}' "$1" 2>/dev/null; }

# gnet: only loop imports it directly.
for pkg in $(go list ./... | grep -v "^$mod/bench"); do
  if imports "$pkg" | grep -q '^github.com/panjf2000/gnet'; then
    [ "$pkg" = "$mod/loop" ] || { echo "depcheck: $pkg imports gnet (only loop may)"; fail=1; }
  fi
done
# rooms: standard library only.
if [ -d rooms ]; then
  bad=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./rooms | grep -v "^$mod/rooms$" || true)
  [ -z "$bad" ] || { echo "depcheck: rooms depends on non-stdlib: $bad"; fail=1; }
fi
# internal/idset: standard library only (engineio and socketio share it).
if [ -d internal/idset ]; then
  bad=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./internal/idset | grep -v "^$mod/internal/idset$" || true)
  [ -z "$bad" ] || { echo "depcheck: internal/idset depends on non-stdlib: $bad"; fail=1; }
fi
# internal/debuglog: standard library only (every layer, loop included, imports it).
if [ -d internal/debuglog ]; then
  bad=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./internal/debuglog | grep -v "^$mod/internal/debuglog$" || true)
  [ -z "$bad" ] || { echo "depcheck: internal/debuglog depends on non-stdlib: $bad"; fail=1; }
fi
# internal/msgpackx: standard library only (the msgpack parser and the
# cluster wire formats share its JSON → MessagePack transcoder).
if [ -d internal/msgpackx ]; then
  bad=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./internal/msgpackx | grep -v "^$mod/internal/msgpackx$" || true)
  [ -z "$bad" ] || { echo "depcheck: internal/msgpackx depends on non-stdlib: $bad"; fail=1; }
fi
# one-way layering.
check_not() { # $1 package dir, rest: forbidden import prefixes
  local p=$1; shift
  [ -d "$p" ] || return 0
  for sub in $(go list "./$p/..."); do
    for f in "$@"; do
      if deps "$sub" | grep -qx "$mod/$f"; then echo "depcheck: $sub must not depend on $f"; fail=1; fi
    done
  done
}
check_not loop httpx engineio socketio rooms
check_not httpx loop engineio socketio rooms
check_not engineio socketio rooms
# socketio reaches loop only through engineio, never by importing it.
for sub in $(go list ./socketio/... 2>/dev/null); do
  if imports "$sub" | grep -qx "$mod/loop"; then echo "depcheck: $sub imports loop (use engineio)"; fail=1; fi
done
check_not engineio/packet loop httpx
check_not socketio/parser loop httpx engineio
check_not internal/wsframe loop httpx engineio socketio
# socketio/parser/msgpack is a pure codec: it implements parser.Codec without importing socketio.
check_not socketio/parser/msgpack socketio
# The msgpack library is opt-in: no core package depends on it.
for p in loop httpx engineio socketio socketio/parser rooms; do
  [ -d "$p" ] || continue
  if deps "./$p" | grep -q '^github.com/vmihailenco/msgpack'; then echo "depcheck: $p depends on the msgpack library (only socketio/parser/msgpack may)"; fail=1; fi
done
# go-redis only in the cluster packages (adapter/..., emitter), the
# standalone server (its redis.* configuration) and cmd/; the
# emitter and the shared wire codec work without a Socket.IO server.
for pkg in $(go list ./... | grep -v "^$mod/bench"); do
  case "$pkg" in "$mod/adapter/"* | "$mod/emitter" | "$mod/standalone" | "$mod/cmd/"*) continue ;; esac
  if deps "$pkg" | grep -q '^github.com/redis/go-redis'; then echo "depcheck: $pkg depends on go-redis (only adapter/..., emitter, standalone and cmd/ may)"; fail=1; fi
done
check_not emitter socketio engineio loop
check_not internal/redisproto socketio engineio loop
# Router libraries live in the examples module only: no package of this
# module depends on them, and go.mod does not list them.
routers='^github.com/(go-chi/chi|gin-gonic/gin|labstack/echo)'
for pkg in $(go list ./... | grep -v "^$mod/bench"); do
  bad=$(deps "$pkg" | grep -E "$routers" | head -1 || true)
  [ -z "$bad" ] || { echo "depcheck: $pkg depends on $bad (router libraries belong in examples/)"; fail=1; }
done
if grep -Eq "${routers#^}" go.mod; then echo "depcheck: go.mod lists a router library (keep it in examples/go.mod)"; fail=1; fi
# The examples module: gnet only through loop there too.
if [ -f examples/go.mod ]; then
  for pkg in $(cd examples && go list ./...); do
    if (cd examples && imports "$pkg") | grep -q '^github.com/panjf2000/gnet'; then
      echo "depcheck: $pkg imports gnet (only loop may)"; fail=1
    fi
  done
fi
# Optional integrations stay out of the core: the admin UI protocol and its
# bcrypt (golang.org/x/crypto) are compiled only by programs importing
# socketio/admin.
for pkg in loop httpx engineio socketio rooms; do
  [ -d "$pkg" ] || continue
  bad=$(deps "./$pkg" | grep -E "^($mod/socketio/admin|golang.org/x/crypto)(/|$)" || true)
  [ -z "$bad" ] || { echo "depcheck: $pkg depends on $bad (keep it in socketio/admin)"; fail=1; }
done
# heavy libraries (config, JWT, metrics, flags) stay out of the core packages:
# only standalone, metrics and cmd/ may use them.
heavy='^(github.com/knadh/koanf|github.com/golang-jwt/jwt|github.com/prometheus/|github.com/spf13/pflag|github.com/go-viper/mapstructure|go.yaml.in/yaml|gopkg.in/yaml)'
for p in loop httpx engineio socketio rooms internal; do
  [ -d "$p" ] || continue
  for sub in $(go list "./$p/..."); do
    bad=$(deps "$sub" | grep -E "$heavy" | head -1 || true)
    [ -z "$bad" ] || { echo "depcheck: $sub depends on $bad (heavy libraries live in standalone/, metrics/)"; fail=1; }
  done
done
[ $fail -eq 0 ] && echo "depcheck: ok (gnet only in loop; layers one-way; rooms stdlib-only; msgpack opt-in; go-redis only in adapter/, emitter, standalone, cmd/; routers only in examples/; admin UI and x/crypto outside the core; no heavy libs in core)"
exit $fail
