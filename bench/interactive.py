#!/usr/bin/env python3
"""The secretary's two waits: Enter -> entry durable while a part records, and a start ->
first screen drawn (and -> ready to record). Each beside a stock tool doing the nearest thing, in the same run; the
section `bench:interactive` of BENCHMARKS.md is rewritten.

Usage: bench/interactive.py path/to/hattama
"""
import json

import benchmarks  # bench/benchmarks.py
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

hattama = sys.argv[1]
work = tempfile.mkdtemp(dir="/var/tmp")
COUNT = 1000
EVERY_S = 0.010
STARTS = 5
ROUNDS = int(os.environ.get("ROUNDS", "3"))


def percentile(values, share):
    ordered = sorted(values)
    index = max(1, min(len(ordered), -(-len(ordered) * share // 1)))
    return ordered[int(index) - 1]


def hattama_entries(round):
    out = subprocess.run(
        [hattama, "--data", f"{work}/entries{round}", "bench-entries", "--count", str(COUNT)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def sqlite_entries(round):
    """Python's sqlite3 (the stock SQLite library): the same WAL + synchronous=FULL, one
    row per transaction, the same pace, while `hattama record --demo` records beside it (so
    both meet the same disk and CPU)."""
    seconds = 3 + COUNT * EVERY_S * 1.5 + 5
    recording = subprocess.Popen(
        [hattama, "--data", f"{work}/stock-recording{round}", "record", "--demo", "--for", str(seconds)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3 + 2)  # start-up, then the same 3 s of steady state as Hattama's run
    try:
        return stock_rows(round)
    finally:
        recording.terminate()
        recording.wait()


def stock_rows(round):
    db = sqlite3.connect(f"{work}/stock{round}.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, wall_time TEXT, text TEXT)")
    took = []
    for n in range(COUNT):
        pressed = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO entries (wall_time, text) VALUES (?, ?)",
                   (time.strftime("%Y-%m-%dT%H:%M:%SZ"), f"Entry {n}"))
        db.execute("COMMIT")
        spent = time.perf_counter() - pressed
        took.append(spent * 1000)
        time.sleep(max(0.0, EVERY_S - spent))
    return {"p50_ms": percentile(took, 0.5), "p99_ms": percentile(took, 0.99), "max_ms": max(took)}


def free_display():
    return next(n for n in range(90, 140) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))


def cold_starts():
    number = free_display()
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{number}", HATTAMA_LOG="hattama::ready=info", LANG="kk_KZ.UTF-8")
        env.pop("WAYLAND_DISPLAY", None)
        # One start unmeasured, so the binary, its libraries and GStreamer's registry are in
        # the page cache (the goal is a warm start: the computer has run Hattama before).
        walls, inside, ready = [], [], []
        for round in range(STARTS + 1):
            began = time.perf_counter()
            window = subprocess.Popen([hattama, "--data", f"{work}/start{round}"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            drawn = ready_at = None
            for line in window.stderr:
                if found := re.search(r"first screen drawn (\d+) ms after launch", line):
                    drawn = ((time.perf_counter() - began) * 1000, int(found.group(1)))
                elif found := re.search(r"ready to record (\d+) ms after launch", line):
                    ready_at = int(found.group(1))
                if drawn and ready_at is not None:
                    break
            window.kill()
            window.wait()
            if not drawn or ready_at is None:
                raise SystemExit("the window ended before drawing its first screen and loading")
            if round:
                walls.append(drawn[0])
                inside.append(drawn[1])
                ready.append(ready_at)
        return walls, inside, ready
    finally:
        server.kill()


def gst_start():
    took = []
    for _ in range(STARTS):
        began = time.perf_counter()
        subprocess.run(["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=1", "!", "fakesink"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took.append((time.perf_counter() - began) * 1000)
    return took


mine, stock = [], []
# Rounds alternate so that both see the same machine on average; the disk of a virtual
# machine has moments of long flushes, which one round alone can hit or miss.
for round in range(ROUNDS):
    print(f"Round {round + 1}/{ROUNDS}: {COUNT} entries with Hattama while it records…", file=sys.stderr)
    mine.append(hattama_entries(round))
    print(f"Round {round + 1}/{ROUNDS}: {COUNT} rows with Python's sqlite3…", file=sys.stderr)
    stock.append(sqlite_entries(round))


def row(name, rounds):
    cells = " | ".join(f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['max_ms']:.1f}" for r in rounds)
    return f"| {name} | {cells} | **{statistics.median(r['p99_ms'] for r in rounds):.2f}** |"


mine_p99 = statistics.median(r["p99_ms"] for r in mine)
stock_p99 = statistics.median(r["p99_ms"] for r in stock)
print(f"{STARTS} cold starts…", file=sys.stderr)
walls, inside, ready = cold_starts()
gst = gst_start()

machine = benchmarks.machine()
fs = subprocess.run(["df", "--output=fstype", work], capture_output=True, text=True).stdout.split()[-1]
now = benchmarks.now()
entry_verdict = "meets" if mine_p99 <= 5 else "misses"
start_verdict = "meets" if statistics.median(walls) <= 250 else "misses"
section = f"""<!-- bench:interactive -->
## The secretary's waits: Enter → entry durable, cold start → ready to record

Measured {now} on {machine}; data on {fs}.
Command: `make bench` (runs `bench/interactive.py target/release/hattama`).

**Enter → entry durable.** `hattama bench-entries` starts a demo part (720p25, two audio
inputs, `fdatasync` every 500 ms), waits 3 s, then writes {COUNT} entries {EVERY_S * 1000:.0f} ms apart
the way Enter does: to the database thread, `INSERT` and `COMMIT` with `synchronous=FULL` (on
disk when it returns), and back. Beside it, Python's `sqlite3` module (the stock library) doing
one-row transactions with the same settings and pace while `hattama record --demo` records the
same inputs: the same disk and CPU load, without Hattama's database thread and checks.

Each cell is one round's p50 / p99 / max in ms; rounds alternate between the two.

| run | {" | ".join(f"round {n + 1}" for n in range(ROUNDS))} | median p99 ms |
|---|{"---|" * ROUNDS}---|
{row("Hattama, while recording", mine)}
{row("Python `sqlite3`, while recording", stock)}

Median p99 ratio Hattama / stock: **{mine_p99 / stock_p99:.2f}×**; Hattama's median p99 {entry_verdict} the goal ≤ 5 ms.

**Start → first screen drawn, and → ready to record.** The window started {STARTS} times
under Xvfb on a new data folder, after one unmeasured start (a warm page cache: the computer
has run Hattama before). Timed from `exec` to its log line saying the first screen was drawn
(iced's first redraw of the screen the database opened on, GStreamer still loading beside it;
without a GPU here, so drawn by iced's CPU renderer after one start again with it chosen),
and to the line saying GStreamer is loaded and the parts that ended unsealed are sealed.
Beside it, a bare `gst-launch-1.0 videotestsrc num-buffers=1 ! fakesink`.

| run | median ms | max ms |
|---|---|---|
| Hattama window, exec → first screen drawn | {statistics.median(walls):.0f} | {max(walls):.0f} |
| (Hattama's own count from `main`) | {statistics.median(inside):.0f} | {max(inside):.0f} |
| Hattama's own count, → ready to record | {statistics.median(ready):.0f} | {max(ready):.0f} |
| bare `gst-launch-1.0` start and stop | {statistics.median(gst):.0f} | {max(gst):.0f} |

Median ratio Hattama / gst-launch: **{statistics.median(walls) / statistics.median(gst):.2f}×**; the median first screen {start_verdict} the goal ≤ 250 ms.
<!-- /bench:interactive -->"""

benchmarks.write_section("interactive", section)
benchmarks.summary("4-cold-start", "start → first screen drawn, warm cache (median)",
                   f"{statistics.median(walls):.0f} ms",
                   f"`gst-launch` start-stop {statistics.median(gst):.0f} ms",
                   statistics.median(walls) / statistics.median(gst), "≤ 250 ms",
                   statistics.median(walls) <= 250)
subprocess.run(["rm", "-rf", work], check=False)
