#!/usr/bin/env bash
# Stops what start-local.sh started: the services (SIGTERM: they finish in-flight work and commit), then the broker.
set -uo pipefail
cd "$(dirname "$0")/../.."
run_dir=tools/distributed/.run
for name in gateway cart-service order-service inventory-service; do
  if [ -f "$run_dir/$name.pid" ]; then kill "$(cat "$run_dir/$name.pid")" 2>/dev/null; rm -f "$run_dir/$name.pid"; fi
done
KAFKA_PORT="${KAFKA_PORT:-${KAFKA_BROKERS:-127.0.0.1:9092}}" KAFKA_PORT="${KAFKA_PORT##*:}" tools/kafka/kafka.sh stop
