#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for development and tests, from the distribution's packages,
# listening on 127.0.0.1:55432 (POSTGRES_PORT) only, with its data under .cache/postgres/.
#
#   bash scripts/postgres.sh start    # returns once the server accepts connections; a no-op if it does
#   bash scripts/postgres.sh stop
#   bash scripts/postgres.sh status
#   bash scripts/postgres.sh url [DB] # the SQLAlchemy URL of database DB (default: qulaq)
#
# Run as root, the server runs as the "postgres" system user (initdb refuses root).
# The role qulaq (password qulaq) owns the databases qulaq and qulaq_test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST=127.0.0.1
PORT="${POSTGRES_PORT:-55432}"
ROLE=qulaq
PASSWORD=qulaq
DATABASES=(qulaq qulaq_test)
START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"
ACTION=""

BASE="$ROOT/.cache/postgres"
DATA="$BASE/data"
SOCKETS="$BASE/run"
LOG="$BASE/postgres.log"
INITIALIZED="$BASE/initialized"

say() { printf 'postgres: %s\n' "$*"; }
die() {
  printf 'postgres: %s\n' "$*" >&2
  exit 1
}
rel() { printf '%s' "${1#"$ROOT"/}"; }

url() { printf 'postgresql+psycopg://%s:%s@%s:%s/%s\n' "$ROLE" "$PASSWORD" "$HOST" "$PORT" "${1:-${DATABASES[0]}}"; }

find_bin() {
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then
    printf '%s' "$dir"
  fi
}

ensure_packages() {
  PGBIN="$(find_bin)"
  if [[ -n "$PGBIN" ]]; then
    return 0
  fi
  ((EUID == 0)) || die "PostgreSQL server binaries not found; install them (Debian: sudo apt-get install -y postgresql)"
  say "installing PostgreSQL from the distribution's packages ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PGBIN="$(find_bin)"
  [[ -n "$PGBIN" ]] || die "postgresql installed, but no pg_ctl/initdb under /usr/lib/postgresql/*/bin"
}

# Run a command as the user that owns the cluster: "postgres" when we are root, else ourselves.
as_owner() {
  if ((EUID == 0)); then
    (cd "$BASE" && runuser -u postgres -- "$@")
  else
    (cd "$BASE" && "$@")
  fi
}

# The cluster's directory must be reachable by the postgres user. When a parent of the checkout
# is closed to other users (a clone in a private home directory, say), the data goes to
# /var/tmp instead.
prepare_base() {
  mkdir -p "$BASE"
  if ((EUID != 0)); then
    return 0
  fi
  id postgres >/dev/null 2>&1 || die "no 'postgres' system user; reinstall the postgresql package"
  chown postgres:postgres "$BASE"
  if ! runuser -u postgres -- test -w "$BASE" 2>/dev/null; then
    local fallback
    fallback="/var/tmp/qulaq-postgres-$(printf '%s' "$ROOT" | cksum | cut -d ' ' -f 1)"
    [[ "$ACTION" != start ]] || say "user postgres cannot reach $BASE (a parent directory is not traversable); using $fallback"
    BASE="$fallback"
    DATA="$BASE/data"
    SOCKETS="$BASE/run"
    LOG="$BASE/postgres.log"
    INITIALIZED="$BASE/initialized"
    mkdir -p "$BASE"
    chown postgres:postgres "$BASE"
    chmod 0755 "$BASE"
  fi
  # Unix socket paths are limited to about 100 bytes.
  if ((${#SOCKETS} > 90)); then
    SOCKETS="/tmp"
  fi
}

# Lock files left by a crashed server can name a pid since reused by another process; the
# server would then refuse to start, so drop them when that pid is not this cluster's postmaster.
drop_stale_pid_file() {
  local lock_file pid cmdline owner
  for lock_file in "$DATA/postmaster.pid" "$SOCKETS/.s.PGSQL.$PORT.lock"; do
    [[ -f "$lock_file" ]] || continue
    # The socket's lock file may belong to another cluster sharing the socket directory.
    owner="*postgres*$DATA*"
    [[ "$lock_file" == "$DATA"/* ]] || owner="*postgres*"
    pid="$(head -n 1 "$lock_file" | tr -dc '0-9')"
    # shellcheck disable=SC2053 # $owner is a pattern
    if [[ -n "$pid" ]] && cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" &&
      [[ "$cmdline" == $owner ]]; then
      continue
    fi
    say "removing a stale $(basename "$lock_file") (pid ${pid:-?} is not this cluster's server)"
    rm -f "$lock_file"
  done
}

running() { as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

accepting() { "$PGBIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1; }

# initdb runs once; the marker is written only after it succeeded, so a directory left
# half-initialised by an interrupted run is wiped and redone.
ensure_initialized() {
  if [[ -f "$INITIALIZED" && -f "$DATA/PG_VERSION" ]]; then
    return 0
  fi
  rm -rf "$DATA" "$INITIALIZED"
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
  fi
  say "initialising a cluster in $(rel "$DATA")"
  if ! as_owner "$PGBIN/initdb" -D "$DATA" -E UTF8 --locale="$locale" \
    --auth-local=peer --auth-host=scram-sha-256 >"$BASE/initdb.log" 2>&1; then
    die "initdb failed; see $(rel "$BASE/initdb.log")"
  fi
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# Set by scripts/postgres.sh: a throwaway cluster for development and tests. Durability is
# traded for speed; never use these settings for data you want to keep.
listen_addresses = '$HOST'
port = $PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
timezone = 'UTC'
log_timezone = 'UTC'
EOF
  touch "$INITIALIZED"
}

psql_admin() {
  as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -d postgres
}

ensure_role_and_databases() {
  psql_admin <<EOF
SELECT 'CREATE ROLE $ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')
\\gexec
ALTER ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$PASSWORD';
EOF
  local db
  for db in "${DATABASES[@]}"; do
    psql_admin <<EOF
SELECT 'CREATE DATABASE $db OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')
\\gexec
EOF
  done
}

# Another checkout's cluster on the same port does as well, if our role and databases work there.
foreign_server_usable() {
  local db
  for db in "${DATABASES[@]}"; do
    PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 "$PGBIN/psql" -X -q -At -h "$HOST" -p "$PORT" \
      -U "$ROLE" -d "$db" -c 'SELECT 1' >/dev/null 2>&1 || return 1
  done
}

start() {
  local started=$SECONDS
  ensure_packages
  prepare_base
  if [[ -f "$DATA/PG_VERSION" ]]; then
    drop_stale_pid_file
  fi
  if [[ -f "$DATA/PG_VERSION" ]] && running; then
    wait_accepting
    ensure_role_and_databases
    say "already running on $HOST:$PORT"
    return 0
  fi
  if accepting; then
    if foreign_server_usable; then
      say "a server not started from this checkout already serves $HOST:$PORT with role $ROLE; leaving it alone"
      return 0
    fi
    die "port $HOST:$PORT is taken by a server that is not this checkout's cluster"
  fi
  ensure_initialized
  drop_stale_pid_file
  as_owner mkdir -p "$SOCKETS"
  if [[ -f "$LOG" ]]; then
    mv -f "$LOG" "$LOG.1"
  fi
  if ! as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" \
    -o "-p $PORT -k '$SOCKETS'" start >/dev/null 2>&1 9>&-; then
    [[ -z "${CI:-}" ]] || tail -n 30 "$LOG" >&2 || true
    die "the server did not start; see $(rel "$LOG")"
  fi
  wait_accepting
  ensure_role_and_databases
  say "PostgreSQL $("$PGBIN/pg_ctl" --version | sed 's/^[^0-9]*\([0-9.]*\).*/\1/') ready on $HOST:$PORT ($((SECONDS - started))s; log $(rel "$LOG"))"
}

wait_accepting() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until accepting; do
    ((SECONDS < deadline)) || die "the server does not accept connections on $HOST:$PORT; see $(rel "$LOG")"
    sleep 0.3
  done
}

stop() {
  PGBIN="$(find_bin)"
  prepare_base
  if [[ -z "$PGBIN" || ! -f "$DATA/PG_VERSION" ]]; then
    say "not running"
    return 0
  fi
  drop_stale_pid_file
  if ! running; then
    say "not running"
    return 0
  fi
  if ! as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1; then
    say "fast shutdown timed out; shutting down immediately"
    as_owner "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  say "stopped"
}

status() {
  PGBIN="$(find_bin)"
  prepare_base
  if [[ -n "$PGBIN" && -f "$DATA/PG_VERSION" ]]; then
    if running && accepting; then
      say "running on $HOST:$PORT ($(url))"
      return 0
    fi
  fi
  say "not running"
  return 3
}

main() {
  ACTION="${1:-}"
  case "$ACTION" in
    url)
      url "${2:-}"
      return 0
      ;;
    start | stop | status) ;;
    *) die "usage: $0 start|stop|status|url" ;;
  esac
  mkdir -p "$BASE"
  exec 9>"$BASE/lock"
  flock 9
  "$ACTION"
}

main "$@"
