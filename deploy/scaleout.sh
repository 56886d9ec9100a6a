#!/usr/bin/env bash
# Two app servers behind nginx, with one PostgreSQL and one Redis, all on this machine: the
# scale-out topology of docs/SCALING.md, started for the tests (tests/scaleout) and the bench
# (bench/bench_scaleout.py), and a worked example of a real deployment's settings.
#
#   deploy/scaleout.sh up              start everything; writes $RUN_DIR/topology.env
#   deploy/scaleout.sh down            stop everything started by `up` and remove $RUN_DIR
#   deploy/scaleout.sh app-start N     start app server N (1, 2, …) again
#   deploy/scaleout.sh app-stop N      stop app server N gracefully (SIGTERM)
#   deploy/scaleout.sh app-kill N      kill app server N, master and workers, with SIGKILL
#   deploy/scaleout.sh redis-stop      stop Redis (SIGTERM); redis-start starts it again
#   deploy/scaleout.sh route N [N…]    nginx sends requests to these app servers only (reload)
#
# Settings (environment, with defaults): SCALEOUT_DIR (/tmp/hailong-scaleout), PG_PORT (54339;
# a throwaway server from .ci/pg.sh — or give DATABASE_URL to use an existing database),
# REDIS_PORT (16379), HTTPS_PORT (18443), HTTP_PORT (18080), APP_PORTS ("18001 18002"),
# SERVER_NAME (127.0.0.1), WEB_CONCURRENCY (2 workers per app server), PYTHON (.venv/bin/python),
# NGINX (nginx on PATH, else /usr/sbin/nginx). SECRET_KEY, IP_HASH_KEY, CONTACT_ENCRYPTION_KEY
# and RATELIMIT_* / GUNICORN_THREADS / LOG_LEVEL given to `up` are kept for later app-start.
# The certificate is self-signed ($RUN_DIR/cert.pem: clients must trust that file).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

RUN_DIR=${SCALEOUT_DIR:-/tmp/hailong-scaleout}
PYTHON=${PYTHON:-.venv/bin/python}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
STATE="$RUN_DIR/topology.env"
[ -f "$STATE" ] && . "$STATE"
PG_PORT=${PG_PORT:-54339}
REDIS_PORT=${REDIS_PORT:-16379}
HTTPS_PORT=${HTTPS_PORT:-18443}
HTTP_PORT=${HTTP_PORT:-18080}
APP_PORTS=${APP_PORTS:-"18001 18002"}
SERVER_NAME=${SERVER_NAME:-127.0.0.1}

die() { echo "scaleout: $*" >&2; exit 1; }

# wait_for URL [SECONDS]: until URL answers 200 (the certificate in $RUN_DIR trusted).
wait_for() {
  "$PYTHON" - "$1" "${2:-60}" "$RUN_DIR/cert.pem" <<'PY' || { echo "scaleout: no answer from $1" >&2; return 1; }
import ssl, sys, time, urllib.request
url, seconds, cafile = sys.argv[1], float(sys.argv[2]), sys.argv[3]
context = ssl.create_default_context(cafile=cafile) if url.startswith("https") else None
deadline = time.monotonic() + seconds
while True:
    try:
        with urllib.request.urlopen(url, timeout=5, context=context) as response:
            if response.status == 200:
                break
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.2)
PY
}


app_start() {
  local n=$1 port
  port=$(echo $APP_PORTS | cut -d' ' -f"$n")
  [ -n "$port" ] || die "no app server $n (APP_PORTS=$APP_PORTS)"
  (
    set -a; . "$RUN_DIR/app.env"; set +a
    export GUNICORN_BIND="127.0.0.1:$port"
    exec setsid "$PYTHON" -m gunicorn -c python:gunicorn_conf --pid "$RUN_DIR/app$n.pid" \
      'app:create_app()'
  ) >>"$RUN_DIR/app$n.log" 2>&1 </dev/null &
  wait_for "http://127.0.0.1:$port/healthz" 120 || { tail -n 5 "$RUN_DIR/app$n.log" >&2; die "app $n"; }
}

# app_signal N SIGNAL: signal the whole process group (master and workers) of app server N.
app_signal() {
  local pidfile="$RUN_DIR/app$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -"$2" -- "-$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$pidfile"
}

redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" \
    --dir "$RUN_DIR"
  for _ in $(seq 100); do
    [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  die "Redis did not start on port $REDIS_PORT (in use? set REDIS_PORT); see $RUN_DIR/redis.log"
}

redis_stop() {
  [ -f "$RUN_DIR/redis.pid" ] || return 0
  local pid
  pid=$(cat "$RUN_DIR/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$RUN_DIR/redis.pid"
}

# render_nginx N…: the sample site config with this machine's values, routing to app servers N….
render_nginx() {
  local servers="" n
  for n in "$@"; do
    servers+="server 127.0.0.1:$(echo $APP_PORTS | cut -d' ' -f"$n") max_fails=1 fail_timeout=10s; "
  done
  sed -e "s|@APP_SERVERS@|$servers|" -e "s|@SERVER_NAME@|$SERVER_NAME|g" \
    -e "s|@HTTP_PORT@|$HTTP_PORT|g" -e "s|@HTTPS_PORT@|$HTTPS_PORT|g" \
    -e "s|@CERT@|$RUN_DIR/cert.pem|g" -e "s|@KEY@|$RUN_DIR/key.pem|g" \
    deploy/nginx-hailong.conf >"$RUN_DIR/site.conf"
}

nginx_cmd() { "$NGINX" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR/" "$@"; }

nginx_start() {
  mkdir -p "$RUN_DIR/nginx-tmp"
  cat >"$RUN_DIR/nginx.conf" <<EOF
worker_processes auto;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $RUN_DIR/nginx-tmp/body;
    proxy_temp_path $RUN_DIR/nginx-tmp/proxy;
    fastcgi_temp_path $RUN_DIR/nginx-tmp/fastcgi;
    uwsgi_temp_path $RUN_DIR/nginx-tmp/uwsgi;
    scgi_temp_path $RUN_DIR/nginx-tmp/scgi;
    include $RUN_DIR/site.conf;
}
EOF
  render_nginx $(seq "$(echo $APP_PORTS | wc -w)")
  nginx_cmd -t -q || die "nginx refused the configuration"
  nginx_cmd || die "nginx did not start (ports $HTTP_PORT/$HTTPS_PORT in use?)"
  wait_for "https://$SERVER_NAME:$HTTPS_PORT/healthz" || die "nginx does not answer"
}

write_app_env() {
  local secret ip_key fernet
  secret=${SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')}
  ip_key=${IP_HASH_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')}
  fernet=${CONTACT_ENCRYPTION_KEY:-$("$PYTHON" -c \
    'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}
  {
    printf '%s=%q\n' HAILONG_ENV production SECRET_KEY "$secret" IP_HASH_KEY "$ip_key" \
      CONTACT_ENCRYPTION_KEY "$fernet" DATABASE_URL "$DATABASE_URL" \
      RATELIMIT_STORAGE_URI "redis://127.0.0.1:$REDIS_PORT/0" \
      PUBLIC_BASE_URL "https://$SERVER_NAME:$HTTPS_PORT" SESSION_COOKIE_SECURE true \
      PROXY_FIX_X_FOR 1 PROXY_FIX_X_PROTO 1 PROXY_FIX_X_HOST 1 \
      WEB_CONCURRENCY "${WEB_CONCURRENCY:-2}" INSTANCE_PATH "$RUN_DIR/instance"
    env | { grep -E '^(RATELIMIT_[A-Z_]+|GUNICORN_THREADS|LOG_LEVEL|SENTIMENT_MODEL)=' || true; } \
      | { grep -v '^RATELIMIT_STORAGE_URI=' || true; } | while IFS='=' read -r name value; do
        printf '%s=%q\n' "$name" "$value"; done
  } >"$RUN_DIR/app.env"
  chmod 600 "$RUN_DIR/app.env"
}

up() {
  [ -f "$STATE" ] && die "already up ($STATE); run: deploy/scaleout.sh down"
  [ -x "$NGINX" ] || die "nginx not found (Debian: apt-get install nginx)"
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  mkdir -p "$RUN_DIR/instance"
  chmod 755 "$RUN_DIR"
  local pg_data="" pg_bindir=""
  if [ -z "${DATABASE_URL:-}" ]; then
    . .ci/pg.sh
    PG_PORT=$PG_PORT pg_start || die "PostgreSQL did not start (port $PG_PORT)"
    DATABASE_URL=$TEST_DATABASE_URL pg_data=$PG_DATA pg_bindir=$PG_BINDIR
  fi
  {
    printf '%s=%q\n' RUN_DIR "$RUN_DIR" PG_DATA "$pg_data" PG_BINDIR "$pg_bindir" \
      DATABASE_URL "$DATABASE_URL" REDIS_PORT "$REDIS_PORT" HTTPS_PORT "$HTTPS_PORT" \
      HTTP_PORT "$HTTP_PORT" APP_PORTS "$APP_PORTS" SERVER_NAME "$SERVER_NAME" \
      BASE_URL "https://$SERVER_NAME:$HTTPS_PORT" CA_CERT "$RUN_DIR/cert.pem" \
      REDIS_URL "redis://127.0.0.1:$REDIS_PORT/0"
  } >"$STATE"
  local san="DNS:$SERVER_NAME"
  [[ $SERVER_NAME =~ ^[0-9.]+$ ]] && san="IP:$SERVER_NAME"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$SERVER_NAME" \
    -addext "subjectAltName=$san" -keyout "$RUN_DIR/key.pem" -out "$RUN_DIR/cert.pem" \
    2>/dev/null || die "openssl could not make a certificate"
  redis_start
  write_app_env
  (set -a; . "$RUN_DIR/app.env"; set +a; "$PYTHON" -m flask --app app db upgrade) \
    >"$RUN_DIR/migrate.log" 2>&1 || { tail -n 5 "$RUN_DIR/migrate.log" >&2; die "migrations failed"; }
  local n
  for n in $(seq "$(echo $APP_PORTS | wc -w)"); do app_start "$n"; done
  nginx_start
  echo "up: https://$SERVER_NAME:$HTTPS_PORT (app servers on $APP_PORTS, Redis $REDIS_PORT);" \
    "settings in $STATE"
}

down() {
  [ -d "$RUN_DIR" ] || return 0
  [ -f "$RUN_DIR/nginx.pid" ] && { nginx_cmd -s stop 2>/dev/null || true; }
  local pidfile
  for pidfile in "$RUN_DIR"/app*.pid; do
    [ -f "$pidfile" ] && app_signal "$(basename "$pidfile" .pid | tr -dc 0-9)" TERM
  done
  redis_stop
  if [ -n "${PG_DATA:-}" ]; then
    . .ci/pg.sh
    pg_stop
  fi
  rm -rf "$RUN_DIR"
}

command=${1:-}
shift || true
case "$command" in
  up) up ;;
  down) down ;;
  app-start) app_start "$1" ;;
  app-stop) app_signal "$1" TERM ;;
  app-kill) app_signal "$1" KILL ;;
  redis-start) redis_start ;;
  redis-stop) redis_stop ;;
  route) render_nginx "$@"; nginx_cmd -s reload; sleep 1 ;;
  *) sed -n '2,21p' "$0" >&2; exit 2 ;;
esac
