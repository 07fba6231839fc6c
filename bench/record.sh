#!/usr/bin/env bash
# Records 60 s of 720p25 demo video with two audio inputs, with Hattama and with a bare
# gst-launch-1.0 pipeline doing the same encode, and writes CPU time, the ratio and peak
# memory into BENCHMARKS.md.
# Usage: bench/record.sh path/to/hattama [seconds]
set -euo pipefail

hattama="${1:?usage: bench/record.sh path/to/hattama [seconds]}"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() { # output file, command...: writes "user sys maxrss_kb" to the output file
  local out="$1"; shift
  /usr/bin/time -f '%U %S %M' -o "$out" "$@" >/dev/null 2>"$work/stderr" || {
    cat "$work/stderr" >&2; return 1; }
}

media_seconds() {
  ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"
}

echo "Recording ${seconds} s with Hattama…" >&2
measure "$work/hattama.time" "$hattama" record --demo --for "$seconds" --json --data "$work/data"
hattama_file="$(find "$work/data/sessions" -name recording.mkv | head -n 1)"

echo "Recording ${seconds} s with bare gst-launch-1.0…" >&2
bare_file="$work/bare.mkv"
measure "$work/bare.time" timeout -s INT "$seconds" gst-launch-1.0 -e -q \
  videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,framerate=25/1 \
  ! clockoverlay text=DEMO time-format="%Y-%m-%d %H:%M:%S" valignment=bottom halignment=left \
    font-desc="Sans 24" \
  ! videoconvert ! x264enc speed-preset=veryfast tune=zerolatency bitrate=2500 key-int-max=50 \
  ! h264parse ! queue ! mux.video_0 \
  audiotestsrc is-live=true wave=ticks ! audio/x-raw,rate=48000,channels=1 ! tee name=mic \
  audiotestsrc is-live=true wave=sine freq=330 volume=0.2 ! audio/x-raw,rate=48000,channels=1 \
  ! tee name=remote \
  audiomixer name=mix ! audio/x-raw,rate=48000,channels=1 ! audioconvert ! avenc_aac bitrate=96000 \
  ! aacparse ! queue ! mux.audio_0 \
  mic. ! queue ! mix.  remote. ! queue ! mix. \
  mic. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_1 \
  remote. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_2 \
  matroskamux name=mux ! filesink location="$bare_file"

read -r h_user h_sys h_rss < "$work/hattama.time"
read -r b_user b_sys b_rss < "$work/bare.time"
h_media="$(media_seconds "$hattama_file")"
b_media="$(media_seconds "$bare_file")"

report="$(python3 - "$h_user" "$h_sys" "$h_rss" "$h_media" "$b_user" "$b_sys" "$b_rss" "$b_media" <<'PY'
import sys
hu, hs, hr, hm, bu, bs, br, bm = map(float, sys.argv[1:])
h_cpu, b_cpu = hu + hs, bu + bs
h_rate, b_rate = h_cpu / hm, b_cpu / bm
ratio = h_rate / b_rate
print(f"| Hattama `record --demo` | {hm:.1f} | {h_cpu:.1f} | {h_rate:.3f} | {hr/1024:.0f} |")
print(f"| bare `gst-launch-1.0`, same encode | {bm:.1f} | {b_cpu:.1f} | {b_rate:.3f} | {br/1024:.0f} |")
print()
verdict = "meets" if ratio <= 1.05 else "misses"
print(f"CPU ratio Hattama / bare: **{ratio:.3f}×** per recorded second ({verdict} the goal ≤ 1.05×).")
PY
)"

date_now="$(date -u '+%Y-%m-%d %H:%M UTC')"
machine="$(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, $(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME"), GStreamer $(gst-launch-1.0 --gst-version | awk '{print $NF}')"
section="<!-- bench:record -->
## Recording: 720p25 demo video + two audio inputs (${seconds} s)

Measured ${date_now} on ${machine}.
Command: \`make bench\` (runs \`bench/record.sh target/release/hattama ${seconds}\`).
CPU is user + system seconds from \`/usr/bin/time\`; peak memory is its maximum resident set.

| run | media s | CPU s | CPU s per media s | peak MiB |
|---|---|---|---|---|
${report}
<!-- /bench:record -->"

file="$root/BENCHMARKS.md"
[ -f "$file" ] || printf '# Benchmarks\n\nEach section is rewritten by the command it names.\n\n' > "$file"
python3 - "$file" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- bench:record -->.*?<!-- /bench:record -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
