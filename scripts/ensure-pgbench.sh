#!/usr/bin/env bash
# pgbench for make bench, which runs it on the SQL of the ingest benchmark. It comes with the PostgreSQL server
# package (Debian 12: postgresql-15, pulled in by postgresql-contrib); when it is missing, postgresql-contrib is
# installed with apt-get. Does nothing otherwise.
set -euo pipefail
if [ -x /usr/lib/postgresql/15/bin/pgbench ] || pgbench --version > /dev/null 2>&1; then
  exit 0
fi
echo "pgbench is missing: installing postgresql-contrib with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib > /dev/null
