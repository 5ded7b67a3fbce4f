#!/usr/bin/env bash
# make bench: seed 100,000 articles, serve them, and measure the reader pages with wrk against
# two ceilings: nginx serving the same article from disk, and plain net/http sending the same
# bytes and headers from memory. Then the long tail (random articles, nearly all cache misses)
# and readers while five editors publish. Writes bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ARTICLES=${BENCH_ARTICLES:-100000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
BYTES_PORT=${BENCH_BYTES_PORT:-18082}
EDITORS=${BENCH_EDITORS:-5}
EDITOR_RATE=${BENCH_EDITOR_RATE:-2}
WORK=bench/work
BIN=bin/campusnews
PASSWORD=bench-editor-password-1

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx || ! need curl || ! need bc; then
	echo "installing wrk, nginx and curl from Debian"
	if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nginx-light curl bc >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

rm -rf "$WORK"
mkdir -p "$WORK/data" "$WORK/www" "$WORK/nginx" "$WORK/bytes"

server_pid=""; nginx_started=""; bytes_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
	[ -n "$bytes_pid" ] && kill "$bytes_pid" 2>/dev/null || true
	[ -n "$nginx_started" ] && "$NGINX" -p "$PWD/$WORK/nginx" -c nginx.conf -s stop 2>/dev/null || true
}
trap cleanup EXIT

echo "== seeding the demo site and $ARTICLES generated articles"
"$BIN" seed --data "$WORK/data" >/dev/null
seed_start=$(date +%s.%N)
"$BIN" seed --data "$WORK/data" --articles "$ARTICLES"
seed_secs=$(echo "$(date +%s.%N) - $seed_start" | bc)
editors=""
for i in $(seq 1 "$EDITORS"); do
	printf '%s\n' "$PASSWORD" | "$BIN" user add --data "$WORK/data" --email "editor$i@bench.example" \
		--name "Bench Editor $i" --role editor >/dev/null
	editors="$editors${editors:+,}editor$i@bench.example"
done

echo "== starting the server"
start=$(date +%s.%N)
"$BIN" serve --data "$WORK/data" --addr "127.0.0.1:$PORT" --log-requests=false --admin-email admin@bench.example \
	>"$WORK/server.log" 2>&1 </dev/null &
server_pid=$!
base="http://127.0.0.1:$PORT"
until curl -fs -o /dev/null "$base/healthz"; do
	kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
	sleep 0.01
done
startup_ms=$(echo "($(date +%s.%N) - $start) * 1000 / 1" | bc)
echo "first answer after ${startup_ms} ms"

# The pages to measure.
pages=$(curl -fs "$base/news-events/news" | grep -o 'Page 1 of [0-9]*' | head -1 | awk '{print $4}')
article=$(curl -fs "$base/search?q=xinjiang+alumni" | grep -o 'href="/news-events/news/[0-9]*/[^"]*"' | head -1 | sed 's/href="//; s/"$//')
[ -n "$pages" ] && [ -n "$article" ] || { echo "could not find the News pages or the article"; exit 1; }
declare -a names urls
names+=("home");                    urls+=("/")
names+=("News page 1");             urls+=("/news-events/news")
names+=("News page 1,000");         urls+=("/news-events/news?page=1000")
names+=("News last page ($pages)"); urls+=("/news-events/news?page=$pages")
names+=("article (one, hot)");      urls+=("$article")
names+=("topic page 3");            urls+=("/tags/research?page=3")
names+=("search (2 words)");        urls+=("/search?q=research+students")
names+=("Atom feed");               urls+=("/feed.atom")
ARTICLE_ROW=4

# Every article's address, from the sitemaps, for the long tail.
: >"$WORK/paths.txt"
for f in $(curl -fs "$base/sitemap.xml" | grep -o "$base/sitemaps/articles-[0-9]*\.xml"); do
	curl -fs "$f" | grep -o '<loc>[^<]*</loc>' | sed "s|<loc>$base||; s|</loc>||" >>"$WORK/paths.txt"
done
echo "$(wc -l <"$WORK/paths.txt") article addresses for the long tail"
cat >"$WORK/random.lua" <<'LUA'
-- Each request asks for one of the addresses in BENCH_PATHS, chosen at random.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local n = 0
function setup(thread) n = n + 1; thread:set("seed", n) end
function init(args) math.randomseed(os.time() * 1000 + (seed or 0)) end
function request() return wrk.format(nil, paths[math.random(#paths)]) end
LUA
# Readers of a busy news site: the home page, the News listing, the newest article, a topic.
printf '%s\n' / /news-events/news "$article" /tags/research /news-events >"$WORK/readers.txt"
cat >"$WORK/rotate.lua" <<'LUA'
-- Each request asks for the next address in BENCH_PATHS, round and round.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
function request() i = i % #paths + 1; return wrk.format(nil, paths[i]) end
LUA

to_ms() { # wrk prints 812.00us, 1.23ms or 1.02s
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
# measure URL ENCODING [LUA PATHS] → "rps p50 p99 non2xx"
measure() {
	local url=$1 enc=$2 script=${3:-} paths=${4:-} out
	local args=(-t2 -c"$CONNS" -d"$DURATION" --latency)
	[ "$enc" = gzip ] && args+=(-H 'Accept-Encoding: gzip')
	[ -n "$script" ] && args+=(-s "$script")
	out=$(BENCH_PATHS="$paths" wrk "${args[@]}" "$url")
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
	p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errs=$(echo "$out" | awk '/Socket errors/ {print $0}')
	echo "$rps $p50 $p99 ${bad:-0}"
	[ -z "$errs" ] || echo "  $errs" >&2
}

# The article as campusnews sends it, body and headers, for both ceilings.
curl -fs -D "$WORK/bytes/plain.h" "$base$article" -o "$WORK/bytes/plain.body"
curl -fs -D "$WORK/bytes/gzip.h" -H 'Accept-Encoding: gzip' "$base$article" -o "$WORK/bytes/gzip.body"
cp "$WORK/bytes/plain.body" "$WORK/www/article.html"
gzip -9 -k "$WORK/www/article.html"
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $PWD/$WORK/nginx/nginx.pid;
error_log $PWD/$WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	types { text/html html; }
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $PWD/$WORK/www;
		gzip_static on;
		location / { try_files \$uri =404; }
	}
}
NGINX
"$NGINX" -p "$PWD/$WORK/nginx" -c nginx.conf
nginx_started=1
go build -o "$WORK/bytes/bytes" ./bench/bytes
"$WORK/bytes/bytes" -addr "127.0.0.1:$BYTES_PORT" -plain-headers "$WORK/bytes/plain.h" -plain-body "$WORK/bytes/plain.body" \
	-gzip-headers "$WORK/bytes/gzip.h" -gzip-body "$WORK/bytes/gzip.body" &
bytes_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$BYTES_PORT/"; do sleep 0.05; done
go build -o "$WORK/writers" ./bench/writers

results="$WORK/rows.txt"; : >"$results"
for enc in identity gzip; do
	echo "== nginx, $enc"
	read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$NGINX_PORT/article.html" "$enc")
	echo "nginx $enc $rps $p50 $p99 $bad" | tee -a "$results"
done
for enc in identity gzip; do
	echo "== net/http, same bytes and headers from memory, $enc"
	read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$BYTES_PORT/" "$enc")
	echo "bytes $enc $rps $p50 $p99 $bad" | tee -a "$results"
	eval "bytes_$enc=$rps"
done
kill "$bytes_pid"; bytes_pid=""
"$NGINX" -p "$PWD/$WORK/nginx" -c nginx.conf -s stop; nginx_started=""
for i in "${!names[@]}"; do
	for enc in identity gzip; do
		echo "== ${names[$i]}, $enc"
		read -r rps p50 p99 bad < <(measure "$base${urls[$i]}" "$enc")
		echo "page$i $enc $rps $p50 $p99 $bad" | tee -a "$results"
		[ "$i" = "$ARTICLE_ROW" ] && eval "hot_$enc=$rps"
	done
done
# The database is read into the operating system's cache first, as a server's archive would
# be: some machines page out file data untouched for a minute, and the row then measures
# their disk instead of the server (a cold run here served a tenth as many articles).
warm() { find "$@" -type f -exec cat {} + >/dev/null; }
echo "== long tail: random articles, gzip"
warm "$WORK/data"
read -r rps p50 p99 bad < <(measure "$base" gzip "$WORK/random.lua" "$PWD/$WORK/paths.txt")
echo "tail gzip $rps $p50 $p99 $bad" | tee -a "$results"
echo "== readers alone, gzip"
read -r rps p50 p99 bad < <(measure "$base" gzip "$WORK/rotate.lua" "$PWD/$WORK/readers.txt")
echo "readers gzip $rps $p50 $p99 $bad" | tee -a "$results"
readers_alone=$rps
echo "== readers while $EDITORS editors publish $EDITOR_RATE articles a second each, gzip"
secs=${DURATION%s}
"$WORK/writers" -base "$base" -editors "$editors" -password "$PASSWORD" -category-name News \
	-rate "$EDITOR_RATE" -duration "$((secs + 2))s" >"$WORK/writers.log" 2>&1 &
writers_pid=$!
sleep 1
read -r rps p50 p99 bad < <(measure "$base" gzip "$WORK/rotate.lua" "$PWD/$WORK/readers.txt")
wait "$writers_pid" || { cat "$WORK/writers.log"; exit 1; }
echo "mixed gzip $rps $p50 $p99 $bad" | tee -a "$results"
writers=$(cat "$WORK/writers.log")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
{
	echo "# Benchmark results"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $ARTICLES generated articles + demo site · wrk -t2 -c$CONNS -d$DURATION on loopback"
	echo
	echo "| page | encoding | requests/s | p50 ms | p99 ms | non-2xx | ratio |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	while read -r key enc rps p50 p99 bad; do
		ratio=""
		case "$key" in
		nginx) name="nginx, same article from disk" ;;
		bytes) name="net/http, same bytes and headers from memory (the ceiling)"; ratio="1.00" ;;
		tail) name="long tail: random articles of $(wc -l <"$WORK/paths.txt") (vs one hot article)"; ratio=$(ratio "$rps" "$hot_gzip") ;;
		readers) name="readers: home, News, article, topic, section" ;;
		mixed) name="the same readers while $EDITORS editors publish $EDITOR_RATE a second each (vs alone)"; ratio=$(ratio "$rps" "$readers_alone") ;;
		*)
			i=${key#page}; name="${names[$i]}"
			if [ "$i" = "$ARTICLE_ROW" ]; then
				ref=$([ "$enc" = gzip ] && echo "$bytes_gzip" || echo "$bytes_identity")
				ratio=$(ratio "$rps" "$ref")
			fi ;;
		esac
		echo "| $name | $enc | $rps | $p50 | $p99 | $bad | $ratio |"
	done <"$results"
	echo
	echo "Ratios: the hot article against the ceiling; the long tail against the hot article (gzip);"
	echo "readers with editors publishing against readers alone. The database files are read into the"
	echo "operating system's cache just before each long tail."
	echo
	echo "- server peak RSS (VmHWM) over the whole run: $((rss_kb / 1024)) MB"
	echo "- start-up to first answered request: ${startup_ms} ms"
	printf -- '- seeding %s articles: %.1f s\n' "$ARTICLES" "$seed_secs"
	echo "- editors: $writers"
} >bench/results.md
echo
cat bench/results.md

# ---- PostgreSQL -------------------------------------------------------------------------------
# The same site copied (campusnews copy) into a throwaway PostgreSQL cluster in a temporary
# directory, listening on a Unix socket only; the article, a listing, search and the long tail
# measured there, then the readers through nginx in front of one instance and of two. Appended
# to bench/results.md beside the SQLite figures. BENCH_POSTGRES=0 leaves it out.
PG_PORT1=${BENCH_PG_PORT1:-18083}
PG_PORT2=${BENCH_PG_PORT2:-18084}
pg_dir=""; pg_bin=""; pg_pids=""; pg_nginx=""
pg_cleanup() {
	for p in $pg_pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	[ -n "$pg_nginx" ] && "$NGINX" -p "$PWD/$WORK/nginx" -c nginx-pg.conf -s stop 2>/dev/null || true
	if [ -n "$pg_dir" ]; then
		pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$pg_dir"
	fi
}
# pg_as runs a PostgreSQL program as the postgres user when this is root (it refuses root).
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# pg_serve PORT starts an instance on the PostgreSQL copy and waits for its first answer.
pg_serve() {
	"$BIN" serve --data "$WORK/data" --database "$pg_url" --addr "127.0.0.1:$1" --log-requests=false \
		>"$WORK/server-pg-$1.log" 2>&1 </dev/null &
	pg_pids="$pg_pids $!"
	until curl -fs -o /dev/null "http://127.0.0.1:$1/healthz"; do
		kill -0 "$!" 2>/dev/null || { cat "$WORK/server-pg-$1.log"; exit 1; }
		sleep 0.01
	done
}
# pg_nginx_up PORT... (re)starts nginx on NGINX_PORT balancing over the instances on PORTs.
pg_nginx_up() {
	[ -z "$pg_nginx" ] || { "$NGINX" -p "$PWD/$WORK/nginx" -c nginx-pg.conf -s stop 2>/dev/null; pg_nginx=""; sleep 0.2; }
	{
		echo "worker_processes auto; pid $PWD/$WORK/nginx/nginx-pg.pid; error_log $PWD/$WORK/nginx/error-pg.log warn;"
		echo "events { worker_connections 4096; }"
		echo "http { access_log off; upstream campusnews {"
		for p in "$@"; do echo "server 127.0.0.1:$p;"; done
		echo "keepalive 64; }"
		echo "server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://campusnews;"
		echo "proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host;"
		echo "proxy_next_upstream error timeout http_502 http_503 http_504; } } }"
	} >"$WORK/nginx/nginx-pg.conf"
	"$NGINX" -p "$PWD/$WORK/nginx" -c nginx-pg.conf
	pg_nginx=1
	until curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/healthz"; do sleep 0.05; done
}
bench_postgres() {
	make -s pg-deps CAMPUSNEWS_TEST_POSTGRES=1
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	trap 'pg_cleanup; cleanup' EXIT
	pg_dir=$(mktemp -d /tmp/campusnews-benchpg-XXXXXX)
	[ "$(id -u)" != 0 ] || chown postgres "$pg_dir"
	echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'): a throwaway cluster in $pg_dir"
	pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
	pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w \
		-o "-k $pg_dir -c listen_addresses= -c shared_buffers=256MB -c max_connections=100" start >/dev/null
	pg_as "$pg_bin/psql" -q -h "$pg_dir" -U postgres -d postgres \
		-c "CREATE DATABASE campusnews LOCALE 'C.UTF-8' TEMPLATE template0"
	pg_url="postgres://postgres@/campusnews?host=$pg_dir"
	local start copy_secs
	start=$(date +%s.%N)
	"$BIN" copy --from "$WORK/data" --to "$pg_url" >"$WORK/copy-pg.log"
	copy_secs=$(echo "$(date +%s.%N) - $start" | bc)
	pg_serve "$PG_PORT1"
	local pbase="http://127.0.0.1:$PG_PORT1" pg_results="$WORK/rows-pg.txt"
	: >"$pg_results"
	for i in 0 1 "$ARTICLE_ROW" 6; do # home, News page 1, the article, search
		echo "== PostgreSQL: ${names[$i]}, gzip"
		read -r rps p50 p99 bad < <(measure "$pbase${urls[$i]}" gzip)
		echo "page$i gzip $rps $p50 $p99 $bad" | tee -a "$pg_results"
	done
	echo "== PostgreSQL: long tail, gzip"
	warm "$pg_dir/data"
	read -r rps p50 p99 bad < <(measure "$pbase" gzip "$WORK/random.lua" "$PWD/$WORK/paths.txt")
	echo "tail gzip $rps $p50 $p99 $bad" | tee -a "$pg_results"
	for n in 1 2; do
		if [ "$n" = 1 ]; then pg_nginx_up "$PG_PORT1"; else pg_serve "$PG_PORT2"; pg_nginx_up "$PG_PORT1" "$PG_PORT2"; fi
		echo "== PostgreSQL: readers through nginx, $n instance(s), gzip"
		read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$NGINX_PORT" gzip "$WORK/rotate.lua" "$PWD/$WORK/readers.txt")
		echo "nginx$n gzip $rps $p50 $p99 $bad" | tee -a "$pg_results"
	done
	{
		echo
		echo "## PostgreSQL"
		echo
		echo "The same site copied into PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on this machine (a throwaway cluster,"
		printf 'Unix socket; `campusnews copy` took %.1f s). Requests/s with gzip; SQLite from the table above.\n' "$copy_secs"
		echo
		echo "| page | SQLite requests/s | PostgreSQL requests/s | p50 ms | p99 ms | non-2xx |"
		echo "|---|---:|---:|---:|---:|---:|"
		while read -r key _ rps p50 p99 bad; do
			case "$key" in
			tail) name="long tail: random articles"; lite=$(awk '$1 == "tail" {print $3}' "$results") ;;
			nginx1) name="readers through nginx, one instance"; lite=$(awk '$1 == "readers" {print $3}' "$results")" (direct)" ;;
			nginx2) name="readers through nginx, two instances"; lite="" ;;
			*) name="${names[${key#page}]}"; lite=$(awk -v k="$key" '$1 == k && $2 == "gzip" {print $3}' "$results") ;;
			esac
			echo "| $name | $lite | $rps | $p50 | $p99 | $bad |"
		done <"$pg_results"
		echo
		echo "Pages served from the page cache touch no database; the long tail, nearly all misses, is the"
		echo "engine's row. The instances, nginx, PostgreSQL and wrk share the machine's $(nproc) cores."
	} >>bench/results.md
	echo
	sed -n '/^## PostgreSQL/,$p' bench/results.md
}
[ "${BENCH_POSTGRES:-1}" = 0 ] || bench_postgres
