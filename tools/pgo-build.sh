#!/usr/bin/env bash
# Profile-guided release build, for deployment: the same code as `cargo build --release`, laid
# out by the compiler from a profile of the program at work.
#   1. an instrumented release build (target/pgo/instrumented);
#   2. training: the instrumented binaries analyze the holdout notes (corpus/holdout,
#      corpus/holdout2; not corpus/notes, on which `interspace bench` is measured), scrub and
#      price the scrubber's test claims, render code and glossary pages, and serve the same
#      through `interspace serve` on loopback;
#   3. the release build that uses the profile: target/pgo/release/interspace (and the other
#      binaries beside it).
#
#   tools/pgo-build.sh
#   LLVM_PROFDATA=/path/to/llvm-profdata PORT=18090 tools/pgo-build.sh
#
# Needs llvm-profdata of the LLVM that rustc is built on (`rustc -vV` names it; Debian's package
# `llvm-NN` has `llvm-profdata-NN`), and jq and curl for the server's part of the training.
# Build output and progress go to stderr; the path of the built binary is printed last.

set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18090}
llvm=$(rustc -vV | awk '/^LLVM version:/ {split($3, v, "."); print v[1]}')
PROFDATA=${LLVM_PROFDATA:-$(command -v "llvm-profdata-$llvm" || command -v llvm-profdata || true)}
if [[ -z $PROFDATA ]]; then
  echo "error: no llvm-profdata found; rustc uses LLVM $llvm: install Debian's llvm-$llvm, or set LLVM_PROFDATA" >&2
  exit 2
fi
if ! "$PROFDATA" --version | grep -q "LLVM version $llvm\."; then
  echo "error: $PROFDATA is not LLVM $llvm, the version rustc uses ($("$PROFDATA" --version | grep -o 'LLVM version [0-9.]*')); install Debian's llvm-$llvm, or set LLVM_PROFDATA" >&2
  exit 2
fi
for tool in jq curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed for the server's training" >&2; exit 2; }
done

OUT=$PWD/target/pgo
PROFILES=$OUT/profiles
INSTRUMENTED=$OUT/instrumented/release
TMP=$(mktemp -d)
PID=
cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    wait "$PID" || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "== 1/3 instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$PROFILES" cargo build --release --locked --bins --target-dir "$OUT/instrumented" >&2
# Build scripts ran instrumented too: only the training's profiles count.
rm -rf "$PROFILES"
mkdir -p "$PROFILES"

echo "== 2/3 training" >&2
run() { "$INSTRUMENTED/interspace" "$@" >/dev/null; }
run bench --notes corpus/holdout --count 3000 --claims crates/edits/tests/claims --claims-count 20000
run bench --notes corpus/holdout2 --count 3000
for code in 22551 22552 22586 22600 22612 22630 22633 22634 22800 22840 22842 22853 22856 22864 63047 20936; do
  run code "$code"
done
for term in alif tlif xlif interspace vertebral-segment; do
  run term "$term"
done
run search presacral
run price 22633 22853 22840 20936 --locality 10112-00

# The server: the same work through HTTP, then a clean stop so the profile is written.
DB="sqlite://$TMP/pgo.db"
BASE="http://127.0.0.1:$PORT"
if curl -s -o /dev/null "$BASE/"; then
  echo "error: something already listens on port $PORT (set PORT=…)" >&2
  exit 2
fi
INTERSPACE_PASSWORD="pgo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export INTERSPACE_PASSWORD
"$INSTRUMENTED/interspace" serve --addr "127.0.0.1:$PORT" --db "$DB" --create-admin admin --public-reference \
  2>"$TMP/server.log" &
PID=$!
for _ in $(seq 150); do
  curl -fs -o /dev/null "$BASE/healthz" && break
  kill -0 "$PID" 2>/dev/null || { echo "error: the server did not start" >&2; exit 1; }
  sleep 0.2
done
KEY=$("$INSTRUMENTED/interspace" user key admin --label pgo --db "$DB" 2>/dev/null)
bodies=()
for note in corpus/holdout/*.txt corpus/holdout2/*.txt; do
  jq -Rs '{text: .}' "$note" >"$TMP/$(basename "$note" .txt).json"
  bodies+=(--body "$TMP/$(basename "$note" .txt).json")
done
"$INSTRUMENTED/interspace-loadgen" --url "$BASE/api/v1/analyze" --rate 500 --duration 6 --connections 16 \
  --method POST -H "Authorization: Bearer $KEY" "${bodies[@]}" >/dev/null
"$INSTRUMENTED/interspace-loadgen" --url "$BASE/codes/22633" --rate 500 --duration 4 --connections 16 >/dev/null
kill -TERM "$PID"
wait "$PID" || true
PID=

echo "== 3/3 optimized build" >&2
"$PROFDATA" merge -o "$OUT/merged.profdata" "$PROFILES"
RUSTFLAGS="-Cprofile-use=$OUT/merged.profdata" cargo build --release --locked --bins --target-dir "$OUT" >&2
echo "$OUT/release/interspace"
