# Two commands do everything on a fresh Debian 12 machine (as root):
#   make run   — install what is missing, build in release mode, start `magpie serve`
#   make test  — install what is missing, run every test (swift test + black-box client tests)
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT_BUILD_FLAGS ?=
RELEASE_BIN := .build/release/magpie
DEBUG_BIN := .build/debug/magpie
PYTEST_WORKERS ?= 2

.PHONY: run test deps test-deps build build-release swift-test blackbox bench clean

deps:
	@bash scripts/install-deps.sh

test-deps: deps
	@bash scripts/install-test-deps.sh

build-release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

run: build-release
	$(RELEASE_BIN) serve

swift-test: build
	swift test $(SWIFT_BUILD_FLAGS)

blackbox: build test-deps
	MAGPIE_BIN=$(CURDIR)/$(DEBUG_BIN) python3 -m pytest tests/blackbox -n $(PYTEST_WORKERS) -q

test: test-deps
	$(MAKE) swift-test
	$(MAKE) blackbox

bench: deps
	bash bench/run.sh

clean:
	rm -rf .build .build-*
