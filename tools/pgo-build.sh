#!/usr/bin/env bash
# Profile-guided release build, for deployment: the same code as `cargo build --release`, laid
# out by the compiler from a profile of the program at work.
#   1. an instrumented release build (target/pgo/instrumented);
#   2. training: the instrumented binaries analyze the holdout notes shorter than 4,000 bytes
#      (corpus/holdout, corpus/holdout2; never a note the throughput target is measured on, which
#      is every corpus note of 4,000 bytes or more, nor corpus/notes), scrub and price the
#      scrubber's test claims, render code and glossary pages, and serve the same through
#      `interspace serve` on loopback;
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
# shellcheck source=tools/server.sh
source tools/server.sh

echo "== 1/3 instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$PROFILES" cargo build --release --locked --bins --target-dir "$OUT/instrumented" >&2
# Build scripts ran instrumented too: only the training's profiles count.
rm -rf "$PROFILES"
mkdir -p "$PROFILES"

echo "== 2/3 training" >&2
run() { "$INSTRUMENTED/interspace" "$@" >/dev/null; }
# The training notes: the holdout notes under 4,000 bytes, so that the profile has never seen the
# notes of `bench --min-bytes 4000`, the measure of the throughput target (PERFORMANCE.md).
TRAINING=$TMP/training
mkdir -p "$TRAINING"
for note in corpus/holdout/*.txt corpus/holdout2/*.txt; do
  if (($(wc -c <"$note") < 4000)); then
    cp "$note" "$TRAINING/$(basename "$(dirname "$note")")-$(basename "$note")"
  fi
done
echo "training on $(find "$TRAINING" -name '*.txt' | wc -l) notes" >&2
run bench --notes "$TRAINING" --count 6000 --claims crates/edits/tests/claims --claims-count 20000
for code in 22551 22552 22586 22600 22612 22630 22633 22634 22800 22840 22842 22853 22856 22864 63047 20936; do
  run code "$code"
done
for term in alif tlif xlif interspace vertebral-segment; do
  run term "$term"
done
run search presacral
run price 22633 22853 22840 20936 --locality 10112-00

# The server: the same work through HTTP, then a clean stop so the profile is written.
start_server "$INSTRUMENTED" "$PORT"
note_bodies "$TRAINING"
"$INSTRUMENTED/interspace-loadgen" --url "$BASE/api/v1/analyze" --rate 500 --duration 6 --connections 16 \
  --method POST -H "$AUTH" "${BODY_ARGS[@]}" >&2
"$INSTRUMENTED/interspace-loadgen" --url "$BASE/codes/22633" --rate 500 --duration 4 --connections 16 >&2
stop_server

echo "== 3/3 optimized build" >&2
"$PROFDATA" merge -o "$TMP/merged.profdata" "$PROFILES"
# Named by its content, so that a new profile changes the flags and cargo rebuilds with it.
PROFILE=$OUT/profile-$(sha256sum "$TMP/merged.profdata" | cut -c1-16).profdata
mv "$TMP/merged.profdata" "$PROFILE"
RUSTFLAGS="-Cprofile-use=$PROFILE" cargo build --release --locked --bins --target-dir "$OUT" >&2
echo "$OUT/release/interspace"
