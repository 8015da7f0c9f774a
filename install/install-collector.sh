#!/usr/bin/env bash
# Installs the Sigmascope collector from this checkout under a prefix, as the systemd service
# sigmascope-collector: code and dependencies, the data directory, the config file, and a first
# admin token. Idempotent: a second run with the same options changes nothing. See
# install/README.md.
set -euo pipefail

readonly PROG=install-collector.sh
readonly SERVICE=sigmascope-collector
readonly USER_NAME=sigmascope

usage() {
  cat <<'USAGE'
Usage: install/install-collector.sh [--config FILE] [options]

Installs the Sigmascope collector under a prefix and as the systemd service sigmascope-collector.

Options:
  --config FILE     the collector's configuration (docs/configuration.md) to install as
                    /etc/sigmascope/collector.yaml; default: keep the installed one, or write one
                    that listens on 0.0.0.0:7300
  --prefix DIR      where the code goes (default /opt/sigmascope)
  --data DIR        the database (default /var/lib/sigmascope/collector)
  --root DIR        write everything under DIR instead of / (image builds, tests); implies
                    that no user is created and no service is started
  --node PATH       the Node.js (>= 20.19) the service runs (default: node on PATH)
  --no-start        install and enable nothing in systemd; print the commands instead
  -h, --help        this text

On the first install an admin token is created and written to /etc/sigmascope/admin.token
(mode 0600, never printed): open the dashboard with it, create agent and viewer tokens with
'sigmascope token create NAME --data DATA'.

Exit codes: 0 installed (or already up to date), 1 failure, 2 bad option.
USAGE
}

# shellcheck source=install/install-steps.sh
source "$(dirname "${BASH_SOURCE[0]}")/install-steps.sh"

config=""
prefix=/opt/sigmascope
data=/var/lib/sigmascope/collector
root=/
node=""
start=1

while [ $# -gt 0 ]; do
  case "$1" in
    --config | --prefix | --data | --root | --node)
      if [ $# -lt 2 ] || [ -z "$2" ] || [[ "$2" == --* ]]; then usage_error "$1 needs a value"; fi
      case "$1" in
        --config) config=$2 ;;
        --prefix) prefix=$2 ;;
        --data) data=$2 ;;
        --root) root=$2 ;;
        --node) node=$2 ;;
      esac
      shift 2
      ;;
    --no-start) start=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done

# --- validate every option before touching anything ------------------------------------------

check_layout
if [ -n "$config" ] && ! [ -f "$config" ]; then usage_error "--config is not a file: '$config'"; fi

check_node "the collector"
npm=$(command -v npm || true)
[ -n "$npm" ] || npm="$(dirname "$node")/npm"
[ -x "$npm" ] || fail "npm not found on PATH nor beside $node"

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
for f in bin/sigmascope.js dist/cli.js "install/$SERVICE.service" install/README.md install/collector-package.mjs; do
  [ -f "$src/$f" ] || fail "$src is not a complete, built Sigmascope checkout: $f is missing (npm ci builds it)"
done
# The config is checked by the collector's own loader before anything is written.
if [ -n "$config" ]; then
  "$node" "$src/bin/sigmascope.js" collector --config "$config" --check-config >/dev/null || usage_error "--config $config is not a valid collector configuration (see above)"
fi

changed=0
code_changed=0
unit_changed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/sigmascope-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck source=install/idempotent-files.sh
source "$src/install/idempotent-files.sh"

# --- 1. code and dependencies under the prefix ------------------------------------------------

dest="$root$prefix"
"$node" "$src/install/collector-package.mjs" "$src" >"$work/package.json" || fail "could not work out the collector's dependencies"
install_code

stamp="$dest/node_modules/.sigmascope-package.json"
if ! { [ -f "$stamp" ] && cmp -s "$dest/package.json" "$stamp"; }; then
  say "installing the collector's dependencies with npm (omitting dev, preferring the local cache)"
  PATH="$(dirname "$node"):$PATH" "$npm" install --prefix "$dest" --omit=dev --prefer-offline --no-workspaces --ignore-scripts \
    --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1 || { cat "$work/npm.log" >&2; fail "npm install failed in $dest"; }
  # better-sqlite3 is compiled at install: reuse the checkout's build of the same version and Node
  # (no compiler needed here), else build it in place.
  built="$src/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  want=$("$node" -p "require('$dest/node_modules/better-sqlite3/package.json').version")
  have=$( [ -f "$built" ] && "$node" -p "require('$src/node_modules/better-sqlite3/package.json').version" || echo none)
  if [ "$want" = "$have" ]; then
    mkdir -p "$dest/node_modules/better-sqlite3/build/Release"
    cp "$built" "$dest/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  else
    say "building better-sqlite3 $want (no build of it in the checkout)"
    (cd "$dest" && PATH="$(dirname "$node"):$PATH" "$npm" rebuild better-sqlite3 --loglevel=error >"$work/rebuild.log" 2>&1) || { cat "$work/rebuild.log" >&2; fail "building better-sqlite3 failed"; }
  fi
  cp "$dest/package.json" "$stamp"
  changed=1
  code_changed=1
fi

install_command

# --- 2. configuration: /etc/sigmascope/collector.yaml (0640: it may hold remote-write credentials)

make_dir "$root/etc/sigmascope" 755
config_file="$root/etc/sigmascope/collector.yaml"
if [ -n "$config" ]; then
  cp "$config" "$work/collector.yaml"
elif [ -f "$config_file" ]; then
  cp "$config_file" "$work/collector.yaml"
else
  printf '# The Sigmascope collector (docs/configuration.md; remote-write and the query backend: docs/scale-out.md).\nlisten: 0.0.0.0\nport: 7300\n' >"$work/collector.yaml"
fi
put_file "$work/collector.yaml" "$config_file" 640
if [ "$wrote" = 1 ]; then code_changed=1; fi

# --- 3. the unit, the user, the data directory ------------------------------------------------

install_unit /var/lib/sigmascope/collector "Sigmascope"

# --- 4. the first admin token (never printed; the file is root's) -----------------------------

token_file="$root/etc/sigmascope/admin.token"
if ! [ -s "$token_file" ]; then
  ( umask 077 && "$node" "$dest/bin/sigmascope.js" token create admin --role admin --data "$root$data" >"$work/admin.token" 2>"$work/token.log" ) \
    || { cat "$work/token.log" >&2; fail "could not create the admin token in $data"; }
  put_file "$work/admin.token" "$token_file" 600
  say "created an admin token in ${token_file#"$root"} (mode 0600)"
fi
if [ "$installing_on_host" = 1 ]; then chgrp "$USER_NAME" "$config_file"; fi
own_data

# --- 5. the service ---------------------------------------------------------------------------

start_service "systemctl status $SERVICE"
