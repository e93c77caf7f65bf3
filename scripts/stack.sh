#!/usr/bin/env bash
# The local stack every Keel test and the sample app use: Redis (+3 extra instances for Redlock),
# Apache Kafka (single KRaft node, jars from Maven Central), MariaDB and PostgreSQL (the outbox).
#
#   scripts/stack.sh up     [redis|kafka|mariadb|postgres ...]   start what is not answering, wait
#   scripts/stack.sh up --monitoring   also Prometheus (:9090), Alertmanager (:9095) and
#                                      node-exporter (:9100) on deploy/monitoring's config
#   scripts/stack.sh down   [redis|kafka|mariadb|postgres|monitoring ...]   stop only what this
#                                      script started
#   scripts/stack.sh status                             each service, its address and version
#
# `up` also installs promtool and amtool (Debian's prometheus packages) when missing: the rule
# and routing tests run them.
#
# Idempotent: a service that already answers is used as it is and never stopped by `down`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/node-env.sh
source "$ROOT/scripts/node-env.sh"
STACK_DIR="${KEEL_STACK_DIR:-$ROOT/.stack}"
PIDS="$STACK_DIR/pids"
# kafkajs 2.2.4 sets a negative timer on Node >= 23, which Node now warns about (same 1 ms delay)
PROBE="node --disable-warning=TimeoutNegativeWarning $ROOT/scripts/stack/probe.js"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/kafka/pom.xml")"
KAFKA_CACHE="${KEEL_KAFKA_CACHE:-$ROOT/.cache/kafka}/$KAFKA_VERSION"
KAFKA_LOCAL="127.0.0.1:9092"
KAFKA_BROKERS="${KAFKA_BROKERS:-$KAFKA_LOCAL}"
KAFKA_HEAP="${KEEL_KAFKA_HEAP:-512m}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDLOCK_PORTS=(6381 6382 6383)
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"
MARIADB_PORT="${MARIADB_PORT:-3306}"
DATABASES=(keel keel_test)
POSTGRES_TEST_URL="${POSTGRES_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}"
MONITORING="$ROOT/deploy/monitoring"
PROMETHEUS_PORT=9090
ALERTMANAGER_PORT=9095 # 9093 is the local Kafka's controller
NODE_EXPORTER_PORT=9100
KEEL_ALERT_WEBHOOK_URL="${KEEL_ALERT_WEBHOOK_URL:-http://127.0.0.1:9097/alerts}"

log() { printf '[stack] %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}
mkdir -p "$PIDS"

[ -d "$ROOT/node_modules/ioredis" ] || die "node_modules missing: run 'npm ci' first"

# wait_for <what> <seconds> <command...>: retry until the command succeeds
wait_for() {
  local what="$1" secs="$2"
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "$what did not answer within ${secs}s (logs in $STACK_DIR)"
    fi
    sleep 0.5
  done
}

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  is_root && command -v apt-get >/dev/null || die "$* missing and cannot install it (needs root + apt-get)"
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$STACK_DIR/apt.log" 2>&1 ||
    { apt-get update -qq >>"$STACK_DIR/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$STACK_DIR/apt.log" 2>&1; } ||
    die "apt-get install $* failed (see $STACK_DIR/apt.log)"
}

pid_alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# stop_owned <name>: stop a process this script started (TERM, then KILL after 30 s)
stop_owned() {
  local name="$1" pid
  [ -f "$PIDS/$name.pid" ] || return 0
  pid="$(cat "$PIDS/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name.pid"
}

# ---------------------------------------------------------------- Redis
redis_start() {
  local port="$1" name="redis-$1"
  if $PROBE redis "$port" >/dev/null 2>&1; then return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting redis-server on 127.0.0.1:$port"
  mkdir -p "$STACK_DIR/$name"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$STACK_DIR/$name" --pidfile "$PIDS/$name.pid" --logfile "$STACK_DIR/$name.log"
  wait_for "redis :$port" 20 $PROBE redis "$port"
}

redis_up() {
  redis_start "$REDIS_PORT"
  for port in "${REDLOCK_PORTS[@]}"; do redis_start "$port"; done
}

redis_down() {
  for port in "$REDIS_PORT" "${REDLOCK_PORTS[@]}"; do stop_owned "redis-$port"; done
}

# ---------------------------------------------------------------- Kafka
kafka_jars() {
  if [ -f "$KAFKA_CACHE/libs/kafka_2.13-$KAFKA_VERSION.jar" ]; then return 0; fi
  command -v java >/dev/null || apt_install default-jre-headless
  command -v mvn >/dev/null || apt_install maven
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_CACHE"
  mkdir -p "$KAFKA_CACHE"
  (cd "$ROOT/scripts/kafka" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_CACHE/libs.partial") >"$STACK_DIR/kafka-mvn.log" 2>&1 ||
    die "mvn could not fetch Kafka $KAFKA_VERSION (see $STACK_DIR/kafka-mvn.log)"
  rm -rf "$KAFKA_CACHE/libs" && mv "$KAFKA_CACHE/libs.partial" "$KAFKA_CACHE/libs"
}

kafka_up() {
  if [ "$KAFKA_BROKERS" != "$KAFKA_LOCAL" ]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS: using it, no local broker"
    wait_for "kafka $KAFKA_BROKERS" 60 $PROBE kafka "$KAFKA_BROKERS"
    return 0
  fi
  if $PROBE kafka "$KAFKA_LOCAL" >/dev/null 2>&1; then return 0; fi
  if pid_alive kafka; then
    log "kafka (pid $(cat "$PIDS/kafka.pid")) is starting; waiting"
    wait_for "kafka $KAFKA_LOCAL" 120 $PROBE kafka "$KAFKA_LOCAL"
    return 0
  fi
  kafka_jars
  local dir="$STACK_DIR/kafka" cp="$KAFKA_CACHE/libs/*"
  mkdir -p "$dir"
  sed "s:@DATA_DIR@:$dir/data:" "$ROOT/scripts/kafka/server.properties" >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    log "formatting Kafka storage in $dir/data"
    local cluster_id
    cluster_id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
    java -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >"$dir/format.log" 2>&1 || die "formatting Kafka storage failed (see $dir/format.log)"
  fi
  log "starting Apache Kafka $KAFKA_VERSION (KRaft) on $KAFKA_LOCAL"
  nohup setsid java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$ROOT/scripts/kafka/log4j2.yaml" "-Dkafka.logs.dir=$dir" \
    -cp "$cp" kafka.Kafka "$dir/server.properties" >"$STACK_DIR/kafka.log" 2>&1 </dev/null &
  echo $! >"$PIDS/kafka.pid"
  local deadline=$((SECONDS + 120))
  until $PROBE kafka "$KAFKA_LOCAL" >/dev/null 2>&1; do
    pid_alive kafka || die "kafka exited during start (see $STACK_DIR/kafka.log)"
    ((SECONDS < deadline)) || die "kafka did not answer within 120s (see $STACK_DIR/kafka.log)"
    sleep 0.5
  done
}

kafka_down() { stop_owned kafka; }

# ---------------------------------------------------------------- MariaDB
mariadb_up() {
  if ! $PROBE mariadb "$MARIADB_HOST" "$MARIADB_PORT" >/dev/null 2>&1; then
    [ "$MARIADB_HOST" = 127.0.0.1 ] || die "MariaDB at $MARIADB_HOST:$MARIADB_PORT does not answer"
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server
    log "starting mariadbd"
    is_root || die "MariaDB is not running and starting it needs root"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for "mariadb $MARIADB_HOST:$MARIADB_PORT" 60 $PROBE mariadb "$MARIADB_HOST" "$MARIADB_PORT"
  fi
  $PROBE mariadb "$MARIADB_HOST" "$MARIADB_PORT" "${DATABASES[@]}" >/dev/null ||
    die "could not create databases ${DATABASES[*]} on $MARIADB_HOST:$MARIADB_PORT"
}

mariadb_down() { :; } # never started by this script; left running

# ---------------------------------------------------------------- PostgreSQL
postgres_up() {
  if $PROBE postgres "$POSTGRES_TEST_URL" >/dev/null 2>&1; then return 0; fi
  case "$POSTGRES_TEST_URL" in *@127.0.0.1:* | *@localhost:*) ;; *)
    die "PostgreSQL at $POSTGRES_TEST_URL does not answer" ;;
  esac
  is_root && command -v pg_ctlcluster >/dev/null || die "PostgreSQL does not answer at $POSTGRES_TEST_URL"
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start ||
    die "could not start PostgreSQL"
  wait_for "postgres $POSTGRES_TEST_URL" 60 $PROBE postgres "$POSTGRES_TEST_URL"
}

postgres_down() { :; } # never started by this script; left running

# ---------------------------------------------------------------- monitoring
monitoring_tools() {
  command -v promtool >/dev/null && command -v amtool >/dev/null &&
    [ -x /usr/bin/prometheus-alertmanager ] && command -v prometheus-node-exporter >/dev/null &&
    return 0
  apt_install prometheus prometheus-alertmanager prometheus-node-exporter
}

http_ok() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }

# start_daemon <name> <ready-url> <command...>: start in the background unless the URL answers
start_daemon() {
  local name="$1" url="$2"
  shift 2
  if http_ok "$url" 2>/dev/null; then return 0; fi
  log "starting $name"
  nohup setsid "$@" >"$STACK_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  wait_for "$name ($url)" 30 http_ok "$url"
}

monitoring_up() {
  monitoring_tools
  local dir="$STACK_DIR/monitoring"
  mkdir -p "$dir/prometheus-data" "$dir/alertmanager-data"
  # Alertmanager 0.25 reads no environment: the webhook URL is filled in here
  sed "s|\${KEEL_ALERT_WEBHOOK_URL}|$KEEL_ALERT_WEBHOOK_URL|g" "$MONITORING/alertmanager/alertmanager.yml" \
    >"$dir/alertmanager.yml"
  start_daemon node-exporter "http://127.0.0.1:$NODE_EXPORTER_PORT/metrics" \
    prometheus-node-exporter "--web.listen-address=127.0.0.1:$NODE_EXPORTER_PORT"
  start_daemon alertmanager "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" \
    /usr/bin/prometheus-alertmanager "--config.file=$dir/alertmanager.yml" \
    "--storage.path=$dir/alertmanager-data" "--web.listen-address=127.0.0.1:$ALERTMANAGER_PORT" \
    --cluster.listen-address=
  start_daemon prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" \
    prometheus "--config.file=$MONITORING/prometheus/prometheus.yml" \
    "--storage.tsdb.path=$dir/prometheus-data" "--web.listen-address=127.0.0.1:$PROMETHEUS_PORT"
}

monitoring_down() { for n in prometheus alertmanager node-exporter; do stop_owned "$n"; done; }

# ---------------------------------------------------------------- status
status_line() {
  local name="$1" addr="$2" out
  shift 2
  if out="$("$@" 2>&1)"; then
    printf '%-9s %-22s up    %s\n' "$name" "$addr" "$out"
  else
    printf '%-9s %-22s DOWN  %s\n' "$name" "$addr" "${out##*$'\n'}"
    return 1
  fi
}

status() {
  local rc=0 kafka_desc
  status_line redis "127.0.0.1:$REDIS_PORT" $PROBE redis "$REDIS_PORT" | sed 's/up    /up    Redis /' || rc=1
  for port in "${REDLOCK_PORTS[@]}"; do
    status_line redis "127.0.0.1:$port" $PROBE redis "$port" | sed 's/up    /up    Redis /' || rc=1
  done
  if [ "$KAFKA_BROKERS" = "$KAFKA_LOCAL" ]; then
    kafka_desc="Apache Kafka $KAFKA_VERSION (KRaft, local)"
  else kafka_desc="external (KAFKA_BROKERS)"; fi
  status_line kafka "$KAFKA_BROKERS" $PROBE kafka "$KAFKA_BROKERS" | sed "s/up    /up    $kafka_desc, /" || rc=1
  status_line mariadb "$MARIADB_HOST:$MARIADB_PORT" $PROBE mariadb "$MARIADB_HOST" "$MARIADB_PORT" | sed 's/up    /up    MariaDB /' || rc=1
  status_line postgres "${POSTGRES_TEST_URL##*@}" $PROBE postgres "$POSTGRES_TEST_URL" | sed 's/up    /up    PostgreSQL /' || rc=1
  # monitoring is optional (up --monitoring): listed when running, never a failure when not
  local name port path
  for entry in prometheus:$PROMETHEUS_PORT:/-/ready alertmanager:$ALERTMANAGER_PORT:/-/ready node-exporter:$NODE_EXPORTER_PORT:/metrics; do
    IFS=: read -r name port path <<<"$entry"
    if http_ok "http://127.0.0.1:$port$path" 2>/dev/null; then
      printf '%-13s %-22s up    http://127.0.0.1:%s\n' "$name" "127.0.0.1:$port" "$port"
    fi
  done
  return $rc
}

# ---------------------------------------------------------------- main
cmd="${1:-status}"
shift || true
services=()
with_monitoring=false
for a in "$@"; do
  case "$a" in
  --monitoring) with_monitoring=true ;;
  redis | kafka | mariadb | postgres | monitoring) services+=("$a") ;;
  *) die "unknown service '$a' (redis, kafka, mariadb, postgres, monitoring; or --monitoring)" ;;
  esac
done
if [ ${#services[@]} -eq 0 ]; then
  services=(redis kafka mariadb postgres)
  # down stops everything this script started; up starts monitoring only when asked
  if [ "$cmd" = down ] || $with_monitoring; then services+=(monitoring); fi
elif $with_monitoring; then services+=(monitoring); fi

case "$cmd" in
up)
  for s in "${services[@]}"; do "${s}_up"; done
  [[ " ${services[*]} " == *" monitoring "* ]] || monitoring_tools
  status
  ;;
down)
  for s in "${services[@]}"; do "${s}_down"; done
  ;;
status) status ;;
*) die "usage: scripts/stack.sh up|down|status [redis|kafka|mariadb|postgres|monitoring ...] [--monitoring]" ;;
esac
