#!/usr/bin/env bash
# make bench: seed 100,000 articles, serve them, and measure the reader pages with wrk against
# nginx serving the same article from disk. Writes bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ARTICLES=${BENCH_ARTICLES:-100000}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
PORT=${BENCH_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
WORK=bench/work
BIN=bin/campusnews

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need nginx || ! need curl || ! need bc; then
	echo "installing wrk, nginx and curl from Debian"
	if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nginx-light curl bc >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

rm -rf "$WORK"
mkdir -p "$WORK/data" "$WORK/www" "$WORK/nginx"

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

echo "== starting the server"
start=$(date +%s.%N)
"$BIN" serve --data "$WORK/data" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
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
names+=("home");               urls+=("/")
names+=("News page 1");        urls+=("/news-events/news")
names+=("News page 1,000");    urls+=("/news-events/news?page=1000")
names+=("News last page ($pages)"); urls+=("/news-events/news?page=$pages")
names+=("article");            urls+=("$article")
names+=("search (2 words)");   urls+=("/search?q=research+students")
names+=("Atom feed");          urls+=("/feed.atom")

# wrk_row NAME URL ENCODING → "| name | enc | req/s | p50 | p99 | non-2xx |"
to_ms() { # wrk prints 812.00us, 1.23ms or 1.02s
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
measure() {
	local url=$1 enc=$2 out
	if [ "$enc" = gzip ]; then
		out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H 'Accept-Encoding: gzip' "$url")
	else
		out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$url")
	fi
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
	p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errs=$(echo "$out" | awk '/Socket errors/ {print $0}')
	echo "$rps $p50 $p99 ${bad:-0}"
	[ -z "$errs" ] || echo "  $errs" >&2
}

# Serve the article's HTML with nginx at its best: sendfile and a pre-compressed copy.
curl -fs "$base$article" -o "$WORK/www/article.html"
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

# And with plain net/http from memory: what Go itself can do here, without any site.
BYTES_PORT=${BENCH_BYTES_PORT:-18082}
go build -o "$WORK/bytes" ./bench/bytes
"$WORK/bytes" -addr "127.0.0.1:$BYTES_PORT" -file "$WORK/www/article.html" &
bytes_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$BYTES_PORT/"; do sleep 0.05; done

results="$WORK/rows.txt"; : >"$results"
for enc in identity gzip; do
	echo "== nginx, $enc"
	read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$NGINX_PORT/article.html" "$enc")
	echo "nginx $enc $rps $p50 $p99 $bad" | tee -a "$results"
	eval "nginx_$enc=$rps"
done
for enc in identity gzip; do
	echo "== net/http bytes from memory, $enc"
	read -r rps p50 p99 bad < <(measure "http://127.0.0.1:$BYTES_PORT/" "$enc")
	echo "bytes $enc $rps $p50 $p99 $bad" | tee -a "$results"
done
kill "$bytes_pid"; bytes_pid=""
for i in "${!names[@]}"; do
	for enc in identity gzip; do
		echo "== ${names[$i]}, $enc"
		read -r rps p50 p99 bad < <(measure "$base${urls[$i]}" "$enc")
		echo "page$i $enc $rps $p50 $p99 $bad" | tee -a "$results"
	done
done
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

{
	echo "# Benchmark results"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $ARTICLES generated articles + demo site · wrk -t2 -c$CONNS -d$DURATION on loopback"
	echo
	echo "| page | encoding | requests/s | p50 ms | p99 ms | non-2xx | vs nginx |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	while read -r key enc rps p50 p99 bad; do
		if [ "$key" = nginx ]; then name="nginx, same article from disk"; ratio="1.00"
		elif [ "$key" = bytes ]; then name="plain net/http, same article from memory"
			ref=$([ "$enc" = gzip ] && echo "$nginx_gzip" || echo "$nginx_identity")
			ratio=$(printf '%.2f' "$(echo "scale=4; $rps / $ref" | bc)")
		else
			i=${key#page}; name="${names[$i]}"; ratio=""
			if [ "$i" = 4 ]; then
				ref=$([ "$enc" = gzip ] && echo "$nginx_gzip" || echo "$nginx_identity")
				ratio=$(printf '%.2f' "$(echo "scale=4; $rps / $ref" | bc)")
			fi
		fi
		echo "| $name | $enc | $rps | $p50 | $p99 | $bad | $ratio |"
	done <"$results"
	echo
	echo "- server peak RSS (VmHWM): $((rss_kb / 1024)) MB"
	echo "- start-up to first answered request: ${startup_ms} ms"
	printf -- '- seeding %s articles: %.1f s\n' "$ARTICLES" "$seed_secs"
} >bench/results.md
echo
cat bench/results.md
