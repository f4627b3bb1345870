#!/usr/bin/env bash
# npm run check:signals (and CI, after check:chart): the operators' signals hold together.
# - promtool check rules: deploy/prometheus/alerts.yml is valid;
# - promtool test rules: each alert fires on its condition and not on healthy series
#   (deploy/prometheus/alerts.test.yml);
# - promtool check metrics: a real /metrics exposition (scripts/signals-exposition.ts boots
#   Charla on its own FerretDB and the local Redis and causes every signal once) parses and lints
#   clean — except three gauges of prom-client's default Node.js metrics, named `*_total` upstream;
# - every metric the alerts and the Grafana dashboard query is in that exposition
#   (scripts/check-signal-names.mjs).
# promtool comes from Debian's `prometheus` package (.ci/run installs it when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is missing: apt-get install prometheus (Debian), or put promtool on PATH" >&2
  exit 1
fi

promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts.test.yml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npx tsx scripts/signals-exposition.ts "$work/metrics.txt"

# prom-client's default gauges nodejs_active_{handles,requests,resources}_total keep their upstream
# names; every other lint problem fails the check. Exit 3 is promtool's "lint problems found".
set +e
promtool check metrics <"$work/metrics.txt" >"$work/lint.txt" 2>&1
status=$?
set -e
if [ "$status" != 0 ] && [ "$status" != 3 ]; then
  cat "$work/lint.txt" >&2
  exit "$status"
fi
if grep -v -E '^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$' \
  "$work/lint.txt" | grep . >&2; then
  echo "promtool check metrics: the exposition has lint problems (above)" >&2
  exit 1
fi
echo "promtool check metrics: $(grep -c '^# TYPE' "$work/metrics.txt") metric families, clean"

node scripts/check-signal-names.mjs "$work/metrics.txt"
