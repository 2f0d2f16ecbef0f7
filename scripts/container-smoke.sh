#!/usr/bin/env bash
# Container smoke test: does this repository's Dockerfile build, and does the image behave?
#
# Checks, in order (any failure exits non-zero; nothing is ever skipped):
#   1. `Dockerfile` builds (with Podman, `--format docker` so HEALTHCHECK is kept, `--pull=never`).
#   2. The image declares a HEALTHCHECK and a non-root USER.
#   3. `podman run` of the image (read-only root filesystem, 9090 published on 127.0.0.1:HOST_PORT)
#      answers `GET /health` with 200; the process runs as a uid other than 0; the erasure store
#      was created in the image's /app/data volume (writable by that uid under --read-only); the
#      HEALTHCHECK command succeeds; on SIGTERM (`podman stop -t 15`) it exits by itself with code 0.
#   4. `docker-compose.yml` comes up with podman-compose: the transformer answers /health on
#      127.0.0.1:9090, the mock Ometria answers /_stats on 127.0.0.1:9099, both compose
#      healthchecks pass, and examples/deliver.json sent to the transformer's /deliver reaches the
#      mock (so the two containers find each other by service name); the transformer's /app/data is
#      the compose volume, and examples/delete-users.json sent to /deleteUsers answers 200 with the
#      mock holding one accepted deletion request per person; then it is brought down and the
#      volume removed.
#
# Runs without a Docker engine and without any image registry, as CI machines have neither:
#   - Podman, podman-compose, mmdebstrap come from Debian's packages (installed if missing);
#   - the Dockerfile's base image, node:20-bookworm-slim, is replaced by a local stand-in built from
#     Debian's packages (mmdebstrap of bookworm, minbase) plus this machine's own Node 20 and npm,
#     tagged docker.io/library/node:20-bookworm-slim so the unmodified Dockerfile builds with no
#     pull. Registries are blocked in the Podman configuration: a pull fails at once, never hangs.
#
# Must run as root (it installs packages and runs rootful Podman). Usage, from anywhere:
#   bash scripts/container-smoke.sh
# Environment (defaults in brackets):
#   SMOKE_DIR [/tmp/container-smoke]  work dir: Podman storage and config, logs, the cached base image
#   HOST_PORT [18090]                 host port for the one-off `podman run` (compose uses 9090/9099)
#   READY_TIMEOUT [120]               seconds to wait for each HTTP endpoint to answer 200
#   REBUILD_BASE [0]                  1: rebuild the stand-in base image even if the cached one is current
#
# The stand-in base image is cached in SMOKE_DIR and rebuilt only when this machine's node or npm
# version or the recipe (build_base_image below) changes, so only the first run pays for it.
# Old builds of the project image and unused volumes are pruned at the end; the layer cache is kept.
# Runs are serialised with a lock in SMOKE_DIR (the compose ports are fixed).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SMOKE_DIR=${SMOKE_DIR:-/tmp/container-smoke}
HOST_PORT=${HOST_PORT:-18090}
READY_TIMEOUT=${READY_TIMEOUT:-120}
REBUILD_BASE=${REBUILD_BASE:-0}

BASE_NAME=node:20-bookworm-slim                  # what the Dockerfile says (checked below)
BASE_REF=docker.io/library/$BASE_NAME            # what Podman resolves that short name to
BASE_LABEL=ometria-transformer.smoke-base        # label on the stand-in: its cache key
IMAGE=localhost/ometria-transformer:smoke        # the one-off build of the Dockerfile
BUILD_STAGE_IMAGE=$IMAGE-build                   # its `build` stage, tagged to keep that stage's layer cache
RUN_NAME=ometria-smoke-run                       # the one-off container
PROJECT=ometria-smoke                            # podman-compose project name
STORE_VOLUME=${PROJECT}_erasure-store            # docker-compose.yml's erasure-store volume, as podman-compose names it
COMPOSE_FILE=docker-compose.yml
CONTAINER_PORT=9090                              # PORT in the Dockerfile
STOP_TIMEOUT=15                                  # as docs/DOCKER.md recommends (`docker stop -t 15`)
LOGS=$SMOKE_DIR/logs

T0=$(date +%s)
say() { printf 'container smoke [%3ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
fail() { printf 'container smoke [%3ss] FAILED: %s\n' "$(($(date +%s) - T0))" "$*" >&2; exit 1; }
step() { # label, function...: run a step and say how long it took
  local label=$1 s=$SECONDS; shift
  say "$label ..."
  "$@"
  say "$label: done in $((SECONDS - s))s"
}

# ------------------------------------------------------------------------------ prerequisites
check_prerequisites() {
  [ "$(id -u)" = 0 ] || fail "must run as root (it installs Podman from Debian's packages and runs rootful containers)"
  { command -v apt-get && command -v dpkg; } >/dev/null ||
    fail "needs a Debian machine (apt-get, dpkg) to install Podman and build the base image"
  grep -qs '^12\.' /etc/debian_version ||
    say "warning: not Debian 12; the stand-in is still bookworm, built from this machine's apt sources"
  { command -v node && command -v npm; } >/dev/null ||
    fail "needs this machine's node and npm (Node 20) to put into the stand-in base image"
  local v; v=$(node -p 'process.versions.node')
  [ "${v%%.*}" = 20 ] || fail "this machine's node is $v; the stand-in for $BASE_NAME needs Node 20.x"
  # Only one base image is provided: fail clearly if the Dockerfile starts asking for another.
  local from
  from=$(awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' "$REPO/Dockerfile" |
         grep -vxF -f <(awk 'toupper($1) == "FROM" && toupper($(NF-1)) == "AS" { print $NF }' "$REPO/Dockerfile") |
         sort -u || true)
  [ "$from" = "$BASE_NAME" ] ||
    fail "the Dockerfile's base images are '$(paste -sd ' ' <<<"$from")'; this script provides only $BASE_NAME (update build_base_image)"
  [ -f "$REPO/$COMPOSE_FILE" ] || fail "$COMPOSE_FILE not found in $REPO"
}

# ------------------------------------------------------------------------------ packages
install_packages() {
  # runc rather than crun: crun 1.8 (bookworm) fails on these machines' hybrid cgroup v1/v2 layout.
  # netavark + aardvark-dns: the compose network, where the services find each other by name.
  # Nothing for rootless Podman (uidmap, slirp4netns, fuse-overlayfs): this runs as root.
  local want=(podman runc netavark aardvark-dns iptables podman-compose mmdebstrap curl) missing=() p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then say "packages already installed"; return; fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || { tail -20 "$LOGS/apt.log" >&2; fail "apt-get update"; }
  # Only what is missing, without recommends, so nothing already installed is upgraded on the way.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOGS/apt.log" 2>&1 ||
    { tail -30 "$LOGS/apt.log" >&2; fail "apt-get install ${missing[*]} (log: $LOGS/apt.log)"; }
}

# ------------------------------------------------------------------------------ Podman configuration
# Everything Podman keeps (images, containers, networks) lives under SMOKE_DIR, apart from the
# machine's default storage, so the cache survives between runs and `rm -rf SMOKE_DIR` resets it.
configure_podman() {
  mkdir -p "$SMOKE_DIR/conf" "$SMOKE_DIR/networks"
  cat >"$SMOKE_DIR/conf/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$SMOKE_DIR/storage"
runroot = "$SMOKE_DIR/run"
EOF
  # ulimits: Podman's default container rlimits (nofile 1048576) exceed this machine's hard limit,
  # and the runtime then fails with "setrlimit ... operation not permitted": use the hard limit.
  # cgroupfs and a file events log: there is no systemd on these machines.
  local nofile; nofile=$(ulimit -Hn)
  cat >"$SMOKE_DIR/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_config_dir = "$SMOKE_DIR/networks"
EOF
  # No registry is reachable: block the ones a short name could resolve to, so that any attempt
  # to pull fails at once with "registry blocked" instead of waiting on the network.
  cat >"$SMOKE_DIR/conf/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
[[registry]]
location = "docker.io"
blocked = true
EOF
  export CONTAINERS_STORAGE_CONF=$SMOKE_DIR/conf/storage.conf
  export CONTAINERS_CONF=$SMOKE_DIR/conf/containers.conf
  export CONTAINERS_REGISTRIES_CONF=$SMOKE_DIR/conf/registries.conf
  # Docker image format, also for the builds podman-compose starts: the OCI format drops HEALTHCHECK.
  export BUILDAH_FORMAT=docker
  podman info --format 'podman {{.Version.Version}}, {{.Store.GraphDriverName}} storage, runtime {{.Host.OCIRuntime.Name}}, cgroups {{.Host.CgroupsVersion}}, network {{.Host.NetworkBackend}}' >"$LOGS/podman-info.txt" 2>&1 ||
    { cat "$LOGS/podman-info.txt" >&2; fail "podman info"; }
  say "$(cat "$LOGS/podman-info.txt")"
}

# ------------------------------------------------------------------------------ stand-in base image
# A stand-in for the official node:20-bookworm-slim with what this Dockerfile uses from it:
# Debian bookworm (minbase, no docs/man/locales, merged /usr), node and npm on PATH in
# /usr/local/bin, and the `node` user and group with uid/gid 1000 (the Dockerfile's `USER node`).
# node's headers in /usr/local/include/node, as the official image has them: the Dockerfile's build
# stage compiles better-sqlite3 against them (npm_config_nodedir=/usr/local), with no download.
# Debian's apt sources stay in the image (the build stage apt-gets python3, make and g++).
# Not copied from the official image because this project does not need them: yarn, corepack,
# and docker-entrypoint.sh (the Dockerfile's CMD and compose's `command` both start with `node`,
# which that entrypoint would simply exec).
build_base_image() {
  local key=$1 node_bin npm_dir apt_src headers rootfs=$SMOKE_DIR/base-rootfs
  node_bin=$(readlink -f "$(command -v node)")
  npm_dir=$(npm root -g)/npm
  [ -f "$npm_dir/bin/npm-cli.js" ] || fail "npm not found at $npm_dir"
  headers=$(node_headers_dir)
  apt_src=$(host_apt_sources)
  rm -rf "$rootfs"
  # Debian's packages from this machine's own apt sources (whatever mirror it is set up with).
  mmdebstrap --quiet --variant=minbase --mode=root \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    bookworm "$rootfs" "$apt_src" >"$LOGS/mmdebstrap.log" 2>&1 ||
    { tail -40 "$LOGS/mmdebstrap.log" >&2; fail "mmdebstrap (log: $LOGS/mmdebstrap.log)"; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

  # node and npm where the official image has them.
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  mkdir -p "$rootfs/usr/local/include"
  cp -a "$headers" "$rootfs/usr/local/include/node"
  # The Dockerfile's `npm ci` reaches the npm registry through whatever TLS setup this machine has
  # (its CA bundle may hold a proxy's CA): give npm in the image the machine's bundle.
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/usr/local/etc/npmrc"
  # The `node` user, 1000:1000, home /home/node, as in the official image.
  echo 'node:x:1000:' >>"$rootfs/etc/group"
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$rootfs/etc/passwd"
  [ ! -f "$rootfs/etc/shadow" ] || echo 'node:!:19000::::::' >>"$rootfs/etc/shadow"
  [ ! -f "$rootfs/etc/gshadow" ] || echo 'node:!::' >>"$rootfs/etc/gshadow"
  install -d -m 0755 -o 1000 -g 1000 "$rootfs/home/node"

  tar --numeric-owner -C "$rootfs" -c . |
    podman import -q \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "ENV NODE_VERSION=$("$node_bin" -p 'process.versions.node')" \
      --change 'CMD ["node"]' \
      --change "LABEL $BASE_LABEL=$key" \
      - "$BASE_REF" >/dev/null
  rm -rf "$rootfs"
}

node_headers_dir() { # this machine's node headers (include/node beside its bin/, or npm's nodedir)
  local d nodedir
  nodedir=$(npm config get nodedir 2>/dev/null || true)
  for d in "$(dirname "$(readlink -f "$(command -v node)")")/../include/node" \
           ${nodedir:+"$nodedir/include/node"} /usr/local/include/node /usr/include/node; do
    [ -f "$d/node_api.h" ] && [ -f "$d/common.gypi" ] && { readlink -f "$d"; return; }
  done
  fail "node's headers (include/node with node_api.h and common.gypi) not found: the image's build stage compiles better-sqlite3 against them"
}

host_apt_sources() { # the first of this machine's apt source files that names a Debian mirror
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources \
           /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -s "$f" ] && grep -q '^[^#]*debian' "$f" && { echo "$f"; return; }
  done
  fail "no Debian apt sources found under /etc/apt"
}

ensure_base_image() {
  # Cache key: node and npm versions plus the recipe's own text, so editing the recipe rebuilds.
  local key have
  key=$({ node -p 'process.versions.node'; npm -v; declare -f build_base_image; } | sha256sum | cut -c1-16)
  have=$(podman image inspect "$BASE_REF" --format "{{index .Labels \"$BASE_LABEL\"}}" 2>/dev/null || true)
  if [ "$REBUILD_BASE" != 1 ] && [ "$have" = "$key" ]; then
    say "stand-in $BASE_REF is cached in $SMOKE_DIR (key $key)"
    return
  fi
  say "building stand-in $BASE_REF (key $key${have:+, cached one was $have})"
  build_base_image "$key"
}

# ------------------------------------------------------------------------------ helpers
wait_http_200() { # url: wait up to READY_TIMEOUT s for a 200 answer
  local url=$1 deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

compose() { (cd "$REPO" && podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"); }

RUN_UP=0 COMPOSE_UP=0
cleanup() { # on any exit: remove what a failed step may have left running
  set +e
  [ "$RUN_UP" = 0 ] || podman rm -f -v -t 0 "$RUN_NAME" >>"$LOGS/run.err" 2>&1
  if [ "$COMPOSE_UP" != 0 ]; then
    compose down -t 5 >>"$LOGS/compose.log" 2>&1
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 # podman-compose 1.0 leaves it behind
    podman volume rm -f "$STORE_VOLUME" >/dev/null 2>&1
  fi
}

# ------------------------------------------------------------------------------ 1-3: the image
build_image() {
  # The `build` stage first, under its own tag: otherwise its layers (npm ci with dev dependencies,
  # tsc) are untagged leftovers that the prune at the end removes, and the next run redoes them.
  # The full build then finds that stage in the layer cache.
  local args=(--pull=never --format docker -f "$REPO/Dockerfile")
  { podman build "${args[@]}" --target build -t "$BUILD_STAGE_IMAGE" "$REPO" &&
    podman build "${args[@]}" -t "$IMAGE" "$REPO"; } >"$LOGS/build.log" 2>&1 ||
    { tail -40 "$LOGS/build.log" >&2; fail "podman build of the Dockerfile (log: $LOGS/build.log)"; }
  local user hc size
  user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
  hc=$(podman image inspect "$IMAGE" --format '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}')
  size=$(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')
  say "built $IMAGE ($size), USER '${user}'"
  [ -n "$hc" ] || fail "the image has no HEALTHCHECK"
  case "$user" in ''|root|0|0:*|root:*) fail "the image has no non-root USER (it is '${user}')" ;; esac
}

dump_run_logs() { echo "--- podman logs $RUN_NAME:" >&2; podman logs "$RUN_NAME" >&2 2>&1 || true; }

run_image() {
  # --read-only as docs/DOCKER.md promises it works; --read-only-tmpfs=false so that, as with
  # Docker's --read-only, there is no writable /tmp either.
  # Podman also complains on stderr (into run.err) that without systemd it cannot schedule the
  # HEALTHCHECK; harmless, it is run by hand below.
  podman rm -f -v -t 0 "$RUN_NAME" >/dev/null 2>&1 || true
  RUN_UP=1
  podman run -d --name "$RUN_NAME" --read-only --read-only-tmpfs=false \
    -p "127.0.0.1:$HOST_PORT:$CONTAINER_PORT" "$IMAGE" >/dev/null 2>"$LOGS/run.err" ||
    { cat "$LOGS/run.err" >&2; fail "podman run $IMAGE"; }
  wait_http_200 "http://127.0.0.1:$HOST_PORT/health" ||
    { dump_run_logs; fail "no 200 from http://127.0.0.1:$HOST_PORT/health within ${READY_TIMEOUT}s"; }
  say "GET /health: 200 ($(curl -fsS --max-time 5 "http://127.0.0.1:$HOST_PORT/health"))"

  local uid; uid=$(podman exec "$RUN_NAME" id -u) || { dump_run_logs; fail "podman exec $RUN_NAME id -u"; }
  [ "$uid" != 0 ] || fail "the container's process runs as root"
  say "runs as uid $uid"

  # The service opened its erasure store (DELETION_STORE's default, data/erasure.sqlite under
  # WORKDIR /app) at start-up and answers only if it could write it: under --read-only, the image's
  # VOLUME must be what makes /app/data writable, and owned by the process's uid.
  local store
  store=$(podman exec "$RUN_NAME" sh -c 'test -s /app/data/erasure.sqlite && stat -c "%u %a" /app/data') ||
    { dump_run_logs; fail "no erasure store at /app/data/erasure.sqlite in the running image"; }
  [ "${store%% *}" = "$uid" ] || fail "/app/data is owned by uid ${store%% *}, not the process's uid $uid"
  say "erasure store: /app/data/erasure.sqlite created (folder owned by uid $uid, mode ${store#* })"

  # No systemd here, so Podman does not schedule the HEALTHCHECK itself: run it once by hand.
  podman healthcheck run "$RUN_NAME" >"$LOGS/healthcheck.log" 2>&1 ||
    { cat "$LOGS/healthcheck.log" >&2; dump_run_logs; fail "the image's HEALTHCHECK failed"; }
  say "HEALTHCHECK: $(podman inspect "$RUN_NAME" --format '{{.State.Health.Status}}')"

  # SIGTERM, then SIGKILL after STOP_TIMEOUT s. A clean stop: exits by itself, code 0 (137 = killed).
  local s=$SECONDS code
  podman stop -t "$STOP_TIMEOUT" "$RUN_NAME" >/dev/null 2>&1 || { dump_run_logs; fail "podman stop"; }
  code=$(podman inspect "$RUN_NAME" --format '{{.State.ExitCode}}')
  [ "$code" = 0 ] || { dump_run_logs; fail "after SIGTERM the container exited with code $code (137: it ignored SIGTERM and was killed after ${STOP_TIMEOUT}s)"; }
  say "SIGTERM: exited with code 0 after $((SECONDS - s))s"
  podman rm -v "$RUN_NAME" >/dev/null 2>>"$LOGS/run.err"
  RUN_UP=0
}

# ------------------------------------------------------------------------------ 4: compose
dump_compose_logs() {
  echo "--- podman-compose output (tail):" >&2; tail -30 "$LOGS/compose.log" >&2
  local c
  for c in $(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'); do
    echo "--- podman logs $c:" >&2; podman logs --tail 30 "$c" >&2 2>&1 || true
  done
}

compose_up() {
  COMPOSE_UP=1
  compose down -t 5 >"$LOGS/compose.log" 2>&1 || true # leftovers of an interrupted run
  podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
  # A store left by an earlier run would answer the example job 200 at once, sending nothing.
  podman volume rm -f "$STORE_VOLUME" >/dev/null 2>&1 || true
  local p
  for p in 9090 9099; do port_free "$p" || fail "127.0.0.1:$p is in use; $COMPOSE_FILE publishes it"; done
  compose up -d --build >>"$LOGS/compose.log" 2>&1 || { dump_compose_logs; fail "podman-compose up (log: $LOGS/compose.log)"; }

  wait_http_200 http://127.0.0.1:9090/health ||
    { dump_compose_logs; fail "transformer: no 200 from http://127.0.0.1:9090/health within ${READY_TIMEOUT}s"; }
  say "transformer: GET 127.0.0.1:9090/health: 200"
  wait_http_200 http://127.0.0.1:9099/_stats ||
    { dump_compose_logs; fail "mock-ometria: no 200 from http://127.0.0.1:9099/_stats within ${READY_TIMEOUT}s"; }
  say "mock-ometria: GET 127.0.0.1:9099/_stats: 200"

  local c n=0
  for c in $(podman ps --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'); do
    podman healthcheck run "$c" >/dev/null 2>&1 || { dump_compose_logs; fail "compose healthcheck of $c failed"; }
    n=$((n + 1))
  done
  [ "$n" = 2 ] || { dump_compose_logs; fail "expected 2 running compose containers, found $n"; }
  say "compose healthchecks: both healthy"

  # The transformer pushes to the mock by its service name (OMETRIA_API_URL=http://mock-ometria:9099).
  local status count
  curl -fsS -o /dev/null --max-time 10 -X DELETE http://127.0.0.1:9099/_records || fail "DELETE mock /_records"
  status=$(curl -sS -o "$LOGS/deliver.json" -w '%{http_code}' --max-time 60 -X POST http://127.0.0.1:9090/deliver \
    -H 'Content-Type: application/json' --data-binary @"$REPO/examples/deliver.json") || status=none
  [ "$status" = 200 ] || { cat "$LOGS/deliver.json" >&2; dump_compose_logs; fail "POST /deliver answered $status"; }
  count=$(curl -fsS --max-time 10 http://127.0.0.1:9099/_records | node -e \
    'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).count))') || count=0
  [ "${count:-0}" -gt 0 ] 2>/dev/null || { cat "$LOGS/deliver.json" >&2; dump_compose_logs; fail "the mock received no record from /deliver"; }
  say "POST /deliver (examples/deliver.json): 200, the mock holds $count record(s)"

  # Erasure: the store lives in the compose volume, and a job of the example's people reaches
  # the mock's GDPR route (two people, within Ometria's six a minute: no wait).
  local transformer mount people accepted
  transformer=$(podman ps --filter "label=io.podman.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=transformer" --format '{{.Names}}' | head -1)
  mount=$(podman inspect "$transformer" --format '{{range .Mounts}}{{if eq .Destination "/app/data"}}{{.Type}} {{.Name}}{{end}}{{end}}' 2>/dev/null) || mount=
  [ "$mount" = "volume $STORE_VOLUME" ] || { dump_compose_logs; fail "the transformer's /app/data is '${mount}', not the compose volume $STORE_VOLUME"; }
  curl -fsS -o /dev/null --max-time 10 -X DELETE http://127.0.0.1:9099/_deletions || fail "DELETE mock /_deletions"
  status=$(curl -sS -o "$LOGS/delete-users.json" -w '%{http_code}' --max-time 65 -X POST http://127.0.0.1:9090/deleteUsers \
    -H 'Content-Type: application/json' --data-binary @"$REPO/examples/delete-users.json") || status=none
  [ "$status" = 200 ] || { cat "$LOGS/delete-users.json" >&2; dump_compose_logs; fail "POST /deleteUsers answered $status"; }
  people=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].userAttributes.length)' "$REPO/examples/delete-users.json")
  accepted=$(curl -fsS --max-time 10 http://127.0.0.1:9099/_deletions | node -e \
    'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).requests.filter(r => r.accepted).length))') || accepted=0
  [ "$accepted" = "$people" ] || { cat "$LOGS/delete-users.json" >&2; dump_compose_logs; fail "the mock accepted $accepted deletion request(s), not one per person ($people)"; }
  say "POST /deleteUsers (examples/delete-users.json): 200 ($(cat "$LOGS/delete-users.json")), the mock accepted $accepted deletion request(s); store in volume $STORE_VOLUME"

  compose down -t "$STOP_TIMEOUT" >>"$LOGS/compose.log" 2>&1 || { dump_compose_logs; fail "podman-compose down"; }
  podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
  podman volume rm -f "$STORE_VOLUME" >/dev/null 2>&1 || true
  COMPOSE_UP=0
}

prune_old_images() {
  # Earlier builds of the project's images are left untagged once rebuilt: drop them so the work
  # dir does not grow. The tagged images (stand-in base, build stage, final) and their layers stay.
  podman image prune -f >/dev/null 2>&1 || true
  # The image declares VOLUME /app/data, so every container of it that mounts nothing there (the
  # compose mock) gets an anonymous volume, which `down` leaves behind. This storage is the smoke
  # test's own: nothing else's volumes are in it.
  podman volume prune -f >/dev/null 2>&1 || true
}

# ------------------------------------------------------------------------------ main
main() {
  check_prerequisites
  mkdir -p "$SMOKE_DIR" "$LOGS"
  # One run at a time on this machine: the storage, container names and compose ports are shared.
  exec 9>"$SMOKE_DIR/lock"
  if ! flock -n 9; then
    say "waiting for another container smoke run to finish ($SMOKE_DIR/lock)"
    flock -w 1800 9 || fail "another run held $SMOKE_DIR/lock for 30 min"
  fi
  say "repository $REPO, work dir $SMOKE_DIR (logs in $LOGS)"
  step "install packages" install_packages
  configure_podman
  trap cleanup EXIT
  step "stand-in base image" ensure_base_image
  step "podman build" build_image
  step "run the image" run_image
  step "compose up" compose_up
  step "prune old images" prune_old_images
  say "work dir: $(du -sh "$SMOKE_DIR" 2>/dev/null | cut -f1)"
  say "OK in $(($(date +%s) - T0))s"
}
main "$@"
