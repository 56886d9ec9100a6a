# Start and stop a throwaway PostgreSQL server for the tests (sourced by .ci/test).
# Uses the server binaries of Debian's postgresql package; never touches a system cluster.

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# as_pg CMD...: run as the postgres user when we are root (the server refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start: sets PG_DATA and TEST_DATABASE_URL for a fresh server on 127.0.0.1:$PG_PORT; fails
# (never falls back to a server that was already there) when it cannot start one.
pg_start() {
  local bindir
  bindir=$(pg_bindir) || return 1
  PG_PORT=${PG_PORT:-54329}
  PG_DATA=$(mktemp -d /tmp/hailong-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
  as_pg "$bindir/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null \
    || return 1
  if ! as_pg "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null; then
    echo "PostgreSQL did not start on port $PG_PORT (in use? set PG_PORT):" >&2
    tail -n 5 "$PG_DATA/server.log" >&2
    rm -rf "$PG_DATA"
    return 1
  fi
  as_pg "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres hailong_test || return 1
  PG_BINDIR=$bindir
  export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/hailong_test"
  export PATH="$bindir:$PATH"
}

pg_stop() {
  [ -n "${PG_DATA:-}" ] || return 0
  as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
  rm -rf "$PG_DATA"
}
