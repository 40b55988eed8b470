# Sourced by the tools that drive `interspace serve` on loopback (load-test.sh, pgo-build.sh):
# a scratch folder removed at exit, a server started on it and stopped cleanly, and the notes as
# JSON bodies for POST /api/v1/analyze. Note text is never printed. Needs curl and jq.
#
# After `source tools/server.sh`: TMP is the scratch folder; `start_server BIN PORT [ARGS…]`
# sets BASE, DB, PID and AUTH (a Bearer API key) or stops the script; `stop_server` ends it with
# SIGTERM (so an instrumented build writes its profile); `note_bodies DIR…` sets BODIES and
# BODY_ARGS.

TMP=$(mktemp -d)
PID=
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*"
  if [[ -f $TMP/server.log ]]; then
    echo "last lines of the server log:"
    tail -n 20 "$TMP/server.log" | sed 's/^/    /'
  fi
  exit 1
}

start_server() { # BIN PORT [more `serve` arguments…]
  local bin=$1 port=$2
  shift 2
  BASE="http://127.0.0.1:$port"
  DB="sqlite://$TMP/server.db"
  if curl -s -o /dev/null "$BASE/"; then
    echo "error: something already listens on port $port (set PORT=…)" >&2
    exit 2
  fi
  INTERSPACE_PASSWORD="tools-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  export INTERSPACE_PASSWORD
  "$bin/interspace" serve --addr "127.0.0.1:$port" --db "$DB" --create-admin admin --public-reference "$@" \
    2>"$TMP/server.log" &
  PID=$!
  for _ in $(seq 150); do
    curl -fs -o /dev/null "$BASE/healthz" && break
    kill -0 "$PID" 2>/dev/null || fail "the server did not start"
    sleep 0.2
  done
  curl -fs -o /dev/null "$BASE/healthz" || fail "the server does not answer /healthz"
  AUTH="Authorization: Bearer $("$bin/interspace" user key admin --label tools --db "$DB" 2>/dev/null)"
}

stop_server() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    wait "$PID" || true
  fi
  PID=
}

note_bodies() { # DIR… → BODIES (files) and BODY_ARGS (--body FILE …): the .txt notes as {"text": …}
  mkdir -p "$TMP/bodies"
  BODIES=()
  BODY_ARGS=()
  local dir note body
  for dir in "$@"; do
    for note in "$dir"/*.txt; do
      body="$TMP/bodies/$(basename "$dir")-$(basename "$note" .txt).json"
      jq -Rs '{text: .}' "$note" >"$body"
      BODIES+=("$body")
      BODY_ARGS+=(--body "$body")
    done
  done
}
