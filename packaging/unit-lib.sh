# A system unit's service started as systemd would start it, where no systemd runs (this
# container, a chroot): its runtime and state folders with their owners and modes, its user
# and group, its command. Sourced by the package tests.

# unit_value FILE KEY: the unit's last KEY= value.
unit_value() { sed -n "s/^$2=//p" "$1" | tail -1; }

# start_unit ROOT UNIT LOG: starts the unit's ExecStart in the background (ROOT empty: this
# system, else a chroot) and sets $unit_pid.
start_unit() {
  local root="$1" unit="$2" log="$3" user group folder mode exec
  user=$(unit_value "$unit" User)
  group=$(unit_value "$unit" Group)
  exec=$(unit_value "$unit" ExecStart)
  within() { if [ -n "$root" ]; then chroot "$root" "$@"; else "$@"; fi; }
  for kind in Runtime:/run State:/var/lib; do
    folder=$(unit_value "$unit" "${kind%%:*}Directory")
    mode=$(unit_value "$unit" "${kind%%:*}DirectoryMode")
    [ -n "$folder" ] || continue
    within mkdir -p "${kind#*:}/$folder"
    within chown "$user:$group" "${kind#*:}/$folder"
    within chmod "${mode:-0755}" "${kind#*:}/$folder"
  done
  # The environment systemd gives a User= service; the service itself is $unit_pid
  # (chroot, setpriv and env exec it), so killing it stops it.
  local home
  home=$(within getent passwd "$user" | cut -d: -f6)
  local run=(setpriv --reuid="$user" --regid="$group" --init-groups --
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" USER="$user" LOGNAME="$user" LANG=C.UTF-8)
  # shellcheck disable=SC2086 # ExecStart is a command line
  if [ -n "$root" ]; then
    (exec chroot "$root" "${run[@]}" $exec) > "$log" 2>&1 &
  else
    (exec "${run[@]}" $exec) > "$log" 2>&1 &
  fi
  unit_pid=$!
}

# wait_for_socket PATH: true once something listens on the Unix socket PATH (within ten
# seconds); a socket file left by a service that stopped does not count.
wait_for_socket() {
  python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 10
while True:
    try:
        socket.socket(socket.AF_UNIX).connect(sys.argv[1])
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.05)
PY
}
