# campusnews — build, run, test, benchmark.
GO      ?= go
# FTS5 (full-text search) is compiled into SQLite only with this tag.
export GOFLAGS += -tags=sqlite_fts5
BIN     := bin/campusnews
DATA    ?= ./data

.PHONY: build run test test-go pg-deps nginx-deps test-e2e e2e-deps fuzz vet bench bench-go screenshots clean

build:
	$(GO) build -o $(BIN) ./cmd/campusnews

run: build
	$(BIN) seed --data $(DATA) --if-empty
	$(BIN) serve --data $(DATA)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd web internal views assets e2e bench 2>/dev/null)" || (gofmt -l cmd web internal views assets e2e bench; echo "gofmt needed"; exit 1)

test: vet test-go fuzz test-e2e

# The storage tests run on PostgreSQL too: each test process starts a throwaway cluster of its
# own (internal/database/pgtest). Under make they must run: CAMPUSNEWS_TEST_POSTGRES=1 turns a
# missing PostgreSQL into a failure; =0 skips them.
CAMPUSNEWS_TEST_POSTGRES ?= 1
export CAMPUSNEWS_TEST_POSTGRES
# The service and handler tests then run a second time with every test on PostgreSQL
# (CAMPUSNEWS_TEST_ENGINE=postgres; internal/database/dbtest).
ENGINE_PKGS = ./internal/news/ ./internal/importer/ ./internal/accounts/ ./internal/media/ ./internal/site/ ./internal/audit/ \
	./internal/search/ ./internal/changes/ ./internal/demo/ ./web/

test-go: pg-deps nginx-deps
	$(GO) test -race -count=1 ./...
	@[ "$$CAMPUSNEWS_TEST_POSTGRES" = 0 ] || { echo "again on PostgreSQL: $(ENGINE_PKGS)"; \
		CAMPUSNEWS_TEST_ENGINE=postgres $(GO) test -race -count=1 $(ENGINE_PKGS); }

# Debian's PostgreSQL server for those tests, installed only when missing (CI machines start
# bare). The tests need only its programs: no system-wide cluster is created or started
# (createcluster.conf, which UCF_FORCE_CONFFOLD keeps over the package's copy).
pg-deps:
	@[ "$$CAMPUSNEWS_TEST_POSTGRES" = 0 ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO mkdir -p /etc/postgresql-common && \
		{ [ -e /etc/postgresql-common/createcluster.conf ] || \
			echo 'create_main_cluster = false' | $$SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null; } && \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq postgresql; }

# Debian's nginx for the test of several instances behind a load balancer (cmd/campusnews),
# which runs it from a temporary directory; installed only when missing. No system-wide nginx
# is started: where no policy-rc.d forbids starting services, one is put in place for the
# install and removed after it.
nginx-deps:
	@[ "$$CAMPUSNEWS_TEST_POSTGRES" = 0 ] || [ -x /usr/sbin/nginx ] || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		policy=""; [ -e /usr/sbin/policy-rc.d ] || { policy=1; \
			printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null && $$SUDO chmod 755 /usr/sbin/policy-rc.d; }; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; rc=$$?; \
		[ -z "$$policy" ] || $$SUDO rm -f /usr/sbin/policy-rc.d; exit $$rc; }

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

# The load benchmark: reader pages, the long tail and a publishing newsroom, against nginx and
# plain net/http (about 8 minutes; not part of make test).
bench: build
	bash bench/run.sh

# Go benchmarks of the hot paths. The web ones read a site of the demo and 100,000 generated
# articles, made once into BENCH_DATA (a few minutes) and kept for later runs.
BENCH_DATA ?= bench/data-100k
bench-go: build
	@[ -f $(BENCH_DATA)/campusnews.db ] || { mkdir -p $(BENCH_DATA) && \
		$(BIN) seed --data $(BENCH_DATA) >/dev/null && $(BIN) seed --data $(BENCH_DATA) --articles 100000; }
	$(BIN) migrate --data $(BENCH_DATA)
	CAMPUSNEWS_BENCH_DATA=$(abspath $(BENCH_DATA)) $(GO) test -run='^$$' -bench=. -benchmem ./web/ ./internal/search/ ./internal/markup/

clean:
	rm -rf bin
