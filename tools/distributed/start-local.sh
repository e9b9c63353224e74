#!/usr/bin/env bash
# The distributed mode on one machine without Docker: a real Kafka broker from tools/kafka, the
# local PostgreSQL and Redis, and each service as its own process. Logs and pids under .run/.
#   tools/distributed/start-local.sh      # start everything, gateway on http://127.0.0.1:3000
#   tools/distributed/stop-local.sh       # stop the services and the broker
set -euo pipefail
cd "$(dirname "$0")/../.."
run_dir=tools/distributed/.run
mkdir -p "$run_dir"

: "${STOCKADE_OPERATOR_TOKEN:?set STOCKADE_OPERATOR_TOKEN (16+ characters)}"
export STOCKADE_BUS=kafka KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export KAFKA_PORT="${KAFKA_BROKERS##*:}" # tools/kafka runs the broker on the port KAFKA_BROKERS names
export STOCKADE_EVENT_STORE="${STOCKADE_EVENT_STORE:-postgres}"
export STOCKADE_POSTGRES_URL="${STOCKADE_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export STOCKADE_DATA_DIR="$run_dir/data"

[ -f dist/apps/gateway/src/main.js ] || npm run build --silent
if ! tools/kafka/kafka.sh status >/dev/null 2>&1; then KAFKA_DATA_DIR="$run_dir/kafka-data" tools/kafka/kafka.sh start; fi
node dist/apps/provision-topics/src/main.js

start() { # name port extra-env...
  local name=$1 port=$2; shift 2
  env PORT="$port" "$@" node "dist/apps/$name/src/main.js" >"$run_dir/$name.log" 2>&1 &
  echo $! >"$run_dir/$name.pid"
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && { echo "$name on :$port"; return; }; sleep 0.2; done
  echo "$name did not become healthy; see $run_dir/$name.log" >&2; exit 1
}
start inventory-service 3001 STOCKADE_POSTGRES_SCHEMA=inventory
start order-service 3002 STOCKADE_POSTGRES_SCHEMA=ordering
start cart-service 3003 REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
start gateway 3000 INVENTORY_SERVICE_URL=http://127.0.0.1:3001 ORDER_SERVICE_URL=http://127.0.0.1:3002 CART_SERVICE_URL=http://127.0.0.1:3003
echo "Stockade (distributed) on http://127.0.0.1:3000 — stop with tools/distributed/stop-local.sh"
