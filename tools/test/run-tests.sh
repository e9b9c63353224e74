#!/usr/bin/env bash
# `npm test`: type-check and build (the crash and multi-process tests run the built apps) while a
# Kafka broker, a PostgreSQL and a Redis of this run's own start; then every Jest project, the fault
# harness among them (on servers of its own too); then it stops what it started. It uses, restarts
# and flushes no server it did not start: a developer's broker, PostgreSQL and Redis are left alone.
# KAFKA_BROKERS, STOCKADE_POSTGRES_URL or STOCKADE_REDIS_URL name servers to use instead;
# STOCKADE_TEST_WORKERS sets Jest's workers (3), STOCKADE_TEST_RESULTS a file to keep Jest's JSON
# results in (per file: its start and end, to see where the time goes).
# Needs Java 17+ and Maven (Kafka, tools/kafka), the PostgreSQL server binaries (initdb, pg_ctl;
# tools/test/own-postgres.sh) and redis-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false

steps=$(mktemp -d)
own_kafka='' own_postgres='' own_redis=''
# Stops the servers this run started, and only those.
cleanup() {
  if [ -n "$own_postgres" ]; then tools/test/own-postgres.sh stop npm-test >/dev/null 2>&1 || true; fi
  if [ -n "$own_redis" ]; then tools/test/own-redis.sh stop npm-test >/dev/null 2>&1 || true; fi
  if [ -n "$own_kafka" ]; then tools/kafka/kafka.sh stop >/dev/null 2>&1 || true; fi
  rm -rf "$steps"
}
trap cleanup EXIT

# The steps before Jest are independent: they run side by side, each with its output in a file,
# shown when it fails.
pids=()
names=()
step() { # name command...
  local name=$1
  shift
  (
    SECONDS=0
    "$@" && status=0 || status=$?
    echo "$SECONDS" >"$steps/$name.seconds"
    exit "$status"
  ) >"$steps/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

step type-check npm run typecheck --silent
step build npm run build --silent
# The page tests drive headless Chromium (Debian's package; installed here when missing and we are root).
step chromium tools/browser/ensure-chromium.sh
if [ -z "${KAFKA_BROKERS:-}" ]; then
  # A port of its own, so a developer's broker on 9092 is neither used nor disturbed. The SASL and
  # SASL_SSL listeners are for the security tests (libs/runtime/src/kafka-security.int.spec.ts).
  export KAFKA_PORT="${STOCKADE_TEST_KAFKA_PORT:-19092}"
  export KAFKA_SASL_PORT=$((KAFKA_PORT + 2)) KAFKA_SASL_SSL_PORT=$((KAFKA_PORT + 3))
  # It starts beside two compilers: on a loaded machine its readiness probe (a JVM too) is slow.
  export KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
  own_kafka=1
  step kafka tools/kafka/kafka.sh start
fi
if [ -z "${STOCKADE_POSTGRES_URL:-}" ]; then
  own_postgres=1
  step postgres bash -c 'tools/test/own-postgres.sh start npm-test > "$0"' "$steps/postgres.url"
fi
redis_given="${STOCKADE_REDIS_URL:-${STOCKADE_TEST_REDIS_URL:-}}"
if [ -z "$redis_given" ]; then
  own_redis=1
  step redis bash -c 'tools/test/own-redis.sh start npm-test > "$0"' "$steps/redis.url"
fi

echo "== side by side: ${names[*]}"
failed=0
took=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "== ${names[$i]} failed:"
    cat "$steps/${names[$i]}.log"
    failed=1
  fi
  took+=("${names[$i]} $(cat "$steps/${names[$i]}.seconds" 2>/dev/null || echo '?') s")
done
[ "$failed" -eq 0 ] || exit 1
printf -v took_list '%s, ' "${took[@]}"
echo "== done: ${took_list%, }"

if [ -n "$own_kafka" ]; then
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
  export KAFKA_SASL_BROKERS="127.0.0.1:${KAFKA_SASL_PORT}" KAFKA_SASL_SSL_BROKERS="127.0.0.1:${KAFKA_SASL_SSL_PORT}"
  export KAFKA_TLS_CA_FILE="$(tools/kafka/kafka.sh ca-file)"
fi
if [ -n "$own_postgres" ]; then export STOCKADE_POSTGRES_URL="$(cat "$steps/postgres.url")"; fi
if [ -n "$redis_given" ]; then
  export STOCKADE_REDIS_URL="$redis_given" STOCKADE_TEST_REDIS_URL="$redis_given"
else
  STOCKADE_REDIS_URL="$(cat "$steps/redis.url")"
  export STOCKADE_REDIS_URL STOCKADE_TEST_REDIS_URL="$STOCKADE_REDIS_URL"
fi

# Every suite in one Jest run, the fault harness too (STOCKADE_CHAOS=1) unless suites are named:
# it has a broker, PostgreSQL and Redis of its own, so it runs beside the rest. Most suites wait
# on brokers and processes rather than compute, so more workers than cores.
workers="${STOCKADE_TEST_WORKERS:-3}"
echo "== jest, ${workers} workers (Kafka ${KAFKA_BROKERS}, PostgreSQL ${STOCKADE_POSTGRES_URL}, Redis ${STOCKADE_REDIS_URL})"
results="$steps/results.json"
status=0
if [ "$#" -eq 0 ]; then export STOCKADE_CHAOS=1; fi
npx jest --ci --maxWorkers="$workers" --json --outputFile="$results" "$@" || status=$?

# One plain closing line for CI and humans: "N passed, N failed, N skipped".
node -e '
  const run = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${run.numPassedTests} passed, ${run.numFailedTests} failed, ${run.numPendingTests + run.numTodoTests} skipped`);
' "$results" || true
if [ -n "${STOCKADE_TEST_RESULTS:-}" ]; then cp "$results" "$STOCKADE_TEST_RESULTS"; fi
exit "$status"
