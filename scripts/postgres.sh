#!/usr/bin/env bash
# Start (creating if needed) a local PostgreSQL cluster for the test suite and print its URL.
# Idempotent: safe to run when the server is already up. Needs root or the postgres user.
set -euo pipefail
cd /  # the postgres user may not be able to enter the caller's directory
PORT="${NIANBAO_TEST_PG_PORT:-5432}"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters --no-header | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  pg_createcluster "$VERSION" main --port "$PORT" >/dev/null
fi
status=$(pg_lsclusters --no-header | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}')
if [ "$status" != "online" ]; then
  pg_ctlcluster "$VERSION" main start
fi
PORT=$(pg_lsclusters --no-header | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 50); do
  if su postgres -c "psql -p $PORT -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
su postgres -c "psql -p $PORT -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='nianbao') THEN CREATE ROLE nianbao LOGIN SUPERUSER PASSWORD 'nianbao'; END IF; END\\\$\\\$;\"" >/dev/null
echo "postgresql://nianbao:nianbao@127.0.0.1:$PORT/postgres"
