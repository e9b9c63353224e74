#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for tests and CI,
# without Docker: the broker's jars come from Maven Central through tools/kafka/pom.xml.
#
#   tools/kafka/kafka.sh fetch    resolve the broker classpath into tools/kafka/.cache/ (idempotent)
#   tools/kafka/kafka.sh start    format storage, start in the background, wait until it serves metadata
#   tools/kafka/kafka.sh stop     TERM, then KILL after KAFKA_STOP_TIMEOUT s; removes a temporary data dir
#   tools/kafka/kafka.sh status   exit 0 and print details when running, exit 1 otherwise
#   tools/kafka/kafka.sh ca-file  print the path of the SASL_SSL listener's CA file
#
# Sourced (`source tools/kafka/kafka.sh`), it only defines its functions: tests call them.
#
# Environment:
#   KAFKA_PORT             PLAINTEXT port on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT + 1, i.e. 9093)
#   KAFKA_DATA_DIR         persistent log dir (kept on stop); default: a temporary dir under the cache
#   KAFKA_HEAP_OPTS        JVM heap flags (default -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness (default 90)
#   KAFKA_STOP_TIMEOUT     seconds between TERM and KILL (default 30)
#   KAFKA_CACHE_DIR        cache root (default tools/kafka/.cache, git-ignored)
#   KAFKA_SASL_PORT        also listen with SASL_PLAINTEXT here (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)
#   KAFKA_SASL_SSL_PORT    also listen with SASL_SSL here, with a fresh self-signed certificate;
#                          clients trust it through the CA file printed at start
#   KAFKA_SASL_USERS       user:password[,user:password] for both (default: the services' user
#                          stockade:stockade-secret, then the sales channels web:web-secret,pos:pos-secret)
#   KAFKA_SUPER_USERS      principals the ACLs do not apply to (default User:ANONYMOUS: the broker
#                          itself and every PLAINTEXT client). ACLs are enforced on every listener,
#                          but a topic or group without ACLs stays open to all (ADR 0023)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${KAFKA_CACHE_DIR:-$HERE/.cache}"
LIB_DIR="$CACHE_DIR/lib"
PROBE_DIR="$CACHE_DIR/probe"
# Written last by fetch: its content is the hash of the inputs, so editing pom.xml or the
# probe invalidates the cache while an interrupted fetch never looks complete.
FETCH_STAMP="$CACHE_DIR/fetch.stamp"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
HOST=127.0.0.1
# One run dir per port, so two brokers on different ports (e.g. parallel CI jobs) don't collide.
RUN_DIR="$CACHE_DIR/run/$PORT"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/server.log"
CONFIG_FILE="$RUN_DIR/server.properties"
DATA_DIR_FILE="$RUN_DIR/data-dir"
TEMP_MARKER="$RUN_DIR/data-dir.temporary"

SASL_PORT="${KAFKA_SASL_PORT:-}"
SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-}"
SASL_USERS="${KAFKA_SASL_USERS:-stockade:stockade-secret,web:web-secret,pos:pos-secret}"
SUPER_USERS="${KAFKA_SUPER_USERS:-User:ANONYMOUS}"
TLS_DIR="$RUN_DIR/tls"

START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# What every Kafka JVM we start (storage format, broker) shares.
JVM_ARGS=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$HERE/log4j2.properties" -cp "$LIB_DIR/*")

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

inputs_hash() {
  cat "$HERE/pom.xml" "$HERE/BrokerReadyProbe.java" | sha256sum | cut -d' ' -f1
}

cmd_fetch() {
  local want
  want="$(inputs_hash)"
  if [[ -f "$FETCH_STAMP" && "$(cat "$FETCH_STAMP")" == "$want" ]]; then
    log "classpath already cached in $LIB_DIR"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to fetch the broker jars)"
  command -v javac >/dev/null || die "javac not found (a JDK 17+ is needed)"
  log "resolving the broker classpath through Maven..."
  rm -f "$FETCH_STAMP"
  # Copy into a fresh dir and swap, so a failed fetch never mixes old and new versions.
  rm -rf "$LIB_DIR.tmp" "$PROBE_DIR.tmp"
  mkdir -p "$CACHE_DIR"
  # Maven's output only matters when it fails (its -q mode still prints colour codes).
  if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB_DIR.tmp" > "$CACHE_DIR/fetch.log" 2>&1; then
    cat "$CACHE_DIR/fetch.log" >&2
    die "Maven could not resolve the broker (output above, also in $CACHE_DIR/fetch.log)"
  fi
  mkdir -p "$PROBE_DIR.tmp"
  javac -nowarn -d "$PROBE_DIR.tmp" -cp "$LIB_DIR.tmp/*" "$HERE/BrokerReadyProbe.java" \
    || die "could not compile BrokerReadyProbe.java"
  rm -rf "$LIB_DIR" "$PROBE_DIR"
  mv "$LIB_DIR.tmp" "$LIB_DIR"
  mv "$PROBE_DIR.tmp" "$PROBE_DIR"
  printf '%s\n' "$want" > "$FETCH_STAMP"
  log "cached $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $LIB_DIR"
}

running_pid() {
  # Prints the broker pid when the pid file points at a live Kafka JVM; a stale file (reboot,
  # pid reuse) must not make us signal an unrelated process.
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  printf '%s\n' "$pid"
}

port_answers() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

probe_ready() {
  java -Xmx64m -Dlog4j2.level=OFF -cp "$PROBE_DIR:$LIB_DIR/*" BrokerReadyProbe "$HOST:$PORT" "$1"
}

# A KRaft cluster id: 16 random bytes as unpadded base64url (22 characters), the shape
# `kafka-storage random-uuid` prints, without paying for a JVM start. An id starting with '-' is
# drawn again, as Kafka's Uuid.randomUuid() does (KAFKA-13741): `format --cluster-id -...` takes
# it for an option and fails with "expected one argument" (it did, once in 64 starts).
# tools/kafka/cluster-id.spec.ts and storage-format.int.spec.ts check both.
random_cluster_id() {
  local REPLY
  while
    random_base64url_128
    [[ "$REPLY" == -* ]]
  do :; done
  printf '%s\n' "$REPLY"
}

BASE64URL=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_

# 128 random bits as unpadded base64url, in REPLY. Bash 5.1+ draws them from the kernel ($SRANDOM,
# 32 bits each) and encodes them itself: no process started, which the cluster-id test's 2,000 ids
# feel (the forks took minutes on a loaded machine); older bash reads /dev/urandom through base64.
random_base64url_128() {
  if [[ -z "${SRANDOM:-}" ]]; then
    REPLY="$(head -c 16 /dev/urandom | base64)" # 24 characters, ending in "=="
    REPLY="${REPLY%%=*}" REPLY="${REPLY//+/-}" REPLY="${REPLY//\//_}"
    return
  fi
  # Six bits at a time, most significant first, as base64 reads bytes: 21 characters take 126
  # bits, the 22nd the last 2 bits followed by four zero bits.
  local id='' pending=0 bits=0 word
  for word in "$SRANDOM" "$SRANDOM" "$SRANDOM" "$SRANDOM"; do
    pending=$(((pending << 32) | word)) bits=$((bits + 32))
    while ((bits >= 6)); do
      bits=$((bits - 6))
      id+="${BASE64URL:$(((pending >> bits) & 63)):1}"
    done
    pending=$((pending & ((1 << bits) - 1)))
  done
  REPLY="$id${BASE64URL:$(((pending << (6 - bits)) & 63)):1}"
}

# Formats the log dirs of a config for a first start, with `kafka-storage format` (StorageTool);
# extra arguments (--add-scram ...) go last. Output is the tool's own, on stdout/stderr.
format_storage() {
  local config="$1" cluster_id="$2"
  shift 2
  java -Xmx256m "${JVM_ARGS[@]}" kafka.tools.StorageTool format \
    --config "$config" --cluster-id "$cluster_id" "$@"
}

sasl_wanted() {
  [[ -n "$SASL_PORT" || -n "$SASL_SSL_PORT" ]]
}

# Each user:password of KAFKA_SASL_USERS on a line of its own, as "user password".
sasl_user_lines() {
  local entry entries
  IFS=',' read -r -a entries <<< "$SASL_USERS"
  for entry in "${entries[@]}"; do
    [[ "$entry" == *:* && -n "${entry%%:*}" && -n "${entry#*:}" ]] || die "KAFKA_SASL_USERS entries must be user:password, got '$entry'"
    printf '%s %s\n' "${entry%%:*}" "${entry#*:}"
  done
}

# A throwaway certificate for 127.0.0.1 that is its own CA: clients trust it through ca.pem.
make_tls_material() {
  command -v openssl >/dev/null || die "openssl not found (needed for KAFKA_SASL_SSL_PORT)"
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=IP:$HOST" \
    -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/ca.pem" > "$RUN_DIR/openssl.log" 2>&1 \
    || { cat "$RUN_DIR/openssl.log" >&2; die "openssl could not make the broker's certificate"; }
  cat "$TLS_DIR/key.pem" "$TLS_DIR/ca.pem" > "$TLS_DIR/server.pem"
}

# The JAAS lines of one SASL listener: PLAIN checks the users listed here, SCRAM the
# credentials stored in the cluster metadata at format time (scram_format_args).
sasl_listener_config() {
  local listener="$1" plain_users="" user password
  while read -r user password; do
    plain_users+=" user_$user=\"$password\""
  done < <(sasl_user_lines)
  printf 'listener.name.%s.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required%s;\n' "$listener" "$plain_users"
  printf 'listener.name.%s.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n' "$listener"
  printf 'listener.name.%s.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n' "$listener"
}

# --add-scram arguments for the storage format, one per line.
scram_format_args() {
  local user password mechanism
  while read -r user password; do
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
      printf '%s\n' --add-scram "$mechanism=[name=$user,password=$password]"
    done
  done < <(sasl_user_lines)
}

# write_config DATA_DIR [FILE]: the broker's server.properties (default $CONFIG_FILE).
write_config() {
  local data_dir="$1" config_file="${2:-$CONFIG_FILE}"
  local listeners="PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT"
  local advertised="PLAINTEXT://$HOST:$PORT"
  local protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ -n "$SASL_PORT" ]]; then
    listeners+=",SASL_PLAINTEXT://$HOST:$SASL_PORT"
    advertised+=",SASL_PLAINTEXT://$HOST:$SASL_PORT"
    protocols+=",SASL_PLAINTEXT:SASL_PLAINTEXT"
  fi
  if [[ -n "$SASL_SSL_PORT" ]]; then
    listeners+=",SASL_SSL://$HOST:$SASL_SSL_PORT"
    advertised+=",SASL_SSL://$HOST:$SASL_SSL_PORT"
    protocols+=",SASL_SSL:SASL_SSL"
  fi
  cat > "$config_file" <<EOF
# Generated by tools/kafka/kafka.sh start; edits are lost on the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=$data_dir

# A single node can only ever hold one replica of anything.
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Tests start a consumer group and expect it to get partitions at once, not after 3 s.
group.initial.rebalance.delay.ms=0
# Fewer internal partitions: the first consumer group of a run creates __consumer_offsets,
# and 50 partitions on one node cost seconds for nothing.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5

# ACLs are enforced (the KRaft authorizer), so a test can show what they refuse: a sales channel's
# principal writing another channel's checkout topic (ADR 0023). A topic or group without ACLs
# stays open to everyone, so every other test sees the broker as before. The super users are the
# broker itself and PLAINTEXT clients (User:ANONYMOUS); SASL users, the services' too, are held to
# the ACLs where there are some.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=true
super.users=$SUPER_USERS
EOF
  if sasl_wanted; then
    {
      echo
      echo "# Client authentication on the extra listeners (KAFKA_SASL_PORT, KAFKA_SASL_SSL_PORT)."
      echo "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
      if [[ -n "$SASL_PORT" ]]; then sasl_listener_config sasl_plaintext; fi
      if [[ -n "$SASL_SSL_PORT" ]]; then
        sasl_listener_config sasl_ssl
        echo "listener.name.sasl_ssl.ssl.keystore.type=PEM"
        echo "listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/server.pem"
      fi
    } >> "$config_file"
  fi
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on $HOST:$PORT"
    return 0
  fi
  if port_answers "$PORT"; then
    die "port $PORT is already in use by another process (set KAFKA_PORT)"
  fi
  if port_answers "$CONTROLLER_PORT"; then
    die "controller port $CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"
  fi
  cmd_fetch
  command -v java >/dev/null || die "java not found (a JRE 17+ is needed)"

  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  local data_dir
  if [[ -n "${KAFKA_DATA_DIR:-}" ]]; then
    mkdir -p "$KAFKA_DATA_DIR"
    data_dir="$(cd "$KAFKA_DATA_DIR" && pwd)"
  else
    data_dir="$(mktemp -d "$CACHE_DIR/run/data-$PORT.XXXXXX")"
    touch "$TEMP_MARKER"
  fi
  printf '%s\n' "$data_dir" > "$DATA_DIR_FILE"
  local extra_port
  for extra_port in $SASL_PORT $SASL_SSL_PORT; do
    if port_answers "$extra_port"; then die "port $extra_port is already in use (KAFKA_SASL_PORT / KAFKA_SASL_SSL_PORT)"; fi
  done
  if [[ -n "$SASL_SSL_PORT" ]]; then make_tls_material; fi
  write_config "$data_dir"
  local format_args=()
  if sasl_wanted; then mapfile -t format_args < <(scram_format_args); fi

  local heap_opts
  read -r -a heap_opts <<< "$HEAP_OPTS"

  # A persistent KAFKA_DATA_DIR is reused as is: formatting it again would fail on the
  # cluster id (even with --ignore-formatted), so only a fresh dir is formatted.
  if [[ -f "$data_dir/meta.properties" ]]; then
    log "reusing formatted storage in $data_dir"
  elif ! format_storage "$CONFIG_FILE" "$(random_cluster_id)" "${format_args[@]}" > "$RUN_DIR/format.log" 2>&1; then
    tail -n 20 "$RUN_DIR/format.log" >&2
    die "formatting $data_dir failed (full output in $RUN_DIR/format.log)"
  fi

  # setsid: the broker must outlive this script and must not get the SIGHUP/SIGINT meant
  # for the shell that ran `start` (e.g. a CI step ending).
  setsid java -server "${heap_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "${JVM_ARGS[@]}" \
    kafka.Kafka "$CONFIG_FILE" > "$LOG_FILE" 2>&1 < /dev/null &
  pid=$!
  printf '%s\n' "$pid" > "$PID_FILE"
  log "started pid $pid, log $LOG_FILE, data $data_dir; waiting up to ${START_TIMEOUT}s"

  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail_start "the broker exited during startup"
    fi
    if port_answers "$PORT"; then
      local left=$(((deadline - SECONDS) * 1000))
      ((left > 10000)) && left=10000
      ((left < 1000)) && left=1000
      if probe_ready "$left" > "$RUN_DIR/probe.log" 2>&1; then
        log "$(cat "$RUN_DIR/probe.log") on $HOST:$PORT after $((SECONDS + START_TIMEOUT - deadline))s"
        if [[ -n "$SASL_PORT" ]]; then log "SASL_PLAINTEXT on $HOST:$SASL_PORT"; fi
        if [[ -n "$SASL_SSL_PORT" ]]; then log "SASL_SSL on $HOST:$SASL_SSL_PORT, CA file $TLS_DIR/ca.pem"; fi
        return 0
      fi
    fi
    sleep 0.5
  done
  fail_start "not ready after ${START_TIMEOUT}s"
}

fail_start() {
  log "error: $1; last log lines:"
  tail -n 40 "$LOG_FILE" >&2 || true
  [[ -f "$RUN_DIR/probe.log" ]] && { log "last probe:"; cat "$RUN_DIR/probe.log" >&2; }
  # Leave no half-started JVM behind: CI would otherwise keep a stray java holding the port.
  cmd_stop >&2 || true
  exit 1
}

cmd_stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping pid $pid (TERM, KILL after ${STOP_TIMEOUT}s)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "still alive after ${STOP_TIMEOUT}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  else
    log "not running on port $PORT"
  fi
  rm -f "$PID_FILE"
  if [[ -f "$TEMP_MARKER" && -f "$DATA_DIR_FILE" ]]; then
    local data_dir
    data_dir="$(cat "$DATA_DIR_FILE")"
    rm -rf "$data_dir"
    rm -f "$TEMP_MARKER" "$DATA_DIR_FILE"
    log "removed temporary data dir $data_dir"
  fi
  # server.log stays in $RUN_DIR for post-mortems until the next start on this port.
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "kafka: not running on $HOST:$PORT"
    return 1
  fi
  local data_dir="?"
  [[ -f "$DATA_DIR_FILE" ]] && data_dir="$(cat "$DATA_DIR_FILE")"
  if port_answers "$PORT"; then
    echo "kafka: running, pid $pid, bootstrap $HOST:$PORT, data $data_dir, log $LOG_FILE"
  else
    echo "kafka: starting (pid $pid, port $PORT not answering yet), log $LOG_FILE"
  fi
}

cmd_ca_file() {
  [[ -f "$TLS_DIR/ca.pem" ]] || die "no CA file: start the broker with KAFKA_SASL_SSL_PORT set"
  printf '%s\n' "$TLS_DIR/ca.pem"
}

# Sourcing the script (tests do) defines the functions and settings without running a command.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    fetch) cmd_fetch ;;
    ca-file) cmd_ca_file ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
      echo "usage: $(basename "$0") fetch|start|stop|status|ca-file" >&2
      exit 2
      ;;
  esac
fi
