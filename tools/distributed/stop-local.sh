#!/usr/bin/env bash
# Stops what start-local.sh started: first the services (SIGTERM: each finishes its in-flight work,
# leaves its consumer groups and flushes its producer, within STOCKADE_SHUTDOWN_TIMEOUT_MS), waiting
# until every one has exited; only then the broker. Stopping the broker first would leave the
# services retrying it, and their groups with members that never left, which the next start waits out.
set -uo pipefail
cd "$(dirname "$0")/../.."
run_dir="${STOCKADE_LOCAL_RUN_DIR:-tools/distributed/.run}"
grace_s="${STOCKADE_LOCAL_STOP_GRACE_S:-30}"

pids=()
for name in gateway cart-service order-service inventory-service; do
  pid_file="$run_dir/$name.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null && pids+=("$name:$pid"); fi
  rm -f "$pid_file"
done

deadline=$((SECONDS + grace_s))
for entry in "${pids[@]}"; do
  name=${entry%%:*} pid=${entry##*:}
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name (pid $pid) did not stop within ${grace_s}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  else
    echo "$name stopped"
  fi
done

KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
KAFKA_PORT="${KAFKA_BROKERS##*:}" KAFKA_SASL_PORT= KAFKA_SASL_SSL_PORT= tools/kafka/kafka.sh stop
