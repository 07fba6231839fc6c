#!/usr/bin/env python3
"""The power-cut figures of `make crash` (tests/power_cut.rs with HATTAMA_CUTS=long, on the
cutfs test filesystem), from the JSON each scenario wrote into FOLDER. Rewrites the section
`bench:crash` of BENCHMARKS.md.

Usage: bench/crash.py FOLDER
"""
import json
import os
import sys

import benchmarks  # bench/benchmarks.py

folder = sys.argv[1]


def load(name):
    path = os.path.join(folder, f"{name}.json")
    if not os.path.exists(path):
        sys.exit(f"{path}: missing (did every scenario of tests/power_cut.rs pass?)")
    return json.load(open(path, encoding="utf-8"))


recording = load("recording")
entries = load("entries")
sealing = load("sealing")
delivery = load("delivery")
disc = load("disc_and_settings")
clip = load("clip")


def seed(figures):
    return f" (seed {figures['seed']})" if "seed" in figures else ""


rows = [
    ("A recording (720p25 demo), cut at a random moment" + seed(recording),
     recording["cuts"],
     f"worst {recording['worst_loss_s']:.2f} s of media lost, median "
     f"{recording['median_loss_s']:.2f} s (promise: ≤ {recording['limit_s']:.1f} s = "
     "sync interval 0.5 s + one GOP 2 s); every part recovered, sealed, verified"),
    ("The secretary's entries, 10 a second while recording" + seed(entries),
     entries["cuts"],
     f"{entries['entries_taken']} entries taken, {entries['entries_lost']} lost; order and "
     "hash chain verified in the seal made at the next start"),
    ("Sealing a recovered part, cut before each of its "
     f"{sealing['changes_per_seal']} changes and after the last",
     sealing["cuts"],
     f"{sealing['seals_half_written']} seals half-written; "
     f"{sealing['sealed_at_next_start']} left unsealed by the cut and sealed at the next start; "
     "one protocol queued, one interruption incident, every time"),
    ("Delivery of two sealed parts: protocols (HTTP receiver, drop folder) and the court "
     f"server's copies (S3), cut before each of the {delivery['changes_per_pass']} changes of "
     "a pass and after the last",
     delivery["cuts"],
     f"{delivery['lost']} lost, {delivery['stored_twice']} stored twice; "
     f"{delivery['resent_after_a_cut_answered_as_duplicates']} sent again after a cut and "
     "answered as duplicates (same idempotency key)"),
    ("The disc image, cut before each of its "
     f"{disc['changes_per_image']} changes and after the last",
     disc["disc_cuts"],
     f"{disc['images_half_written']} half images under the image's name "
     f"({disc['images_kept_whole']} cuts came after the rename: whole); otherwise built again"),
    ("A clip exported from the review, cut before each of its "
     f"{clip['changes_per_clip']} changes and after the last",
     clip["cuts"],
     f"{clip['clips_half_written']} half clips under a clip's name "
     f"({clip['clips_kept_whole']} whole, each verified)"),
    ("The settings file, cut before each change of a save",
     disc["settings_cuts"],
     f"{disc['settings_half_written']} half files: the old settings or the new, every time"),
]
total = sum(row[1] for row in rows)
lines = [
    "<!-- bench:crash -->",
    "## Power cuts: nothing promised is lost",
    "",
    f"{benchmarks.now()}, {benchmarks.machine()}; `make crash` (tests/power_cut.rs with "
    "`HATTAMA_CUTS=long`). Hattama runs on `cutfs` (tools/cutfs), a FUSE filesystem that keeps "
    "every write in memory until it is synced and at a cut forgets what was not (file data not "
    "`fsync`ed, names in folders not `fsync`ed), then fails every request until the test has "
    "killed what ran. After each cut the next start (`hattama recover`, `deliver`) runs on "
    "what the disk kept, and `PRAGMA integrity_check` is ok every time.",
    "",
    "| what is cut | cuts | result |",
    "|---|---|---|",
    *[f"| {what} | {cuts} | {result} |" for what, cuts, result in rows],
    f"| **all** | **{total}** | |",
    "<!-- /bench:crash -->",
]
benchmarks.write_section("crash", "\n".join(lines))
