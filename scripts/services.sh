#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback, for tests and benchmarks.
# Source this file, then call `abitly_services_up` (sets DATABASE_URL and REDIS_URL when they are
# not given) and `abitly_services_down` (stops only what it started).
set -euo pipefail

ABITLY_PG_PORT="${ABITLY_PG_PORT:-55432}"
ABITLY_REDIS_PORT="${ABITLY_REDIS_PORT:-56379}"
_abitly_started_pg=""
_abitly_started_redis=""

abitly_services_up() {
  if [ -z "${DATABASE_URL:-}" ]; then
    local bindir
    bindir="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
    # The data folder lives in the system temp folder: CI clones under root's home (mode 700),
    # which the postgres user cannot enter.
    ABITLY_PG_DIR="$(mktemp -d /tmp/abitly-pg.XXXXXX)"
    chmod 755 "$ABITLY_PG_DIR"
    mkdir -p "$ABITLY_PG_DIR/data"
    local runas=()
    if [ "$(id -u)" = "0" ]; then
      chown postgres "$ABITLY_PG_DIR/data" "$ABITLY_PG_DIR"
      runas=(runuser -u postgres --)
    fi
    (cd /tmp && "${runas[@]}" "$bindir/initdb" -D "$ABITLY_PG_DIR/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$ABITLY_PG_DIR/initdb.log" 2>&1) \
      || { cat "$ABITLY_PG_DIR/initdb.log"; return 1; }
    (cd /tmp && "${runas[@]}" "$bindir/pg_ctl" -D "$ABITLY_PG_DIR/data" -l "$ABITLY_PG_DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $ABITLY_PG_PORT -k $ABITLY_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000" start >/dev/null) \
      || { cat "$ABITLY_PG_DIR/server.log"; return 1; }
    _abitly_started_pg=1
    export DATABASE_URL="Host=127.0.0.1;Port=$ABITLY_PG_PORT;Username=postgres;Database=postgres"
    echo "PostgreSQL started on 127.0.0.1:$ABITLY_PG_PORT ($ABITLY_PG_DIR)"
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    ABITLY_REDIS_DIR="$(mktemp -d /tmp/abitly-redis.XXXXXX)"
    redis-server --bind 127.0.0.1 --port "$ABITLY_REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --dir "$ABITLY_REDIS_DIR" --pidfile "$ABITLY_REDIS_DIR/redis.pid" --logfile "$ABITLY_REDIS_DIR/redis.log"
    for _ in $(seq 1 50); do
      redis-cli -p "$ABITLY_REDIS_PORT" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    _abitly_started_redis=1
    export REDIS_URL="127.0.0.1:$ABITLY_REDIS_PORT"
    echo "Redis started on 127.0.0.1:$ABITLY_REDIS_PORT"
  fi
}

abitly_services_down() {
  if [ -n "$_abitly_started_pg" ]; then
    local bindir
    bindir="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
    local runas=()
    [ "$(id -u)" = "0" ] && runas=(runuser -u postgres --)
    (cd /tmp && "${runas[@]}" "$bindir/pg_ctl" -D "$ABITLY_PG_DIR/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$ABITLY_PG_DIR"
    _abitly_started_pg=""
  fi
  if [ -n "$_abitly_started_redis" ]; then
    redis-cli -p "$ABITLY_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$ABITLY_REDIS_DIR"
    _abitly_started_redis=""
  fi
}
