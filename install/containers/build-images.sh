#!/usr/bin/env bash
# Builds the images sigmascope-collector and sigmascope-agent with podman from this checkout:
# stages each process as its install script installs it (--root into a scratch directory), then
# builds its Containerfile on BASE. Run `npm ci` first.
#
# Usage: install/containers/build-images.sh --base IMAGE [--tag TAG] [-- PODMAN_BUILD_ARGS...]
set -euo pipefail
readonly PROG=build-images.sh
base=""
tag=latest
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:-}; shift 2 ;;
    --tag) tag=${2:-}; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf '%s: unknown option: %s\n' "$PROG" "$1" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { printf '%s: --base IMAGE is required (an image with Node.js 20 on glibc)\n' "$PROG" >&2; exit 2; }
[[ "$tag" =~ ^[A-Za-z0-9_.-]+$ ]] || { printf '%s: --tag may hold only letters, digits and _ . -\n' "$PROG" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
src=$(cd "$here/../.." && pwd -P)
stage=$(mktemp -d "${TMPDIR:-/tmp}/sigmascope-images.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/collector/data" "$stage/agent/data"
"$src/install/install-collector.sh" --root "$stage/collector" --no-start >"$stage/collector.log" || { cat "$stage/collector.log" >&2; exit 1; }
# The agent's collector and token are set at run time; these values stay in the stage's agent.env.
printf 'stage-placeholder-token\n' | "$src/install/install.sh" --root "$stage/agent" --no-start --collector ws://collector:7300/ingest --insecure --token-file - >"$stage/agent.log" || { cat "$stage/agent.log" >&2; exit 1; }
for name in collector agent; do
  # Docker image format: the OCI format has no HEALTHCHECK and podman would drop it.
  podman build --format docker "$@" --build-arg "BASE=$base" -f "$here/$name.Containerfile" -t "localhost/sigmascope-$name:$tag" "$stage/$name"
done
