#!/usr/bin/env bash
# make bench-compare REF=<commit>: the hot paths of the working tree against those of another commit, on this machine,
# in one run. Checks REF out in a worktree, runs the ingest and outbox benchmarks (IngestBenchmark, OutboxBenchmark)
# there and then here, one after the other, each with its own benchmark code on the same database; writes each
# measure with both values and their ratio to target/bench/compare.json, prints them as a table, and exits with 1 when
# the working tree is more than 10% slower on any of them (the ratio is then below 0.9: a ratio is the working tree's
# speed over the reference's, the inverse for a latency).
# Environment: MVN (default "mvn -B"), BENCH_DB (stagewatch_bench), BENCH_SMTP_PORT (3125), BENCH_TOLERANCE (0.9).
# Needs jq (installed with apt-get when missing) and pgbench (scripts/ensure-pgbench.sh).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ref=${1:?usage: scripts/bench-compare.sh <commit>}
mvn_cmd=${MVN:-mvn -B}
db=${BENCH_DB:-stagewatch_bench}
smtp_port=${BENCH_SMTP_PORT:-3125}
tolerance=${BENCH_TOLERANCE:-0.9}

if ! command -v jq > /dev/null; then
  echo "jq is missing: installing it with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq > /dev/null
fi
scripts/ensure-postgres.sh "$db"
scripts/ensure-pgbench.sh

sha=$(git rev-parse --verify "$ref^{commit}")
out=target/bench/compare
tree=$(mktemp -d "${TMPDIR:-/tmp}/stagewatch-bench-ref.XXXXXX")
trap 'git worktree remove --force "$tree" > /dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add --detach "$tree" "$sha" > /dev/null
rm -rf "$out"
mkdir -p "$out/reference" "$out/working"

# One tree's ingest and outbox benchmarks, in one JVM (one Surefire fork: never two benchmarks at once), their reports
# kept in $out/<label>.
bench() {
  local dir=$1 label=$2
  echo "bench-compare: $label ($dir)"
  (cd "$dir" && $mvn_cmd -Pbench -Dtest.forks=1 -DforkCount=1 -Dbench.db="$db" -Dbench.smtp.port="$smtp_port" \
    -Dtest='IngestBenchmark,OutboxBenchmark' -Dsurefire.failIfNoSpecifiedTests=false test)
  cp "$dir/target/bench/ingest.json" "$dir/target/bench/outbox.json" "$out/$label/"
}
bench "$tree" reference
bench . working

# name, report, the value's path in the working tree's report and in the reference's (they may differ: a measure the
# reference did not report apart), "higher" is better or "lower" (a latency), and whether it is gated (an ungated row
# is shown for information and never fails the comparison)
measures='[
  ["committed transitions/s, flat out", "ingest", ".transitions_per_second", ".transitions_per_second", "higher", true],
  ["pgbench on its own statements, transitions/s", "ingest", ".pgbench.transitions_per_second",
   ".pgbench.transitions_per_second", "higher", true],
  ["no-op redeliveries/s", "ingest", ".noop_observations_per_second", ".noop_observations_per_second", "higher", true],
  ["no-op decisions/s (info; reference: its redeliveries)", "ingest", ".noop_decisions_per_second",
   ".noop_observations_per_second", "higher", false],
  ["paced 1,000/s: achieved/s", "ingest", ".paced_1000_per_second.achieved_rate",
   ".paced_1000_per_second.achieved_rate", "higher", true],
  ["paced 1,000/s: p99 observation to commit, ms", "ingest", ".paced_1000_per_second.p99",
   ".paced_1000_per_second.p99", "lower", true],
  ["mails/s from a backlog", "outbox", ".mails_per_second", ".mails_per_second", "higher", true],
  ["paced 100/s: p99 commit to mail accepted, ms", "outbox", ".paced_100_per_second.latency_ms.p99",
   ".paced_100_per_second.latency_ms.p99", "lower", true]
]'
jq -n --argjson measures "$measures" --arg ref "$sha" --arg head "$(git rev-parse HEAD)" \
  --argjson tolerance "$tolerance" \
  --slurpfile ri "$out/reference/ingest.json" --slurpfile ro "$out/reference/outbox.json" \
  --slurpfile wi "$out/working/ingest.json" --slurpfile wo "$out/working/outbox.json" '
  def value($reports; $report; $path): ($reports[$report] | getpath($path | ltrimstr(".") | split(".")));
  {ingest: $ri[0], outbox: $ro[0]} as $reference | {ingest: $wi[0], outbox: $wo[0]} as $working |
  {
    reference: $ref,
    working_tree_at: $head,
    tolerance: $tolerance,
    measures: [ $measures[] | . as [$name, $report, $path, $referencePath, $direction, $gated] |
      value($reference; $report; $referencePath) as $r | value($working; $report; $path) as $w |
      (if $direction == "higher" then $w / $r else $r / $w end) as $ratio |
      {name: $name, reference: $r, working: $w, better: $direction, gated: $gated,
       ratio: ($ratio * 1000 | round / 1000), slower: ($gated and $ratio < $tolerance)} ]
  } | .slower = ([.measures[] | select(.slower)] | length > 0)' > target/bench/compare.json

jq -r '
  "reference \(.reference[0:10]), working tree on \(.working_tree_at[0:10]); ratio = working speed / reference speed",
  (.measures[] | [.name, (.reference | tostring), (.working | tostring), (.ratio | tostring),
                  (if .slower then "SLOWER" elif .gated then "ok" else "info" end)] | @tsv)' \
  target/bench/compare.json |
  awk -F'\t' 'NR == 1 { print; printf "%-54s %12s %12s %7s\n", "measure", "reference", "working", "ratio"; next }
              { printf "%-54s %12s %12s %7s  %s\n", $1, $2, $3, $4, $5 }'
echo "bench-compare: wrote target/bench/compare.json"
if [ "$(jq .slower target/bench/compare.json)" = true ]; then
  echo "bench-compare: the working tree is more than $(jq -n "100 - $tolerance * 100 | round")% slower on a measure above"
  exit 1
fi
