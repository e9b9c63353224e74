#!/usr/bin/env bash
# The distributed mode on one machine without Docker: a real Kafka broker from tools/kafka, the
# local PostgreSQL and Redis, and each service as its own process. Logs and pids under .run/.
#   tools/distributed/start-local.sh      # start everything, gateway on http://127.0.0.1:3000
#   tools/distributed/stop-local.sh       # stop the services and the broker
# STOCKADE_LOCAL_PORT_BASE (3000: gateway, +1 inventory, +2 orders, +3 carts), STOCKADE_LOCAL_RUN_DIR
# and STOCKADE_LOCAL_SCHEMA_PREFIX let a second copy (a test) run beside the first.
set -euo pipefail
cd "$(dirname "$0")/../.."
run_dir="${STOCKADE_LOCAL_RUN_DIR:-tools/distributed/.run}"
port_base="${STOCKADE_LOCAL_PORT_BASE:-3000}"
schema_prefix="${STOCKADE_LOCAL_SCHEMA_PREFIX:-}"
# A service joins its consumer groups before it listens: after a crash, that waits out the dead
# member's session (KAFKA_SESSION_TIMEOUT_MS). Give it that and more.
health_wait_s="${STOCKADE_LOCAL_HEALTH_WAIT_S:-60}"
mkdir -p "$run_dir"

: "${STOCKADE_OPERATOR_TOKEN:?set STOCKADE_OPERATOR_TOKEN (16+ characters)}"
export STOCKADE_BUS=kafka KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export KAFKA_PORT="${KAFKA_BROKERS##*:}" # tools/kafka runs the broker on the port KAFKA_BROKERS names
export STOCKADE_EVENT_STORE="${STOCKADE_EVENT_STORE:-postgres}"
export STOCKADE_POSTGRES_URL="${STOCKADE_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export STOCKADE_DATA_DIR="$run_dir/data"

[ -f dist/apps/gateway/src/main.js ] || npm run build --silent
export KAFKA_SASL_PORT= KAFKA_SASL_SSL_PORT=
if ! tools/kafka/kafka.sh status >/dev/null 2>&1; then KAFKA_DATA_DIR="$run_dir/kafka-data" tools/kafka/kafka.sh start; fi
node dist/apps/provision-topics/src/main.js

start() { # name port extra-env...
  local name=$1 port=$2; shift 2
  env PORT="$port" "$@" node "dist/apps/$name/src/main.js" >"$run_dir/$name.log" 2>&1 &
  echo $! >"$run_dir/$name.pid"
  local deadline=$((SECONDS + health_wait_s))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && { echo "$name on :$port"; return; }
    kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null || { echo "$name exited; see $run_dir/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name did not become healthy within ${health_wait_s}s; see $run_dir/$name.log" >&2; exit 1
}
# A local setup to try things (npm run demo -- --url … --live): the simulated supplier restocks, unless told otherwise.
start inventory-service $((port_base + 1)) STOCKADE_POSTGRES_SCHEMA="${schema_prefix}inventory" STOCKADE_SUPPLIER_SIMULATOR="${STOCKADE_SUPPLIER_SIMULATOR:-true}"
start order-service $((port_base + 2)) STOCKADE_POSTGRES_SCHEMA="${schema_prefix}ordering"
start cart-service $((port_base + 3)) REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
start gateway "$port_base" INVENTORY_SERVICE_URL=http://127.0.0.1:$((port_base + 1)) ORDER_SERVICE_URL=http://127.0.0.1:$((port_base + 2)) \
  CART_SERVICE_URL=http://127.0.0.1:$((port_base + 3)) STOCKADE_OPS_INVENTORY_SCHEMA="${schema_prefix}inventory" STOCKADE_OPS_ORDERING_SCHEMA="${schema_prefix}ordering"
echo "Stockade (distributed) on http://127.0.0.1:$port_base — stop with tools/distributed/stop-local.sh"
