#!/usr/bin/env python3
"""Stop -> signed, for a real 1-minute part and a 60-minute one, beside `sha256sum` of the
same recording after stop; and `hattama verify` of a multi-GB folder beside `sha256sum` of
the same bytes. Rewrites the section `bench:seal` of BENCHMARKS.md.

Usage: bench/seal.py path/to/hattama
"""
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

hattama = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = tempfile.mkdtemp(dir="/var/tmp")
data = f"{work}/data"


def run_json(*args):
    out = subprocess.run([hattama, "--data", data, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def timed(command, cwd=None):
    began = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - began) * 1000


print("Recording a real 1-minute part…", file=sys.stderr)
real = run_json("record", "--demo", "--for", "60", "--json")
real_size = os.path.getsize(real["recording"])
real_sha = timed(["sha256sum", real["recording"]])
print("Writing and sealing a 60-minute part (two of them, for a multi-GB folder)…", file=sys.stderr)
long_parts = [run_json("bench-seal", "--minutes", "60") for _ in range(2)]
long_sha = timed(["sha256sum", long_parts[0]["recording"]])
sessions = f"{data}/sessions"
files = [os.path.join(d, f) for d, _, fs in os.walk(sessions) for f in fs]
total = sum(os.path.getsize(f) for f in files)
verify_ms = min(timed([hattama, "--data", data, "verify", sessions]) for _ in range(2))
sha_all_ms = min(timed(["sha256sum", *files]) for _ in range(2))

machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB, "
           f"{platform.machine()}, {platform.freedesktop_os_release()['PRETTY_NAME']}")
now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
long_ms = max(p["seal_ms"] for p in long_parts)
ratio = verify_ms / sha_all_ms
section = f"""<!-- bench:seal -->
## Sealing and verifying

Measured {now} on {machine}.
Command: `make bench` (runs `bench/seal.py target/release/hattama`).

**Stop → signed.** A real 1-minute demo part (`hattama record --demo --for 60`: from asking
to stop, through end-of-stream and the file's finish, to `manifest.json.minisig` on disk), and
a 60-minute part ({long_parts[0]['bytes'] / 1e9:.2f} GB at 720p25's 2.8 Mbit/s, written in
1 MiB blocks and synced like the recorder's, then sealed: `hattama bench-seal --minutes 60`).
Sealing hashes the recording after stop (SHA-256 with the CPU's SHA extensions), so its time
grows with the part; beside it, Debian's `sha256sum` of the same file, after stop.

| part | size | stop → signed ms | `sha256sum` after stop ms |
|---|---|---|---|
| 1 minute, real recording | {real_size / 1e6:.1f} MB | {real['stop_to_sealed_ms']:.0f} | {real_sha:.0f} |
| 60 minutes (seal only) | {long_parts[0]['bytes'] / 1e9:.2f} GB | {long_ms:.0f} | {long_sha:.0f} |

**Verify.** `hattama verify` of the sessions folder ({len(files)} files, {total / 1e9:.2f} GB, page
cache warm for both; best of two) beside `sha256sum` of the same files.

| run | ms |
|---|---|
| `hattama verify` (hashes, signatures, chains, protocol texts) | {verify_ms:.0f} |
| `sha256sum` of the same bytes | {sha_all_ms:.0f} |

Ratio Hattama / `sha256sum`: **{ratio:.2f}×** ({"meets" if ratio <= 1.1 else "misses"} the goal ≤ 1.1×).
<!-- /bench:seal -->"""

path = os.path.join(root, "BENCHMARKS.md")
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- bench:seal -->.*?<!-- /bench:seal -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
subprocess.run(["rm", "-rf", work], check=False)
print(section)
