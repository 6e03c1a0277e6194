#!/usr/bin/env bash
# Makes sure Debian's chromium and its chromedriver are installed: the status page test (StatusPageTest) drives the
# page in headless chromium through chromedriver. Installs both from Debian's packages when either is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
echo "chromium or chromedriver is missing (the status page test needs both): installing chromium and chromium-driver with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
