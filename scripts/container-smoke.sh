#!/usr/bin/env bash
# Container smoke test for this project: builds the Dockerfile with Podman (no Docker engine
# needed), runs the image, checks /health, non-root user, HEALTHCHECK and a clean stop, then
# brings docker-compose.yml up with podman-compose and checks the transformer's /health.
#
# The work is done by the shared tool ../shared/tools/container-smoke.sh (relative to the repo
# root); this wrapper only sets this project's knobs. If the tool is absent it skips (exit 0).
# Must run as root (it installs Podman from Debian's packages). Any knob can be overridden
# from the environment, e.g. HOST_PORT=28090 bash scripts/container-smoke.sh
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
tool=$repo_root/../shared/tools/container-smoke.sh

if [ ! -f "$tool" ]; then
  echo "container smoke: skipped: $tool not found"
  exit 0
fi

# The service listens on PORT (9090 in the image); the one-off run publishes it on HOST_PORT.
export CONTAINER_PORT=${CONTAINER_PORT:-9090}
export HOST_PORT=${HOST_PORT:-18090}
export HEALTH_PATH=${HEALTH_PATH:-/health}
# docker-compose.yml publishes the transformer on 127.0.0.1:9090.
export COMPOSE_URL=${COMPOSE_URL:-http://127.0.0.1:9090/health}
# Report-only Dockerfile lint.
export LINT=${LINT:-1}
export IMAGE=${IMAGE:-localhost/ometria-transformer:smoke}
export READY_TIMEOUT=${READY_TIMEOUT:-60}

echo "container smoke: $tool (CONTAINER_PORT=$CONTAINER_PORT HOST_PORT=$HOST_PORT COMPOSE_URL=$COMPOSE_URL LINT=$LINT)"
start=$(date +%s)
rc=0
bash "$tool" "$repo_root" || rc=$?
echo "container smoke: exit $rc after $(( $(date +%s) - start ))s"
exit "$rc"
