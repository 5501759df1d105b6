#!/usr/bin/env bash
# One command: audit store records/s in each durability mode, and /predict throughput of the real
# service with auditing off and in fsync mode, in one run. Writes bench/results/audit.md.
# Usage: bench/audit/run.sh [seconds-per-measurement] [concurrency] [model-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
concurrency="${2:-32}"
model="${3:-../shared/models/sst2-tiny}"
dotnet build -c Release src/ModelMonitor.Service -v quiet -nologo | { grep -E " error " || true; }
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll audit \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$(cd "$model" && pwd)" "$seconds" "$concurrency" bench/results/audit.md
