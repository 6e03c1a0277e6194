# Thin targets over Maven and scripts/ (each script says what it does and what it reads). Override any default below,
# e.g. `make test MVN="mvn -o"`. docs/development.md and docs/deploy.md describe the targets at length.
MVN ?= mvn -B
DB ?= stagewatch
# The benchmarks' settings (see bench and bench-scale). Set here, not with $(or ...): its commas would split a list.
BENCH_DB ?= stagewatch_bench
BENCH_SMTP_PORT ?= 3125
BENCH_SCALE_PODS ?= 1000,10000,50000
BENCH_SCALE_HEAP ?= 1g
# make native: extra Maven flags.
NATIVE_FLAGS ?=
# make image: the image's name and tag; the engine (docker or podman), empty for whichever answers.
IMAGE ?= stagewatch
TAG ?= 0.1.0-SNAPSHOT
CONTAINER_ENGINE ?=
# make deploy and uninstall: the kubectl to call; NAMESPACES="ci deploy" for namespaced Roles instead of the
# ClusterRole; DEV=1 for the throwaway PostgreSQL of k8s/overlays/dev/; EGRESS=1 for the egress NetworkPolicy.
KUBECTL ?= kubectl
NAMESPACES ?=
DEV ?=
EGRESS ?=

.PHONY: db chromium promtool test faults run demo bench bench-compare bench-scale native image deploy uninstall clean

# PostgreSQL on 127.0.0.1:5432 with the databases "test", test1 and test2 (one per Surefire fork) and $(DB); installed
# with apt-get when missing.
db:
	scripts/ensure-postgres.sh test test1 test2 $(DB)

# chromium and chromedriver for the status page test; installed with apt-get when missing.
chromium:
	scripts/ensure-chromium.sh

# promtool for the metrics and alert-rule tests; installed with apt-get (Debian's package prometheus) when missing.
promtool:
	scripts/ensure-promtool.sh

# Every test, on a machine with only a JDK and Maven (the targets above install the rest), then the ten slowest classes and the failed tests.
test: db chromium promtool
	@mkdir -p target && touch target/test-started
	$(MVN) verify; status=$$?; scripts/test-summary.sh target/test-started; exit $$status

# The fault suite alone (src/test/java/io/stagewatch/sim/FaultSuiteIT.java, after package; part of make test).
faults: db
	$(MVN) -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false verify

# stagewatch against the cluster in KUBECONFIG (or its in-cluster service account).
run: db
	$(MVN) -DskipTests package
	java -jar target/quarkus-app/quarkus-run.jar

# stagewatch against a simulated cluster (src/test/java/io/stagewatch/sim): no Kubernetes needed. Ctrl-C stops it.
demo:
	MVN="$(MVN)" scripts/demo.sh

# The benchmarks (src/test/java/io/stagewatch/bench, -Pbench) in database BENCH_DB; run it when nothing else runs.
bench: db
	scripts/ensure-postgres.sh $(BENCH_DB)
	scripts/ensure-pgbench.sh
	$(MVN) -DskipTests package
	$(MVN) -Pbench -Dbench.db=$(BENCH_DB) -Dbench.smtp.port=$(BENCH_SMTP_PORT) test
	@cat target/bench/ingest.json target/bench/profiles.json target/bench/outbox.json target/bench/stats.json target/bench/scale.json target/bench/webhooks.json

# The ingest and outbox benchmarks of REF, then of the working tree, one after the other: a table of each measure's
# ratio, target/bench/compare.json, and a failure when the working tree is more than 10% slower on any. Run it before
# a change to a hot path is merged, with REF the commit it started from.
bench-compare: db
	MVN="$(MVN)" BENCH_DB="$(BENCH_DB)" BENCH_SMTP_PORT="$(BENCH_SMTP_PORT)" scripts/bench-compare.sh $(REF)

# The scale benchmark alone (ScaleBenchmark: BENCH_SCALE_PODS pods, -Xmx BENCH_SCALE_HEAP), about 4 minutes per N.
bench-scale: db
	scripts/ensure-postgres.sh $(BENCH_DB)
	$(MVN) -DskipTests package
	$(MVN) -Pbench -Dbench.db=$(BENCH_DB) -Dtest=ScaleBenchmark \
	  -Dbench.scale.pods=$(BENCH_SCALE_PODS) -Dbench.scale.heap=$(BENCH_SCALE_HEAP) test
	@cat target/bench/scale.json

# The native executable target/*-runner and the *IT tests against it (a local GraalVM/Mandrel, or docker or podman).
native:
	MVN="$(MVN)" DB="$(DB)" NATIVE_FLAGS="$(NATIVE_FLAGS)" scripts/native.sh

# The container image of what was built last: native -> $(IMAGE):$(TAG), otherwise the JVM build -> $(IMAGE):$(TAG)-jvm.
image:
	MVN="$(MVN)" IMAGE="$(IMAGE)" TAG="$(TAG)" CONTAINER_ENGINE="$(CONTAINER_ENGINE)" scripts/image.sh

# `kubectl apply -k k8s` (or, with NAMESPACES, k8s/base and a Role per namespace) to the current kubectl context, never
# the example Secret (docs/deploy.md; `helm install` of k8s/chart is the other way).
deploy:
	KUBECTL="$(KUBECTL)" NAMESPACES="$(NAMESPACES)" DEV="$(DEV)" EGRESS="$(EGRESS)" scripts/deploy.sh

# Deletes the Deployment, releases every pod still held by the finalizer, then deletes the rest, the namespace with it.
uninstall:
	KUBECTL="$(KUBECTL)" NAMESPACES="$(NAMESPACES)" DEV="$(DEV)" scripts/uninstall.sh

# Removes target/.
clean:
	$(MVN) clean
