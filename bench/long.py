#!/usr/bin/env python3
"""A long recording in real time, as a court day is: `hattama record --demo` (720p25, a camera,
a microphone and the remote input, as the default profile records) for HOURS hours (at least
two), its resident memory and CPU time read from /proc every minute. Then every recording
file's video packets are counted with ffprobe against 25 a second (a dropped frame is a missing
packet) and the watchdog's incidents are read from the database. Rewrites `bench:long` of
BENCHMARKS.md, with the eight-hour figure extrapolated only when the curves are flat.

Usage: bench/long.py path/to/hattama [hours]     (make bench-long; HOURS=n to change)
"""
import glob
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import benchmarks  # bench/benchmarks.py

hattama = sys.argv[1]
hours = float(sys.argv[2]) if len(sys.argv) > 2 else float(os.environ.get("HOURS", "2"))
seconds = int(hours * 3600)
work = tempfile.mkdtemp(dir="/var/tmp", prefix="hattama-long-")
data = f"{work}/data"
TICK = os.sysconf("SC_CLK_TCK")
EVERY_S = int(os.environ.get("EVERY_S", "60"))  # a shorter trial only
FPS = 25
# The goals (issue 22): memory growth per hour, CPU per media second flat, no frame dropped.
RSS_GOAL_MB_H = 5.0
FLAT = 1.05


def sample(pid):
    """(CPU seconds so far, resident MiB) of a live process."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status")
               if line.startswith("VmRSS:"))
    return cpu, rss / 1024


def slope(points):
    """Least-squares slope of (x, y) points."""
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


print(f"Recording {hours:g} h in real time into {data} (samples every {EVERY_S} s)…",
      file=sys.stderr)
log = open(f"{work}/record.log", "w")
began = time.monotonic()
recorder = subprocess.Popen([hattama, "--data", data, "record", "--demo", "--for", str(seconds)],
                            stdout=log, stderr=subprocess.STDOUT)
samples = []  # (minutes since start, CPU s, RSS MiB)
while True:
    next_at = began + EVERY_S * (len(samples) + 1)
    try:
        recorder.wait(timeout=max(0.0, next_at - time.monotonic()))
        break
    except subprocess.TimeoutExpired:
        pass
    try:
        cpu, rss = sample(recorder.pid)
    except (FileNotFoundError, ProcessLookupError, StopIteration):
        continue
    samples.append(((time.monotonic() - began) / 60, cpu, rss))
    if len(samples) % 10 == 0:
        print(f"  {samples[-1][0]:.0f} min: RSS {rss:.1f} MiB, CPU {cpu:.0f} s", file=sys.stderr)
if recorder.returncode != 0:
    raise SystemExit(f"hattama record ended {recorder.returncode}: see {work}/record.log")
if len(samples) < 10:
    raise SystemExit("fewer than ten samples: run longer")

files = sorted(glob.glob(f"{data}/sessions/**/recording-*.mkv", recursive=True))
# Every video packet's time, across the files (they run on from one to the next): a dropped
# frame is a step longer than one frame. (Containers' durations count each file's last frame
# and audio tail, and overcount by about one frame a file.)
stamps = []
for path in files:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    stamps += [float(line.strip(",")) for line in out.split() if line.strip(",") not in ("", "N/A")]
stamps.sort()
frames = len(stamps)
media = stamps[-1] - stamps[0] + 1 / FPS if stamps else 0.0
expected = round(media * FPS)
dropped = max(0, expected - frames)
gaps = [(a, b) for a, b in zip(stamps, stamps[1:]) if b - a > 1.5 / FPS]
db = sqlite3.connect(f"{data}/hattama.sqlite3")
incidents = db.execute("SELECT kind, input, details FROM incidents").fetchall()

# The control: a new recording now, its CPU per media second over two minutes after 30 s of
# warming up. If the last hour's figure is the new one's, a rise is the machine's, not age's.
fresh = subprocess.Popen([hattama, "--data", f"{work}/fresh", "record", "--demo", "--for", "160"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(30)
fresh_began = sample(fresh.pid)[0]
time.sleep(120)
fresh_rate = (sample(fresh.pid)[0] - fresh_began) / 120
fresh.wait()

# Per minute: CPU seconds per media second (the recording runs in real time) and RSS.
rates = [((m1 + m0) / 2, (c1 - c0) / ((m1 - m0) * 60))
         for (m0, c0, _), (m1, c1, _) in zip(samples, samples[1:])]
warm = [(m / 60, rss) for m, _, rss in samples if m >= 60] or [(m / 60, rss) for m, _, rss in samples[5:]]
growth = slope(warm)  # MiB per hour, from the first hour on
first_hour = statistics.fmean(r for m, r in rates if m <= 60)
last_hour = statistics.fmean(r for m, r in rates if m > rates[-1][0] - 60)
cpu_ratio = last_hour / first_hour
aging = last_hour / fresh_rate
rate_slope = slope([(m / 60, r) for m, r in rates if m >= 60] or [(m / 60, r) for m, r in rates])
# Flat: memory within the goal, and the last hour costs no more than the first or than a new
# recording on the machine as it is now (a machine slowing down is not the recording ageing).
flat = growth <= RSS_GOAL_MB_H and min(cpu_ratio, aging) <= FLAT
met = flat and dropped == 0 and not incidents and hours >= 2
end_rss = samples[-1][2]
extrapolated = (f"{end_rss + growth * (8 - samples[-1][0] / 60):.0f} MiB at 8 h"
                if flat else "not extrapolated: the curves are not flat")

rows = []
for m, cpu, rss in samples:
    if round(m) % 10 == 0 or (m, cpu, rss) == samples[-1]:
        near = [r for rm, r in rates if abs(rm - m) <= 5]
        rows.append(f"| {m:.0f} | {rss:.1f} | {cpu:.0f} | "
                    f"{statistics.fmean(near):.3f} |" if near else f"| {m:.0f} | {rss:.1f} | {cpu:.0f} | — |")
incident_text = ("none" if not incidents else
                 "; ".join(f"{kind} {inp} {details}".strip() for kind, inp, details in incidents))
section = f"""<!-- bench:long -->
## A long day: {hours:g} hours of recording in real time

Measured {benchmarks.now()} on {benchmarks.machine()}.
Command: `make bench-long` (runs `bench/long.py target/release/hattama {hours:g}`; `HOURS=n` to
change). `hattama record --demo` records 720p25 (x264 veryfast, 2.5 Mbit/s), a microphone and the
remote input with the mix, as a courtroom does, for {hours:g} h by the wall clock; its resident set
(VmRSS) and CPU time (user + system) are read from /proc every {EVERY_S} s.

| minute | RSS MiB | CPU s so far | CPU s per media s (±5 min) |
|---|---|---|---|
""" + "\n".join(rows) + f"""

- Memory: **{growth:+.2f} MiB per hour** from the first hour on (least squares over
  {len(warm)} samples; goal ≤ {RSS_GOAL_MB_H:g}); {samples[0][2]:.1f} MiB after a minute,
  {end_rss:.1f} MiB at the end; {extrapolated}.
- CPU per media second: {first_hour:.3f} in the first hour, {last_hour:.3f} in the last:
  **{cpu_ratio:.3f}×** (goal ≤ {FLAT}× — flat); slope {rate_slope:+.4f} per hour. A new
  recording started right after: {fresh_rate:.3f} — the last hour is **{aging:.3f}×** that.
- Frames: {len(files)} recording files, {media:.1f} s of video from the first packet's time
  to the last's, {frames} video packets against {expected} at {FPS}/s: **{dropped} dropped**;
  steps longer than a frame: {len(gaps)}. Incidents recorded by the inputs' watchdog:
  {incident_text}.
<!-- /bench:long -->"""
benchmarks.write_section("long", section)
benchmarks.summary("9-long", f"a long day ({hours:g} h measured): RSS growth, CPU last ÷ first hour, "
                   "dropped frames", f"{growth:+.2f} MiB/h, {cpu_ratio:.3f}× ({aging:.3f}× a new one), {dropped}",
                   "—", None, "≤ 5 MiB/h, ≤ 1.05×, 0", met)
subprocess.run(["rm", "-rf", work], check=False)
