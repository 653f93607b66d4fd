#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests of the shared upload store.
#
#   .ci/postgres.sh install   install Debian's postgresql package when no server binaries are found
#   .ci/postgres.sh start     make a fresh cluster in $PG_DIR, start it and create the test database
#   .ci/postgres.sh stop      stop the server this script started
#   .ci/postgres.sh env       print the variables that point the tests at it
#
# The server listens on 127.0.0.1:${PG_PORT:-19470} and on a socket in $PG_DIR only, trusts local
# connections (it holds nothing but test data), and keeps its data and log in
# ${PG_DIR:-/tmp/wenda-postgres}; `stop` leaves them for inspection, `start` clears them. PostgreSQL
# refuses to run as root, so under root the cluster belongs to the `postgres` user the package creates.
set -euo pipefail

PORT=${PG_PORT:-19470}
DIR=${PG_DIR:-/tmp/wenda-postgres}
DB=${PG_DATABASE:-wenda_test}

bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  return 1
}

# as_owner runs a command as the cluster's owner: this user, or `postgres` under root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install() {
  if bindir >/dev/null; then
    echo "postgresql: $("$(bindir)/postgres" --version)"
    return
  fi
  local t0=$SECONDS
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # The package starts a cluster of its own on 5432; the tests don't use it.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for c in /etc/postgresql/*/main; do
      [ -d "$c" ] && pg_ctlcluster "$(basename "$(dirname "$c")")" main stop 2>/dev/null || true
    done
  fi
  echo "postgresql: $("$(bindir)/postgres" --version), installed in $((SECONDS - t0)) s"
}

start() {
  local bin t0=$SECONDS
  bin=$(bindir) || { echo "no PostgreSQL server binaries; run .ci/postgres.sh install" >&2; return 1; }
  stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
  as_owner "$bin/initdb" -D "$DIR/data" -U wenda --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; return 1; }
  if ! as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200" >/dev/null; then
    echo "postgresql did not start; its log ends:" >&2
    tail -n 30 "$DIR/log" >&2
    return 1
  fi
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U wenda "$DB"
  echo "postgresql: $("$bin/postgres" --version | sed 's/.*) //') ready on 127.0.0.1:$PORT in $((SECONDS - t0)) s"
}

stop() {
  local bin
  bin=$(bindir) || return 0
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  fi
  echo "postgresql stopped"
}

case "${1:-}" in
install) install ;;
start) start ;;
stop) stop ;;
env)
  echo "WENDA_TEST_POSTGRES_DSN=postgres://wenda@127.0.0.1:$PORT/$DB?sslmode=disable"
  ;;
*)
  echo "usage: $0 install|start|stop|env" >&2
  exit 2
  ;;
esac
