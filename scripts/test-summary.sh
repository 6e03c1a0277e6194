#!/usr/bin/env bash
# What a test run leaves to read at the end of its log: the ten slowest test classes, slowest first, with their
# seconds (the time attribute of the testsuite of each target/surefire-reports/TEST-*.xml, unit and Quarkus tests, and
# target/failsafe-reports/TEST-*.xml, the *IT black-box tests, the fault suite), then every test that failed, with the
# first line of its message, so that a CI log cut to its last lines still names them. make test runs it after
# mvn verify, whether or not the build failed.
# Argument: a file whose modification time marks the start of the run (optional): reports older than it, left by an
# earlier run of classes this one did not run (a benchmark, say), are left out; without it, or when it is missing
# (mvn clean), every report counts.
set -euo pipefail
export LC_ALL=C # sort -n and printf read and write the decimal point, whatever the locale
cd "$(dirname "$0")/.."
since=${1:-}
newer=()
if [ -n "$since" ] && [ -e "$since" ]; then
  newer=(-newer "$since")
fi

mapfile -t reports < <(find target/surefire-reports target/failsafe-reports -maxdepth 1 -name 'TEST-*.xml' \
  "${newer[@]}" 2> /dev/null || true)
if [ "${#reports[@]}" -eq 0 ]; then
  echo "slowest test classes: no test reports in target/surefire-reports or target/failsafe-reports"
  exit 0
fi
echo "The ten slowest test classes (seconds):"
# the first <testsuite ...> of each report; surefire may group the seconds' thousands with a comma
for report in "${reports[@]}"; do
  grep -m1 -o '<testsuite [^>]*>' "$report" || true
done |
  sed -n 's/.* name="\([^"]*\)".* time="\([^"]*\)".*/\2 \1/p' |
  tr -d , |
  sort -rn -k1,1 |
  awk 'NR <= 10 { printf "%9.1f  %s\n", $1, $2 }'

# <testcase name=... classname=...> then, inside it, <failure message=...> or <error message=...>
failed=$(awk '
  /<testcase / {
    name = $0; sub(/.* name="/, "", name); sub(/".*/, "", name)
    class = $0; sub(/.* classname="/, "", class); sub(/".*/, "", class)
  }
  /<(failure|error)[ >]/ {
    message = $0; sub(/.* type="/, "", message); sub(/".*/, "", message)
    if ($0 ~ / message="/) { message = $0; sub(/.* message="/, "", message); sub(/".*/, "", message) }
    printf "  %s.%s: %s\n", class, name, substr(message, 1, 300)
  }' "${reports[@]}" | sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&#10;/ /g; s/&amp;/\&/g')
if [ -n "$failed" ]; then
  echo "Failed tests:"
  echo "$failed"
fi
