#!/usr/bin/python3
"""Times SciPy on the data file the C# harness wrote: the same values, the same statistics.

    /usr/bin/python3 bench/stats/scipy_bench.py DATA_FILE REPEAT OUTPUT_JSON
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def load(path):
    header = np.fromfile(path, dtype='<i8', count=2)
    values = np.fromfile(path, dtype='<f8', offset=16)
    return values[:header[0]], values[header[0]:header[0] + header[1]]


def quantile_bins(reference, current, bins=10):
    edges = np.unique(np.quantile(reference, [i / bins for i in range(1, bins)]))
    rc = np.bincount(np.searchsorted(edges, reference, side='left'), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, current, side='left'), minlength=len(edges) + 1)
    return rc, cc


def psi(reference, current, eps=1e-4):
    rc, cc = quantile_bins(reference, current)
    p = rc / rc.sum()
    q = cc / cc.sum()
    p = np.where(p == 0, eps, p)
    q = np.where(q == 0, eps, q)
    return float(np.sum((q - p) * np.log(q / p)))


def jensenshannon(reference, current):
    rc, cc = quantile_bins(reference, current)
    return float(distance.jensenshannon(rc, cc, base=2))


def category(values):
    return np.clip(np.floor((values + 4) * 2.5).astype(np.int64), 0, 19)


def chi2(reference, current):
    left = np.bincount(category(reference), minlength=20)
    right = np.bincount(category(current), minlength=20)
    keep = (left + right) > 0
    return float(stats.chi2_contingency(np.array([left[keep], right[keep]]), correction=False)[1])


def timed(name, repeat, fn):
    value = fn()
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    runs.sort()
    median = runs[len(runs) // 2]
    print(f"bench: scipy {name:<14} median {median * 1000:9.1f} ms  (value {value!r})", file=sys.stderr)
    return {'median_seconds': median, 'runs': runs, 'value': value}


def main(path, repeat, output):
    reference, current = load(path)
    results = {
        'ks': timed('ks', repeat, lambda: float(stats.ks_2samp(reference, current, method='auto').pvalue)),
        'wasserstein': timed('wasserstein', repeat, lambda: float(stats.wasserstein_distance(reference, current))),
        'psi': timed('psi', repeat, lambda: psi(reference, current)),
        'jensenshannon': timed('jensenshannon', repeat, lambda: jensenshannon(reference, current)),
        'chi2': timed('chi2', repeat, lambda: chi2(reference, current)),
    }
    with open(output, 'w') as f:
        json.dump({'implementation': 'scipy', 'scipy': scipy.__version__, 'numpy': np.__version__,
                   'size': int(len(reference)), 'repeat': repeat, 'results': results}, f, indent=2)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
