#!/usr/bin/env bash
# The package on a Debian 12 that has never seen Hattama: a fresh `debootstrap --variant=minbase
# bookworm` folder, the .deb installed there with apt (so every run-time dependency must come
# from the package's Depends), then a new user runs `hattama --version`, `hattama check --json`,
# `hattama record --demo --for 5` and `hattama verify` on the result, and opens the window (on
# this machine's Xvfb) to its first-start form. Needs root (or sudo), the Debian
# archive and 1.2 GB for a minute (removed after); `make test` runs it after test-deb.sh.
# Usage: packaging/test-deb-clean.sh CARGO_TARGET_DIR
set -euo pipefail

target="${1:?the cargo target folder}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
deb=$(ls "$target"/debian/hattama_*_amd64.deb | sort -V | tail -1)
fail() { echo "test-deb-clean: FAILED: $*" >&2; exit 1; }
. "$(dirname "$0")/window-lib.sh"
. "$(dirname "$0")/unit-lib.sh"
step() { echo "test-deb-clean: $*"; }
[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"

root=$(mktemp -d /var/tmp/hattama-bookworm.XXXXXX)
chmod 0755 "$root"   # the system's /, which every user walks through
cleanup() {
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null
  done
  umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
  umount "$root/dev" 2>/dev/null || umount -l "$root/dev" 2>/dev/null || true
  umount "$root/tmp/.X11-unix" 2>/dev/null || umount -l "$root/tmp/.X11-unix" 2>/dev/null || true
  # Never into the machine's own /dev, /proc or X sockets: only when all are unmounted, one
  # filesystem.
  if ! mountpoint -q "$root/dev" && ! mountpoint -q "$root/proc" \
    && ! mountpoint -q "$root/tmp/.X11-unix"; then
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT

step "debootstrap --variant=minbase bookworm $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null || fail "debootstrap"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

step "apt-get install ./$(basename "$deb") into a clean bookworm"
cp "$deb" "$root/tmp/hattama.deb"
in_root apt-get update -q >/dev/null || fail "apt-get update"
in_root apt-get install -y -q --no-install-recommends /tmp/hattama.deb > "$root/tmp/install.log" 2>&1 \
  || fail "install: $(tail -5 "$root/tmp/install.log")"
[ "$(in_root dpkg-query -W -f='${Status}' hattama)" = "install ok installed" ] || fail "not installed"

step "the signing service there, started as systemd would"
start_unit "$root" "$root/usr/lib/systemd/system/hattama-signer.service" "$root/tmp/signer.log"
wait_for_socket "$root/run/hattama-signer/socket" || fail "the signing service: $(cat "$root/tmp/signer.log")"

step "a new user: --version, check --json, record --demo --for 5, verify"
# A courtroom's secretary is in the group hattama: it reads the court's configuration.
in_root sh -c 'id secretary >/dev/null 2>&1 || useradd -m secretary; usermod -aG hattama secretary'
as_secretary() { chroot "$root" su - secretary -c "$*"; }
version=$(as_secretary "hattama --version" 2>&1) || fail "--version: $version"
case "$version" in "hattama "*) ;; *) fail "--version: $version" ;; esac
as_secretary "hattama check --json > check.json" || true
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["steps"], r' \
  "$root/home/secretary/check.json" || fail "check --json"
as_secretary "hattama record --demo --for 5 --json > record.json" || fail "record --demo"
part=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="finished", r; print(r["part"])' \
  "$root/home/secretary/record.json")
as_secretary "hattama verify '$part'" || fail "verify"
step "the window's first start there, filled in and started, on this machine's Xvfb"
start_display
trap 'kill "$xvfb" 2>/dev/null || true; cleanup' EXIT
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
chroot "$root" su - secretary -c "rm -rf .config .local; DISPLAY=$display LANG=ru_RU.UTF-8 hattama > window.log 2>&1 &"
find_window
[ -n "$found" ] || fail "no window in the clean system: $(tail -5 "$root/home/secretary/window.log")"
sleep 3
screen_drawn "$target/tmp/deb-clean-first-start.png"

# The first start through, as the secretary does it: the court, the hall, her name, Start.
click_and_type() {
  DISPLAY="$display" xdotool mousemove "$1" "$2" click 1
  sleep 0.3
  DISPLAY="$display" xdotool type --delay 120 "$3"
}
DISPLAY="$display" xdotool windowfocus --sync "$found"
click_and_type 640 234 "Астана қаласының №2 аудандық соты"
click_and_type 500 301 "5"
click_and_type 640 368 "Айгүл Серікова"
DISPLAY="$display" xdotool mousemove 359 418 click 1
saved="$root/home/secretary/.config/hattama/config.toml"
for _ in $(seq 1 40); do [ -s "$saved" ] && break; sleep 0.25; done
[ -s "$saved" ] || {
  ffmpeg -v error -y -f x11grab -video_size 1280x800 -i "$display" -frames:v 1 "$target/tmp/deb-clean-form.png"
  fail "the first-start form was not saved (see $target/tmp/deb-clean-form.png)"
}
# xdotool types letters it has no key for by remapping a spare key for each, and under load
# the window now and then reads a letter before the remap lands (a CI run lost two): the
# names are checked as given, not letter for letter; the hall, a plain key, exactly.
python3 - "$saved" <<'PY' || fail "the first-start form is not what was typed: $(cat "$saved")"
import sys, tomllib
saved = tomllib.load(open(sys.argv[1], "rb"))
assert saved["court"]["hall"] == "5", saved
assert saved["court"]["name"].startswith("Аст") and len(saved["court"]["name"]) > 25, saved
assert saved["operator"]["name"].startswith("Ай") and len(saved["operator"]["name"]) > 10, saved
PY
sleep 1
screen_drawn "$target/tmp/deb-clean-sessions.png"

in_chroot() { for proc in /proc/[0-9]*; do [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && echo "${proc#/proc/}"; done; true; }
kill $(in_chroot) 2>/dev/null || true
sleep 1
umount "$root/tmp/.X11-unix" 2>/dev/null || umount -l "$root/tmp/.X11-unix" || true

packages=$(in_root dpkg-query -W -f='${Status}\n' | grep -c "install ok installed")
step "passed: $packages packages in $(du -shx "$root" 2>/dev/null | cut -f1) at $root"
