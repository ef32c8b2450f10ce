#!/usr/bin/env bash
# Installs the system packages the test suite uses, when missing:
# node/npm (interop and e2e clients), Debian's chromium (e2e browser test),
# and Debian's python3-socketio with its client transports (e2e Python
# client; checked with Debian's /usr/bin/python3, not a pyenv one on PATH),
# python3-prometheus-client (standalone metrics test), and Debian's
# redis-server (adapter/redis, emitter and cmd cluster tests
# start their own on a free port), and Debian's haproxy (cmd/sio-fast
# TestHaproxyCluster runs docs/cluster-haproxy.cfg).
set -euo pipefail
need=()
command -v node >/dev/null || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null || need+=(redis-server)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
# From / so that a ./socketio directory cannot stand in for the module.
(cd / && /usr/bin/python3 -I -c 'import socketio, requests, websocket' 2>/dev/null) ||
  need+=(python3-socketio python3-requests python3-websocket)
# Debian's Prometheus client parses the /metrics text in the standalone tests.
(cd / && /usr/bin/python3 -I -c 'import prometheus_client' 2>/dev/null) || need+=(python3-prometheus-client)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
