#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600) on one core, then prints a table
# of runs, executions and crashes for fuzz/README.md. Needs cargo-fuzz (`cargo install cargo-fuzz`).
# Usage: fuzz/run-all.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
declare -A maxlen=([level_grammar]=512 [fhir]=16384 [note_pipeline]=16384)
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -a
mkdir -p logs
for t in "${targets[@]}"; do
  len="${maxlen[$t]:-8192}"
  mkdir -p "corpus/$t"
  before=$(find "corpus/$t" -type f | wc -l)
  set +e
  RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -max_len="$len" -print_final_stats=1 >"logs/$t.log" 2>&1
  rc=$?
  set -e
  after=$(find "corpus/$t" -type f | wc -l)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -1 | grep -o '[0-9]*' || echo '?')
  crashes=$(find "artifacts/$t" -type f 2>/dev/null | wc -l)
  echo "| \`$t\` | ${secs} s | ${runs} | ${cov} | ${before} → ${after} | ${crashes} | exit ${rc} |"
done
