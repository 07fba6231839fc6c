#!/usr/bin/env bash
# Records 60 s of demo video and audio with Hattama and with a bare gst-launch-1.0 pipeline
# doing the same encode, and writes CPU time, the ratio and peak memory into BENCHMARKS.md.
# By default 720p25, one camera, a microphone and the remote input; PROFILE, CAMERAS and
# MICROPHONES change that (make bench also runs 1080p25 with two cameras and four microphones).
# Usage: bench/record.sh path/to/hattama [seconds]
set -euo pipefail

hattama="${1:?usage: bench/record.sh path/to/hattama [seconds]}"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rounds="${ROUNDS:-3}"
profile="${PROFILE:-720p25}"
cameras="${CAMERAS:-1}"
microphones="${MICROPHONES:-1}"
# The profile's picture and encoder, from the file Hattama itself reads.
read -r width height encoder < <(python3 - "$root/assets/profiles/$profile.toml" <<'PY'
import sys, tomllib
video = tomllib.load(open(sys.argv[1], "rb"))["video"]
print(video["width"], video["height"], video["encoder"])
PY
)

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
  local frames=$((seconds * 25)) blocks=$((seconds * 100)) video audio="" n track=1
  local clock="clockoverlay text=DEMO time-format=%Y-%m-%d\\ %H:%M:%S valignment=bottom halignment=left font-desc=Sans\\ 24"
  local encode="videoconvert ! video/x-raw,format=I420 ! $encoder ! h264parse ! queue ! mux.video_0"
  if [ "$cameras" -eq 1 ]; then
    video="videotestsrc is-live=true pattern=ball num-buffers=$frames \
      ! video/x-raw,width=$width,height=$height,framerate=25/1 ! $clock ! $encode"
  else
    # Hattama's layout: the cameras side by side in one picture, each in its cell.
    local columns rows
    columns="$(python3 -c "import math; print(math.ceil(math.sqrt($cameras)))")"
    rows=$(((cameras + columns - 1) / columns))
    local cell_w=$((width / columns)) cell_h=$((height / rows)) pads=""
    for n in $(seq 0 $((cameras - 1))); do
      pads+=" sink_$n::xpos=$((n % columns * cell_w)) sink_$n::ypos=$((n / columns * cell_h))"
      pads+=" sink_$n::width=$cell_w sink_$n::height=$cell_h"
      video+=" videotestsrc is-live=true pattern=ball num-buffers=$frames \
        ! video/x-raw,width=$width,height=$height,framerate=25/1,format=I420 ! $clock \
        ! queue ! comp.sink_$n"
    done
    video="compositor name=comp background=black $pads \
      ! video/x-raw,width=$width,height=$height,framerate=25/1 ! $encode $video"
  fi
  for n in $(seq 1 "$microphones"); do
    audio+=" audiotestsrc is-live=true wave=ticks samplesperbuffer=480 num-buffers=$blocks \
      ! audio/x-raw,rate=48000,channels=1 ! tee name=mic$n mic$n. ! queue ! mix. \
      mic$n. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_$track"
    track=$((track + 1))
  done
  # shellcheck disable=SC2086 # the pipeline is words on purpose
  eval gst-launch-1.0 -e -q $video $audio \
    audiotestsrc is-live=true wave=sine freq=330 volume=0.2 samplesperbuffer=480 \
    num-buffers="$blocks" ! audio/x-raw,rate=48000,channels=1 ! tee name=remote \
    audiomixer name=mix ! audio/x-raw,rate=48000,channels=1 ! tee name=mixed \
    mixed. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_0 \
    mixed. ! queue ! audioconvert ! audioresample ! opusenc bitrate=32000 ! oggmux \
    ! filesink location="$1.opus" \
    remote. ! queue ! mix. \
    remote. ! queue ! audioconvert ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.audio_$track \
    matroskamux name=mux ! filesink location="$1"
}

export -f bare
export seconds width height encoder cameras microphones
h_media=0
b_media=0
add() { python3 -c "import sys; print(float(sys.argv[1]) + float(sys.argv[2]))" "$1" "$2"; }
# Rounds alternate so that both runs see the same machine conditions on average.
for round in $(seq 1 "$rounds"); do
  echo "Round ${round}/${rounds}: ${seconds} s with Hattama…" >&2
  measure "$work/hattama.time" "$hattama" record --demo --cameras "$cameras" \
    --microphones "$microphones" --profile "$profile" --for "$seconds" --data "$work/data$round"
  file="$(find "$work/data$round/sessions" -name "recording-001.mkv" | head -n 1)"
  h_media="$(add "$h_media" "$(media_seconds "$file")")"
  echo "Round ${round}/${rounds}: ${seconds} s with bare gst-launch-1.0…" >&2
  measure "$work/bare.time" bash -c 'bare "$1"' bare "$work/bare$round.mkv"
  b_media="$(add "$b_media" "$(media_seconds "$work/bare$round.mkv")")"
done

if [ "$cameras" -eq 1 ] && [ "$microphones" -eq 1 ]; then
  key="record" label="$profile" what="$profile demo video + two audio inputs"
else
  key="record-$profile-${cameras}x${microphones}"
  label="$profile, $cameras cameras, $microphones microphones"
  what="$profile, $cameras demo cameras side by side + $microphones microphones and the remote input"
fi
report="$(python3 - "$work/hattama.time" "$h_media" "$work/bare.time" "$b_media" "$0" "$label" "$key" <<'PY'
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
benchmarks.summary(f"0-{sys.argv[7]}", f"recording {sys.argv[6]}: CPU per media second",
                   f"{h_rate:.3f} s", f"bare `gst-launch` {b_rate:.3f} s", ratio, "≤ 1.05×",
                   ratio <= 1.05)
PY
)"

date_now="$(date -u '+%Y-%m-%d %H:%M UTC')"
machine="$(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, $(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME"), GStreamer $(gst-launch-1.0 --gst-version | awk '{print $NF}')"
section="<!-- bench:$key -->
## Recording: $what (${rounds} × ${seconds} s each)

Measured ${date_now} on ${machine}.
Command: \`make bench\` (runs \`PROFILE=$profile CAMERAS=$cameras MICROPHONES=$microphones bench/record.sh target/release/hattama ${seconds}\` with ${rounds} rounds; \`ROUNDS=n\` to change).
Both record the same sources with the same encoders into Matroska, and the mix into Opus
(the archive's copy); Hattama adds the compositor (the bare pipeline has one only for several cameras),
per-track mixers, level meters, the inputs' watchdog (a probe on each input) and an \`fdatasync\` every 500 ms (\`record\` on a terminal makes
no preview frames; the window's 5 fps previews are not in this figure).
CPU is user and system seconds from \`/usr/bin/time\`, summed over the rounds; peak memory is the
largest maximum resident set.

| run | media s | user s | system s | CPU s per media s | peak MiB |
|---|---|---|---|---|---|
${report}
<!-- /bench:$key -->"

file="$root/BENCHMARKS.md"
[ -f "$file" ] || printf '# Benchmarks\n\nEach section is rewritten by the command it names.\n\n' > "$file"
python3 - "$file" "$section" "$key" <<'PY'
import re, sys
path, section, key = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8").read()
pattern = re.compile(rf"<!-- bench:{re.escape(key)} -->.*?<!-- /bench:{re.escape(key)} -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
