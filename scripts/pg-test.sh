#!/bin/sh
# A throwaway PostgreSQL cluster on 127.0.0.1 for the store tests and benchmarks.
#   eval "$(scripts/pg-test.sh start)"   # starts it (or finds it running), exports HOSHIN_TEST_PG_URL
#   scripts/pg-test.sh stop              # stops it and deletes its files
# Settings: HOSHIN_PG_DIR (default /tmp/hoshin-pg-test), HOSHIN_PG_PORT (default 54329),
# HOSHIN_PG_BIN (default /usr/lib/postgresql/15/bin). Only the export line goes to stdout.
set -eu

DIR=${HOSHIN_PG_DIR:-/tmp/hoshin-pg-test}
PORT=${HOSHIN_PG_PORT:-54329}
BIN=${HOSHIN_PG_BIN:-/usr/lib/postgresql/15/bin}
DB=hoshin_test
URL="postgres://postgres@127.0.0.1:$PORT/$DB"

# postgres refuses to run as root: run its tools as the postgres user the Debian package creates.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

case "${1:-}" in
  start)
    if ! running; then
      rm -rf "$DIR"
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
      as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
        { cat "$DIR/initdb.log" >&2; exit 1; }
      as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200" start >&2 ||
        { cat "$DIR/server.log" >&2; exit 1; }
      as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
      echo "PostgreSQL started on 127.0.0.1:$PORT (files in $DIR)" >&2
    fi
    echo "export HOSHIN_TEST_PG_URL=$URL"
    ;;
  stop)
    if running; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2; fi
    rm -rf "$DIR"
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
