#!/usr/bin/env bash
# One command: the raw runtime, the service and the transformers.js peer on both shared models, in
# one run, then the service against the raw runtime's best setup. Writes bench/results/throughput.md
# and bench/results/raw-best.md.  Usage: bench/throughput/run.sh [seconds] [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-5}"
threads="${2:-$(nproc)}"
shared="$(cd ../shared && pwd)"
(cd bench/peer && npm ci --ignore-scripts --no-audit --no-fund --silent)
dotnet build -c Release src/ModelMonitor.Service -v quiet -nologo | { grep -E " error " || true; }
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll throughput \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$PWD/bench/peer" "$shared/data/sst2/dev.tsv" \
  "$seconds" "$threads" bench/results/throughput.md "$shared/models/sst2-tiny" "$shared/models/distilbert-shape"

# The service against the raw runtime's best setup on this machine (a search over thread splits,
# spinning and batch sizes, then the best setup and the service in alternating rounds).
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll raw-best \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$shared/data/sst2/dev.tsv" \
  "$((seconds * 2))" "$threads" 3 bench/results/raw-best.md "$shared/models/sst2-tiny" "$shared/models/distilbert-shape"
