#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 with trust auth for user postgres, and that the databases named
# as arguments exist. Installs PostgreSQL from Debian's packages when it is missing.
set -euo pipefail

answering() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

if ! answering; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "PostgreSQL is not installed: installing it"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    version=$(ls /etc/postgresql | sort -n | tail -n 1)
    hba=/etc/postgresql/$version/main/pg_hba.conf
    # a fresh install wants passwords on TCP; the tests and the demo use trust on loopback, as this machine's image does
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  fi
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  echo "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do answering && break; sleep 0.5; done
  answering || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

for db in "$@"; do
  if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE \"$db\""
  fi
done
