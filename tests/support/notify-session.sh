#!/usr/bin/env bash
# A desktop session for notification tests: a notification server (dunst) on a private D-Bus
# session bus under a virtual X display, with dbus-monitor recording every Notify call.
#
#   xvfb-run -a dbus-run-session -- bash tests/support/notify-session.sh LOG_DIR
#
# Writes LOG_DIR/notify.log (dbus-monitor's output), then prints one line on stdout,
#   READY {"dbus":"<DBUS_SESSION_BUS_ADDRESS>","display":"<DISPLAY>"}
# and keeps the session up until its stdin closes (or it gets SIGTERM/SIGINT). It then ends dunst
# and dbus-monitor; dbus-run-session ends the bus and xvfb-run ends Xvfb. Any failure is one line
# on stdout starting with "ERROR " and a non-zero exit.
set -u

# shellcheck source=session-lib.sh
. "$(dirname "$0")/session-lib.sh"

log_dir=${1:-}
[ -n "$log_dir" ] && [ -d "$log_dir" ] || fail "usage: notify-session.sh LOG_DIR (an existing folder)"
for program in dunst dbus-monitor dbus-send; do
  command -v "$program" >/dev/null 2>&1 ||
    fail "$program is missing; npm test installs it as root (see tests/system-packages.json)"
done
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
  fail "no session bus; run me under dbus-run-session (and xvfb-run -a for a display)"
[ -n "${DISPLAY:-}" ] || fail "no X display; run me under xvfb-run -a"

dbus-monitor --session "interface='org.freedesktop.Notifications',member='Notify'" \
  >"$log_dir/notify.log" 2>"$log_dir/dbus-monitor.err" &
pids+=($!)

# A config of our own, so the machine's or the user's dunstrc cannot change what we see.
cat >"$log_dir/dunstrc" <<'EOF'
[global]
    font = Monospace 8
[urgency_low]
    timeout = 2
[urgency_normal]
    timeout = 2
[urgency_critical]
    timeout = 0
EOF
dunst -config "$log_dir/dunstrc" >"$log_dir/dunst.log" 2>&1 &
pids+=($!)

# Ready when dbus-monitor is a monitor (it says NameLost once it is) and dunst owns the
# notifications name. 10 s at most.
for _ in $(seq 100); do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null ||
      fail "a helper ended early: $(tail -n 3 "$log_dir/dunst.log" "$log_dir/dbus-monitor.err" | tr '\n' ' ')"
  done
  if grep -q 'member=NameLost' "$log_dir/notify.log" &&
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.ListNames 2>/dev/null |
    grep -q '"org.freedesktop.Notifications"'; then
    ready_then_hold "$(printf '{"dbus":"%s","display":"%s"}' "$DBUS_SESSION_BUS_ADDRESS" "$DISPLAY")"
  fi
  sleep 0.1
done
fail "the notification server did not come up on the session bus within 10 s: $(tail -n 3 "$log_dir/dunst.log" | tr '\n' ' ')"
