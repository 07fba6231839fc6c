#!/usr/bin/env python3
"""The case disc image of a multi-GB case, against `cp` of the same bytes and against
`xorriso -as mkisofs -J -R` of the same folder, in the same run; and Hattama's peak memory.
Rewrites the section `bench:disc` of BENCHMARKS.md.

Usage: bench/disc.py path/to/hattama
"""
import json

import benchmarks  # bench/benchmarks.py
import os
import subprocess
import sys
import tempfile
import time

hattama = sys.argv[1]
work = tempfile.mkdtemp(dir="/var/tmp")
data = f"{work}/data"


def timed(command, cwd=None):
    """Wall time in ms, peak resident memory in MB, user and system CPU in ms (GNU time)."""
    began = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *command], check=True, cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = (time.perf_counter() - began) * 1000
    peak_kb, user, system = out.stderr.strip().splitlines()[-1].split()
    return took, int(peak_kb) / 1024, float(user) * 1000, float(system) * 1000


def best_run(command, cleanup):
    runs = []
    for _ in range(3):
        cleanup()
        runs.append(timed(command))
    return min(runs)


def best(command, cleanup):
    return best_run(command, cleanup)[:2]


print("Writing two sealed 60-minute parts of one case…", file=sys.stderr)
sessions, files, total = benchmarks.sealed_parts(hattama, data, 60)

image = f"{work}/case.iso"
copy = f"{work}/copy"
stock = f"{work}/stock.iso"


def rm(*paths):
    return lambda: subprocess.run(["rm", "-rf", *paths], check=True)


print("Timing (best of three each)…", file=sys.stderr)
mine, mine_mb, mine_user, mine_sys = best_run(
    [hattama, "--data", data, "disc", "build", "--case", "bench-seal", "--out", image,
     "--media", "dvd"], rm(image))
size = os.path.getsize(image)
cp, _ = best(["cp", "-r", sessions, copy], rm(copy))
checked_copy, _ = best(["sh", "-c", f"cp -r {sessions} {copy} && find {copy} -type f -exec sha256sum {{}} + > /dev/null"], rm(copy))
xorriso, xorriso_mb, xorriso_user, xorriso_sys = best_run(
    ["xorriso", "-as", "mkisofs", "-quiet", "-J", "-R", "-o", stock, sessions], rm(stock))
# Hattama syncs the image before naming it (a power cut never leaves a half image under the
# name); xorriso does not: the same with the image synced after.
xorriso_synced, _ = best(["sh", "-c", f"xorriso -as mkisofs -quiet -J -R -o {stock} {sessions}"
                          f" && sync -d {stock}"], rm(stock))
# The hashing floor: SHA-256 of the same bytes on every core (openssl uses SHA-NI), a file
# per process, the largest first, nothing written.
by_size = sorted(files, key=os.path.getsize, reverse=True)
floor, _ = best(["sh", "-c", f"printf '%s\\0' {' '.join(by_size)} | "
                 f"xargs -0 -P {os.cpu_count()} -n 1 openssl dgst -sha256 > /dev/null"],
                lambda: None)
one_core, _ = best(["openssl", "dgst", "-sha256", *files], lambda: None)

machine = benchmarks.machine()
now = benchmarks.now()
ratio = mine / cp
section = f"""<!-- bench:disc -->
## Case disc image

Measured {now} on {machine}.
Command: `make bench` (runs `bench/disc.py target/release/hattama`).

A case of two sealed 60-minute parts ({len(files)} files, {total / 1e9:.2f} GB, written by
`hattama bench-seal`; page cache warm), made into a DVD image with `hattama disc build`
({size / 1e9:.2f} GB image). Hattama checks each part's seal (signature, chain, protocol text,
sizes), then writes the image (ISO 9660 level 3, Joliet, Rock Ridge, README, keys, signed
inventory) while every byte it copies is hashed and held to the seal: each MiB against the
seal's chunk list, by one of a worker per core (a part sealed before chunk lists is hashed
whole, in order, on a thread of its own). Beside it, in the same run and best of three each:
`cp -r` of the same folder (GNU cp copies inside the kernel, with `copy_file_range`, and checks
nothing), the same copy followed by `sha256sum` of it (a checked copy with stock tools),
`xorriso -as mkisofs -J -R` (no check, no inventory), and the hashing floor: `openssl dgst
-sha256` of the same files on every core at once (nothing written), and on one.

| run | ms | peak memory MB |
|---|---|---|
| `hattama disc build` (check + image) | {mine:.0f} | {mine_mb:.0f} |
| `cp -r` of the same bytes | {cp:.0f} | – |
| `cp -r`, then `sha256sum` of the copy | {checked_copy:.0f} | – |
| `xorriso -as mkisofs -J -R` | {xorriso:.0f} | {xorriso_mb:.0f} |
| the same, then `sync -d` of the image (durable, as Hattama's) | {xorriso_synced:.0f} | – |
| hashing floor: `openssl dgst -sha256`, {os.cpu_count()} at once | {floor:.0f} | – |
| `openssl dgst -sha256`, one core | {one_core:.0f} | – |

Hattama / `xorriso`: **{mine / xorriso:.2f}×** (goal ≤ 0.7×); Hattama / the hashing floor:
**{mine / floor:.2f}×** (goal ≤ 1.2×); Hattama / checked copy: {mine / checked_copy:.2f}×;
Hattama / `cp`: {ratio:.2f}×; Hattama / `xorriso` with the image synced:
{mine / xorriso_synced:.2f}×.

What bounds it (CPU from GNU time, same runs): Hattama {mine_user:.0f} ms user + {mine_sys:.0f} ms
system, `xorriso` {xorriso_user:.0f} + {xorriso_sys:.0f}. Writing the image from user space — reading
each file into memory and writing it out, as both do — costs about as much system time as
xorriso's whole run, on the thread that writes, and the image is then synced; the hashing (one
core's {one_core:.0f} ms, now spread over a worker per core) runs beside it and is not what the
image waits for. `cp` is faster because the kernel copies the files itself
(`copy_file_range`). Reaching ≤ 0.7× xorriso needs the same here: the files' bytes copied
into their places in the image by the kernel, and the image's bytes then hashed where they
landed, a MiB per worker.
<!-- /bench:disc -->"""

benchmarks.write_section("disc", section)
benchmarks.summary("2-disc", "case disc image, every byte checked "
                   f"(hashing floor {floor:.0f} ms: {mine / floor:.2f}×)", f"{mine:.0f} ms",
                   f"`xorriso -as mkisofs` {xorriso:.0f} ms", mine / xorriso,
                   "≤ 0.7×, ≤ 1.2× floor", mine / xorriso <= 0.7 and mine / floor <= 1.2)
subprocess.run(["rm", "-rf", work], check=False)
