#!/usr/bin/env bash
# Starts FerretDB (SQLite backend) on 127.0.0.1 and prints the MONGODB_URI to use.
# Usage: start-ferretdb.sh <ferretdb-binary> <data-dir> [port]
set -euo pipefail
BIN="$1"; DATA_DIR="$2"; PORT="${3:-27917}"
mkdir -p "$DATA_DIR"
"$BIN" --handler=sqlite --sqlite-url="file:$DATA_DIR/" --listen-addr="127.0.0.1:$PORT" \
  --state-dir=- --debug-addr=- --telemetry=disable --log-level=error > "$DATA_DIR/ferretdb.log" 2>&1 &
echo $! > "$DATA_DIR/ferretdb.pid"
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "mongodb://127.0.0.1:$PORT/"
    exit 0
  fi
  sleep 0.1
done
echo "FerretDB did not start; its log:" >&2
cat "$DATA_DIR/ferretdb.log" >&2
exit 1
