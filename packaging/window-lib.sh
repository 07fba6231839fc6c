# Shared by test-deb.sh and test-deb-clean.sh (sourced): a display, Hattama's window on it,
# and what it shows. Uses `fail` from the script that sources it.

# Starts Xvfb on a display it finds free itself (-displayfd: it writes the number once it
# accepts connections; a display number picked here could hold a stale socket left by a killed
# server, which looks ready before the new server is); sets `display` and `xvfb`.
start_display() {
  local number_file
  number_file=$(mktemp)
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$number_file" >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 1 100); do [ -s "$number_file" ] && break; sleep 0.1; done
  [ -s "$number_file" ] || fail "Xvfb did not start within 10 s"
  display=":$(head -1 "$number_file")"
  rm -f "$number_file"
}

# Waits up to 30 s for Hattama's window (class kz.hattama.Hattama, its desktop entry's id);
# sets `found` to its id, empty when none came.
find_window() {
  found=""
  for _ in $(seq 1 60); do
    found=$(DISPLAY="$display" xdotool search --class kz.hattama.Hattama 2>/dev/null | head -1 || true)
    [ -n "$found" ] && break
    sleep 0.5
  done
}

# Saves the screen as $1 and fails unless it shows more than 20 colours (drawn, not blank).
screen_drawn() {
  mkdir -p "$(dirname "$1")"
  ffmpeg -v error -y -f x11grab -video_size 1280x800 -i "$display" -frames:v 1 "$1"
  local colours
  colours=$(ffmpeg -v error -f x11grab -video_size 1280x800 -i "$display" -frames:v 1 -f rawvideo -pix_fmt rgb24 - \
    | python3 -c 'import sys; d=sys.stdin.buffer.read(); print(len({d[i:i+3] for i in range(0, len(d), 3)}))')
  [ "$colours" -gt 20 ] || fail "the window drew nothing ($colours colours), see $1"
}
