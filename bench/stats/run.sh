#!/usr/bin/env bash
# One command: times ModelMonitor's statistics and SciPy's on the same 10^6 vs 10^6 values, in one
# run, and writes bench/results/stats.md with the ratios.  Usage: bench/stats/run.sh [size] [repeat]
set -euo pipefail
cd "$(dirname "$0")/../.."
size="${1:-1000000}"
repeat="${2:-7}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll stats "$size" "$repeat" "$work/data.bin" "$work/dotnet.json"
/usr/bin/python3 bench/stats/scipy_bench.py "$work/data.bin" "$repeat" "$work/scipy.json"
mkdir -p bench/results
/usr/bin/python3 bench/stats/report.py "$work/dotnet.json" "$work/scipy.json" | tee bench/results/stats.md
