#!/usr/bin/env bash
# Fetches the official ONNX Runtime native library from the npm package onnxruntime-node
# (which ships libonnxruntime.so.1 at bin/napi-v6/linux/x64/), verifies both the package and the
# library against pinned sha256 digests, and places the library at the destination path.
# Idempotent: an existing library with the right digest is left alone. Called by the build
# (build/OnnxRuntime.targets); safe to run by hand.
set -euo pipefail

version="$1"         # e.g. 1.30.0
package_sha256="$2"  # sha256 of onnxruntime-node-<version>.tgz
library_sha256="$3"  # sha256 of libonnxruntime.so.1
destination="$4"     # full path of the library to produce

lower() { tr '[:upper:]' '[:lower:]'; }
package_sha256=$(printf '%s' "$package_sha256" | lower)
library_sha256=$(printf '%s' "$library_sha256" | lower)

digest() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$(dirname "$destination")"
exec 9>"$destination.lock"
flock 9   # parallel project builds must not race on the download

if [[ -f "$destination" && "$(digest "$destination")" == "$library_sha256" ]]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-onnxruntime: npm is required to fetch onnxruntime-node@$version (install Node.js/npm)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-onnxruntime: npm pack onnxruntime-node@$version" >&2
(cd "$work" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
tarball="$work/onnxruntime-node-$version.tgz"
actual=$(digest "$tarball")
if [[ "$actual" != "$package_sha256" ]]; then
  echo "fetch-onnxruntime: package digest mismatch: expected $package_sha256, got $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
library="$work/package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
actual=$(digest "$library")
if [[ "$actual" != "$library_sha256" ]]; then
  echo "fetch-onnxruntime: library digest mismatch: expected $library_sha256, got $actual" >&2
  exit 1
fi
chmod 0644 "$library"
mv -f "$library" "$destination.partial"
mv -f "$destination.partial" "$destination"
echo "fetch-onnxruntime: installed $destination (sha256 $library_sha256)" >&2
