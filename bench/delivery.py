#!/usr/bin/env python3
"""Seal -> protocol delivered to ҚР СО БААТЖ (the reference receiver up on 127.0.0.1, `hattama
deliver` running), against `curl` posting the same payload to the same receiver in the same
run. Rewrites the section `bench:delivery` of BENCHMARKS.md.

Usage: bench/delivery.py path/to/hattama
"""
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

import benchmarks  # bench/benchmarks.py

hattama = sys.argv[1]
work = tempfile.mkdtemp(dir="/var/tmp")
data = f"{work}/data"
rounds = 5

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
url = f"http://127.0.0.1:{port}/protocols"
config = f"{work}/config.toml"
open(config, "w").write(f'[delivery]\nbaatzh_url = "{url}"\nbaatzh_token = "bench"\nsend_demo = true\n')

receiver = subprocess.Popen([hattama, "receiver", "--listen", f"127.0.0.1:{port}", "--store",
                             f"{work}/received", "--token", "bench"], stdout=subprocess.PIPE)
receiver.stdout.readline()
deliver = subprocess.Popen([hattama, "--config", config, "--data", data, "deliver"],
                           stdout=subprocess.DEVNULL)
print(f"Recording and sealing {rounds} parts while `hattama deliver` runs…", file=sys.stderr)
for _ in range(rounds):
    subprocess.run([hattama, "--config", config, "--data", data, "record", "--demo", "--for", "2"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 30
db = sqlite3.connect(f"{data}/hattama.sqlite3")
while time.time() < deadline:
    states = [s for (s,) in db.execute("SELECT state FROM outbox WHERE kind = 'protocol'")]
    if len(states) == rounds and all(s == "delivered" for s in states):
        break
    time.sleep(0.2)
rows = db.execute("SELECT payload, delivered_at FROM outbox WHERE kind = 'protocol'").fetchall()
deliver.terminate()
deliver.wait()


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


waits = [(utc(delivered) - utc(json.loads(payload)["sealed_at"])).total_seconds() * 1000
         for payload, delivered in rows]

# The same payload by curl, under fresh keys: the bare HTTP round trip.
payload_file = f"{work}/payload.json"
open(payload_file, "w").write(rows[0][0])
curls = []
for round in range(rounds):
    began = time.perf_counter()
    subprocess.run(["curl", "-s", "-o", "/dev/null", "-X", "POST", "-H", "Authorization: Bearer bench",
                    "-H", f"Idempotency-Key: bench-curl-{round}", "-H", "Content-Type: application/json",
                    "--data-binary", f"@{payload_file}", url], check=True)
    curls.append((time.perf_counter() - began) * 1000)
receiver.terminate()
receiver.wait()

section = f"""<!-- bench:delivery -->
## Seal → protocol delivered

Measured {benchmarks.now()} on {benchmarks.machine()}.
Command: `make bench` (runs `bench/delivery.py target/release/hattama`).

{rounds} demo parts recorded and sealed one after another while `hattama deliver` runs and the
reference receiver (`hattama receiver`) listens on 127.0.0.1: from the seal's time in the
manifest to the outbox row marked delivered (the seal's transaction rings the data folder's
bell and the worker sends at once; it also looks every second for what falls due later).
Beside it, `curl` posting the same payload to the same receiver: the bare round trip.

| | median ms | worst ms |
|---|---|---|
| seal → delivered (Hattama) | {statistics.median(waits):.0f} | {max(waits):.0f} |
| `curl` POST of the same payload | {statistics.median(curls):.0f} | {max(curls):.0f} |

Before the bell the worker found a new row at its next look, once a second: median 487 ms,
worst 807 ms (2026-11-25).
<!-- /bench:delivery -->"""
benchmarks.write_section("delivery", section)
benchmarks.summary(
    "1-delivery", "seal → protocol delivered (median / worst)",
    f"{statistics.median(waits):.0f} / {max(waits):.0f} ms",
    f"`curl` POST {statistics.median(curls):.0f} ms", statistics.median(waits) / statistics.median(curls),
    "≤ 50 / ≤ 100 ms", statistics.median(waits) <= 50 and max(waits) <= 100)
subprocess.run(["rm", "-rf", work], check=False)
