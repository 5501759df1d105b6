#!/usr/bin/env bash
# One command: fit the performance estimator (calibration + NannyML sampling errors) on one half of
# SST-2 dev with the real model, estimate the other half and random windows from it, and compare
# with the realized metrics. Writes bench/results/estimation.md.
# Usage: bench/estimation/run.sh [windows] [window-size] [model-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
windows="${1:-1000}"
size="${2:-100}"
model="${3:-../shared/models/sst2-tiny}"
project=bench/estimation/ModelMonitor.EstimationCheck
dotnet build -c Release "$project" -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
dotnet "$project/bin/Release/net10.0/ModelMonitor.EstimationCheck.dll" \
  "$(cd "$model" && pwd)" "$(cd ../shared/data/sst2 && pwd)/dev.tsv" bench/results/estimation.md "$windows" "$size"
