#!/usr/bin/env bash
# One command: records/s one local PostgreSQL takes from 1, 2 and 4 audit writers beside the file
# store in Fsync mode, and /predict throughput of the real service on each store, in one run.
# Needs Debian's postgresql package (as the tests do). Writes bench/results/pg-store.md.
# Usage: bench/pg-store/run.sh [seconds-per-measurement] [concurrency] [model-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
concurrency="${2:-32}"
model="${3:-../shared/models/sst2-tiny}"
dotnet build -c Release src/ModelMonitor.Service -v quiet -nologo | { grep -E " error " || true; }
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll pg-store \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$(cd "$model" && pwd)" "$seconds" "$concurrency" bench/results/pg-store.md
