#!/usr/bin/env bash
# The package on a Debian 12 that has never seen Hattama: a fresh `debootstrap --variant=minbase
# bookworm` folder, the .deb installed there with apt (so every run-time dependency must come
# from the package's Depends), then a new user runs `hattama --version`, `hattama check --json`,
# `hattama record --demo --for 5` and `hattama verify` on the result. Needs root (or sudo), the Debian
# archive and 1.2 GB for a minute (removed after); `make test` runs it after test-deb.sh.
# Usage: packaging/test-deb-clean.sh CARGO_TARGET_DIR
set -euo pipefail

target="${1:?the cargo target folder}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
deb=$(ls "$target"/debian/hattama_*_amd64.deb | sort -V | tail -1)
fail() { echo "test-deb-clean: FAILED: $*" >&2; exit 1; }
step() { echo "test-deb-clean: $*"; }
[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"

root=$(mktemp -d /var/tmp/hattama-bookworm.XXXXXX)
chmod 0755 "$root"   # the system's /, which every user walks through
cleanup() {
  umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
  umount "$root/dev" 2>/dev/null || umount -l "$root/dev" 2>/dev/null || true
  # Never into the machine's own /dev or /proc: only when both are unmounted, one filesystem.
  if ! mountpoint -q "$root/dev" && ! mountpoint -q "$root/proc"; then
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

step "a new user: --version, check --json, record --demo --for 5, verify"
in_root sh -c 'id secretary >/dev/null 2>&1 || useradd -m secretary'
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
packages=$(in_root dpkg-query -W -f='${Status}\n' | grep -c "install ok installed")
step "passed: $packages packages in $(du -shx "$root" 2>/dev/null | cut -f1) at $root"
