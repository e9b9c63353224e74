#!/usr/bin/env bash
# `npm test`: type-check, build (the crash and multi-process tests run the built apps), start a real
# Kafka broker unless KAFKA_BROKERS names one, run every Jest project, stop the broker.
# Needs PostgreSQL (STOCKADE_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test) and Redis
# (STOCKADE_REDIS_URL, default redis://127.0.0.1:6379) running, and Java 17+ with Maven for Kafka.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false

echo "== type-check"
npm run typecheck --silent
echo "== build"
npm run build --silent

if [ -z "${KAFKA_BROKERS:-}" ]; then
  # A port of its own, so a developer's broker on 9092 is neither used nor disturbed. The SASL and
  # SASL_SSL listeners are for the security tests (libs/runtime/src/kafka-security.int.spec.ts).
  export KAFKA_PORT="${STOCKADE_TEST_KAFKA_PORT:-19092}"
  export KAFKA_SASL_PORT=$((KAFKA_PORT + 2)) KAFKA_SASL_SSL_PORT=$((KAFKA_PORT + 3))
  echo "== starting Kafka on 127.0.0.1:${KAFKA_PORT}, SASL on ${KAFKA_SASL_PORT}, SASL_SSL on ${KAFKA_SASL_SSL_PORT} (tools/kafka)"
  tools/kafka/kafka.sh start
  trap 'tools/kafka/kafka.sh stop >/dev/null 2>&1 || true' EXIT
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
  export KAFKA_SASL_BROKERS="127.0.0.1:${KAFKA_SASL_PORT}" KAFKA_SASL_SSL_BROKERS="127.0.0.1:${KAFKA_SASL_SSL_PORT}"
  export KAFKA_TLS_CA_FILE="$(tools/kafka/kafka.sh ca-file)"
fi

# The page tests drive headless Chromium (Debian's package; installed here when missing and we are root).
tools/browser/ensure-chromium.sh

echo "== jest (KAFKA_BROKERS=${KAFKA_BROKERS})"
results=$(mktemp)
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?

# The fault harness alone, once every other suite is done: it restarts PostgreSQL and flushes Redis.
chaos_results=$(mktemp)
if [ "$#" -eq 0 ]; then
  echo "== fault harness (tools/chaos, CI-sized)"
  STOCKADE_CHAOS=1 npx jest --ci --json --outputFile="$chaos_results" tools/chaos || status=$?
fi
# One plain closing line for CI and humans: "N passed, N failed, N skipped".
node -e '
  const fs = require("fs");
  const runs = process.argv.slice(1).filter((file) => fs.statSync(file).size > 0).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
' "$results" "$chaos_results" || true
rm -f "$results" "$chaos_results"
exit "$status"
