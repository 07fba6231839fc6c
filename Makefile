# Hattama: `make run` opens the program, `make test` runs every test, `make bench` measures.
# Each first installs the Debian packages that are missing (packaging/install-deps.sh).

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR

.PHONY: run test bench build deps deps-test lint screenshots

deps:
	packaging/install-deps.sh run

deps-test:
	packaging/install-deps.sh test

build: deps
	$(CARGO) build --release

run: build
	"$(CARGO_TARGET_DIR)/release/hattama" $(ARGS)

lint: deps-test
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

test: lint
	$(CARGO) test --all-targets

bench: deps-test
	$(CARGO) build --release
	bench/record.sh "$(CARGO_TARGET_DIR)/release/hattama"
	bench/interactive.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/seal.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/disc.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/delivery.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/replicate.py "$(CARGO_TARGET_DIR)/release/hattama"
	bench/review.py "$(CARGO_TARGET_DIR)/release/hattama"

# Renews the README's screenshots (docs/screenshots/) from the real window under Xvfb.
screenshots: deps-test
	HATTAMA_SCREENSHOTS="$(CURDIR)/docs/screenshots" $(CARGO) test --test window
