#!/usr/bin/env bash
# The package as a court's IT staff meet it: lintian has no errors; it installs with apt
# on this Debian 12 machine (its dependencies resolved from the archive); a new user runs
# `hattama --version`, `check --json`, `record --demo --for 5` and `verify` on the result;
# the window opens from the desktop entry's command under Xvfb with the first-start screen;
# the server units are installed disabled and the signing service enabled; two secretaries
# seal with the one courtroom key the service holds and neither can read it; seals wait for
# the service when it is down and are made when it is back; purging leaves the recordings.
# Then it is purged.
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
. "$(dirname "$0")/unit-lib.sh"
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
secretaries="alice bob carol"
cleanup() {
  [ -n "${unit_pid:-}" ] && kill "$unit_pid" 2>/dev/null
  purge
  rm -rf "$home"
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
  # This machine as it was: the test's users, and the signing service's key and log (a
  # court's are kept by purge; these are the test's).
  for user in $secretaries; do userdel -r "$user" 2>/dev/null; done
  getent passwd hattama-signer >/dev/null && userdel hattama-signer
  rm -rf /var/lib/hattama-signer /run/hattama-signer
  true
}
trap cleanup EXIT
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
  case "$unit" in */multi-user.target.wants/hattama-signer.service) continue ;; esac
  [ -e "$unit" ] && fail "enabled at install: $unit"
done
[ -L /etc/systemd/system/multi-user.target.wants/hattama-signer.service ] \
  || fail "the signing service is not enabled at install"
getent passwd hattama-signer >/dev/null || fail "no system user hattama-signer"
perms=$(stat -c '%a %U:%G' /var/lib/hattama-signer)
[ "$perms" = "711 hattama-signer:hattama" ] || fail "/var/lib/hattama-signer is $perms"

step "the signing service, started as systemd would (no systemd runs in this container)"
signer_unit=/usr/lib/systemd/system/hattama-signer.service
start_unit "" "$signer_unit" "$home/signer.log"
wait_for_socket /run/hattama-signer/socket || fail "the signing service: $(cat "$home/signer.log")"
[ "$(stat -c '%a %U:%G' /var/lib/hattama-signer/keys/hattama.key)" = "600 hattama-signer:hattama" ] \
  || fail "the courtroom key: $(stat -c '%a %U:%G' /var/lib/hattama-signer/keys/hattama.key)"

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

step "two secretaries seal with the one courtroom key; neither can read it"
as_user() {
  local user="$1"
  shift
  runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="/home/$user" LANG=ru_RU.UTF-8 \
    XDG_RUNTIME_DIR="/home/$user" "$@"
}
for user in $secretaries; do
  id "$user" >/dev/null 2>&1 || useradd -m "$user"
done
usermod -aG hattama alice
usermod -aG hattama bob   # carol works here, but not as a secretary
record_as() {   # record_as USER NAME: a 3-second demo part; its JSON in $home/NAME.json
  as_user "$1" hattama record --demo --for 3 --json > "$home/$2.json" 2> "$home/$2.err" \
    || fail "record as $1: $(cat "$home/$2.err")"
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]] or "")' "$home/$1.json" "$2"; }
record_as alice alice
record_as bob bob
service_key=$(sed -n 2p /var/lib/hattama-signer/keys/hattama.pub)
key_id=$(as_user alice hattama keys show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])') \
  || fail "keys show as alice"
for user in alice bob; do
  [ -z "$(field "$user" seal_error)" ] || fail "$user's part is not sealed: $(field "$user" seal_error)"
  [ -n "$(field "$user" key_id)" ] || fail "$user's part has no key"
  part=$(field "$user" part)
  case "$part" in /home/$user/.local/share/hattama/*) ;; *) fail "$user's part: $part" ;; esac
  # The seal verifies with minisign alone against the service's public key, readable by all.
  as_user "$user" minisign -Vm "$part/manifest.json" -P "$service_key" >/dev/null \
    || fail "minisign, $user's seal against the courtroom key"
  as_user "$user" hattama verify "$part" > "$home/$user-verify.out" \
    || fail "verify as $user: $(cat "$home/$user-verify.out")"
  if as_user "$user" cat /var/lib/hattama-signer/keys/hattama.key >/dev/null 2>&1; then
    fail "$user can read the courtroom key"
  fi
  grep -q "\"who\":\"$user\"" /var/lib/hattama-signer/signatures.log \
    || fail "the signature log does not name $user"
done
[ "$(field alice key_id)" = "$(field bob key_id)" ] \
  || fail "two keys in one courtroom: $(field alice key_id), $(field bob key_id)"
[ "$key_id" = "$(field alice key_id)" ] || fail "keys show says $key_id, the seals $(field alice key_id)"
# Not a secretary: the court's configuration is not hers to read, so Hattama does not run
# for her; with a configuration of her own, the service does not sign for her, nor does
# anything else.
if as_user carol hattama record --demo --for 1 --json > /dev/null 2> "$home/carol.err"; then
  fail "carol, outside the group hattama, read the court's configuration"
fi
grep -q /etc/hattama/config.toml "$home/carol.err" || fail "carol's error: $(cat "$home/carol.err")"
as_user carol sh -c ': > /home/carol/own.toml'
as_user carol hattama --config /home/carol/own.toml record --demo --for 1 --json > "$home/carol.json" \
  2> "$home/carol.err" || fail "record as carol with her own configuration: $(cat "$home/carol.err")"
case "$(field carol seal_error)" in *"signing service"*) ;; *) fail "carol's seal: $(field carol seal_error)" ;; esac
[ ! -e "/home/carol/.local/share/hattama/keys/hattama.key" ] || fail "an ad-hoc key for carol"

step "the service down: the seal waits, check says so, the part is sealed when it is back"
kill "$unit_pid"
wait "$unit_pid" 2>/dev/null || true
record_as bob bob-waiting
case "$(field bob-waiting seal_error)" in *"signing service"*) ;; *) fail "sealed without the service: $(cat "$home/bob-waiting.json")" ;; esac
set +e
as_user bob hattama check --json > "$home/bob-check.json" 2>/dev/null
set -e
python3 - "$home/bob-check.json" <<'PY' || fail "check with the service down: $(cat "$home/bob-check.json")"
import json, sys
key = [s for s in json.load(open(sys.argv[1]))["steps"] if s["what"] == "key"][0]
assert key["state"] == "failed" and "/run/hattama-signer/socket" in key["subject"], key
PY
start_unit "" "$signer_unit" "$home/signer.log"
wait_for_socket /run/hattama-signer/socket || fail "the signing service again: $(cat "$home/signer.log")"
as_user bob hattama recover --json > /dev/null || fail "recover as bob"
as_user bob hattama verify "$(field bob-waiting part)" > "$home/bob-waiting.out" \
  || fail "the part that waited is not sealed: $(cat "$home/bob-waiting.out")"

step "one data folder for the courtroom: alice begins a session, bob continues it after her shift"
[ "$(stat -c '%a %U:%G' /var/lib/hattama)" = "2770 hattama:hattama" ] \
  || fail "/var/lib/hattama is $(stat -c '%a %U:%G' /var/lib/hattama)"
before=$(ls -A /var/lib/hattama)
cp /etc/hattama/config.toml "$home/config.kept"
printf '\n[workstation]\ndata = "/var/lib/hattama"\n' >> /etc/hattama/config.toml
as_user alice hattama record --demo --for 3 --case 2-88/2026 --judge "Ерлан Ахметов" --json \
  > "$home/shift-1.json" 2> "$home/shift-1.err" || fail "alice's part: $(cat "$home/shift-1.err")"
session=$(field shift-1 session_id)
case "$(field shift-1 part)" in /var/lib/hattama/sessions/*) ;; *) fail "not in the workstation's folder: $(field shift-1 part)" ;; esac
as_user bob hattama record --demo --for 3 --session "$session" --json \
  > "$home/shift-2.json" 2> "$home/shift-2.err" || fail "bob continues: $(cat "$home/shift-2.err")"
[ "$(field shift-2 session_id)" = "$session" ] || fail "bob's part is of session $(field shift-2 session_id), not $session"
case "$(field shift-2 part)" in */part-02) ;; *) fail "bob's part: $(field shift-2 part)" ;; esac
[ "$(field shift-1 key_id)" = "$(field shift-2 key_id)" ] && [ "$(field shift-2 key_id)" = "$key_id" ] \
  || fail "the shared folder's parts are not sealed by the courtroom's key"
as_user bob hattama verify "$(field shift-1 part)" > "$home/shift.out" || fail "bob verifies alice's part: $(cat "$home/shift.out")"
as_user alice hattama verify "$(field shift-2 part)" > "$home/shift.out" || fail "alice verifies bob's part: $(cat "$home/shift.out")"
[ "$(stat -c '%a %G' /var/lib/hattama/hattama.sqlite3)" = "660 hattama" ] \
  || fail "the shared database is $(stat -c '%a %G' /var/lib/hattama/hattama.sqlite3)"
if as_user carol ls /var/lib/hattama >/dev/null 2>&1; then fail "carol reads the courtroom's folder"; fi
cp "$home/config.kept" /etc/hattama/config.toml
for made in $(ls -A /var/lib/hattama); do
  case " $(echo $before) " in *" $made "*) ;; *) rm -rf "/var/lib/hattama/$made" ;; esac
done

step "the courtroom key gone: an equipment fault, never a new key"
mv /var/lib/hattama-signer/keys/hattama.key "$home/kept.key"
set +e
as_user alice hattama check --json > "$home/alice-check.json" 2>/dev/null
set -e
mv "$home/kept.key" /var/lib/hattama-signer/keys/hattama.key
python3 - "$home/alice-check.json" <<'PY' || fail "check with the key gone: $(cat "$home/alice-check.json")"
import json, sys
key = [s for s in json.load(open(sys.argv[1]))["steps"] if s["what"] == "key"][0]
assert key["state"] == "failed" and "gone" in key["detail"], key
PY
[ ! -e /var/lib/hattama-signer/keys/hattama.pub.new ] && [ "$(sed -n 2p /var/lib/hattama-signer/keys/hattama.pub)" = "$service_key" ] \
  || fail "the courtroom key was replaced"

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
