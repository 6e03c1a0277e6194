# Thin targets over Maven. Override with e.g. `make test MVN="mvn -o"`.
MVN ?= mvn -B
DB ?= stagewatch
# The benchmarks' settings (see bench and bench-scale). Set here, not with $(or ...): its commas would split a list.
BENCH_DB ?= stagewatch_bench
BENCH_SMTP_PORT ?= 3125
BENCH_SCALE_PODS ?= 1000,10000,50000
BENCH_SCALE_HEAP ?= 1g

.PHONY: db chromium promtool test faults run demo bench bench-scale native clean

# PostgreSQL on 127.0.0.1:5432 with the databases "test", test1..test3 (one per Surefire fork) and $(DB); installed
# with apt-get when missing.
db:
	scripts/ensure-postgres.sh test test1 test2 test3 $(DB)

# chromium and chromedriver for the status page test; installed with apt-get when missing.
chromium:
	scripts/ensure-chromium.sh

# promtool for the metrics and alert-rule tests; installed with apt-get (Debian's package prometheus) when missing.
promtool:
	scripts/ensure-promtool.sh

# Every test, on a machine with only a JDK and Maven: the targets above install the rest.
test: db chromium promtool
	$(MVN) verify

# The fault suite alone (src/test/java/io/stagewatch/sim/FaultSuiteIT.java, after package; part of make test).
faults: db
	$(MVN) -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false verify

run: db
	$(MVN) -DskipTests package
	java -jar target/quarkus-app/quarkus-run.jar

# stagewatch against a simulated cluster (src/test/java/io/stagewatch/sim): no Kubernetes needed. Ctrl-C stops it.
demo:
	MVN="$(MVN)" scripts/demo.sh

# The benchmarks (src/test/java/io/stagewatch/bench, JUnit tag "bench", run only by -Pbench), in their own database
# (BENCH_DB, default stagewatch_bench). Ingest: synthetic pods through classify -> decide -> persist on the real
# PostgreSQL, then pgbench on the same SQL; writes target/bench/ingest.json. Profiles: ingest's no-op rate (final
# states redelivered) again with every profile enabled (ProfilesBenchmark, each pod refused by devtron, tekton, argo
# and job before stagewatch claims it: the worst case), next to ingest's with the default profile alone, and their
# ratio against issue 10's target of 0.8; writes target/bench/profiles.json. Outbox: mails per second from a queued
# backlog and commit-to-SMTP latency at 100 transitions/s, through a GreenMail SMTP server in the benchmark's JVM on
# port BENCH_SMTP_PORT (default 3125; never the tests' 3025); writes target/bench/outbox.json. pgbench comes with the
# PostgreSQL server package (Debian 12: postgresql-15, pulled in by postgresql-contrib); when it is missing it is
# installed with apt-get. Stats: a million finished runs in the runs table, then GET /api/stats's query timed per
# grouping; writes target/bench/stats.json. Scale: see bench-scale; writes target/bench/scale.json. Webhooks: signed
# JSON webhooks per second from a backlog and commit-to-receipt latency at 100 transitions/s, to an HTTP receiver in
# the benchmark's JVM on a free loopback port; writes target/bench/webhooks.json.
# The numbers are CPU-bound on a small machine: run it when nothing else (another build, tests) is running.
bench: db
	scripts/ensure-postgres.sh $(BENCH_DB)
	@test -x /usr/lib/postgresql/15/bin/pgbench || pgbench --version >/dev/null 2>&1 || { \
	  echo "pgbench is missing: installing postgresql-contrib with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null; }
	$(MVN) -DskipTests package
	$(MVN) -Pbench -Dbench.db=$(BENCH_DB) -Dbench.smtp.port=$(BENCH_SMTP_PORT) test
	@cat target/bench/ingest.json target/bench/profiles.json target/bench/outbox.json target/bench/stats.json target/bench/scale.json target/bench/webhooks.json

# The scale benchmark alone (ScaleBenchmark): the packaged jar in a JVM of its own against a small fake API server
# holding 1,000, 10,000 and 50,000 realistic workflow pods (BENCH_SCALE_PODS=1000,10000,50000), -Xmx BENCH_SCALE_HEAP
# (1g); time until every run is recorded, live heap per pod, RSS, one reconcile pass, steady-state CPU, vanished-pod
# detection. Database BENCH_DB (default stagewatch_bench), dropped and created anew per N. About 4 minutes per N.
bench-scale: db
	scripts/ensure-postgres.sh $(BENCH_DB)
	$(MVN) -DskipTests package
	$(MVN) -Pbench -Dbench.db=$(BENCH_DB) -Dtest=ScaleBenchmark \
	  -Dbench.scale.pods=$(BENCH_SCALE_PODS) -Dbench.scale.heap=$(BENCH_SCALE_HEAP) test
	@cat target/bench/scale.json

# --- Native executable, container image, cluster -------------------------------------------------------------------
# native: the native executable target/*-runner, then the *IT black-box tests against it (Maven profile "native").
# Built by a local GraalVM/Mandrel when native-image is on PATH or in $GRAALVM_HOME/bin, otherwise inside the Mandrel
# builder image when docker or podman answers (`docker info`); otherwise it says what is missing and fails.
# Unit tests are `make test`'s; the ITs need PostgreSQL like they do. Extra Maven flags: NATIVE_FLAGS=...
.PHONY: image deploy uninstall
NATIVE_FLAGS ?=
native:
	@if command -v native-image >/dev/null 2>&1; then \
	  echo "native: building with $$(command -v native-image)"; how=""; \
	elif [ -n "$$GRAALVM_HOME" ] && [ -x "$$GRAALVM_HOME/bin/native-image" ]; then \
	  echo "native: building with $$GRAALVM_HOME/bin/native-image"; how=""; \
	elif docker info >/dev/null 2>&1; then \
	  echo "native: no local native-image; building in the Mandrel builder image with docker"; \
	  how="-Dquarkus.native.container-build=true -Dquarkus.native.container-runtime=docker"; \
	elif podman info >/dev/null 2>&1; then \
	  echo "native: no local native-image; building in the Mandrel builder image with podman"; \
	  how="-Dquarkus.native.container-build=true -Dquarkus.native.container-runtime=podman"; \
	else \
	  echo "native: cannot build a native executable here. Missing:" >&2; \
	  echo "  - a GraalVM or Mandrel for Java 17+ (native-image is not on PATH, GRAALVM_HOME='$$GRAALVM_HOME'), and" >&2; \
	  if command -v docker >/dev/null 2>&1; then echo "  - a running docker daemon (docker is installed but 'docker info' fails), or" >&2; \
	  else echo "  - docker, or" >&2; fi; \
	  if command -v podman >/dev/null 2>&1; then echo "  - a working podman ('podman info' fails)." >&2; \
	  else echo "  - podman." >&2; fi; \
	  echo "Install Mandrel (https://github.com/graalvm/mandrel/releases) and set GRAALVM_HOME, or start docker." >&2; \
	  exit 1; \
	fi; \
	scripts/ensure-postgres.sh test $(DB) && \
	$(MVN) -Pnative $$how $(NATIVE_FLAGS) -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false verify

# image: the container image of what was built last, with docker or podman (whichever answers; CONTAINER_ENGINE=...
# to choose): target/*-runner -> src/main/docker/Dockerfile.native-micro, tagged $(IMAGE):$(TAG); otherwise the JVM
# build (packaged first when missing) -> src/main/docker/Dockerfile.jvm, tagged $(IMAGE):$(TAG)-jvm, so a JVM image
# never takes the place of the native one that k8s/050-deployment.yaml is sized for. Push it where the cluster pulls
# from, e.g. `make image IMAGE=registry.example.org/ci/stagewatch` and `docker push ...`.
IMAGE ?= stagewatch
TAG ?= 0.1.0-SNAPSHOT
CONTAINER_ENGINE ?= $(firstword $(foreach e,docker podman,$(if $(shell $(e) info >/dev/null 2>&1 && echo ok),$(e))))
image:
	@if [ -z "$(CONTAINER_ENGINE)" ]; then \
	  echo "image: no container engine is running:" >&2; \
	  if command -v docker >/dev/null 2>&1; then echo "  docker is installed, but its daemon does not answer ('docker info' fails);" >&2; \
	  else echo "  docker is not installed;" >&2; fi; \
	  if command -v podman >/dev/null 2>&1; then echo "  podman is installed, but 'podman info' fails." >&2; \
	  else echo "  podman is not installed." >&2; fi; \
	  echo "Start the docker daemon or install podman, then run make image again." >&2; \
	  exit 1; \
	fi
	@if ls target/*-runner >/dev/null 2>&1; then \
	  echo "image: native executable $$(ls target/*-runner) -> $(IMAGE):$(TAG)"; \
	  $(CONTAINER_ENGINE) build -f src/main/docker/Dockerfile.native-micro -t $(IMAGE):$(TAG) .; \
	else \
	  [ -f target/quarkus-app/quarkus-run.jar ] || $(MVN) -DskipTests package; \
	  echo "image: no native executable (make native); JVM build -> $(IMAGE):$(TAG)-jvm (needs more memory than k8s/ grants)"; \
	  $(CONTAINER_ENGINE) build -f src/main/docker/Dockerfile.jvm -t $(IMAGE):$(TAG)-jvm .; \
	fi

# deploy: `kubectl apply` of k8s/ to the cluster of the current kubectl context; DEV=1 adds the throwaway PostgreSQL
# of k8s/dev/. Exceptions to applying every file:
#  - the Secret "stagewatch" is never the example file's: when none exists, deploy stops and prints the
#    `kubectl create secret` command to run, with freshly generated API tokens and placeholders for the database and
#    SMTP credentials; DEV=1 creates one itself (generated tokens, the dev database's credentials);
#  - NAMESPACES="ci deploy" (every namespace stagewatch watches, as STAGEWATCH_NAMESPACES says) applies the Role and
#    RoleBinding of k8s/namespaced/ in each of them instead of the ClusterRole and its binding;
#  - the egress NetworkPolicy only with EGRESS=1, once its addresses are yours (see the file);
#  - the ServiceMonitor and the PrometheusRule (alert rules) only where the Prometheus Operator's CRDs are.
KUBECTL ?= kubectl
NAMESPACES ?=
SECRET_EXAMPLE := k8s/045-secret.example.yaml
SERVICE_MONITOR := k8s/080-servicemonitor.yaml
PROMETHEUS_RULE := k8s/090-prometheusrule.yaml
EGRESS_POLICY := k8s/076-networkpolicy-egress.yaml
CLUSTER_RBAC := k8s/020-clusterrole.yaml k8s/030-clusterrolebinding.yaml
MANIFESTS := $(filter-out $(SECRET_EXAMPLE) $(SERVICE_MONITOR) $(PROMETHEUS_RULE) $(EGRESS_POLICY) $(if $(NAMESPACES),$(CLUSTER_RBAC)),$(sort $(wildcard k8s/*.yaml)))
# 64 hex characters from the kernel's random source (stagewatch refuses tokens shorter than 32)
TOKEN = $$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
deploy:
	$(KUBECTL) apply -f k8s/000-namespace.yaml
	@if $(KUBECTL) -n stagewatch get secret stagewatch >/dev/null 2>&1; then \
	  echo "deploy: keeping the existing Secret stagewatch/stagewatch"; \
	elif [ -n "$(DEV)" ]; then \
	  echo "deploy: DEV=1: creating Secret stagewatch/stagewatch with generated API tokens and the dev database's credentials"; \
	  $(KUBECTL) -n stagewatch create secret generic stagewatch \
	    --from-literal=STAGEWATCH_DB_USER=$$(sed -n 's/^  POSTGRES_USER: //p' k8s/dev/010-postgres-secret.yaml) \
	    --from-literal=STAGEWATCH_DB_PASSWORD=$$(sed -n 's/^  POSTGRES_PASSWORD: //p' k8s/dev/010-postgres-secret.yaml) \
	    --from-literal=STAGEWATCH_API_TOKENS=admin:$(TOKEN),viewer:$(TOKEN); \
	  echo "deploy: the tokens: kubectl -n stagewatch get secret stagewatch -o jsonpath='{.data.STAGEWATCH_API_TOKENS}' | base64 -d"; \
	else \
	  echo "deploy: there is no Secret stagewatch/stagewatch, and the example one is never applied. Create it with your" >&2; \
	  echo "database and SMTP credentials (the API tokens below are freshly generated), then run make deploy again:" >&2; \
	  echo "" >&2; \
	  echo "  $(KUBECTL) -n stagewatch create secret generic stagewatch \\" >&2; \
	  echo "    --from-literal=STAGEWATCH_DB_USER='<database user>' \\" >&2; \
	  echo "    --from-literal=STAGEWATCH_DB_PASSWORD='<database password>' \\" >&2; \
	  echo "    --from-literal=QUARKUS_MAILER_USERNAME='<SMTP user>' \\" >&2; \
	  echo "    --from-literal=QUARKUS_MAILER_PASSWORD='<SMTP password>' \\" >&2; \
	  echo "    --from-literal=STAGEWATCH_API_TOKENS=admin:$(TOKEN),viewer:$(TOKEN)" >&2; \
	  echo "" >&2; \
	  echo "(DEV=1 creates one for the throwaway PostgreSQL of k8s/dev/.)" >&2; \
	  exit 1; \
	fi
	$(if $(DEV),$(KUBECTL) apply -f k8s/dev/)
	$(KUBECTL) apply $(addprefix -f ,$(MANIFESTS))
	@for ns in $(NAMESPACES); do \
	  for f in k8s/namespaced/*.yaml; do sed "s/WATCHED_NAMESPACE/$$ns/" "$$f" | $(KUBECTL) apply -f - || exit 1; done; \
	done
	$(if $(EGRESS),$(KUBECTL) apply -f $(EGRESS_POLICY))
	@if $(KUBECTL) get crd servicemonitors.monitoring.coreos.com >/dev/null 2>&1; then \
	  $(KUBECTL) apply -f $(SERVICE_MONITOR); \
	else \
	  echo "deploy: no Prometheus Operator here (no CRD servicemonitors.monitoring.coreos.com): skipping $(SERVICE_MONITOR)"; \
	fi
	@if $(KUBECTL) get crd prometheusrules.monitoring.coreos.com >/dev/null 2>&1; then \
	  $(KUBECTL) apply -f $(PROMETHEUS_RULE); \
	else \
	  echo "deploy: no Prometheus Operator here (no CRD prometheusrules.monitoring.coreos.com): skipping $(PROMETHEUS_RULE)"; \
	fi

# uninstall: deletes what deploy created (DEV=1: the dev PostgreSQL too), the Deployment before its RBAC, the
# namespace last.
reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
uninstall:
	# finalizers are removed first (see README): no workflow pod may wait for a stagewatch that is gone
	scripts/remove-finalizers.sh
	$(if $(DEV),$(KUBECTL) delete --ignore-not-found -f k8s/dev/)
	@if $(KUBECTL) get crd servicemonitors.monitoring.coreos.com >/dev/null 2>&1; then \
	  $(KUBECTL) delete --ignore-not-found -f $(SERVICE_MONITOR); fi
	@if $(KUBECTL) get crd prometheusrules.monitoring.coreos.com >/dev/null 2>&1; then \
	  $(KUBECTL) delete --ignore-not-found -f $(PROMETHEUS_RULE); fi
	$(KUBECTL) delete --ignore-not-found -f $(EGRESS_POLICY)
	@for ns in $(NAMESPACES); do \
	  for f in k8s/namespaced/*.yaml; do sed "s/WATCHED_NAMESPACE/$$ns/" "$$f" | $(KUBECTL) delete --ignore-not-found -f -; done; \
	done
	# the Secret goes with the namespace
	$(KUBECTL) delete --ignore-not-found $(addprefix -f ,$(call reverse,$(filter-out k8s/000-namespace.yaml,$(MANIFESTS)))))
	$(KUBECTL) delete --ignore-not-found -f k8s/000-namespace.yaml

clean:
	$(MVN) clean
