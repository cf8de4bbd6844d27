# Sourced by .ci/run: start the Debian PostgreSQL cluster (no systemd in the container), create a throw-away
# role and database, and export TEST_DATABASE_URL so the store tests also run against Postgres.
pgver=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_lsclusters -h | grep -q "^$pgver main" || pg_createcluster "$pgver" main >/dev/null
pg_ctlcluster "$pgver" main start 2>/dev/null || true
for _ in $(seq 1 30); do su postgres -c "pg_isready -q" && break; sleep 1; done
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='sambung'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE sambung LOGIN PASSWORD 'sambung'\""
su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='sambung_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O sambung sambung_test"
export TEST_DATABASE_URL=postgres://sambung:sambung@localhost:5432/sambung_test
