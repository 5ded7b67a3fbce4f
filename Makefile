# campusnews — build, run, test, benchmark.
GO      ?= go
# FTS5 (full-text search) is compiled into SQLite only with this tag.
export GOFLAGS += -tags=sqlite_fts5
BIN     := bin/campusnews
DATA    ?= ./data

.PHONY: build run test test-go test-e2e e2e-deps fuzz vet bench bench-go screenshots clean

build:
	$(GO) build -o $(BIN) ./cmd/campusnews

run: build
	$(BIN) seed --data $(DATA) --if-empty
	$(BIN) serve --data $(DATA)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd web internal views assets e2e bench 2>/dev/null)" || (gofmt -l cmd web internal views assets e2e bench; echo "gofmt needed"; exit 1)

test: vet test-go fuzz test-e2e

test-go:
	$(GO) test -race -count=1 ./...

# Short fuzz runs of the code that takes untrusted input (go test fuzzes one target per package
# and run). Budgets are execution counts, a few seconds each here: a wall-clock -fuzztime races
# the fuzzing coordinator's own deadline in Go 1.26 and can fail a run that found nothing
# (go.dev/issue/75804). The article form posts through the real server, hence its smaller count
# and no minimising. A failing input is saved under testdata/fuzz.
FUZZ_EXECS      ?= 100000x
FUZZ_FORM_EXECS ?= 1000x
FUZZ = $(GO) test -run='^$$'
fuzz:
	$(FUZZ) -fuzztime=$(FUZZ_EXECS) -fuzz='^FuzzRender$$' ./internal/markup/
	$(FUZZ) -fuzztime=$(FUZZ_EXECS) -fuzz='^FuzzParse$$' ./internal/search/
	$(FUZZ) -fuzztime=$(FUZZ_EXECS) -fuzz='^FuzzSlugify$$' ./internal/news/
	$(FUZZ) -fuzztime=$(FUZZ_EXECS) -fuzz='^FuzzClean$$' ./internal/media/
	$(FUZZ) -fuzztime=$(FUZZ_EXECS) -fuzz='^FuzzCleanHTML$$' ./internal/wordpress/
	$(FUZZ) -fuzztime=$(FUZZ_FORM_EXECS) -fuzzminimizetime=0 -fuzz='^FuzzArticleForm$$' ./web/

# Browser tests: the real binary on a loopback port, driven in Chromium (e2e/). Their files
# carry the build tag e2e, so test-go leaves them out. A -tags flag on the command line
# replaces the one in GOFLAGS, so both tags are named here. CAMPUSNEWS_E2E=0 skips them.
test-e2e: e2e-deps
	$(GO) vet -tags=sqlite_fts5,e2e ./e2e/
	$(GO) test -tags=sqlite_fts5,e2e -count=1 -timeout=10m ./e2e/

# What the browser tests need, each installed only when missing (CI machines start bare):
# Debian's Chromium; Java (default-jre-headless) and npm for the checkers of the accessibility
# test, axe-core and the Nu HTML checker (vnu-jar), at the versions pinned with their hashes
# in e2e/testdata/npm/package-lock.json, installed into its git-ignored node_modules. Their
# install scripts are skipped: vnu-jar's would download a Java runtime of its own.
E2E_NPM := e2e/testdata/npm
e2e-deps:
	@[ "$$CAMPUSNEWS_E2E" = 0 ] || { \
		missing=""; \
		command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
		command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
		command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
		[ -z "$$missing" ] || { SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
			$$SUDO apt-get update -qq && \
			$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } && \
		{ [ $(E2E_NPM)/node_modules/.package-lock.json -nt $(E2E_NPM)/package-lock.json ] || \
			npm ci --prefix $(E2E_NPM) --ignore-scripts --no-audit --no-fund --loglevel=error; }; }

# Screenshots of the reader pages of the demo site at 375 and 1440 px, in Chromium, into
# docs/screenshots (not part of make test).
screenshots: e2e-deps
	CAMPUSNEWS_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -tags=sqlite_fts5,e2e -count=1 -run='^TestScreenshots$$' -v ./e2e/

# The load benchmark against nginx (about 4 minutes; not part of make test).
bench: build
	bash bench/run.sh

# Go benchmarks of the hot paths.
bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem ./web/ ./internal/search/ ./internal/markup/

clean:
	rm -rf bin
