#!/usr/bin/env python3
"""The judge's review straight from the court server (issue 21): a 2-hour part (four
30-minute recording files, made once by gst-launch with the recorder's encoder settings at a
constant 2.5 Mbit/s, kept in /var/tmp) sealed by Hattama and put on `rclone serve s3` on
127.0.0.1 with a bandwidth limit standing for the court's network. Measured: the judge's click
on the case → the case shown (listed, every seal checked) → the part's first frame; and 30
clicks on moments of the part → the frame there, every byte checked against the seal's chunk
list as it comes. Beside it, in the same run: the same part played from the local disk
(`bench-review`), and stock `ffmpeg` reading the same files over HTTP (`rclone serve http`
over the same folder, the same limit) to the same moments. Rewrites the section
`bench:stream` of BENCHMARKS.md.

Usage: bench/stream.py path/to/hattama
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import benchmarks  # bench/benchmarks.py

hattama = sys.argv[1]
LIMIT = os.environ.get("BWLIMIT", "100M")  # bytes/s for rclone: 100 MiB/s ≈ 0.84 Gbit/s
COURT = "Алматы қаласы Медеу аудандық соты"
CASE = "2-88/2026"
long_part = "/var/tmp/hattama-bench-stream-120min"
HALF_HOUR = 1800


def timed(command):
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - began) * 1000


def half_hour(index):
    """gst-launch of recording-00N.mkv: 30 minutes from (N-1) × 30 minutes, at a constant
    bitrate (x264's filler keeps a black picture at 2.5 Mbit/s, as a courtroom's is)."""
    offset = (index - 1) * HALF_HOUR * 10**9
    frames, audio = HALF_HOUR * 25, HALF_HOUR * 48000 // 1024
    return (f"matroskamux name=m ! filesink location={long_part}/recording-00{index}.mkv "
            f"videotestsrc num-buffers={frames} pattern=black timestamp-offset={offset} ! "
            "video/x-raw,width=640,height=360,framerate=25/1,format=I420 ! "
            "x264enc speed-preset=ultrafast tune=zerolatency bitrate=2500 key-int-max=50 "
            "pass=cbr vbv-buf-capacity=1000 option-string=nal-hrd=cbr:filler=1 ! h264parse ! m. "
            f"audiotestsrc num-buffers={audio} wave=silence samplesperbuffer=1024 "
            f"timestamp-offset={offset} ! audio/x-raw,rate=48000,channels=1 ! "
            "avenc_aac bitrate=96000 ! aacparse ! m.")


if not os.path.exists(f"{long_part}/.whole"):
    print("Making a 2-hour part (once; kept in /var/tmp)…", file=sys.stderr)
    os.makedirs(long_part, exist_ok=True)
    for pair in ((1, 2), (3, 4)):
        makers = [subprocess.Popen(["gst-launch-1.0", "-q", *half_hour(i).split()])
                  for i in pair]
        if any(maker.wait() != 0 for maker in makers):
            sys.exit("gst-launch could not make the 2-hour part")
    open(f"{long_part}/.whole", "w").close()

work = tempfile.mkdtemp(dir="/var/tmp")
root = f"{work}/s3"
os.makedirs(f"{root}/court/записи")
port, http_port = benchmarks.free_port(), benchmarks.free_port()
data, config = f"{work}/data", f"{work}/config.toml"
os.makedirs(data)
open(f"{data}/.hattama-bench", "w").write("made by a Hattama benchmark\n")
open(config, "w").write(
    f'[court]\nname = "{COURT}"\nhall = "1"\n[operator]\nname = "Ерлан Ахметов"\n'
    f'[delivery]\nserver = "s3://court/записи"\nserver_endpoint = "http://127.0.0.1:{port}"\n'
    'server_access_key = "bench"\nserver_secret_key = "bench-secret"\n')
me = [hattama, "--config", config, "--data", data]
subprocess.run(me + ["record", "--demo", "--for", "2", "--case", CASE], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
s3 = subprocess.Popen(["rclone", "serve", "s3", "--addr", f"127.0.0.1:{port}", "--auth-key",
                       "bench,bench-secret", "--vfs-cache-mode", "off", "--bwlimit", LIMIT,
                       root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
http = subprocess.Popen(["rclone", "serve", "http", "--addr", f"127.0.0.1:{http_port}",
                         "--bwlimit", LIMIT, root],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for server_port in (port, http_port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", server_port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
try:
    out = subprocess.run(me + ["bench-stream", "--long", long_part, "--root",
                               f"{root}/court/записи", "--seeks", "30"],
                         check=True, capture_output=True, text=True)
    streamed = json.loads(out.stdout)
    local = json.loads(subprocess.run([hattama, "bench-review", "--part", long_part, "--seeks",
                                       "30"], check=True, capture_output=True,
                                      text=True).stdout)
    # Stock ffmpeg over HTTP to the same moments: the file holding each, the time within it.
    on_server = [os.path.relpath(os.path.join(folder, name), root)
                 for folder, _, names in os.walk(root) for name in names
                 if name.startswith("recording-")]
    on_server.sort()
    url = lambda index: f"http://127.0.0.1:{http_port}/{on_server[index]}"
    stock_open = statistics.median(
        timed(["ffmpeg", "-v", "error", "-i", url(0), "-frames:v", "1", "-f", "null", "-"])
        for _ in range(5))
    stock_seeks = []
    for target in streamed["targets_ms"]:
        index = min(target // (HALF_HOUR * 1000), len(on_server) - 1)
        within = target / 1000 - index * HALF_HOUR
        stock_seeks.append(timed(["ffmpeg", "-v", "error", "-ss", f"{within:.3f}", "-i",
                                  url(index), "-frames:v", "1", "-f", "null", "-"]))
finally:
    s3.terminate()
    http.terminate()
stock_seeks.sort()
stock_median = statistics.median(stock_seeks)
first = streamed["click_to_first_frame_ms"]
seek = streamed["seek_to_frame_median_ms"]
section = f"""<!-- bench:stream -->
## The judge's review from the court server: click → first frame, click → frame

Measured {benchmarks.now()} on {benchmarks.machine()}.
Command: `make bench` (runs `bench/stream.py target/release/hattama`, which runs the hidden
`hattama bench-stream --long DIR --root DIR --seeks 30`). The server: `rclone serve s3` on
127.0.0.1 with `--bwlimit {LIMIT}` (bytes per second: a gigabit court network's worth).

A 2-hour part: four 30-minute recording files, {streamed['part_bytes'] / 1e9:.2f} GB, sealed
with its chunk list (SHA-256 of each MiB). The judge's desk opens the case from the server
(lists it, reads every part's seal and checks it: signature, chain, sizes, listed files; mounts
it read-only), opens the part's player and shows its first frame; then 30 clicks on moments
spread over the part, each an accurate seek to the frame there. Every byte the player reads is
held to its chunk's sealed SHA-256 as it comes ({streamed['mismatches']} mismatches).

| | Hattama from the server | the same part from the local disk | stock ffmpeg over HTTP |
|---|---|---|---|
| click → case shown (listed, seals checked, mounted), ms | {streamed['open_case_ms']:.0f} | — | — |
| the same, first look after the upload (the test server computes its MD5s), ms | {streamed['first_open_case_ms']:.0f} | — | — |
| open → first frame, ms | {streamed['open_to_first_frame_ms']:.0f} | {local['open_to_first_frame_ms']:.0f} | {stock_open:.0f} |
| click → first frame, ms | **{first:.0f}** (goal ≤ 1000) | | |
| click → frame, median ms | **{seek:.0f}** (goal ≤ 300) | {local['seek_to_frame_median_ms']:.0f} | {stock_median:.0f} |
| click → frame, p95 ms | {streamed['seek_to_frame_p95_ms']:.0f} | {local['seek_to_frame_p95_ms']:.0f} | {stock_seeks[int(0.95 * (len(stock_seeks) - 1))]:.0f} |
| click → frame, max ms | {streamed['seek_to_frame_max_ms']:.0f} | {local['seek_to_frame_max_ms']:.0f} | {max(stock_seeks):.0f} |

Read from the server for all of it: {streamed['fetched_bytes'] / 1e6:.0f} MB of
{streamed['part_bytes'] / 1e6:.0f} MB ({100 * streamed['fetched_bytes'] / streamed['part_bytes']:.1f} %).
Ratio of the click → frame medians, Hattama from the server / ffmpeg over HTTP (a new process
each time, as a player started for one look would be):
**{seek / stock_median:.2f}×**; from the server / from the local disk
**{seek / local['seek_to_frame_median_ms']:.2f}×**.
<!-- /bench:stream -->"""
benchmarks.write_section("stream", section)
benchmarks.summary("7-stream-open", "judge, from the server: click → first frame (2-hour part)",
                   f"{first:.0f} ms", f"`ffmpeg` over HTTP {stock_open:.0f} ms",
                   first / stock_open, "≤ 1000 ms", first <= 1000)
benchmarks.summary("8-stream-seek", "judge, from the server: click → frame (median)",
                   f"{seek:.0f} ms", f"`ffmpeg -ss` over HTTP {stock_median:.0f} ms",
                   seek / stock_median, "≤ 300 ms", seek <= 300)
subprocess.run(["rm", "-rf", work], check=False)
