# campusnews — build, run, test, benchmark.
GO      ?= go
# FTS5 (full-text search) is compiled into SQLite only with this tag.
export GOFLAGS += -tags=sqlite_fts5
BIN     := bin/campusnews
DATA    ?= ./data

.PHONY: build run test test-go test-e2e fuzz vet bench bench-go clean

build:
	$(GO) build -o $(BIN) ./cmd/campusnews

run: build
	$(BIN) seed --data $(DATA) --if-empty
	$(BIN) serve --data $(DATA)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd web internal views assets e2e bench 2>/dev/null)" || (gofmt -l cmd web internal views assets e2e bench; echo "gofmt needed"; exit 1)

test: vet test-go

test-go:
	$(GO) test -race -count=1 ./...

# The load benchmark against nginx (about 4 minutes; not part of make test).
bench: build
	bash bench/run.sh

# Go benchmarks of the hot paths.
bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem ./web/ ./internal/search/ ./internal/markup/

clean:
	rm -rf bin
