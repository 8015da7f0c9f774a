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

# shellcheck source=install/install-steps.sh
source "$(dirname "${BASH_SOURCE[0]}")/install-steps.sh"

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

check_layout

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

check_node "the agent"
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

install_code

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

# A `sigmascope` command for operators (keys set, agent --drain).
install_command

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

install_unit /var/lib/sigmascope/agent "Sigmascope agent"
own_data

# --- 5. the service ---------------------------------------------------------------------------

start_service "systemctl status $SERVICE; the agent's page: http://127.0.0.1:7301"
