#!/usr/bin/env bash
# Load test of `interspace serve` on loopback:
#   1. saturation, closed loop (wrk, 2 threads): a code page and POST /api/v1/analyze;
#   2. latency at a fixed rate, open loop (interspace-loadgen): the same two routes;
#   3. overload well past saturation: the load-shed layer must answer 503, the server must live;
#   4. recovery: /healthz answers 200 and a short fixed-rate run is clean again;
#   5. with SOAK=seconds, a soak: POST /api/v1/analyze at the fixed rate for that long, in
#      one-minute runs, each checked against the target and followed by the server's memory;
# with the server's memory (VmRSS, VmHWM from /proc) after each phase. Prints a Markdown summary.
#
#   tools/load-test.sh
#   DURATION=10 RATE=500 PORT=18081 tools/load-test.sh
#   SOAK=600 tools/load-test.sh          # and then ten minutes at 1,000 req/s
#   BIN=target/pgo/release tools/load-test.sh   # binaries built elsewhere (tools/pgo-build.sh)
#
# Needs wrk (Debian package `wrk`), jq and curl. The analyze bodies are the corpus notes as
# {"text": …} JSON; note text is never printed. Build output goes to stderr.

set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18080}
DURATION=${DURATION:-30}                 # seconds of each saturation and fixed-rate run
RATE=${RATE:-1000}                       # the fixed rate, requests/s
CONNECTIONS=${CONNECTIONS:-64}           # loadgen connections of the fixed-rate runs
WRK_CONNECTIONS=${WRK_CONNECTIONS:-"16 64"}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-256}      # the server's concurrency limit (--max-in-flight)
OVERLOAD_FACTOR=${OVERLOAD_FACTOR:-10}   # overload rate = factor × analyze saturation
OVERLOAD_DURATION=${OVERLOAD_DURATION:-20}
RECOVERY_DURATION=${RECOVERY_DURATION:-10}
CODE=${CODE:-22633}
NOTES=${NOTES:-corpus/notes}
SOAK=${SOAK:-0}                          # seconds of the soak phase (0: none)

for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 2; }
done

# shellcheck source=tools/server.sh
source tools/server.sh

if [[ -z ${BIN:-} ]]; then
  echo "building: cargo build --release --locked --bins" >&2
  cargo build --release --locked --bins >&2
  BIN=target/release
fi
for bin in interspace interspace-loadgen; do
  [[ -x $BIN/$bin ]] || { echo "error: no $BIN/$bin (BIN names the folder of the built binaries)" >&2; exit 2; }
done

# --- the server ------------------------------------------------------------------------------
start_server "$BIN" "$PORT" --max-in-flight "$MAX_IN_FLIGHT"
ANALYZE="$BASE/api/v1/analyze"
PAGE="$BASE/codes/$CODE"
note_bodies "$NOTES"

MEMORY=()
memory() { # label
  kill -0 "$PID" 2>/dev/null || fail "the server died ($1)"
  local row
  row=$(awk -v label="$1" '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2} /^Threads/ {t=$2}
    END {printf "| %s | %.1f | %.1f | %d |", label, rss/1024, hwm/1024, t}' "/proc/$PID/status")
  MEMORY+=("$row")
  echo "  server memory $row"
}

SUMMARY=()

# wrk LABEL CONNECTIONS URL [BODY…]: a closed-loop run; POSTs the bodies when given.
wrk_run() {
  local label=$1 conns=$2 url=$3
  shift 3
  local out="$TMP/wrk.txt"
  if (($#)); then
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency -H "$AUTH" -s tools/wrk-post-bodies.lua "$url" -- "$@" >"$out" ||
      fail "wrk failed"
  else
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$url" >"$out" || fail "wrk failed"
  fi
  echo "  \$ wrk -t2 -c$conns -d${DURATION}s --latency … $label"
  grep -v '^Running\|threads and' "$out" | sed 's/^/    /'
  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  errors=$(awk '/Socket errors/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' "$out")
  SUMMARY+=("| $label | wrk, $conns connections | ${rps} req/s | $p50 | $p99 | | non-2xx ${non2xx:-0}, socket errors ${errors:-0} |")
  LAST_RPS=$rps
}

# loadgen LABEL RATE SECONDS CONNECTIONS URL [BODY…]: an open-loop run at RATE; POSTs the bodies when given.
loadgen_run() {
  local label=$1 rate=$2 secs=$3 conns=$4 url=$5
  shift 5
  local post=()
  if (($#)); then post=(--method POST -H "$AUTH" "$@"); fi
  echo "  \$ interspace-loadgen --rate $rate --duration $secs --connections $conns … $label"
  "$BIN/interspace-loadgen" --url "$url" --rate "$rate" --duration "$secs" --connections "$conns" \
    --timeout 2000 --json-file "$TMP/loadgen.json" "${post[@]}" | sed 's/^/    /' || fail "interspace-loadgen failed"
  SUMMARY+=("$(jq -r --arg name "$label" '"| \($name) | loadgen, \(.rate) req/s, \(.connections) connections | \(.achieved_rate) resp/s | \(.latency_ms.p50) ms | \(.latency_ms.p99) ms | \(.service_ms.p99) ms | \(.statuses | to_entries | map("\(.key): \(.value)") | join(", ")); timeouts \(.timeouts), errors \(.errors), not sent \(.not_sent) |"' "$TMP/loadgen.json")")
}

# Whether the last loadgen run met the target: every response 200, p99 under 10 ms.
verdict() {
  jq -r '(.statuses | keys) == ["200"] and .timeouts == 0 and .errors == 0 and .not_sent == 0 and .latency_ms.p99 < 10
    | if . then "  target (p99 < 10 ms, no errors): met" else "  target (p99 < 10 ms, no errors): MISSED" end' \
    "$TMP/loadgen.json"
}

# --- report ----------------------------------------------------------------------------------
echo "## Server load test ($(date -u +%Y-%m-%d), tools/load-test.sh)"
echo
echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' with local changes'); release build"
echo "- server: interspace serve --public-reference --max-in-flight $MAX_IN_FLIGHT, SQLite work queue, loopback"
echo "- GET /codes/$CODE anonymous; POST /api/v1/analyze with an API key, ${#BODIES[@]} corpus notes as {\"text\": …} cycled"
echo
echo '```text'
memory "started"
bad=0
for b in "${BODIES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$b" "$ANALYZE")
  [[ $status == 200 ]] || bad=$((bad + 1))
done
((bad == 0)) || fail "$bad of ${#BODIES[@]} corpus notes do not answer 200 on POST /api/v1/analyze"
status=$(curl -s -o /dev/null -w '%{http_code}' "$PAGE")
[[ $status == 200 ]] || fail "GET /codes/$CODE answers $status"
echo "  warm-up: ${#BODIES[@]} notes analyzed, all 200; GET /codes/$CODE 200"
memory "after warm-up"

echo
echo "# 1. saturation (closed loop)"
ANALYZE_SATURATION=0
for c in $WRK_CONNECTIONS; do
  wrk_run "GET /codes/$CODE" "$c" "$PAGE"
  memory "after wrk page -c$c"
done
for c in $WRK_CONNECTIONS; do
  wrk_run "POST /api/v1/analyze" "$c" "$ANALYZE" "${BODIES[@]}"
  if ((LAST_RPS > ANALYZE_SATURATION)); then ANALYZE_SATURATION=$LAST_RPS; fi
  memory "after wrk analyze -c$c"
done

echo
echo "# 2. fixed rate $RATE req/s (open loop, latency from the scheduled send time)"
loadgen_run "GET /codes/$CODE" "$RATE" "$DURATION" "$CONNECTIONS" "$PAGE"
verdict
memory "after loadgen page"
loadgen_run "POST /api/v1/analyze" "$RATE" "$DURATION" "$CONNECTIONS" "$ANALYZE" "${BODY_ARGS[@]}"
verdict
memory "after loadgen analyze"

echo
OVERLOAD_RATE=$((OVERLOAD_FACTOR * (ANALYZE_SATURATION > 100 ? ANALYZE_SATURATION : 100)))
OVERLOAD_CONNECTIONS=$((2 * MAX_IN_FLIGHT))
echo "# 3. overload: $OVERLOAD_FACTOR × analyze saturation ($ANALYZE_SATURATION req/s) = $OVERLOAD_RATE req/s over $OVERLOAD_CONNECTIONS connections"
loadgen_run "overload: POST /api/v1/analyze" "$OVERLOAD_RATE" "$OVERLOAD_DURATION" "$OVERLOAD_CONNECTIONS" "$ANALYZE" \
  "${BODY_ARGS[@]}"
echo "  (past what the generator itself can send, latency from the scheduled time mostly measures its own backlog)"
shed=$(jq '.statuses["503"] // 0' "$TMP/loadgen.json")
if ((shed > 0)); then echo "  load shed: $shed answers 503"; else echo "  load shed: NO 503 answers"; fi
memory "after overload"

echo
echo "# 4. recovery"
health=$(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' --max-time 10 "$BASE/healthz" || true)
echo "  GET /healthz right after the overload: $health"
[[ $health == 200* ]] || fail "the server does not recover"
sleep 2
loadgen_run "recovery: POST /api/v1/analyze" "$RATE" "$RECOVERY_DURATION" "$CONNECTIONS" "$ANALYZE" "${BODY_ARGS[@]}"
verdict
memory "after recovery"
sleep 15
memory "idle 15 s later"

if ((SOAK > 0)); then
  echo
  echo "# 5. soak: POST /api/v1/analyze at $RATE req/s for $SOAK s, in one-minute runs"
  minutes=$(((SOAK + 59) / 60))
  for m in $(seq "$minutes"); do
    loadgen_run "soak minute $m: POST /api/v1/analyze" "$RATE" 60 "$CONNECTIONS" "$ANALYZE" "${BODY_ARGS[@]}"
    verdict
    memory "soak minute $m"
  done
  sleep 15
  memory "idle 15 s after the soak"
fi

kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
PID=
echo "  server stopped on SIGTERM, exit status $rc"
echo '```'
echo
echo "| run | load | throughput | p50 | p99 | service p99 | responses |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${SUMMARY[@]}"
echo
echo "wrk is closed loop: its latency is the service time. interspace-loadgen is open loop: latency counts"
echo "from each request's scheduled send time, service time from its actual send."
echo
echo "Server memory (MB; peak is VmHWM, the high-water mark since start):"
echo
echo "| after | RSS | peak | threads |"
echo "|---|---|---|---|"
printf '%s\n' "${MEMORY[@]}"
