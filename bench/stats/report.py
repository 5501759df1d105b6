#!/usr/bin/python3
"""Combines the two timing files into the ratio table the README quotes."""
import json
import platform
import sys

dotnet = json.load(open(sys.argv[1]))
scipy = json.load(open(sys.argv[2]))
lines = [
    f"Statistics on {dotnet['size']:,} vs {dotnet['size']:,} values, median of {dotnet['repeat']} runs, same data, same machine, one run "
    f"({platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores; .NET {dotnet['runtime']}, SciPy {scipy['scipy']}, NumPy {scipy['numpy']}).",
    "",
    "| statistic | ModelMonitor (ms) | SciPy (ms) | SciPy / ModelMonitor | values agree |",
    "| --- | ---: | ---: | ---: | --- |",
]
for name in ['ks', 'wasserstein', 'psi', 'jensenshannon', 'chi2']:
    ours, theirs = dotnet['results'][name], scipy['results'][name]
    a, b = ours['value'], theirs['value']
    agree = 'yes' if a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300) else f'no ({a!r} vs {b!r})'
    lines.append(f"| {name} | {ours['median_seconds'] * 1000:.1f} | {theirs['median_seconds'] * 1000:.1f} | "
                 f"{theirs['median_seconds'] / ours['median_seconds']:.2f}x | {agree} |")
print('\n'.join(lines))
