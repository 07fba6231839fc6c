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

rounds="${ROUNDS:-3}"

measure() { # output file, command...: appends "user sys maxrss_kb" to the output file
  local out="$1"; shift
  # The exit status is not trusted either way: gst-launch ends 130 on SIGINT. What counts is
  # the file, checked below with ffprobe.
  /usr/bin/time -f '%U %S %M' -o "$out.one" "$@" >/dev/null 2>"$work/stderr" || true
  tail -n 1 "$out.one" >> "$out"
}

media_seconds() {
  local duration
  duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$1")"
  python3 -c "import sys; d=float(sys.argv[1]); sys.exit(0 if d >= 0.9*float(sys.argv[2]) else 1)" \
    "$duration" "$seconds" || { echo "$1 holds only ${duration} s" >&2; cat "$work/stderr" >&2; exit 1; }
  echo "$duration"
}

bare() { # output file
  # The sources stop after exactly the recorded time (end-of-stream, so the file is finished
  # like Hattama's); signals are not used because a background job ignores SIGINT.
  local frames=$((seconds * 25)) blocks=$((seconds * 100))
  gst-launch-1.0 -e -q \
    videotestsrc is-live=true pattern=ball num-buffers="$frames" \
    ! video/x-raw,width=1280,height=720,framerate=25/1 \
    ! clockoverlay text=DEMO time-format="%Y-%m-%d %H:%M:%S" valignment=bottom halignment=left \
      font-desc="Sans 24" \
    ! videoconvert ! video/x-raw,format=I420 \
    ! x264enc speed-preset=veryfast tune=zerolatency bitrate=2500 key-int-max=50 \
    ! h264parse ! queue ! mux.video_0 \
    audiotestsrc is-live=true wave=ticks samplesperbuffer=480 num-buffers="$blocks" \
    ! audio/x-raw,rate=48000,channels=1 ! tee name=mic \
    audiotestsrc is-live=true wave=sine freq=330 volume=0.2 samplesperbuffer=480 \
    num-buffers="$blocks" ! audio/x-raw,rate=48000,channels=1 ! tee name=remote \
    audiomixer name=mix ! audio/x-raw,rate=48000,channels=1 ! tee name=mixed \
    mixed. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_0 \
    mixed. ! queue ! audioconvert ! audioresample ! opusenc bitrate=32000 ! oggmux \
    ! filesink location="$1.opus" \
    mic. ! queue ! mix.  remote. ! queue ! mix. \
    mic. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_1 \
    remote. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_2 \
    matroskamux name=mux ! filesink location="$1"
}

export -f bare
export seconds
h_media=0
b_media=0
add() { python3 -c "import sys; print(float(sys.argv[1]) + float(sys.argv[2]))" "$1" "$2"; }
# Rounds alternate so that both runs see the same machine conditions on average.
for round in $(seq 1 "$rounds"); do
  echo "Round ${round}/${rounds}: ${seconds} s with Hattama…" >&2
  measure "$work/hattama.time" "$hattama" record --demo --for "$seconds" --data "$work/data$round"
  file="$(find "$work/data$round/sessions" -name "recording-001.mkv" | head -n 1)"
  h_media="$(add "$h_media" "$(media_seconds "$file")")"
  echo "Round ${round}/${rounds}: ${seconds} s with bare gst-launch-1.0…" >&2
  measure "$work/bare.time" bash -c 'bare "$1"' bare "$work/bare$round.mkv"
  b_media="$(add "$b_media" "$(media_seconds "$work/bare$round.mkv")")"
done

report="$(python3 - "$work/hattama.time" "$h_media" "$work/bare.time" "$b_media" "$0" "720p25" <<'PY'
import sys

def totals(path):
    rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return sum(r[0] for r in rows), sum(r[1] for r in rows), max(r[2] for r in rows)

hu, hs, hr = totals(sys.argv[1]); hm = float(sys.argv[2])
bu, bs, br = totals(sys.argv[3]); bm = float(sys.argv[4])
h_rate, b_rate = (hu + hs) / hm, (bu + bs) / bm
ratio = h_rate / b_rate
print(f"| Hattama `record --demo` | {hm:.1f} | {hu:.1f} | {hs:.1f} | {h_rate:.3f} | {hr/1024:.0f} |")
print(f"| bare `gst-launch-1.0`, same encode | {bm:.1f} | {bu:.1f} | {bs:.1f} | {b_rate:.3f} | {br/1024:.0f} |")
print()
verdict = "meets" if ratio <= 1.05 else "misses"
print(f"CPU ratio Hattama / bare: **{ratio:.3f}×** per recorded second ({verdict} the goal ≤ 1.05×).")
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(sys.argv[5])))
import benchmarks
benchmarks.summary(f"0-record-{sys.argv[6]}", f"recording {sys.argv[6]}: CPU per media second",
                   f"{h_rate:.3f} s", f"bare `gst-launch` {b_rate:.3f} s", ratio, "≤ 1.05×",
                   ratio <= 1.05)
PY
)"

date_now="$(date -u '+%Y-%m-%d %H:%M UTC')"
machine="$(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, $(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME"), GStreamer $(gst-launch-1.0 --gst-version | awk '{print $NF}')"
section="<!-- bench:record -->
## Recording: 720p25 demo video + two audio inputs (${rounds} × ${seconds} s each)

Measured ${date_now} on ${machine}.
Command: \`make bench\` (runs \`bench/record.sh target/release/hattama ${seconds}\` with ${rounds} rounds; \`ROUNDS=n\` to change).
Both record the same sources with the same encoders into Matroska, and the mix into Opus
(the archive's copy); Hattama adds the compositor,
per-track mixers, level meters, the inputs' watchdog (a probe on each input) and an \`fdatasync\` every 500 ms (\`record\` on a terminal makes
no preview frames; the window's 5 fps previews are not in this figure).
CPU is user and system seconds from \`/usr/bin/time\`, summed over the rounds; peak memory is the
largest maximum resident set.

| run | media s | user s | system s | CPU s per media s | peak MiB |
|---|---|---|---|---|---|
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
