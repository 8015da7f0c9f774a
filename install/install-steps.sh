# The steps the agent's and the collector's install scripts share (sourced, not run): messages,
# checks of the layout options and of Node, the code under the prefix, the systemd unit with its
# user and data directory, and starting the service. The caller sets PROG, SERVICE and USER_NAME
# before sourcing, and the variables each function names before calling it.

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

# check_path OPTION VALUE: paths end up in the unit file and the environment file, so plain
# absolute paths only.
check_path() {
  local opt=$1 value=$2
  [[ "$value" == /* ]] || usage_error "$opt must be an absolute path: '$value'"
  [[ "$value" =~ ^[A-Za-z0-9._/@+-]+$ ]] || usage_error "$opt may hold only letters, digits and . _ / @ + -: '$value'"
  [[ "/$value/" != */../* && "/$value/" != */./* ]] || usage_error "$opt must not contain . or .. segments: '$value'"
}

# check_layout: validates prefix, data and root, strips their trailing slashes (root becomes ""
# for /) and sets installing_on_host.
check_layout() {
  check_path --prefix "$prefix"
  check_path --data "$data"
  prefix=${prefix%/}
  data=${data%/}
  [ -n "$prefix" ] || usage_error "--prefix must not be /"
  [ -n "$data" ] || usage_error "--data must not be /"
  case "$data/" in "$prefix"/*) usage_error "--data ($data) must not lie inside --prefix ($prefix): the prefix is replaced on upgrade" ;; esac
  [ -d "$root" ] || usage_error "--root must be an existing directory: '$root'"
  root=$(cd "$root" && pwd -P)
  root=${root%/}
  installing_on_host=0
  if [ -z "$root" ]; then
    installing_on_host=1
    [ "$(id -u)" = 0 ] || usage_error "installing on this host needs root (or pass --root DIR to write into a directory)"
  fi
}

# check_node WHAT: finds and checks the Node.js in $node (default: the one on PATH) that WHAT
# ("the agent", "the collector") will run on; makes $node absolute.
check_node() {
  local what=$1 node_version node_major node_minor
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
    usage_error "--node is Node.js $node_version; $what needs >= 20.19: '$node'"
  fi
}

# install_code: the build, the launcher, the README and $work/package.json under $dest; sets
# code_changed when any of what the service loads changed.
install_code() {
  put_tree "$src/dist" "$dest/dist"
  if [ "$wrote" = 1 ]; then code_changed=1; fi
  put_file "$src/bin/sigmascope.js" "$dest/bin/sigmascope.js" 755
  if [ "$wrote" = 1 ]; then code_changed=1; fi
  put_file "$src/install/README.md" "$dest/README.md" 644
  put_file "$work/package.json" "$dest/package.json" 644
  if [ "$wrote" = 1 ]; then code_changed=1; fi
}

# install_command: a `sigmascope` command for operators that runs the installed code on the same Node.
install_command() {
  printf '#!/bin/sh\nexec %s %s/bin/sigmascope.js "$@"\n' "$node" "$prefix" >"$work/sigmascope"
  put_file "$work/sigmascope" "$root/usr/local/bin/sigmascope" 755
}

# install_unit DEFAULT_DATA COMMENT: the unit (its template's paths replaced by the chosen ones),
# and for images built with --root the sysusers and tmpfiles entries with which systemd creates
# the user and the data directory at first boot; on this host, the user and the directory now.
install_unit() {
  local default_data=$1 comment=$2
  sed -e "s#/usr/bin/node /opt/sigmascope/#$node $prefix/#" \
    -e "s#file:/opt/sigmascope/#file:$prefix/#" \
    -e "s#$default_data#$data#g" \
    "$src/install/$SERVICE.service" >"$work/$SERVICE.service"
  put_file "$work/$SERVICE.service" "$root/etc/systemd/system/$SERVICE.service" 644
  if [ "$wrote" = 1 ]; then code_changed=1 unit_changed=1; fi
  printf 'u %s - "%s" %s -\n' "$USER_NAME" "$comment" "$data" >"$work/sysusers.conf"
  put_file "$work/sysusers.conf" "$root/etc/sysusers.d/$SERVICE.conf" 644
  printf 'd %s 0700 %s %s -\n' "$data" "$USER_NAME" "$USER_NAME" >"$work/tmpfiles.conf"
  put_file "$work/tmpfiles.conf" "$root/etc/tmpfiles.d/$SERVICE.conf" 644

  if [ "$installing_on_host" = 1 ] && ! getent passwd "$USER_NAME" >/dev/null; then
    command -v useradd >/dev/null || fail "useradd not found: create the system user $USER_NAME yourself"
    useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin --comment "$comment" "$USER_NAME"
    say "created the system user $USER_NAME"
    changed=1
  fi
  make_dir "$root$data" 700
}

# own_data: on this host, gives the data directory to the service's user.
own_data() {
  if [ "$installing_on_host" = 1 ] && [ "$(stat -c %U "$data")" != "$USER_NAME" ]; then
    chown -R "$USER_NAME:$USER_NAME" "$data"
    say "gave $data to $USER_NAME"
    changed=1
  fi
}

# start_service STATUS_HINT: enables and starts the service on this host (restarts it when what
# it loads changed), or says how to.
start_service() {
  local hint=$1
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
    say "status: $hint"
  elif [ "$changed" = 1 ] || [ "$installing_on_host" = 0 ]; then
    say "not started. To run it: systemctl daemon-reload && systemctl enable --now $SERVICE"
  fi
  if [ "$changed" = 0 ]; then say "already up to date under ${root:-/}"; else say "installed under ${root:-/}"; fi
}
