#!/usr/bin/env bash
# Installs the Sigmascope agent (only the agent: none of the collector's dependencies) from this
# checkout under a prefix, as the systemd service sigmascope-agent. Idempotent: a second run with
# the same options changes nothing; a run with new options or a new build changes only what
# differs. See install/README.md.
set -euo pipefail

readonly PROG=install.sh
readonly SERVICE=sigmascope-agent
readonly USER_NAME=sigmascope

usage() {
  cat <<'EOF'
Usage: install/install.sh --collector ws://HOST:7300/ingest [--token-file FILE] [options]

Installs the Sigmascope agent under a prefix and as the systemd service sigmascope-agent.

Options:
  --collector URL   the collector's ingest URL, wss://HOST:7300/ingest (ws:// only to this host,
                    or with --insecure); kept from the existing /etc/sigmascope/agent.env when not given
  --ca-file FILE    the CA (PEM) the collector's certificate is signed by, when it is not one Node
                    trusts; copied to /etc/sigmascope/ca.pem
  --insecure        allow a ws:// URL to another host: the token then crosses the network in clear
  --token-file FILE a file holding the agent token from 'sigmascope token create NAME' on the
                    collector ('-' reads it from stdin); default: $SIGMASCOPE_TOKEN, else the
                    token already in agent.env. The token is never taken on the command line:
                    every user of the host can read a command line (ps).
  --prefix DIR      where the agent's code goes (default /opt/sigmascope)
  --data DIR        the agent's buffer and identity (default /var/lib/sigmascope/agent)
  --root DIR        write everything under DIR instead of / (image builds, tests); implies
                    that no user is created and no service is started
  --node PATH       the Node.js (>= 20.19) the service runs (default: node on PATH)
  --no-start        install and enable nothing in systemd; print the commands instead
  -h, --help        this text

Exit codes: 0 installed (or already up to date), 1 failure, 2 bad option.
EOF
}

usage_error() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  printf "Run '%s --help' for the options.\n" "$0" >&2
  exit 2
}
fail() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  exit 1
}
say() { printf '%s: %s\n' "$PROG" "$1"; }

collector=""
token="${SIGMASCOPE_TOKEN:-}"
token_source="SIGMASCOPE_TOKEN"
prefix=/opt/sigmascope
data=/var/lib/sigmascope/agent
root=/
node=""
start=1
token_file=""
ca_file=""
insecure=0

# $1 = option, $2 = the argument count left, $3 = the value (if any).
need_value() {
  if [ "$2" -lt 2 ] || [ -z "$3" ] || [[ "$3" == --* ]]; then usage_error "$1 needs a value"; fi
}

while [ $# -gt 0 ]; do
  case "$1" in
    --token | --token=*)
      usage_error "--token would show the token to every user of this host (ps): pass --token-file FILE, --token-file - (stdin) or SIGMASCOPE_TOKEN=… instead"
      ;;
    --collector | --token-file | --ca-file | --prefix | --data | --root | --node)
      if [ "$1" = --token-file ] && [ "${2:-}" = - ]; then token_file=-; shift 2; continue; fi
      need_value "$1" "$#" "${2:-}"
      case "$1" in
        --collector) collector=$2 ;;
        --token-file) token_file=$2 ;;
        --ca-file) ca_file=$2 ;;
        --prefix) prefix=$2 ;;
        --data) data=$2 ;;
        --root) root=$2 ;;
        --node) node=$2 ;;
      esac
      shift 2
      ;;
    --collector=* | --token-file=* | --ca-file=* | --prefix=* | --data=* | --root=* | --node=*)
      opt=${1%%=*}
      value=${1#*=}
      need_value "$opt" 2 "$value"
      case "$opt" in
        --collector) collector=$value ;;
        --token-file) token_file=$value ;;
        --ca-file) ca_file=$value ;;
        --prefix) prefix=$value ;;
        --data) data=$value ;;
        --root) root=$value ;;
        --node) node=$value ;;
      esac
      shift
      ;;
    --no-start) start=0; shift ;;
    --insecure) insecure=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done

# --- validate every option before touching anything ------------------------------------------

# Paths end up in the unit file and the environment file: plain absolute paths only.
check_path() {
  local opt=$1 value=$2
  [[ "$value" == /* ]] || usage_error "$opt must be an absolute path: '$value'"
  [[ "$value" =~ ^[A-Za-z0-9._/@+-]+$ ]] || usage_error "$opt may hold only letters, digits and . _ / @ + -: '$value'"
  [[ "/$value/" != */../* && "/$value/" != */./* ]] || usage_error "$opt must not contain . or .. segments: '$value'"
}
check_path --prefix "$prefix"
check_path --data "$data"
prefix=${prefix%/}
data=${data%/}
[ -n "$prefix" ] || usage_error "--prefix must not be /"
[ -n "$data" ] || usage_error "--data must not be /"
case "$data/" in "$prefix"/*) usage_error "--data ($data) must not lie inside --prefix ($prefix): the prefix is replaced on upgrade" ;; esac

[ -d "$root" ] || usage_error "--root must be an existing directory: '$root'"
root=$(cd "$root" && pwd -P)
root=${root%/}  # "" for /
installing_on_host=0
if [ -z "$root" ]; then
  installing_on_host=1
  [ "$(id -u)" = 0 ] || usage_error "installing on this host needs root (or pass --root DIR to write into a directory)"
fi

if [ -n "$collector" ]; then
  # scheme://host[:port][/path]; the host may be a bracketed IPv6 address.
  readonly URL_RE='^wss?://[][A-Za-z0-9.:_-]+(/[A-Za-z0-9._~/%-]*)?$'
  [[ "$collector" =~ $URL_RE ]] \
    || usage_error "--collector must be a ws:// or wss:// URL such as wss://collector:7300/ingest: '$collector'"
fi
if [ -n "$ca_file" ]; then
  [ -f "$ca_file" ] && [ -r "$ca_file" ] || usage_error "--ca-file: cannot read '$ca_file'"
  grep -q -- '-----BEGIN CERTIFICATE-----' "$ca_file" || usage_error "--ca-file: '$ca_file' holds no PEM certificate"
fi
if [ -n "$token_file" ]; then
  if [ "$token_file" = - ]; then
    IFS= read -r token || [ -n "$token" ] || usage_error "--token-file -: no token on stdin"
    token_source="--token-file - (stdin)"
  else
    [ -f "$token_file" ] && [ -r "$token_file" ] || usage_error "--token-file: cannot read '$token_file'"
    IFS= read -r token <"$token_file" || [ -n "$token" ] || usage_error "--token-file: '$token_file' holds no token"
    token_source="--token-file $token_file"
  fi
  token=${token//[[:space:]]/}
fi
readonly TOKEN_RE='^[A-Za-z0-9_.-]{16,256}$'
if [ -n "$token" ] && ! [[ "$token" =~ $TOKEN_RE ]]; then
  usage_error "$token_source is not a token as printed by 'sigmascope token create' (16-256 of A-Z a-z 0-9 _ . -)"
fi

if [ -z "$node" ]; then
  node=$(command -v node || true)
  [ -n "$node" ] || usage_error "no node on PATH: install Node.js 20 (>= 20.19) or pass --node PATH"
fi
[[ "$node" == /* ]] || node=$(cd "$(dirname "$node")" && pwd -P)/$(basename "$node")
if ! [ -f "$node" ] || ! [ -x "$node" ]; then usage_error "--node is not an executable file: '$node'"; fi
check_path --node "$node"
node_version=$("$node" -p 'process.versions.node' 2>/dev/null) || usage_error "--node does not run as Node.js: '$node'"
IFS=. read -r node_major node_minor _ <<<"$node_version"
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  usage_error "--node is Node.js $node_version; the agent needs >= 20.19: '$node'"
fi
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
for f in bin/sigmascope.js "install/$SERVICE.service" install/README.md install/agent-package.mjs; do
  [ -f "$src/$f" ] || fail "$src is not a complete Sigmascope checkout or agent bundle: $f is missing"
done
# An agent bundle (install/agent-bundle.mjs) carries its dependency list and its node_modules:
# nothing is built or downloaded on the host, and npm is not needed.
bundle=0
if [ -f "$src/install/agent-package.json" ] && [ -f "$src/node_modules/.sigmascope-package.json" ] && cmp -s "$src/install/agent-package.json" "$src/node_modules/.sigmascope-package.json"; then bundle=1; fi
npm=$(command -v npm || true)
[ -n "$npm" ] || npm="$(dirname "$node")/npm"
[ "$bundle" = 1 ] || [ -x "$npm" ] || fail "npm not found on PATH nor beside $node (or install from an agent bundle: node install/agent-bundle.mjs)"

env_file=/etc/sigmascope/agent.env
existing_env="$root$env_file"

# Reads KEY from the existing environment file (the last assignment wins, as in systemd).
existing_value() {
  [ -f "$existing_env" ] || return 0
  sed -n "s/^[[:space:]]*$1=//p" "$existing_env" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}
if [ -z "$token" ]; then
  token=$(existing_value SIGMASCOPE_TOKEN)
  [ -n "$token" ] || usage_error "--token-file is required (or SIGMASCOPE_TOKEN): create a token on the collector with 'sigmascope token create NAME'"
  [[ "$token" =~ $TOKEN_RE ]] || usage_error "the token in $existing_env is malformed: pass --token-file"
fi
if [ -z "$collector" ]; then
  collector=$(existing_value SIGMASCOPE_COLLECTOR)
  [ -n "$collector" ] || usage_error "--collector is required on the first install, e.g. --collector wss://collector:7300/ingest"
fi
[ "$insecure" = 1 ] || [ "$(existing_value SIGMASCOPE_INSECURE)" != true ] || insecure=1
# The agent refuses it too: a token sent in clear beyond this host can be read on the way.
collector_host=${collector#*://}
collector_host=${collector_host%%/*}
collector_host=${collector_host%:*}
if [[ "$collector" == ws://* ]] && [ "$insecure" = 0 ] && ! [[ "$collector_host" =~ ^(127\.[0-9.]+|localhost|\[::1\])$ ]]; then
  usage_error "--collector $collector would send the agent's token in clear to $collector_host: use wss:// (docs/security.md), or pass --insecure to accept that"
fi

# --- helpers: write only what differs, say what changed ---------------------------------------

changed=0        # anything at all
code_changed=0   # what the running service loads: code, dependencies, environment, unit
unit_changed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/sigmascope-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# shellcheck source=install/idempotent-files.sh
source "$(dirname "${BASH_SOURCE[0]}")/idempotent-files.sh"

# --- 1. the build -----------------------------------------------------------------------------

if [ -d "$src/cli" ]; then
  stale=""
  if [ -f "$src/dist/cli.js" ]; then
    stale=$(find "$src/cli" "$src/protocol/src" "$src/agent/src" "$src/collector/src" "$src/web/src" "$src/scripts" \
      -type f \( -name '*.ts' -o -name '*.mjs' -o -name '*.css' -o -name '*.html' \) -newer "$src/dist/cli.js" -print -quit 2>/dev/null || true)
  fi
  if [ ! -f "$src/dist/cli.js" ] || [ -n "$stale" ]; then
    [ -d "$src/node_modules/esbuild" ] || fail "dist/ is missing or stale and cannot be built: run 'npm ci' in $src first"
    say "building dist/"
    (cd "$src" && "$node" scripts/build.mjs) || fail "the build failed (see above)"
  fi
fi
[ -f "$src/dist/cli.js" ] || fail "$src/dist/cli.js is missing: build the checkout first (npm ci)"

# --- 2. code and dependencies under the prefix ------------------------------------------------

dest="$root$prefix"
if [ "$bundle" = 1 ]; then
  cp "$src/install/agent-package.json" "$work/package.json"
else
  "$node" "$src/install/agent-package.mjs" "$src" >"$work/package.json" || fail "could not work out the agent's dependencies (see above)"
fi
[ -d "$src/dist/web" ] || say "warning: dist/web is missing; the agent's status page will say so (its JSON API works)"

put_tree "$src/dist" "$dest/dist"
if [ "$wrote" = 1 ]; then code_changed=1; fi
put_file "$src/bin/sigmascope.js" "$dest/bin/sigmascope.js" 755
if [ "$wrote" = 1 ]; then code_changed=1; fi
put_file "$src/install/README.md" "$dest/README.md" 644
put_file "$work/package.json" "$dest/package.json" 644
if [ "$wrote" = 1 ]; then code_changed=1; fi

# npm runs only when package.json differs from the one the installed tree was made from.
stamp="$dest/node_modules/.sigmascope-package.json"
if [ -f "$stamp" ] && cmp -s "$dest/package.json" "$stamp"; then
  :
elif [ "$bundle" = 1 ]; then
  put_tree "$src/node_modules" "$dest/node_modules"
  code_changed=1
else
  say "installing the agent's dependencies with npm (omitting dev, preferring the local cache)"
  PATH="$(dirname "$node"):$PATH" "$npm" install --prefix "$dest" --omit=dev --prefer-offline --no-workspaces \
    --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1 || { cat "$work/npm.log" >&2; fail "npm install failed in $dest"; }
  for forbidden in better-sqlite3 sqlite-vec; do
    [ ! -e "$dest/node_modules/$forbidden" ] || fail "$forbidden ended up in $dest/node_modules: the edge install must not pull collector dependencies"
  done
  cp "$dest/package.json" "$stamp"
  changed=1
  code_changed=1
fi

# A `sigmascope` command for operators (keys set, agent --drain) that runs the same Node.
printf '#!/bin/sh\nexec %s %s/bin/sigmascope.js "$@"\n' "$node" "$prefix" >"$work/sigmascope"
put_file "$work/sigmascope" "$root/usr/local/bin/sigmascope" 755

# --- 3. configuration: the environment file (0600, root only; systemd reads it) ----------------

make_dir "$root/etc/sigmascope" 755
readonly ENV_HEADER='# Written by install.sh, which rewrites the next three lines on every run and keeps any other line (see agent.env.example).'
{
  printf '%s\n' "$ENV_HEADER"
  printf 'SIGMASCOPE_COLLECTOR=%s\n' "$collector"
  printf 'SIGMASCOPE_TOKEN=%s\n' "$token"
  printf 'SIGMASCOPE_DATA=%s\n' "$data"
  if [ -n "$ca_file" ]; then printf 'SIGMASCOPE_CA_FILE=/etc/sigmascope/ca.pem\n'; fi
  if [ "$insecure" = 1 ]; then printf 'SIGMASCOPE_INSECURE=true\n'; fi
  if [ -f "$existing_env" ]; then
    # Lines install.sh did not write stay; a CA or --insecure given now replaces the earlier one.
    drop='COLLECTOR|TOKEN|DATA'
    if [ -n "$ca_file" ]; then drop="$drop|CA_FILE"; fi
    if [ "$insecure" = 1 ]; then drop="$drop|INSECURE"; fi
    grep -v -x -F "$ENV_HEADER" "$existing_env" | grep -v -E "^[[:space:]]*SIGMASCOPE_($drop)=" || true
  fi
} >"$work/agent.env"
put_file "$work/agent.env" "$existing_env" 600
if [ "$wrote" = 1 ]; then code_changed=1; fi
if [ -n "$ca_file" ]; then
  put_file "$ca_file" "$root/etc/sigmascope/ca.pem" 644
  if [ "$wrote" = 1 ]; then code_changed=1; fi
fi

# --- 4. the unit, the user, the data directory ------------------------------------------------

sed -e "s#/usr/bin/node /opt/sigmascope/#$node $prefix/#" \
  -e "s#file:/opt/sigmascope/#file:$prefix/#" \
  -e "s#/var/lib/sigmascope/agent#$data#g" \
  "$src/install/$SERVICE.service" >"$work/$SERVICE.service"
put_file "$work/$SERVICE.service" "$root/etc/systemd/system/$SERVICE.service" 644
if [ "$wrote" = 1 ]; then code_changed=1 unit_changed=1; fi

# For images built with --root: systemd creates the user and the data directory at first boot.
printf 'u %s - "Sigmascope agent" %s -\n' "$USER_NAME" "$data" >"$work/sysusers.conf"
put_file "$work/sysusers.conf" "$root/etc/sysusers.d/$SERVICE.conf" 644
printf 'd %s 0700 %s %s -\n' "$data" "$USER_NAME" "$USER_NAME" >"$work/tmpfiles.conf"
put_file "$work/tmpfiles.conf" "$root/etc/tmpfiles.d/$SERVICE.conf" 644

if [ "$installing_on_host" = 1 ]; then
  if ! getent passwd "$USER_NAME" >/dev/null; then
    command -v useradd >/dev/null || fail "useradd not found: create the system user $USER_NAME yourself"
    useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin --comment "Sigmascope agent" "$USER_NAME"
    say "created the system user $USER_NAME"
    changed=1
  fi
fi
make_dir "$root$data" 700
if [ "$installing_on_host" = 1 ] && [ "$(stat -c %U "$data")" != "$USER_NAME" ]; then
  chown -R "$USER_NAME:$USER_NAME" "$data"
  say "gave $data to $USER_NAME"
  changed=1
fi

# --- 5. the service ---------------------------------------------------------------------------

if [ "$installing_on_host" = 1 ] && [ "$start" = 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  if [ "$unit_changed" = 1 ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet "$SERVICE" || ! systemctl is-active --quiet "$SERVICE"; then
    systemctl enable --now "$SERVICE"
    say "enabled and started $SERVICE"
    changed=1
  elif [ "$code_changed" = 1 ]; then
    systemctl restart "$SERVICE"
    say "restarted $SERVICE"
  fi
  say "status: systemctl status $SERVICE; the agent's page: http://127.0.0.1:7301"
elif [ "$changed" = 1 ] || [ "$installing_on_host" = 0 ]; then
  say "not started. To run it: systemctl daemon-reload && systemctl enable --now $SERVICE"
fi

if [ "$changed" = 0 ]; then say "already up to date under ${root:-/}"; else say "installed under ${root:-/}"; fi
