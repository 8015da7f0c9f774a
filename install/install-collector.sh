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
if [ -n "$config" ] && ! [ -f "$config" ]; then usage_error "--config is not a file: '$config'"; fi

[ -d "$root" ] || usage_error "--root must be an existing directory: '$root'"
root=$(cd "$root" && pwd -P)
root=${root%/}
installing_on_host=0
if [ -z "$root" ]; then
  installing_on_host=1
  [ "$(id -u)" = 0 ] || usage_error "installing on this host needs root (or pass --root DIR to write into a directory)"
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
  usage_error "--node is Node.js $node_version; the collector needs >= 20.19: '$node'"
fi
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
put_tree "$src/dist" "$dest/dist"
if [ "$wrote" = 1 ]; then code_changed=1; fi
put_file "$src/bin/sigmascope.js" "$dest/bin/sigmascope.js" 755
if [ "$wrote" = 1 ]; then code_changed=1; fi
put_file "$src/install/README.md" "$dest/README.md" 644
put_file "$work/package.json" "$dest/package.json" 644
if [ "$wrote" = 1 ]; then code_changed=1; fi

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

printf '#!/bin/sh\nexec %s %s/bin/sigmascope.js "$@"\n' "$node" "$prefix" >"$work/sigmascope"
put_file "$work/sigmascope" "$root/usr/local/bin/sigmascope" 755

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

sed -e "s#/usr/bin/node /opt/sigmascope/#$node $prefix/#" \
  -e "s#file:/opt/sigmascope/#file:$prefix/#" \
  -e "s#/var/lib/sigmascope/collector#$data#g" \
  "$src/install/$SERVICE.service" >"$work/$SERVICE.service"
put_file "$work/$SERVICE.service" "$root/etc/systemd/system/$SERVICE.service" 644
if [ "$wrote" = 1 ]; then code_changed=1 unit_changed=1; fi
printf 'u %s - "Sigmascope" %s -\n' "$USER_NAME" "$data" >"$work/sysusers.conf"
put_file "$work/sysusers.conf" "$root/etc/sysusers.d/$SERVICE.conf" 644
printf 'd %s 0700 %s %s -\n' "$data" "$USER_NAME" "$USER_NAME" >"$work/tmpfiles.conf"
put_file "$work/tmpfiles.conf" "$root/etc/tmpfiles.d/$SERVICE.conf" 644

if [ "$installing_on_host" = 1 ] && ! getent passwd "$USER_NAME" >/dev/null; then
  command -v useradd >/dev/null || fail "useradd not found: create the system user $USER_NAME yourself"
  useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin --comment "Sigmascope" "$USER_NAME"
  say "created the system user $USER_NAME"
  changed=1
fi
make_dir "$root$data" 700

# --- 4. the first admin token (never printed; the file is root's) -----------------------------

token_file="$root/etc/sigmascope/admin.token"
if ! [ -s "$token_file" ]; then
  ( umask 077 && "$node" "$dest/bin/sigmascope.js" token create admin --role admin --data "$root$data" >"$work/admin.token" 2>"$work/token.log" ) \
    || { cat "$work/token.log" >&2; fail "could not create the admin token in $data"; }
  put_file "$work/admin.token" "$token_file" 600
  say "created an admin token in ${token_file#"$root"} (mode 0600)"
fi
if [ "$installing_on_host" = 1 ]; then
  chgrp "$USER_NAME" "$config_file"
  if [ "$(stat -c %U "$data")" != "$USER_NAME" ]; then
    chown -R "$USER_NAME:$USER_NAME" "$data"
    say "gave $data to $USER_NAME"
    changed=1
  fi
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
  say "status: systemctl status $SERVICE"
elif [ "$changed" = 1 ] || [ "$installing_on_host" = 0 ]; then
  say "not started. To run it: systemctl daemon-reload && systemctl enable --now $SERVICE"
fi

if [ "$changed" = 0 ]; then say "already up to date under ${root:-/}"; else say "installed under ${root:-/}"; fi
