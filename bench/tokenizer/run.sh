#!/usr/bin/env bash
# One command: times this build's tokenizer against a baseline commit's (default 58097b1, the last
# hand-written one) side by side in one process, on SST-2 train and banking77 dev, and writes
# bench/results/tokenizer.md.  Usage: bench/tokenizer/run.sh [baseline-commit] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
baseline="${1:-58097b1}"
rounds="${2:-9}"
shared="${MODELMONITOR_SHARED_DIR:-../shared}"
work=$(mktemp -d)
trap 'git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/baseline" "$baseline" >/dev/null
dotnet build -c Release "$work/baseline/src/ModelMonitor.Inference" -v quiet -nologo | { grep -E " error " || true; }
dotnet build -c Release bench/ModelMonitor.Bench -v quiet -nologo | { grep -E " error " || true; }
mkdir -p bench/results
{
  echo "Baseline: commit $baseline."
  for corpus in sst2/train.tsv banking77/dev.tsv; do
    echo
    dotnet bench/ModelMonitor.Bench/bin/Release/net10.0/ModelMonitor.Bench.dll tokenize-ab \
      "$work/baseline/src/ModelMonitor.Inference/bin/Release/net10.0/ModelMonitor.Inference.dll" \
      "$shared/models/sst2-tiny" "$shared/data/$corpus" "$rounds"
  done
} | tee bench/results/tokenizer.md
