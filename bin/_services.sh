# Starts the real PostgreSQL and Redis on loopback for the tests, as the README describes.
# shellcheck shell=bash

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

start_postgresql() {
  if ! postgres_answers; then
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do postgres_answers && break; sleep 1; done
  fi
  postgres_answers || { echo "PostgreSQL does not answer on 127.0.0.1:5432." >&2; exit 1; }
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    # A freshly installed cluster asks for a password on TCP; the tests use trust on loopback only.
    trust_loopback
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null \
    || { echo "Cannot connect to PostgreSQL as postgres on 127.0.0.1." >&2; exit 1; }
}

trust_loopback() {
  [ "$(id -u)" = "0" ] || { echo "Give user postgres trust auth on 127.0.0.1 (pg_hba.conf)." >&2; exit 1; }
  local version hba
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  say "Allowing trust auth for postgres on 127.0.0.1 in $hba"
  sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
}

start_redis() {
  if ! redis_answers; then
    say "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do redis_answers && break; sleep 0.5; done
  fi
  redis_answers || { echo "Redis does not answer on 127.0.0.1:6379." >&2; exit 1; }
}
