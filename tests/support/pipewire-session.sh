#!/usr/bin/env bash
# A sound server for microphone tests: PipeWire and WirePlumber on a private D-Bus session bus,
# in a runtime folder of the test's own, with a null audio source named "test-mic".
#
#   dbus-run-session -- bash tests/support/pipewire-session.sh RUNTIME_DIR [--pulse]
#
# With --pulse, PipeWire's PulseAudio server (pipewire-pulse) runs too, for PulseAudio clients.
# Prints one line on stdout once the source exists and WirePlumber is connected,
#   READY {"pipewire":<pid>,"wireplumber":<pid>,"pulse":<pid, or 0>}
# and keeps the server up until its stdin closes (or it gets SIGTERM/SIGINT). Any failure is one
# line on stdout starting with "ERROR " and a non-zero exit.
set -u

# shellcheck source=session-lib.sh
. "$(dirname "$0")/session-lib.sh"

dir=${1:-}
[ -n "$dir" ] && [ -d "$dir" ] || fail "usage: pipewire-session.sh RUNTIME_DIR [--pulse] (an existing folder)"
pulse=${2:-}
for program in pipewire wireplumber pw-cli pw-dump; do
  command -v "$program" >/dev/null 2>&1 ||
    fail "$program is missing; install the Debian packages pipewire, pipewire-bin and wireplumber"
done
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "no session bus; run me under dbus-run-session"
export XDG_RUNTIME_DIR=$dir
unset PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR

pipewire >"$dir/pipewire.log" 2>&1 &
pipewire=$!
pids+=("$pipewire")
for _ in $(seq 100); do
  [ -S "$dir/pipewire-0" ] && break
  kill -0 "$pipewire" 2>/dev/null || fail "pipewire ended early: $(tail -n 3 "$dir/pipewire.log" | tr '\n' ' ')"
  sleep 0.05
done
[ -S "$dir/pipewire-0" ] || fail "pipewire made no socket within 5 s"

wireplumber >"$dir/wireplumber.log" 2>&1 &
wireplumber=$!
pids+=("$wireplumber")
pulse_pid=0
if [ "$pulse" = --pulse ]; then
  command -v pipewire-pulse >/dev/null 2>&1 || fail "pipewire-pulse is missing; install the Debian package pipewire-pulse"
  pipewire-pulse >"$dir/pipewire-pulse.log" 2>&1 &
  pulse_pid=$!
  pids+=("$pulse_pid")
fi

pw-cli create-node adapter '{ factory.name=support.null-audio-sink node.name=test-mic media.class=Audio/Source/Virtual audio.position=[MONO] object.linger=true }' \
  >"$dir/pw-cli.log" 2>&1 || fail "pw-cli could not create the source: $(tail -n 3 "$dir/pw-cli.log" | tr '\n' ' ')"

# Ready when the source exists and WirePlumber (which links recorders to sources) is connected.
for _ in $(seq 100); do
  kill -0 "$wireplumber" 2>/dev/null ||
    fail "wireplumber ended early: $(tail -n 3 "$dir/wireplumber.log" | tr '\n' ' ')"
  dump=$(pw-dump -N 2>/dev/null)
  if grep -q '"node.name": "test-mic"' <<<"$dump" && grep -q '"application.name": "WirePlumber"' <<<"$dump" &&
    { [ "$pulse_pid" = 0 ] || [ -S "$dir/pulse/native" ]; }; then
    ready_then_hold "$(printf '{"pipewire":%d,"wireplumber":%d,"pulse":%d}' "$pipewire" "$wireplumber" "$pulse_pid")"
  fi
  sleep 0.1
done
fail "the source or WirePlumber did not come up within 10 s: $(tail -n 3 "$dir/wireplumber.log" | tr '\n' ' ')"
