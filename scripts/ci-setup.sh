#!/usr/bin/env bash
# Installs the system packages the test suite uses, when missing.
set -euo pipefail
need=()
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
