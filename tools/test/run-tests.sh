#!/usr/bin/env bash
# `npm test`: type-check, lint, format check and build (the crash and multi-process tests run the
# built apps) while a Kafka broker, a PostgreSQL and a Redis of this run's own start; then every Jest
# project, the fault harness among them (on servers of its own too), in two Jest runs side by side;
# then it stops what it started. It uses, restarts and flushes no server it did not start: a developer's broker,
# PostgreSQL and Redis are left alone.
# KAFKA_BROKERS, STOCKADE_POSTGRES_URL or STOCKADE_REDIS_URL name servers to use instead;
# STOCKADE_TEST_WORKERS sets the workers of the Jest run that has no processes to start (1, for two
# cores); STOCKADE_TEST_RESULTS a dir to keep Jest's JSON results in (each file's start and end).
# Needs Java 17+ and Maven (Kafka, tools/kafka), the PostgreSQL server binaries (initdb, pg_ctl;
# tools/test/own-postgres.sh) and redis-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false

steps=$(mktemp -d)
own_kafka='' own_postgres='' own_redis='' processes=''
# Stops the servers this run started, and only those (and a Jest run still going, when interrupted).
cleanup() {
  if [ -n "$processes" ]; then kill "$processes" 2>/dev/null || true; fi
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
# The workspace's rules (docs/adr/0030-workspace-rules.md): ESLint with the module boundaries
# between projects, and Prettier's layout.
step lint npm run lint --silent
step format-check npm run format:check --silent
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

# Two Jest runs side by side, one suite at a time each, one per core. The suites that start the
# built apps as processes (a distributed stack, the fault harness: four to six Node processes, each
# given 30 s to become healthy) take turns in one; every other suite runs in the other. Side by side
# they would starve each other's processes. The fault harness has a broker, PostgreSQL and Redis of
# its own, so it is one of them (STOCKADE_CHAOS=1) and no longer waits for the rest.
# Named suites ("npm test -- <path>") run in one Jest run, without the harness.
mapfile -t process_suites < <(grep -rlE --include='*.spec.ts' "child-process-system|distributed-stack|chaos-run|start-local\.sh" libs apps tools | sort)
workers="${STOCKADE_TEST_WORKERS:-1}"
echo "== jest (Kafka ${KAFKA_BROKERS}, PostgreSQL ${STOCKADE_POSTGRES_URL}, Redis ${STOCKADE_REDIS_URL})"
status=0
if [ "$#" -gt 0 ]; then
  npx jest --ci --json --outputFile="$steps/named.json" "$@" || status=$?
else
  echo "== ${#process_suites[@]} suites that start the apps as processes, one at a time, beside the others (${workers} at a time)"
  STOCKADE_CHAOS=1 npx jest --ci --maxWorkers=1 --json --outputFile="$steps/processes.json" "${process_suites[@]}" &
  processes=$!
  npx jest --ci --maxWorkers="$workers" --json --outputFile="$steps/others.json" --testPathIgnorePatterns /node_modules/ "${process_suites[@]}" || status=$?
  wait "$processes" || status=$?
  processes=''
fi

# One plain closing line for CI and humans: "N passed, N failed, N skipped".
node -e '
  const fs = require("fs");
  const runs = process.argv.slice(1).filter((file) => fs.existsSync(file)).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
' "$steps"/named.json "$steps"/processes.json "$steps"/others.json || true
if [ -n "${STOCKADE_TEST_RESULTS:-}" ]; then mkdir -p "$STOCKADE_TEST_RESULTS" && cp "$steps"/*.json "$STOCKADE_TEST_RESULTS"/; fi
exit "$status"
