# What the session scripts share (sourced by notify-session.sh and pipewire-session.sh; see
# session-script.ts): one "ERROR" line on failure, the helpers they start ended on exit, and
# "READY <json>" followed by holding the session until the test closes stdin.

fail() {
  echo "ERROR $*"
  exit 1
}

# The helpers' pids: `pids+=($!)` after starting each one.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# Prints READY and its JSON, then keeps the session until the test closes our stdin (or dies,
# which closes it too). A background job would get /dev/null as its stdin: hand it ours as fd 3.
ready_then_hold() {
  printf 'READY %s\n' "$1"
  exec 3<&0
  cat <&3 >/dev/null &
  wait "$!"
  exit 0
}
