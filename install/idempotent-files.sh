# Shell functions the install scripts share (sourced, not run): write only what differs and say
# what changed. The caller sets PROG, root ("" for /) and changed=0 before using them.

mode_of() { stat -c %a "$1"; }

# The helpers below are called as plain commands (so that set -e stops on any failure inside
# them) and set `wrote` to 1 when they changed something, 0 when it was already right.
wrote=0

# put_file SOURCE TARGET MODE: installs SOURCE at TARGET unless TARGET already has that content and mode.
put_file() {
  local from=$1 to=$2 mode=$3
  wrote=0
  if [ -f "$to" ] && cmp -s "$from" "$to" && [ "$(mode_of "$to")" = "$mode" ]; then return 0; fi
  mkdir -p "$(dirname "$to")"
  local tmp
  tmp=$(mktemp "$(dirname "$to")/.$(basename "$to").XXXXXX")
  if ! { cat "$from" >"$tmp" && chmod "$mode" "$tmp" && mv -f "$tmp" "$to"; }; then
    rm -f "$tmp"
    fail "could not write $to"
  fi
  say "wrote ${to#"$root"}"
  changed=1
  wrote=1
}

# put_tree SOURCE_DIR TARGET_DIR: replaces TARGET_DIR by a copy of SOURCE_DIR unless they are equal.
put_tree() {
  local from=$1 to=$2
  wrote=0
  if [ -d "$to" ] && diff -r -q "$from" "$to" >/dev/null 2>&1; then return 0; fi
  mkdir -p "$(dirname "$to")"
  rm -rf "$to.new" "$to.old"
  cp -R "$from" "$to.new"
  chmod -R u=rwX,go=rX "$to.new"
  if [ -e "$to" ]; then mv "$to" "$to.old"; fi
  mv "$to.new" "$to"
  rm -rf "$to.old"
  say "wrote ${to#"$root"}/"
  changed=1
  wrote=1
}

# make_dir DIR MODE: creates DIR (and parents) and sets its mode; reports only a change.
make_dir() {
  local dir=$1 mode=$2
  wrote=0
  if [ -d "$dir" ] && [ "$(mode_of "$dir")" = "$mode" ]; then return 0; fi
  mkdir -p "$dir"
  chmod "$mode" "$dir"
  say "made ${dir#"$root"}/ (mode $mode)"
  changed=1
  wrote=1
}
