#!/usr/bin/env bash
# One command: how cost grows with the work (issue #19). Time to ready against the audit's size,
# one drift evaluation against the window's size, /report and /drift/history against the
# evaluations kept and the audit's size, memory against the window's size.
# Writes bench/results/cost-growth.md. Everything runs under `nice -n 19` (a shared machine).
# Usage: bench/cost-growth/run.sh [repeats] [store-size]...   (defaults: 3 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
model="$(cd ../shared/models/sst2-tiny && pwd)"
data="$(cd ../shared/data/sst2 && pwd)"
nice -n 19 dotnet build -c Release src/ModelMonitor.Service -v quiet -nologo | { grep -E " error " || true; }
nice -n 19 dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
nice -n 19 dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll cost-growth \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$model" "$data/train.tsv" "$data/dev.tsv" "$(cd ../shared/data/banking77 && pwd)/dev.tsv" \
  bench/results/cost-growth.md "${1:-3}" "${@:2}"
