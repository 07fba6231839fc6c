#!/usr/bin/env bash
# The package as a court's IT staff meet it: lintian has no errors; it installs with apt
# on this Debian 12 machine (its dependencies resolved from the archive); a new user runs
# `hattama --version`, `check --json`, `record --demo --for 5` and `verify` on the result;
# the window opens from the desktop entry's command under Xvfb with the first-start screen;
# the server units are installed disabled; purging leaves the recordings. Then it is purged.
# Usage: packaging/test-deb.sh CARGO_TARGET_DIR
set -euo pipefail

target="${1:?the cargo target folder}"
deb=$(ls "$target"/debian/hattama_*_amd64.deb | sort -V | tail -1)
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
. "$(dirname "$0")/window-lib.sh"
step() { echo "test-deb: $*"; }

step "lintian $deb"
lintian --fail-on error "$deb" || fail "lintian reports errors"
desktop-file-validate packaging/kz.hattama.Hattama.desktop || fail "desktop entry"
appstreamcli validate --no-net packaging/kz.hattama.Hattama.metainfo.xml || fail "metainfo"

step "apt-get install $deb"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$(realpath "$deb")" >/dev/null \
  || fail "apt-get install"
purge() { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q hattama >/dev/null 2>&1 || true; }
trap purge EXIT

home=$(mktemp -d)
trap 'purge; rm -rf "$home"; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true' EXIT
as_new_user() { env -i PATH=/usr/bin:/bin HOME="$home" LANG=ru_RU.UTF-8 XDG_RUNTIME_DIR="$home" "$@"; }

step "hattama --version"
version=$(as_new_user /usr/bin/hattama --version)
[ "$version" = "hattama $(dpkg-query -W -f='${Version}' hattama | cut -d- -f1)" ] || fail "version: $version"

step "no test tools in the shipped binary"
for tool in receiver bench-seal bench-review bench-entries; do
  if as_new_user /usr/bin/hattama "$tool" --help >/dev/null 2>&1; then
    fail "the package's hattama has the test tool '$tool'"
  fi
done

step "what the package put where"
for file in /usr/share/applications/kz.hattama.Hattama.desktop \
            /usr/share/metainfo/kz.hattama.Hattama.metainfo.xml \
            /usr/share/icons/hicolor/scalable/apps/kz.hattama.Hattama.svg \
            /usr/share/icons/hicolor/48x48/apps/kz.hattama.Hattama.png \
            /usr/share/icons/hicolor/256x256/apps/kz.hattama.Hattama.png \
            /usr/share/man/man1/hattama.1.gz /usr/share/man/man1/hattama-record.1.gz \
            /usr/share/man/ru/man1/hattama.1.gz /usr/share/man/kk/man1/hattama-record.1.gz \
            /etc/hattama/config.toml \
            /usr/lib/systemd/system/hattama-deliver.service \
            /usr/lib/systemd/system/hattama-replicate.timer \
            /usr/lib/systemd/user/hattama-status.timer \
            /usr/share/doc/hattama/docs/guide-kk.md /usr/share/doc/hattama/docs/guide-ru.md \
            /usr/share/doc/hattama/docs/screenshots/window-review-kk.png; do
  [ -s "$file" ] || fail "missing $file"
done
conffiles=$(dpkg-query -W -f='${Conffiles}' hattama)
case "$conffiles" in *" /etc/hattama/config.toml "*) ;; *) fail "config is not a conffile: $conffiles" ;; esac
[ "$(zcat /usr/share/man/man1/hattama-record.1.gz | grep -c 'demo')" -gt 0 ] || fail "man page of record"
[ "$(zcat /usr/share/man/kk/man1/hattama-record.1.gz | grep -c 'жазу')" -gt 0 ] || fail "the Kazakh man page of record"
getent passwd hattama >/dev/null || fail "no system user hattama for the server units"
# The court's configuration holds secrets: never readable by every user.
perms=$(stat -c '%a %U:%G' /etc/hattama/config.toml)
[ "$perms" = "640 root:hattama" ] || fail "/etc/hattama/config.toml is $perms, not 640 root:hattama"
for unit in /etc/systemd/system/*.wants/hattama-* /etc/systemd/user/*.wants/hattama-*; do
  [ -e "$unit" ] && fail "enabled at install: $unit"
done

step "hattama check --json (a new user, no cameras here)"
set +e
as_new_user /usr/bin/hattama check --json > "$home/check.json" 2> "$home/check.err"
status=$?
set -e
python3 - "$home/check.json" "$status" <<'PY' || fail "check --json: $(cat "$home/check.err")"
import json, sys
report = json.load(open(sys.argv[1]))
steps = report["steps"]
failed = [s for s in steps if s["state"] == "failed"]
assert (int(sys.argv[2]) != 0) == bool(failed), ("the exit status follows the failures", sys.argv[2], failed)
kinds = {s["what"] for s in steps}
assert {"camera", "microphone", "disk", "key"} <= kinds, kinds
assert all(s["state"] in ("passed", "failed", "skipped") and s["detail"] for s in steps), steps
key = [s for s in steps if s["what"] == "key"][0]
assert key["state"] == "passed", key
cameras = [s for s in steps if s["what"] == "camera"]
if not any(s["state"] == "passed" for s in cameras):
    assert "camera" in cameras[0]["detail"].lower() or "камера" in cameras[0]["detail"].lower(), cameras
PY

step "hattama record --demo --for 5, then verify"
as_new_user /usr/bin/hattama record --demo --for 5 --json > "$home/record.json" 2> "$home/record.err" \
  || fail "record: $(cat "$home/record.err")"
part=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="finished", r; print(r["part"])' "$home/record.json")
case "$part" in "$home"/.local/share/hattama/*) ;; *) fail "the part is not in the user's data folder: $part" ;; esac
as_new_user /usr/bin/hattama verify "$part" > "$home/verify.out" || fail "verify: $(cat "$home/verify.out")"
(cd "$part" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c"
codecs=$(ffprobe -v error -show_entries stream=codec_name -of csv "$part"/recording-001.mkv) || fail "ffprobe"
case "$codecs" in *h264*) ;; *) fail "ffprobe: $codecs" ;; esac

step "the window from the desktop entry, first start, under Xvfb"
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/kz.hattama.Hattama.desktop)
start_display
first="$home/first-start"   # another new user: nothing configured yet
mkdir -p "$first"
env -i PATH=/usr/bin:/bin HOME="$first" LANG=kk_KZ.UTF-8 DISPLAY="$display" XDG_RUNTIME_DIR="$first" \
  $exec_line > "$home/window.log" 2>&1 &
window=$!
find_window
[ -n "$found" ] || fail "no window of class kz.hattama.Hattama: $(tail -5 "$home/window.log")"
sleep 3
kill -0 "$window" 2>/dev/null || fail "the window closed: $(tail -5 "$home/window.log")"
title=$(DISPLAY="$display" xdotool getwindowname "$found")
case "$title" in *Хаттама*) ;; *) fail "the window's title in Kazakh: $title" ;; esac
# What the new user sees, kept for people: the first-start form, drawn (not a blank window).
screen_drawn "$target/tmp/deb-first-start.png"
kill "$window"
wait "$window" 2>/dev/null || true

step "purge keeps the recordings"
purge
[ ! -e /usr/bin/hattama ] || fail "still installed after purge"
[ ! -e /etc/hattama/config.toml ] || fail "the configuration stays after purge"
[ -s "$part/recording-001.mkv" ] || fail "a recording went with the package"
step "passed"
