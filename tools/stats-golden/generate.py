#!/usr/bin/python3
"""Generates the statistics golden file from SciPy and scikit-learn (Debian's python3-scipy and
python3-sklearn). Run with Debian's interpreter:

    /usr/bin/python3 tools/stats-golden/generate.py tests/ModelMonitor.Statistics.Tests/Golden/stats.json

Samples are not stored: each case names a generator (kind, size, seed, shift) that
tests/ModelMonitor.Statistics.Tests/Golden/GoldenSamples.cs reproduces bit for bit. Every value is
an integer divided by a power of two, so both languages build identical doubles without libm.
"""
import json
import math
import random
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial import distance
from sklearn import metrics

import calibration_golden

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def sample(kind, n, seed, shift):
    """kind: 'continuous' (sum of four 20-bit uniforms / 2^20, bell-shaped, rare ties),
    'tied' (integers 0..7), 'coarse' (multiples of 1/4 in [0, 4))."""
    rng = SplitMix64(seed)
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        if kind == 'continuous':
            total = sum(rng.next() >> 44 for _ in range(4))
            out[i] = total / 1048576.0 + shift
        elif kind == 'tied':
            out[i] = float(rng.next() >> 61) + shift
        elif kind == 'coarse':
            out[i] = (rng.next() >> 60) / 4.0 + shift
        else:
            raise ValueError(kind)
    return out


def categories(n, seed, weights):
    """Category indices drawn with integer weights from the same stream."""
    rng = SplitMix64(seed)
    total = sum(weights)
    cumulative = np.cumsum(weights)
    return [int(np.searchsorted(cumulative, rng.next() % total, side='right')) for _ in range(n)]


def quantile_edges(reference, bins):
    """Interior PSI bin edges: reference quantiles at 1/b .. (b-1)/b (numpy 'linear'), de-duplicated."""
    qs = np.quantile(reference, [i / bins for i in range(1, bins)])
    return np.unique(qs)


def bin_counts(values, edges):
    # bin i holds edges[i-1] < x <= edges[i]; the end bins are open, so nothing falls outside.
    return np.bincount(np.searchsorted(edges, values, side='left'), minlength=len(edges) + 1)


def psi(ref_counts, cur_counts, eps):
    p = ref_counts / ref_counts.sum()
    q = cur_counts / cur_counts.sum()
    p = np.where(p == 0, eps, p)
    q = np.where(q == 0, eps, q)
    return float(np.sum((q - p) * np.log(q / p)))


def bh(pvalues):
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p, kind='mergesort')
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out.tolist()


def main(path):
    chooser = random.Random(20261122)
    golden = {
        'generator': 'tools/stats-golden/generate.py',
        'scipy': scipy.__version__,
        'sklearn': sklearn.__version__,
        'numpy': np.__version__,
        'ks': [], 'wasserstein': [], 'chi2_homogeneity': [], 'chi2_goodness': [],
        'psi_numeric': [], 'psi_categorical': [], 'jensenshannon_counts': [],
        'multiple_testing': [], 'classification': [], 'ks_explicit': [],
    }

    # --- KS and Wasserstein on generated samples, sizes 1..100000 -------------------------
    sizes = [(1, 1), (1, 7), (3, 3), (5, 8), (10, 10), (20, 35), (100, 100), (97, 131), (500, 400),
             (1000, 1000), (2000, 3000), (9999, 10000), (10000, 10000), (10001, 10000), (3, 50000),
             (50, 20000), (200, 60000), (30000, 30000), (100000, 100000), (100000, 250), (12000, 15000)]
    for _ in range(24):
        sizes.append((chooser.randint(1, 100000), chooser.randint(1, 100000)))
    for _ in range(12):
        sizes.append((chooser.randint(1, 2000), chooser.randint(1, 2000)))
    kinds = ['continuous', 'tied', 'coarse']
    for index, (n1, n2) in enumerate(sizes):
        for shift in (0.0, 0.0625):
            kind = kinds[index % 3]
            seed1, seed2 = chooser.getrandbits(63), chooser.getrandbits(63)
            a = sample(kind, n1, seed1, 0.0)
            b = sample(kind, n2, seed2, shift)
            ks = stats.ks_2samp(a, b, method='auto')
            w = stats.wasserstein_distance(a, b)
            spec = {'kind': kind, 'n1': n1, 'seed1': seed1, 'n2': n2, 'seed2': seed2, 'shift': shift}
            golden['ks'].append({**spec, 'statistic': float(ks.statistic), 'pvalue': float(ks.pvalue)})
            golden['wasserstein'].append({**spec, 'distance': float(w), 'reference_std': float(np.std(a))})

            if n1 >= 10 and n2 >= 10:
                for bins in (10, 5):
                    edges = quantile_edges(a, bins)
                    rc, cc = bin_counts(a, edges), bin_counts(b, edges)
                    golden['psi_numeric'].append({**spec, 'bins': bins, 'epsilon': 1e-4, 'edges': edges.tolist(),
                                                  'reference_counts': rc.tolist(), 'current_counts': cc.tolist(),
                                                  'psi': psi(rc, cc, 1e-4),
                                                  'jensenshannon': float(distance.jensenshannon(rc, cc, base=2))})

    # --- Two samples of a million each: the asymptotic branches at n_eff = 500,000 -------------
    # (smirnov's long Birnbaum-Tingey sum for the 2^-8 shift, the Pelz-Good expansion for 2^-11).
    for shift in (2.0 ** -8, 2.0 ** -11):
        n1 = n2 = 1_000_000
        seed1, seed2 = chooser.getrandbits(63), chooser.getrandbits(63)
        a = sample('continuous', n1, seed1, 0.0)
        b = sample('continuous', n2, seed2, shift)
        ks = stats.ks_2samp(a, b, method='auto')
        spec = {'kind': 'continuous', 'n1': n1, 'seed1': seed1, 'n2': n2, 'seed2': seed2, 'shift': shift}
        golden['ks'].append({**spec, 'statistic': float(ks.statistic), 'pvalue': float(ks.pvalue)})
        golden['wasserstein'].append({**spec, 'distance': float(stats.wasserstein_distance(a, b)), 'reference_std': float(np.std(a))})

    # --- KS on explicit small data: ties, constants, identical samples -------------------------
    explicit = [
        ([1, 2, 3], [1, 2, 3]),
        ([1, 1, 1, 1], [1, 1, 1, 1]),
        ([0, 0, 0], [1, 1, 1, 1]),
        ([1, 2, 2, 3, 3, 3], [2, 3, 3, 4]),
        ([5.0], [5.0]),
        ([5.0], [6.0]),
        ([0.1, 0.2, 0.3, 0.4, 0.5], [0.35, 0.45, 0.55, 0.65, 0.75, 0.85]),
        (list(range(100)), [x + 0.5 for x in range(100)]),
        ([-1e300, 0, 1e300], [-1e-300, 1e-300]),
    ]
    for a, b in explicit:
        ks = stats.ks_2samp(np.array(a, float), np.array(b, float), method='auto')
        w = stats.wasserstein_distance(np.array(a, float), np.array(b, float))
        golden['ks_explicit'].append({'a': a, 'b': b, 'statistic': float(ks.statistic), 'pvalue': float(ks.pvalue), 'wasserstein': float(w)})

    # --- Chi-square -----------------------------------------------------------------------------
    for _ in range(30):
        k = chooser.randint(2, 12)
        n1, n2 = chooser.randint(1, 100000), chooser.randint(1, 100000)
        w1 = [chooser.randint(1, 20) for _ in range(k)]
        w2 = [max(1, x + chooser.randint(-5, 5)) for x in w1] if chooser.random() < 0.5 else w1
        seed1, seed2 = chooser.getrandbits(63), chooser.getrandbits(63)
        c1 = np.bincount(categories(n1, seed1, w1), minlength=k)
        c2 = np.bincount(categories(n2, seed2, w2), minlength=k)
        keep = (c1 + c2) > 0
        c1, c2 = c1[keep], c2[keep]
        if len(c1) >= 2:
            chi2, p, dof, _ = stats.chi2_contingency(np.array([c1, c2]), correction=False)
            golden['chi2_homogeneity'].append({'reference': c1.tolist(), 'current': c2.tolist(), 'statistic': float(chi2), 'pvalue': float(p), 'dof': int(dof)})
        props = np.array(w1, float) / sum(w1)
        observed = np.bincount(categories(n2, seed2, w2), minlength=k)
        expected = props * observed.sum()
        gof = stats.chisquare(observed, expected)
        golden['chi2_goodness'].append({'observed': observed.tolist(), 'proportions': props.tolist(), 'statistic': float(gof.statistic), 'pvalue': float(gof.pvalue)})
        # Categorical PSI and JS over the same counts (with zero cells kept).
        rc = np.bincount(categories(n1, seed1, w1), minlength=k)
        golden['psi_categorical'].append({'reference': rc.tolist(), 'current': observed.tolist(), 'epsilon': 1e-4, 'psi': psi(rc, observed, 1e-4)})
        golden['jensenshannon_counts'].append({'p': rc.tolist(), 'q': observed.tolist(), 'distance': float(distance.jensenshannon(rc, observed, base=2))})
    # Categories seen on one side only, and huge statistics with underflowing p-values.
    for c1, c2 in ([[50, 30, 0], [10, 0, 40]], [[100000, 0], [0, 100000]], [[5, 5], [5, 5]], [[1000, 10, 3], [900, 200, 0]]):
        chi2, p, dof, _ = stats.chi2_contingency(np.array([c1, c2]), correction=False)
        golden['chi2_homogeneity'].append({'reference': c1, 'current': c2, 'statistic': float(chi2), 'pvalue': float(p), 'dof': int(dof)})

    # --- Multiple testing -------------------------------------------------------------------------
    for _ in range(10):
        m = chooser.randint(1, 40)
        ps = [chooser.random() ** 3 for _ in range(m)]
        golden['multiple_testing'].append({'pvalues': ps, 'bonferroni': [min(1.0, p * m) for p in ps], 'benjamini_hochberg': bh(ps)})

    # --- Classification metrics ---------------------------------------------------------------------
    for _ in range(12):
        k = chooser.randint(2, 6)
        n = chooser.randint(1, 3000)
        y_true = [chooser.randrange(k) for _ in range(n)]
        y_pred = [t if chooser.random() < 0.7 else chooser.randrange(k) for t in y_true]
        if chooser.random() < 0.3:
            y_pred = [min(p, k - 2) for p in y_pred]  # a class never predicted: zero_division
        labels = list(range(k))
        p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
        golden['classification'].append({
            'labels': labels, 'y_true': y_true, 'y_pred': y_pred,
            'accuracy': float(metrics.accuracy_score(y_true, y_pred)),
            'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist(),
            'macro': [float(x) for x in metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, average='macro', zero_division=0)[:3]],
            'weighted': [float(x) for x in metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, average='weighted', zero_division=0)[:3]],
            'confusion': metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        })

    # --- Calibration, calibration error, ROC AUC and CBPE (own random stream) -------------------------
    golden.update(calibration_golden.all_cases())

    with open(path, 'w') as f:
        json.dump(golden, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print(f"wrote {path}: {', '.join(f'{k}={len(v)}' for k, v in golden.items() if isinstance(v, list))}", file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1])
