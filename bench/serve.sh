#!/usr/bin/env bash
# Measures wenda serve under load from wrk on loopback: requests/s and
# p50/p99 latency of GET /v1/search and POST /v1/ask (offline extractive
# answerer), on the seed corpus and on a synthetic corpus of 100k chunks.
# Prints a Markdown table of medians over the runs, and the server's peak
# resident set (VmHWM) after all the runs on each corpus.
#
#   bash bench/serve.sh
#
# Settings (environment): SIZES="0 100000" (chunks; 0 is the seed corpus),
# CONNS="1 8 32 64" (wrk connections), RATES="0 100000 10" (the server's
# --rate-limit per client: 0 is off, 100000/s is on but never reached, so
# it measures what the limiter costs, 10/s is the default, under which
# wrk's one address is mostly answered 429), RUNS=5, DURATION=5 (seconds per run),
# PORT=18731, LOG_LEVEL=info (the server's default), LIMIT=1800 (seconds
# the whole script may take). Needs wrk (apt-get install -y wrk) and Go.
# Everything it starts is stopped when it ends, fails or is interrupted.
set -euo pipefail

SIZES=${SIZES:-"0 100000"}
CONNS=${CONNS:-"1 8 32 64"}
RATES=${RATES:-"0 100000 10"}
RUNS=${RUNS:-5}
DURATION=${DURATION:-5}
PORT=${PORT:-18731}
LOG_LEVEL=${LOG_LEVEL:-info}
LIMIT=${LIMIT:-1800}

# The whole run is bounded: past LIMIT seconds timeout sends TERM, and the
# trap below stops the server.
if [ -z "${WENDA_SERVE_BENCH_BOUNDED:-}" ]; then
	export WENDA_SERVE_BENCH_BOUNDED=1
	exec timeout --kill-after=30 "$LIMIT" bash "$0" "$@"
fi

cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "serve.sh: wrk not found (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/wenda-serve-bench.XXXXXX")
server=""
cleanup() {
	if [ -n "$server" ]; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "serve.sh: stopped" >&2; exit 130' INT TERM

log() { echo "serve.sh: $*" >&2; }

log "building wenda"
go build -o "$work/wenda" ./cmd/wenda
"$work/wenda" bench questions > "$work/questions.txt"

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

start_server() {
	local dir=$1 rate=$2
	"$work/wenda" serve --data "$dir" --addr "127.0.0.1:$PORT" --log-level "$LOG_LEVEL" \
		--rate-limit "$rate" --max-concurrent 256 2>"$work/server.log" &
	server=$!
	for _ in $(seq 1200); do
		if curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; log "server exited"; exit 1; }
		sleep 0.1
	done
	log "server not ready after 120s"
	exit 1
}

stop_server() {
	kill -TERM "$server"
	wait "$server" || true
	server=""
}

memory=""
echo "| corpus | chunks | rate limit | endpoint | connections | requests/s | p50 ms | p99 ms | non-2xx or errors |"
echo "| ------ | -----: | ---------- | -------- | ----------: | ---------: | -----: | -----: | ----------------: |"
for size in $SIZES; do
	label=$([ "$size" = 0 ] && echo seed || echo "$((size / 1000))k")
	log "building the $label index"
	built=$("$work/wenda" bench build --chunks "$size" --data "$work/index-$size")
	chunks=$(echo "$built" | sed -n 's/.* \([0-9]*\) chunks.*/\1/p')
	docs=$(echo "$built" | sed -n 's/^indexed \([0-9]*\) documents.*/\1/p')
	for rate in $RATES; do
		rlabel=$([ "$rate" = 0 ] && echo off || echo "${rate}/s")
		start_server "$work/index-$size" "$rate"
		served=$(curl -fs "http://127.0.0.1:$PORT/readyz" | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
		if [ "$served" != "$docs" ]; then
			log "the server loaded $served documents, not the $docs of the index it was given"
			exit 1
		fi
		for endpoint in search ask; do
			for c in $CONNS; do
				export WENDA_ENDPOINT=$endpoint WENDA_QUESTIONS="$work/questions.txt"
				log "$label rate $rlabel /v1/$endpoint, $c connections: warm-up"
				wrk -t1 -c"$c" -d2s -s bench/wrk/questions.lua "http://127.0.0.1:$PORT" >/dev/null
				: > "$work/runs"
				for r in $(seq "$RUNS"); do
					log "$label rate $rlabel /v1/$endpoint, $c connections: run $r/$RUNS"
					wrk -t1 -c"$c" -d"${DURATION}s" --timeout 10s -s bench/wrk/questions.lua "http://127.0.0.1:$PORT" |
						sed -n 's/^RESULT //p' >> "$work/runs"
				done
				rps=$(sed 's/.*rps=\([0-9.]*\).*/\1/' "$work/runs" | median)
				p50=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' "$work/runs" | median)
				p99=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' "$work/runs" | median)
				errors=$(sed 's/.*errors=\([0-9]*\).*/\1/' "$work/runs" | awk '{s+=$1} END {print s}')
				printf "| %s | %s | %s | /v1/%s | %s | %.0f | %.2f | %.2f | %s |\n" \
					"$label" "$chunks" "$rlabel" "$endpoint" "$c" "$rps" "$(echo "$p50" | awk '{print $1/1000}')" \
					"$(echo "$p99" | awk '{print $1/1000}')" "$errors"
			done
	done
	if [ "$rate" != "${RATES##* }" ]; then
		stop_server
	fi
	done
	hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
	memory="$memory| $label | $chunks | $hwm |
"
	stop_server
	rm -rf "$work/index-$size"
done
echo
echo "| corpus | chunks | server VmHWM after the runs, MiB |"
echo "| ------ | -----: | -------------------------------: |"
printf "%s" "$memory"
