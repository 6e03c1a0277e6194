# Thin targets over Maven. Override with e.g. `make test MVN="mvn -o"`.
MVN ?= mvn -B
DB ?= stagewatch

.PHONY: db test run demo bench native clean

db:
	scripts/ensure-postgres.sh test $(DB)

test: db
	$(MVN) verify

run: db
	$(MVN) -DskipTests package
	java -jar target/quarkus-app/quarkus-run.jar

# stagewatch against a simulated cluster (src/test/java/io/stagewatch/sim): no Kubernetes needed. Ctrl-C stops it.
demo:
	MVN="$(MVN)" scripts/demo.sh

# The ingest benchmark (src/test/java/io/stagewatch/bench, JUnit tag "bench", run only by -Pbench): synthetic pods
# through classify -> decide -> persist on the real PostgreSQL, then pgbench on the same SQL, in its own database
# (BENCH_DB, default stagewatch_bench). Writes target/bench/ingest.json. pgbench comes with the PostgreSQL server
# package (Debian 12: postgresql-15, pulled in by postgresql-contrib); when it is missing it is installed with apt-get.
# The numbers are CPU-bound on a small machine: run it when nothing else (another build, tests) is running.
bench: db
	scripts/ensure-postgres.sh $(or $(BENCH_DB),stagewatch_bench)
	@test -x /usr/lib/postgresql/15/bin/pgbench || pgbench --version >/dev/null 2>&1 || { \
	  echo "pgbench is missing: installing postgresql-contrib with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null; }
	$(MVN) -Pbench -Dbench.db=$(or $(BENCH_DB),stagewatch_bench) test
	@cat target/bench/ingest.json

clean:
	$(MVN) clean
