#!/usr/bin/env bash
# Builds every fuzz target once, then runs each in turn for SECONDS (default 600) on one core and
# prints a row per target for the table in README.md: executions, coverage, corpus growth, crashes.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). Usage: fuzz/run-all.sh [SECONDS] [TARGET…]
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -a || exit 2
bin=target/x86_64-unknown-linux-gnu/release
declare -A maxlen=([level_grammar]=512 [fhir]=16384 [note_pipeline]=16384)
mkdir -p logs
for t in "${targets[@]}"; do
  len="${maxlen[$t]:-8192}"
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(find "corpus/$t" -type f | wc -l)
  "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$secs" -rss_limit_mb=2048 \
    -max_len="$len" -print_final_stats=1 >"logs/$t.log" 2>&1
  rc=$?
  after=$(find "corpus/$t" -type f | wc -l)
  runs=$(grep -o 'number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -1 | grep -o '[0-9]*')
  crashes=$(find "artifacts/$t" -type f | wc -l)
  echo "| \`$t\` | ${secs} s | ${runs:-?} | ${cov:-?} | ${before} → ${after} | ${crashes} | exit ${rc} |"
done
