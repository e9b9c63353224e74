#!/usr/bin/env bash
# A PostgreSQL of a test run's own, so tests never restart or fill the machine's: initdb into a
# temporary dir, a free port on 127.0.0.1, trust auth, a `test` database, settings for tests
# (no fsync: the data is thrown away anyway). tools/kafka/kafka.sh does the same for the broker.
#
#   tools/test/own-postgres.sh start NAME    start it (first killing -9 a leftover NAME); prints its URL
#   tools/test/own-postgres.sh restart NAME  fast shutdown and start again, same port and data
#                                            (the fault harness's "PostgreSQL restart")
#   tools/test/own-postgres.sh stop NAME     stop it and delete its data
#   tools/test/own-postgres.sh url NAME      print its URL (exit 1 when not running)
#
# NAME keeps two instances apart (npm test's and the fault harness's run side by side). State lives
# in $STOCKADE_TEST_RUN_DIR/postgres-NAME (default tools/test/.run, git-ignored), per worktree.
# Needs the PostgreSQL server binaries (initdb, pg_ctl, postgres): on PATH, in STOCKADE_PG_BIN, or
# Debian's /usr/lib/postgresql/<version>/bin. initdb refuses to run as root: as root, the cluster
# belongs to the `postgres` user.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_ROOT="${STOCKADE_TEST_RUN_DIR:-$HERE/.run}"
HOST=127.0.0.1

log() { printf '[own-postgres] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

bin_dir() {
  if [[ -n "${STOCKADE_PG_BIN:-}" ]]; then printf '%s\n' "$STOCKADE_PG_BIN"; return; fi
  local pg_ctl
  if pg_ctl="$(command -v pg_ctl)"; then dirname "$(readlink -f "$pg_ctl")"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$newest" ]] || die "no PostgreSQL server binaries (initdb, pg_ctl): install them or set STOCKADE_PG_BIN"
  printf '%s\n' "$newest"
}

# Runs a PostgreSQL binary as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root and there is no 'postgres' user to own the cluster (initdb refuses root)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# The postmaster's pid when NAME's cluster runs (from its data dir's postmaster.pid).
postmaster_pid() {
  local run_dir="$1" data_dir pid
  [[ -f "$run_dir/data-dir" ]] || return 1
  data_dir="$(cat "$run_dir/data-dir")"
  [[ -f "$data_dir/postmaster.pid" ]] || return 1
  pid="$(sed -n 1p "$data_dir/postmaster.pid")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale file (reboot, pid reuse) must not make us signal an unrelated process.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'postgres' || return 1
  printf '%s\n' "$pid"
}

# What a crashed or interrupted run left behind: killed -9 (pg_ctl makes the postmaster a process
# group leader, so its backends go with it) and deleted.
remove_leftover() {
  local run_dir="$1" pid
  if pid="$(postmaster_pid "$run_dir")"; then
    log "killing -9 the leftover postmaster $pid of $(basename "$run_dir")"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  if [[ -f "$run_dir/data-dir" ]]; then rm -rf "$(cat "$run_dir/data-dir")"; fi
  rm -rf "$run_dir"
}

url_of() {
  printf 'postgres://postgres@%s:%s/test\n' "$HOST" "$(cat "$1/port")"
}

pg_ctl_wait() {
  local run_dir="$1" action="$2"
  shift 2
  if ! as_owner "$(bin_dir)/pg_ctl" -D "$(cat "$run_dir/data-dir")" -l "$(cat "$run_dir/data-dir")/server.log" -w -t 60 "$@" "$action" > "$run_dir/pg_ctl.log" 2>&1; then
    cat "$run_dir/pg_ctl.log" >&2
    tail -n 20 "$(cat "$run_dir/data-dir")/server.log" >&2 2>/dev/null || true
    return 1
  fi
}

cmd_start() {
  local name="$1" run_dir="$RUN_ROOT/postgres-$1" bin data_dir port
  bin="$(bin_dir)"
  [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || die "initdb and pg_ctl not found in $bin (set STOCKADE_PG_BIN)"
  remove_leftover "$run_dir"
  mkdir -p "$run_dir"
  data_dir="$(mktemp -d "${TMPDIR:-/tmp}/stockade-postgres-$name.XXXXXX")"
  printf '%s\n' "$data_dir" > "$run_dir/data-dir"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$data_dir"; fi
  if ! as_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --no-locale --encoding=UTF8 --no-sync > "$run_dir/initdb.log" 2>&1; then
    cat "$run_dir/initdb.log" >&2
    die "initdb failed"
  fi
  local attempt
  for attempt in 1 2 3; do
    port="$(free_port)"
    printf '%s\n' "$port" > "$run_dir/port"
    # Settings for throwaway test data: durability off (fsync, full pages, synchronous commit), TCP
    # on 127.0.0.1 only, room for every pool of a test run. A restart reads them again from here.
    cat > "$data_dir/postgresql.auto.conf" <<EOF
port = $port
listen_addresses = '$HOST'
unix_socket_directories = ''
max_connections = 300
fsync = off
full_page_writes = off
synchronous_commit = off
log_min_messages = warning
EOF
    if pg_ctl_wait "$run_dir" start 2>> "$run_dir/start-failures.log"; then break; fi
    # Most likely another process took the port between the choice and the bind: another port.
    ((attempt < 3)) || { cat "$run_dir/start-failures.log" >&2; remove_leftover "$run_dir"; die "PostgreSQL did not start"; }
  done
  if ! as_owner "$bin/createdb" -h "$HOST" -p "$port" -U postgres test > "$run_dir/createdb.log" 2>&1; then
    cat "$run_dir/createdb.log" >&2
    remove_leftover "$run_dir"
    die "could not create the database 'test'"
  fi
  log "started on $HOST:$port (data $data_dir)"
  url_of "$run_dir"
}

cmd_restart() {
  local run_dir="$RUN_ROOT/postgres-$1"
  postmaster_pid "$run_dir" > /dev/null || die "$1 is not running"
  pg_ctl_wait "$run_dir" restart -m fast || die "restart of $1 failed"
}

cmd_stop() {
  local run_dir="$RUN_ROOT/postgres-$1"
  if postmaster_pid "$run_dir" > /dev/null; then
    pg_ctl_wait "$run_dir" stop -m immediate || true
  fi
  remove_leftover "$run_dir"
}

cmd_url() {
  local run_dir="$RUN_ROOT/postgres-$1"
  postmaster_pid "$run_dir" > /dev/null || { log "$1 is not running"; exit 1; }
  url_of "$run_dir"
}

command="${1:-}"
name="${2:-}"
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "usage: $(basename "$0") start|restart|stop|url NAME" >&2; exit 2; }
case "$command" in
  start) cmd_start "$name" ;;
  restart) cmd_restart "$name" ;;
  stop) cmd_stop "$name" ;;
  url) cmd_url "$name" ;;
  *)
    echo "usage: $(basename "$0") start|restart|stop|url NAME" >&2
    exit 2
    ;;
esac
