#!/usr/bin/env bash
# One command: POST /feedback of 1,000 late labels (found in the audit) against 1,000 labels in the
# live window, on a store of N records (default 1,000,000). Writes bench/results/feedback-lookup.md.
# Usage: bench/feedback/run.sh [records] [model-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-1000000}"
model="${2:-../shared/models/sst2-tiny}"
dotnet build -c Release src/ModelMonitor.Service -v quiet -nologo | { grep -E " error " || true; }
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll feedback-lookup \
  "$PWD/src/ModelMonitor.Service/bin/Release/net10.0/ModelMonitor.Service.dll" "$(cd "$model" && pwd)" "$records" bench/results/feedback-lookup.md
