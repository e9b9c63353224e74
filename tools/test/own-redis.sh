#!/usr/bin/env bash
# A Redis of a test run's own, so tests never flush or disconnect the machine's: redis-server on a
# free port of 127.0.0.1, nothing persisted (no RDB, no AOF). The twin of own-postgres.sh.
#
#   tools/test/own-redis.sh start NAME   start it (first killing -9 a leftover NAME); prints its URL
#   tools/test/own-redis.sh stop NAME    stop it and delete its files
#   tools/test/own-redis.sh url NAME     print its URL (exit 1 when not running)
#
# State lives in $STOCKADE_TEST_RUN_DIR/redis-NAME (default tools/test/.run, git-ignored).
# Needs redis-server and redis-cli on PATH.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_ROOT="${STOCKADE_TEST_RUN_DIR:-$HERE/.run}"
HOST=127.0.0.1

log() { printf '[own-redis] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

server_pid() {
  local run_dir="$1" pid
  [[ -f "$run_dir/redis.pid" ]] || return 1
  pid="$(cat "$run_dir/redis.pid")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale file (reboot, pid reuse) must not make us signal an unrelated process.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'redis-server' || return 1
  printf '%s\n' "$pid"
}

remove_leftover() {
  local run_dir="$1" pid
  if pid="$(server_pid "$run_dir")"; then
    log "killing -9 the leftover redis-server $pid of $(basename "$run_dir")"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$run_dir"
}

url_of() {
  printf 'redis://%s:%s\n' "$HOST" "$(cat "$1/port")"
}

cmd_start() {
  local name="$1" run_dir="$RUN_ROOT/redis-$1" port attempt pid
  command -v redis-server > /dev/null || die "redis-server not found"
  command -v redis-cli > /dev/null || die "redis-cli not found"
  remove_leftover "$run_dir"
  mkdir -p "$run_dir"
  for attempt in 1 2 3; do
    port="$(free_port)"
    printf '%s\n' "$port" > "$run_dir/port"
    rm -f "$run_dir/redis.pid"
    redis-server --port "$port" --bind "$HOST" --save '' --appendonly no --daemonize yes \
      --dir "$run_dir" --pidfile "$run_dir/redis.pid" --logfile "$run_dir/redis.log" > /dev/null
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
      if [[ "$(redis-cli -h "$HOST" -p "$port" PING 2>/dev/null)" == PONG ]]; then
        log "started on $HOST:$port"
        url_of "$run_dir"
        return 0
      fi
      sleep 0.1
    done
    # Most likely another process took the port between the choice and the bind: another port.
    log "attempt $attempt on port $port failed: $(tail -n 3 "$run_dir/redis.log" 2>/dev/null)"
    if pid="$(server_pid "$run_dir")"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  die "redis-server did not start (log: $run_dir/redis.log)"
}

cmd_stop() {
  local run_dir="$RUN_ROOT/redis-$1" pid
  if pid="$(server_pid "$run_dir")"; then
    redis-cli -h "$HOST" -p "$(cat "$run_dir/port")" SHUTDOWN NOSAVE > /dev/null 2>&1 || true
    local deadline=$((SECONDS + 5))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  remove_leftover "$run_dir"
}

cmd_url() {
  local run_dir="$RUN_ROOT/redis-$1"
  server_pid "$run_dir" > /dev/null || { log "$1 is not running"; exit 1; }
  url_of "$run_dir"
}

command="${1:-}"
name="${2:-}"
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "usage: $(basename "$0") start|stop|url NAME" >&2; exit 2; }
case "$command" in
  start) cmd_start "$name" ;;
  stop) cmd_stop "$name" ;;
  url) cmd_url "$name" ;;
  *)
    echo "usage: $(basename "$0") start|stop|url NAME" >&2
    exit 2
    ;;
esac
