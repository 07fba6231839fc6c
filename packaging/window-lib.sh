# Shared by test-deb.sh and test-deb-clean.sh (sourced): a display, Hattama's window on it,
# and what it shows. Uses `fail` from the script that sources it.

# Starts Xvfb on a free-looking display number at or above $1; sets `display` and `xvfb`.
start_display() {
  display=":$(( $1 + RANDOM % 400 ))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 1 50); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
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
