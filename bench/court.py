#!/usr/bin/env python3
"""A court's store at scale (issue 21): the court server (`rclone serve s3` on 127.0.0.1)
holds N synthetic parts (small files, laid out as Hattama lays them out: court / case /
session / part, with each case's events) and one real case recorded, put on a disc and sent
up by Hattama. Measured at 1,000 and 10,000 parts: the archivist's listing of the real case
(`hattama accept --case`: its events listed, read and signature-checked) and its acceptance
(the disc checked in full against them, the acceptance signed and recorded on the server),
beside `rclone lsf -R` of the same case's folder (the stock tool listing the same objects)
and of the whole court (what a design that reads the court would pay). Rewrites the section
`bench:court` of BENCHMARKS.md.

Usage: bench/court.py path/to/hattama
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
ROUNDS = int(os.environ.get("ROUNDS", "5"))
COURT = "Алматы қаласы Медеу аудандық соты"
COURT_FOLDER = "Алматы-қаласы-Медеу-аудандық-соты"
CASE = "2-77/2026"
PARTS_PER_CASE = 5


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def synthetic(root, parts):
    """`parts` parts in cases of PARTS_PER_CASE, each with the seal's files (small) and its
    events, written straight into the bucket's folder before the server starts."""
    for index in range(parts):
        case = f"2-{index // PARTS_PER_CASE + 1000}-2026"
        session = f"2026-11-{index % 28 + 1:02d}_{case}_s{index // PARTS_PER_CASE}-{index:08x}"
        folder = f"{root}/court/записи/{COURT_FOLDER}/{case}/{session}/part-01"
        os.makedirs(folder, exist_ok=True)
        for name, size in [("recording-001.mkv", 2048), ("audio.opus", 512), ("protocol.txt", 300),
                           ("protocol.json", 900), ("manifest.json", 1200),
                           ("manifest.json.minisig", 300), ("SHA256SUMS", 400)]:
            with open(f"{folder}/{name}", "wb") as out:
                out.write(b"x" * size)
        events = f"{root}/court/записи/{COURT_FOLDER}/{case}/events"
        os.makedirs(events, exist_ok=True)
        for name in [f"20261101T1000{index % 60:02d}Z-part-uploaded-{index:016x}.json"]:
            for suffix, size in [("", 700), (".minisig", 300)]:
                with open(f"{events}/{name}{suffix}", "wb") as out:
                    out.write(b"x" * size)


def median_ms(command, env=None):
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - began) * 1000)
        if done.returncode != 0:
            sys.exit(f"{command[:3]} failed: {done.stderr.decode()}")
    return statistics.median(times)


def measure(parts):
    work = tempfile.mkdtemp(dir="/var/tmp")
    root = f"{work}/s3"
    os.makedirs(f"{root}/court")
    print(f"Writing {parts} synthetic parts…", file=sys.stderr)
    synthetic(root, parts)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = benchmarks.serve_s3(root, port)
    desks = {}
    for name, hall, person in [("courtroom", "1", "Айгүл Серікова"),
                               ("archive", "", "Бекзат Нұрланов")]:
        folder = f"{work}/{name}"
        os.makedirs(folder)
        config = f"{folder}/config.toml"
        open(config, "w").write(
            f'[court]\nname = "{COURT}"\nhall = "{hall}"\n[operator]\nname = "{person}"\n'
            f'[delivery]\nsend_demo = true\nserver = "s3://court/записи"\n'
            f'server_endpoint = "{endpoint}"\nserver_access_key = "bench"\n'
            f'server_secret_key = "bench-secret"\n')
        desks[name] = [hattama, "--config", config, "--data", f"{folder}/data"]
    courtroom, archive = desks["courtroom"], desks["archive"]
    print("Recording the real case…", file=sys.stderr)
    for _ in range(2):
        subprocess.run(courtroom + ["record", "--demo", "--for", "2", "--case", CASE],
                       check=True, stdout=subprocess.DEVNULL)
    disc = f"{work}/case.iso"
    subprocess.run(courtroom + ["disc", "build", "--case", CASE, "--out", disc], check=True,
                   stdout=subprocess.DEVNULL)
    for _ in range(3):
        subprocess.run(courtroom + ["deliver", "--once"], check=True, stdout=subprocess.DEVNULL)
    os.makedirs(f"{work}/archive/data/keys/trusted", exist_ok=True)
    subprocess.run(["cp", f"{work}/courtroom/data/keys/hattama.pub",
                    f"{work}/archive/data/keys/trusted/courtroom-1.pub"], check=True)
    listed = subprocess.run(archive + ["accept", "--case", CASE, "--court", COURT, "--json"],
                            check=True, capture_output=True)
    events = len(json.loads(listed.stdout)["events"])
    figures = {
        "list": median_ms(archive + ["accept", "--case", CASE, "--court", COURT]),
        "accept": median_ms(archive + ["accept", "--case", CASE, "--court", COURT, disc]),
    }
    env = dict(os.environ, RCLONE_CONFIG_BENCH_TYPE="s3", RCLONE_CONFIG_BENCH_PROVIDER="Other",
               RCLONE_CONFIG_BENCH_ENDPOINT=endpoint, RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="bench",
               RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="bench-secret")
    case_folder = CASE.replace("/", "-")
    figures["rclone_case"] = median_ms(
        ["rclone", "lsf", "-R", f"bench:court/записи/{COURT_FOLDER}/{case_folder}"], env)
    figures["rclone_court"] = median_ms(
        ["rclone", "lsf", "-R", f"bench:court/записи/{COURT_FOLDER}"], env)
    objects = sum(len(files) for _, _, files in os.walk(f"{root}/court"))
    server.terminate()
    server.wait()
    subprocess.run(["rm", "-rf", work], check=True)
    return figures, objects, events


rows = []
results = {}
for parts in [1000, 10000]:
    figures, objects, events = measure(parts)
    results[parts] = figures
    rows.append(f"| {parts:,} | {objects:,} | {figures['list']:.0f} | {figures['accept']:.0f} | "
                f"{figures['rclone_case']:.0f} | {figures['rclone_court']:.0f} |")

small, large = results[1000], results[10000]
section = f"""<!-- bench:court -->
## A court's store at scale: the archivist's listing and acceptance of one case

Measured {benchmarks.now()} on {benchmarks.machine()}.
Command: `make bench` (runs `bench/court.py target/release/hattama`; `ROUNDS=n`, default 5).

The court server is `rclone serve s3` on 127.0.0.1 over a folder holding N synthetic parts
(small files in cases of {PARTS_PER_CASE}, laid out as Hattama lays them out: court / case /
session / part, each case with its events) and one real case: two demo parts recorded, put on
a disc and sent up by `hattama` (parts, part-uploaded and disc-made events, {events} events
in all, signed). On a second data folder holding only the hall's public key, each figure is
the median of {ROUNDS} runs of the whole command (process start included):
**list** `hattama accept --case` (the case's events listed, read and signature-checked, the
discs they name); **accept** `hattama accept --case … case.iso` (that, plus the disc checked
in full against them and the signed acceptance recorded on the server); beside them the stock
tool, `rclone lsf -R` of the same case's folder and of the whole court's.

| parts in the store | objects | list ms | accept ms | `rclone lsf -R` case ms | `rclone lsf -R` court ms |
|---|---|---|---|---|---|
{chr(10).join(rows)}

From 1,000 to 10,000 parts the case's listing went {small['list']:.0f} → {large['list']:.0f} ms and
its acceptance {small['accept']:.0f} → {large['accept']:.0f} ms: they grow with the case (its
folder is one prefix), not with the court, whose own listing went {small['rclone_court']:.0f} →
{large['rclone_court']:.0f} ms. Ratio to the stock tool listing the same case:
**{large['list'] / large['rclone_case']:.2f}×** (list) at 10,000 parts. Goal: each under 300 ms
— list {"met" if large['list'] < 300 else "missed"}, accept {"met" if large['accept'] < 300 else "missed"}.
The judge's list (issue 21) is not built yet and not measured here.
<!-- /bench:court -->"""
benchmarks.write_section("court", section)
