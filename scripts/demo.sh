#!/usr/bin/env bash
# stagewatch without a cluster: PostgreSQL (database "stagewatch"), a simulated Kubernetes API server that plays
# workflow pods through success and every kind of failure (src/test/java/io/stagewatch/sim/SimulatedCluster.java),
# a local SMTP sink in the simulator's JVM that logs every mail it receives (testing/MailSink.java: recipient, subject,
# Message-ID, in target/sim/mail.log and on the console), a local webhook receiver in the same JVM that logs every
# request (testing/WebhookReceiver.java: path, Idempotency-Key, whether the signature verifies, body, in
# target/sim/webhooks.log), and the service watching the cluster, mailing the sink and posting every failure and
# success to the receiver (a signed JSON webhook and a Slack-style one, through a rule the demo creates).
# Ctrl-C stops everything.
#
# Environment: SIM_PORT (6443), SIM_RATE (runs per minute, 12), SIM_SMTP_PORT (2525), SIM_WEBHOOK_PORT (2580),
# SIM_PLATFORM (stagewatch; devtron, argo, tekton: that platform's pods, as it makes them, and its profile enabled;
# mixed: all of them), QUARKUS_HTTP_PORT (8080), QUARKUS_MANAGEMENT_PORT (9000: health, metrics),
# STAGEWATCH_RECONCILE_INTERVAL (10s),
# MVN (mvn -B), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B}
SIM_PORT=${SIM_PORT:-6443}
SIM_RATE=${SIM_RATE:-12}
SIM_SMTP_PORT=${SIM_SMTP_PORT:-2525}
SIM_WEBHOOK_PORT=${SIM_WEBHOOK_PORT:-2580}
WEBHOOK_SECRET=demo-secret
SIM_PLATFORM=${SIM_PLATFORM:-stagewatch}
case "$SIM_PLATFORM" in
  stagewatch | devtron | argo | tekton) PROFILES=$SIM_PLATFORM ;;
  mixed) PROFILES=devtron,tekton,argo,stagewatch ;;
  *) echo "demo: SIM_PLATFORM must be stagewatch, devtron, argo, tekton or mixed, not '$SIM_PLATFORM'" >&2; exit 2 ;;
esac
HTTP_PORT=${QUARKUS_HTTP_PORT:-${PORT:-8080}}
MANAGEMENT_PORT=${QUARKUS_MANAGEMENT_PORT:-9000}
SIM_DIR=target/sim
KUBECONFIG_FILE=$SIM_DIR/kubeconfig
MAIL_LOG=$SIM_DIR/mail.log
WEBHOOK_LOG=$SIM_DIR/webhooks.log

sim_pid=""
svc_pid=""
cleanup() {
  trap - EXIT INT TERM
  for pid in $svc_pid $sim_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in $svc_pid $sim_pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# a fresh database each time: the simulated cluster starts empty, and the mock server numbers pod UIDs from the
# same counter at every start, so runs of an earlier demo would collide with the new pods
DEMO_DB=${DEMO_DB:-stagewatch_demo}
scripts/ensure-postgres.sh
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"$DEMO_DB\" WITH (FORCE)"
scripts/ensure-postgres.sh "$DEMO_DB"

if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "demo: building the service and the simulator"
  $MVN -q -DskipTests package
  $MVN -q test-compile
fi
mkdir -p "$SIM_DIR"
$MVN -q dependency:build-classpath -Dmdep.outputFile="$SIM_DIR/classpath.txt" -Dmdep.includeScope=test

rm -f "$KUBECONFIG_FILE" "$MAIL_LOG" "$WEBHOOK_LOG"
echo "demo: starting the simulated cluster on 127.0.0.1:$SIM_PORT ($SIM_RATE runs/min of $SIM_PLATFORM), log $SIM_DIR/sim.log"
echo "demo: SMTP sink on 127.0.0.1:$SIM_SMTP_PORT, every mail stagewatch sends is logged to $MAIL_LOG"
echo "demo: webhook receiver on 127.0.0.1:$SIM_WEBHOOK_PORT, every webhook stagewatch posts is logged to $WEBHOOK_LOG"
java -Dsim.port="$SIM_PORT" -Dsim.rate="$SIM_RATE" -Dsim.kubeconfig="$KUBECONFIG_FILE" -Dsim.platform="$SIM_PLATFORM" \
  -Dsim.smtp.port="$SIM_SMTP_PORT" -Dsim.mail.log="$MAIL_LOG" \
  -Dsim.webhook.port="$SIM_WEBHOOK_PORT" -Dsim.webhook.log="$WEBHOOK_LOG" -Dsim.webhook.secret="$WEBHOOK_SECRET" \
  -cp "target/test-classes:target/classes:$(cat "$SIM_DIR/classpath.txt")" io.stagewatch.sim.SimulatedCluster \
  > >(tee "$SIM_DIR/sim.log") 2>&1 &
sim_pid=$!

for _ in $(seq 1 120); do
  [ -s "$KUBECONFIG_FILE" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "demo: the simulator exited, see $SIM_DIR/sim.log" >&2; exit 1; }
  sleep 0.5
done
[ -s "$KUBECONFIG_FILE" ] || { echo "demo: no kubeconfig after 60s" >&2; exit 1; }

echo "demo: starting stagewatch on port $HTTP_PORT with the profiles $PROFILES, mailing the SMTP sink"
KUBECONFIG=$KUBECONFIG_FILE \
  STAGEWATCH_PROFILES=$PROFILES \
  STAGEWATCH_DB_NAME=$DEMO_DB \
  QUARKUS_MAILER_HOST=127.0.0.1 \
  QUARKUS_MAILER_PORT=$SIM_SMTP_PORT \
  QUARKUS_MAILER_START_TLS=DISABLED \
  QUARKUS_MAILER_TLS=false \
  QUARKUS_MAILER_MOCK=false \
  STAGEWATCH_NOTIFY_WEBHOOK_ALLOWED_HOSTS=127.0.0.1 \
  STAGEWATCH_RECONCILE_INTERVAL=${STAGEWATCH_RECONCILE_INTERVAL:-10s} \
  QUARKUS_HTTP_PORT=$HTTP_PORT \
  QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
  STAGEWATCH_API_INSECURE=true \
  java -jar target/quarkus-app/quarkus-run.jar &
svc_pid=$!

(
  for _ in $(seq 1 240); do
    if curl -sf "http://localhost:$MANAGEMENT_PORT/q/health/live" >/dev/null 2>&1; then
      curl -sf -o /dev/null -H 'Content-Type: application/json' "http://localhost:$HTTP_PORT/api/notification-rules" -d '{
        "name": "demo webhooks", "pipeline": "*", "stages": ["CI", "PRE_CD", "POST_CD"], "events": ["SUCCEEDED", "FAILED"],
        "webhooks": [
          {"url": "http://127.0.0.1:'"$SIM_WEBHOOK_PORT"'/hooks/stagewatch", "kind": "json", "secret": "'"$WEBHOOK_SECRET"'"},
          {"url": "http://127.0.0.1:'"$SIM_WEBHOOK_PORT"'/services/T000/B000/demo", "kind": "slack"}]}' \
        || echo "demo: could not create the webhook rule" >&2
      echo
      echo "stagewatch: http://localhost:$HTTP_PORT/ (the API under /api, insecure: anyone may change rules)"
      echo "metrics:    http://localhost:$MANAGEMENT_PORT/q/metrics, health /q/health, OpenAPI /q/openapi"
      echo "mails:      $MAIL_LOG (tail -f $MAIL_LOG), also the \"sim mail\" lines here"
      echo "webhooks:   $WEBHOOK_LOG (tail -f $WEBHOOK_LOG), also the \"sim webhook\" lines here"
      echo
      exit 0
    fi
    kill -0 "$svc_pid" 2>/dev/null || exit 0
    sleep 0.5
  done
) &

# the service in the foreground: the demo ends when it does (or on Ctrl-C)
wait "$svc_pid"
