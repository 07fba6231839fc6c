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
  # shellcheck disable=SC2086 # ExecStart is a command line
  within runuser -u "$user" -g "$group" -- $exec > "$log" 2>&1 &
  unit_pid=$!
}

# wait_for_socket PATH: true once a Unix socket is at PATH (within ten seconds).
wait_for_socket() {
  for _ in $(seq 1 100); do
    [ -S "$1" ] && return 0
    sleep 0.1
  done
  return 1
}
