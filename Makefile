# Hattama: `make run` opens the program, `make test` runs every test, `make bench` measures.
# Each first installs the Debian packages that are missing (packaging/install-deps.sh).

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR

.PHONY: run test bench bench-long crash build deps deps-deb deps-test lint deb deb-test icons screenshots

deps:
	packaging/install-deps.sh run

deps-deb:
	packaging/install-deps.sh deb

deps-test:
	packaging/install-deps.sh test

build: deps
	$(CARGO) build --release

run: build
	"$(CARGO_TARGET_DIR)/release/hattama" $(ARGS)

# The test tools (the reference receiver, bench-*) are built with the feature testkit, for
# the tests and the benchmarks only: the package's binary has none of them.
TESTKIT := --features testkit

lint: deps-test
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets $(TESTKIT) -- -D warnings

test: lint
	$(CARGO) test --all-targets $(TESTKIT)
	$(MAKE) deb-test

# The Debian package, in $(CARGO_TARGET_DIR)/debian/: the binary, its man pages (en, ru, kk),
# the icons rendered from assets/icons/hattama.svg, the desktop entry, the AppStream
# metainfo, the court's commented configuration and the systemd units (installed disabled).
DEB_FILES := $(CARGO_TARGET_DIR)/release/deb
deb: deps-deb
	$(CARGO) build --release
	rm -rf "$(DEB_FILES)"
	LANG=C.UTF-8 LANGUAGE= LC_ALL=C.UTF-8 "$(CARGO_TARGET_DIR)/release/hattama" man-pages --out "$(DEB_FILES)/man"
	LANG=ru_RU.UTF-8 LANGUAGE= LC_ALL= "$(CARGO_TARGET_DIR)/release/hattama" man-pages --out "$(DEB_FILES)/man/ru"
	LANG=kk_KZ.UTF-8 LANGUAGE= LC_ALL= "$(CARGO_TARGET_DIR)/release/hattama" man-pages --out "$(DEB_FILES)/man/kk"
	gzip -9n "$(DEB_FILES)"/man/*.1 "$(DEB_FILES)"/man/ru/*.1 "$(DEB_FILES)"/man/kk/*.1
	for size in 16 24 32 48 64 128 256 512; do \
	  mkdir -p "$(DEB_FILES)/icons/$${size}x$${size}/apps" && \
	  rsvg-convert -w $$size -h $$size assets/icons/hattama.svg \
	    -o "$(DEB_FILES)/icons/$${size}x$${size}/apps/kz.hattama.Hattama.png" || exit 1; \
	done
	$(CARGO) deb --no-build

# Checks the package with lintian, installs it on this machine, runs it as a new user would
# (and its window under Xvfb) and purges it; then installs it into a fresh debootstrap of
# Debian 12, where only its Depends bring what it needs, and records and verifies there.
deb-test: deb
	packaging/test-deb.sh "$(CARGO_TARGET_DIR)"
	packaging/test-deb-clean.sh "$(CARGO_TARGET_DIR)"

# The window's icon (assets/icons/hattama-64.png) from the SVG.
icons:
	rsvg-convert -w 64 -h 64 assets/icons/hattama.svg -o assets/icons/hattama-64.png

bench: deps-test
	$(CARGO) build --release $(TESTKIT)
	bench/record.sh "$(CARGO_TARGET_DIR)/release/hattama"
	PROFILE=1080p25 CAMERAS=2 MICROPHONES=4 bench/record.sh "$(CARGO_TARGET_DIR)/release/hattama"
	bench/interactive.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/seal.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/disc.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/delivery.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/replicate.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/review.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/court.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/stream.py "$(CARGO_TARGET_DIR)/release/hattama"

# A court day's recording in real time (two hours at least; HOURS=n): memory and CPU every
# minute, every frame counted after. Apart from `make bench`, which it would hold for hours.
HOURS ?= 2
bench-long: deps-test
	$(CARGO) build --release $(TESTKIT)
	bench/long.py "$(CARGO_TARGET_DIR)/release/hattama" $(HOURS)

# Power cuts on the cutfs test filesystem (tests/power_cut.rs, tools/cutfs): at least 20 cuts
# of a recording, every change of a seal and of a disc image, deliveries, entries, settings
# (`make test` runs a few of each). The figures go into BENCHMARKS.md. Needs root (FUSE).
crash: deps-test
	rm -rf "$(CARGO_TARGET_DIR)/crash"
	HATTAMA_CUTS=long HATTAMA_CUT_REPORT="$(CARGO_TARGET_DIR)/crash" \
	  $(CARGO) test $(TESTKIT) --test power_cut -- --nocapture
	bench/crash.py "$(CARGO_TARGET_DIR)/crash"

# Renews the README's and the guide's screenshots (docs/screenshots/): the real window under
# Xvfb, and the screens iced_test drives (set-up, review, disc) drawn in Kazakh and Russian.
screenshots: deps-test
	HATTAMA_SCREENSHOTS="$(CURDIR)/docs/screenshots" $(CARGO) test $(TESTKIT) --test window
	HATTAMA_SCREENSHOTS="$(CURDIR)/docs/screenshots" $(CARGO) test $(TESTKIT) --bin hattama app::tests -- --test-threads=1
