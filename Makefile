# Thin targets over Maven. Override with e.g. `make test MVN="mvn -o"`.
MVN ?= mvn -B
DB ?= stagewatch

.PHONY: db test run bench native clean

db:
	scripts/ensure-postgres.sh test $(DB)

test: db
	$(MVN) verify

run: db
	$(MVN) -DskipTests package
	java -jar target/quarkus-app/quarkus-run.jar

bench: db
	$(MVN) -DskipTests -Pbench verify

clean:
	$(MVN) clean
