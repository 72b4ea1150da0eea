#!/usr/bin/env bash
# Start or stop throw-away PostgreSQL and Redis servers on loopback for the
# scale-out suite; installs the Debian packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/var/scale"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
PGDATA=/tmp/lumethic-scale-pg

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install() {
  local missing=""
  [ -n "$(pg_bin)" ] || missing="$missing postgresql"
  command -v redis-server >/dev/null || missing="$missing redis-server"
  if [ -n "$missing" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
}

start() {
  install
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR"
  local bin; bin="$(pg_bin)"
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
  # PostgreSQL refuses to run as root, so the cluster belongs to the postgres user.
  runuser -u postgres -- "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  cat > "$DIR/env" <<ENV
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/lumethic
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
ENV
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" lumethic
  echo "PostgreSQL on $PG_PORT, Redis on $REDIS_PORT"
}

stop() {
  local bin; bin="$(pg_bin)"
  if [ -n "$bin" ] && [ -f "$PGDATA/postmaster.pid" ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null || true
  fi
  if [ -f "$DIR/redis.pid" ]; then
    kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
    rm -f "$DIR/redis.pid"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
