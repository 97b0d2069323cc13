# Anxin: the two commands (`make run`, `make test`) and the developer's others.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: all deps build test run bench format lint clean web web-test web-test-only web-dev

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Every test once, in one ASan + UBSan build ($(TEST_BUILD)): the C++ suite on both backends, then
# the web app's lint, unit and browser tests; the time of each phase is printed at the end.
test:
	@ANXIN_TEST_BUILD=$(TEST_BUILD) JOBS=$(JOBS) bash scripts/test.sh

# Builds only what serving needs (the anxin binary and the web app), then serves.
run: deps web
	@bash scripts/run.sh $(BUILD)/src/app/anxin

bench: build
	@bash bench/run.sh $(BUILD)

format:
	@find src bench tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

lint: $(BUILD)/build.ninja
	@find src -name '*.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

# The web app (web/): the customer portal and the staff console, built into web/dist/ with API
# types generated from `anxin openapi`. Needs Node.js >= 20.19 and npm.
ANXIN_BIN_ABS = $(abspath $(BUILD))/src/app/anxin

web/node_modules/.package-lock.json: web/package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' || \
	  { echo "web: Node.js >= 20.19 is needed, found $$(node --version)"; exit 1; }
	cd web && npm ci --no-audit --no-fund

web: $(BUILD)/build.ninja web/node_modules/.package-lock.json
	cmake --build $(BUILD) --target anxin -j $(JOBS)
	cd web && ANXIN_BIN=$(ANXIN_BIN_ABS) npm run build

# Lint, unit tests (Vitest), then the browser tests (Playwright in Debian's Chromium against a
# fresh anxin each).
web-test: web web-test-only

web-test-only:
	cd web && npm run lint && npm test && ANXIN_BIN=$(ANXIN_BIN_ABS) npm run test:e2e

# Vite's dev server on :5173, the API proxied to a running `anxin serve` on 127.0.0.1:8080.
web-dev: web/node_modules/.package-lock.json
	cd web && ANXIN_API=http://127.0.0.1:8080 npm run dev
